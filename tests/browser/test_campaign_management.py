"""Closing a campaign asks first in a <dialog> (static/js/confirm.js); cancelling keeps the
campaign open."""

from playwright.sync_api import expect

from assessments.models import Membership


def test_the_close_dialog_appears_and_cancelling_keeps_the_campaign_open(
    new_context, assessment, django_user_model
):
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

    page.get_by_role("link", name="Close the campaign").click()
    dialog = page.locator("dialog#confirm-dialog")
    expect(dialog).to_be_visible()
    expect(dialog).to_contain_text("stay out of the results")
    dialog.get_by_role("button", name="Cancel").click()
    expect(dialog).to_be_hidden()
    assert page.url.endswith(f"/campaigns/{assessment.campaign.pk}/")  # no confirmation page
    assessment.campaign.refresh_from_db()
    assert assessment.campaign.status == "open"
