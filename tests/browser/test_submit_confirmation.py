"""Submitting asks first: with JavaScript a dialog states the consequence and the number of
unanswered questions, and cancelling leaves the response open; without it the review page,
which states the same, is the confirmation step."""

from playwright.sync_api import expect

from assessments import services
from assessments.models import Response
from assessments.services import AnswerInput

from .test_questionnaire_flow import open_invitation


def answer_first(a, n: int) -> None:
    services.save_answers(
        response=a.response,
        items=[
            AnswerInput(question_id=q.pk, choice_id=list(q.choices.all())[1].pk)
            for q in a.questions[:n]
        ],
    )


def consequence(open_count: int) -> str:
    return (
        f"You cannot change your answers after submitting. {open_count} questions are "
        "unanswered and are left out of your scores."
    )


def test_the_dialog_states_the_unanswered_count_and_cancel_keeps_it_open(new_context, assessment):
    a = assessment
    answer_first(a, 3)
    open_count = len(a.questions) - 3
    page = open_invitation(new_context(), a)
    page.goto(a.review_url)
    dialog = page.locator("dialog#submit-dialog")
    expect(dialog).to_be_hidden()
    expect(page.locator(".review-item.is-unanswered")).to_have_count(open_count)

    page.get_by_role("button", name="Submit my answers").click()
    expect(dialog).to_be_visible()
    expect(dialog.get_by_role("heading")).to_have_text("Submit your answers?")
    expect(dialog.locator("p")).to_have_text(consequence(open_count))
    cancel = dialog.get_by_role("button", name="Cancel, keep answering")
    expect(cancel).to_be_focused()  # the safe choice is the default

    cancel.click()
    expect(dialog).to_be_hidden()
    expect(page).to_have_url(a.review_url)
    assert Response.objects.get(pk=a.response.pk).status == Response.Status.IN_PROGRESS

    # Escape cancels too; then the confirm button submits.
    page.get_by_role("button", name="Submit my answers").click()
    expect(dialog).to_be_visible()
    page.keyboard.press("Escape")
    expect(dialog).to_be_hidden()
    assert Response.objects.get(pk=a.response.pk).status == Response.Status.IN_PROGRESS

    page.get_by_role("button", name="Submit my answers").click()
    dialog.get_by_role("button", name="Yes, submit").click()
    expect(page).to_have_url(
        f"{a.live_server.url}/campaigns/{a.campaign.pk}/results/{a.department.pk}/"
    )
    assert Response.objects.get(pk=a.response.pk).status == Response.Status.SUBMITTED


def test_without_javascript_the_review_page_is_the_confirmation(new_context, assessment):
    a = assessment
    answer_first(a, 5)
    page = open_invitation(new_context(java_script_enabled=False), a)
    page.goto(a.review_url)
    box = page.locator("form.submit-box")
    expect(box.locator("#submit-consequence")).to_have_text(consequence(len(a.questions) - 5))
    expect(page.locator("dialog#submit-dialog")).to_be_hidden()
    box.get_by_role("button", name="Submit my answers").click()
    expect(page).to_have_url(
        f"{a.live_server.url}/campaigns/{a.campaign.pk}/results/{a.department.pk}/"
    )
    assert Response.objects.get(pk=a.response.pk).status == Response.Status.SUBMITTED
