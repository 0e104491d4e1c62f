"""The campaign page asks first in a <dialog> (static/js/confirm.js): closing the campaign
and taking a respondent off it. Cancel has the focus (Enter cancels), Escape or Cancel keeps
everything as it was and gives the focus back to the link; the dialog's button does it."""

import re

from playwright.sync_api import expect

from assessments.models import Membership, Response


def signed_in_admin(new_context, assessment, django_user_model):
    admin = django_user_model.objects.create_user("sato", password=assessment.password)
    Membership.objects.create(
        user=admin, organisation=assessment.campaign.organisation, role="org_admin"
    )
    page = new_context().new_page()
    page.goto(f"{assessment.live_server.url}/accounts/login/")
    page.fill("input[name=username]", "sato")
    page.fill("input[name=password]", assessment.password)
    page.locator("main form button[type=submit]").click()
    page.wait_for_url(lambda url: "/accounts/login/" not in url)
    page.goto(f"{assessment.live_server.url}/campaigns/{assessment.campaign.pk}/")
    return page


def test_the_close_dialog_appears_and_cancelling_keeps_the_campaign_open(
    new_context, assessment, django_user_model
):
    page = signed_in_admin(new_context, assessment, django_user_model)
    page.get_by_role("link", name="Close the campaign").click()
    dialog = page.locator("dialog#confirm-dialog")
    expect(dialog).to_be_visible()
    expect(dialog).to_contain_text("stay out of the results")
    expect(dialog.get_by_role("button", name="Cancel")).to_be_focused()
    dialog.get_by_role("button", name="Cancel").click()
    expect(dialog).to_be_hidden()
    assert page.url.endswith(f"/campaigns/{assessment.campaign.pk}/")  # no confirmation page
    assessment.campaign.refresh_from_db()
    assert assessment.campaign.status == "open"


def test_removing_a_respondent_asks_in_the_dialog_escape_keeps_them_and_the_button_removes(
    new_context, assessment, django_user_model
):
    page = signed_in_admin(new_context, assessment, django_user_model)
    link = page.get_by_role("link", name=re.compile("^Remove miyamoto"))
    link.click()
    dialog = page.locator("dialog#confirm-dialog")
    expect(dialog).to_be_visible()
    expect(dialog.get_by_role("heading")).to_have_text("Remove miyamoto from the campaign?")
    expect(dialog).to_contain_text("the answers saved so far are deleted")
    expect(dialog.get_by_role("button", name="Cancel")).to_be_focused()
    page.keyboard.press("Escape")
    expect(dialog).to_be_hidden()
    expect(link).to_be_focused()  # back where the reader was
    assert Response.objects.filter(pk=assessment.response.pk).exists()

    link.click()
    dialog.get_by_role("button", name="Remove").click()
    page.wait_for_load_state()
    expect(page.locator(".messages")).to_contain_text(
        "is no longer a respondent for Customer Success"
    )
    assert not Response.objects.filter(pk=assessment.response.pk).exists()
