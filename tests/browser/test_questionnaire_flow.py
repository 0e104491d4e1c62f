"""The questionnaire in a real browser: answer half, leave, come back on another device,
finish and submit, with and without JavaScript; autosave through a dropped network; N/A
with its reason; and screenshots of the page in both languages and two sizes."""

import re

import pytest
from playwright.sync_api import BrowserContext, Page, expect

from assessments import services
from assessments.models import Answer, Response
from assessments.services import AnswerInput

from .conftest import SCREENSHOTS

# ---------------------------------------------------------------- helpers


def open_invitation(context: BrowserContext, a) -> Page:
    """Follow the invitation link on a device that is not logged in, and log in."""
    page = context.new_page()
    page.goto(a.invitation_url)
    expect(page).to_have_url(re.compile(r"/accounts/login/\?next="))
    page.locator("input[name=username]").fill(a.user.username)
    page.locator("input[name=password]").fill(a.password)
    page.locator("main form button[type=submit]").click()
    return page


def at(url: str) -> re.Pattern:
    """A URL with or without an anchor. (A form post from ``page/#q-x`` is redirected to
    the next page and browsers carry the anchor over to it.)"""
    return re.compile(re.escape(url) + r"(#.*)?$")


def page_of(a, code: str) -> re.Pattern:
    """The URL of a dimension's page, with or without an anchor."""
    return at(a.page_url(code))


def choice_for(question, n: int):
    """A choice that varies from question to question (not always the first one)."""
    choices = list(question.choices.all())
    return choices[n % len(choices)]


def pick(page: Page, question, choice_pk) -> None:
    """Click the label of a choice, as a person would."""
    card = page.locator(f"#q-{question.code}")
    card.locator("label.choice").filter(has=page.locator(f'input[value="{choice_pk}"]')).click()


def press_next(page: Page) -> None:
    """The page's forward button: "Next: …" or, on the last page, "Review and submit"."""
    page.locator(
        "form#questionnaire button[name=action][value=next], "
        "form#questionnaire button[name=action][value=review]"
    ).click()


def answer_pages(page: Page, a, chosen: dict, *, js: bool, stop_after: int | None = None):
    """From the dimension page the browser is on, answer every open question in order and
    move on with the forward button, until ``stop_after`` questions are answered in all.

    With JavaScript each answer must autosave (its save state says saved and the progress
    counter goes up) and the page is left as it is when stopping. Without JavaScript the
    stopping page is posted with "Next", since posting is the only way it saves.
    """
    current = next(i for i, d in enumerate(a.dimensions) if page_of(a, d.code).match(page.url))
    for dimension in a.dimensions[current:]:
        expect(page).to_have_url(page_of(a, dimension.code))
        for question in dimension.applicable_questions:
            if question.pk in chosen:
                continue
            if stop_after is not None and len(chosen) >= stop_after:
                if not js:
                    press_next(page)
                return
            choice = choice_for(question, len(chosen))
            pick(page, question, choice.pk)
            chosen[question.pk] = choice.pk
            if js:
                state = page.locator(f"#q-{question.code} [data-save-state]")
                expect(state).to_have_attribute("data-kind", "saved")
                expect(page.locator("[data-progress-answered]")).to_have_text(str(len(chosen)))
        press_next(page)
    expect(page).to_have_url(at(a.review_url))


def first_open_question(a, chosen: dict):
    for dimension in a.dimensions:
        for question in dimension.applicable_questions:
            if question.pk not in chosen:
                return dimension, question
    raise AssertionError("every question is answered")


def assert_resumed(page: Page, a, chosen: dict) -> None:
    """On the page of the first open question, opened at its top with the page title in
    view, a message naming the question to go on with, and earlier answers shown as chosen."""
    dimension, question = first_open_question(a, chosen)
    expect(page).to_have_url(a.page_url(dimension.code))
    expect(page.locator("h1")).to_be_in_viewport()
    number = dimension.applicable_questions.index(question) + 1
    expect(page.locator(".messages")).to_have_text(
        f"Picking up where you left off: question {number} on this page."
    )
    expect(page.locator(f"#q-{question.code} input[type=radio]:checked")).to_have_count(0)
    expect(page.locator("[data-progress-answered]").first).to_have_text(str(len(chosen)))
    for q in dimension.applicable_questions:
        if q.pk in chosen:
            expect(page.locator(f'#q-{q.code} input[value="{chosen[q.pk]}"]')).to_be_checked()


def assert_first_page_kept(page: Page, a, chosen: dict) -> None:
    """The first page shows its saved answers; the browser is then back where it was."""
    here = page.url
    first = a.dimensions[0]
    page.goto(a.page_url(first.code))
    for q in first.applicable_questions:
        expect(page.locator(f'#q-{q.code} input[value="{chosen[q.pk]}"]')).to_be_checked()
    page.goto(here)


def review_and_submit(page: Page, a, *, js: bool) -> None:
    """The review lists every answer, none unanswered; submitting asks first with
    JavaScript (a dialog) and then lands on the department's results."""
    total = str(len(a.questions))
    expect(page).to_have_url(at(a.review_url))
    expect(page.locator(".review-item")).to_have_count(len(a.questions))
    expect(page.locator(".review-item.is-unanswered")).to_have_count(0)
    expect(page.locator("#submit-consequence")).to_have_text(
        "You cannot change your answers after submitting. Every question is answered."
    )
    expect(page.locator("[data-progress-answered]")).to_have_text(total)
    page.locator("form.submit-box button[type=submit]").click()
    if js:
        dialog = page.locator("dialog#submit-dialog")
        expect(dialog).to_be_visible()
        dialog.get_by_role("button", name="Yes, submit").click()
    results = f"{a.live_server.url}/campaigns/{a.campaign.pk}/results/{a.department.pk}/"
    expect(page).to_have_url(results)
    expect(page.locator(".messages")).to_contain_text("Your answers are submitted.")
    expect(page.locator("h1")).to_have_text(a.department.name)
    page.goto(a.review_url)
    expect(page.locator(".notice-success")).to_contain_text("Submitted")
    expect(page.locator("form.submit-box")).to_have_count(0)
    expect(page.locator(".q-nav")).not_to_contain_text("Review and submit")
    # Locked: the invitation link now leads to the review, and the pages are read-only.
    page.goto(a.invitation_url)
    expect(page).to_have_url(at(a.review_url))
    page.goto(a.page_url(a.dimensions[0].code))
    expect(page.locator(".q-main .notice")).to_contain_text("submitted and locked")
    expect(page.locator("fieldset.q-card:enabled")).to_have_count(0)
    expect(page.locator("button[name=action][value=stay]")).to_have_count(0)
    expect(page.locator(".q-nav")).to_contain_text("Your department's results")


def assert_submitted_in_db(a, chosen: dict) -> None:
    response = Response.objects.get(pk=a.response.pk)
    assert response.status == Response.Status.SUBMITTED
    assert response.submitted_at is not None
    answers = dict(Answer.objects.filter(response=response).values_list("question_id", "choice_id"))
    assert len(answers) == len(a.questions)
    assert answers == chosen


# ---------------------------------------------------------------- flows


@pytest.mark.parametrize("js", [True, False], ids=["with-js", "without-js"])
def test_half_leave_resume_on_another_device_finish_and_submit(new_context, assessment, js):
    a = assessment
    half = len(a.questions) // 2
    chosen: dict[int, int] = {}

    context = new_context(java_script_enabled=js)
    page = open_invitation(context, a)
    first = a.dimensions[0]
    expect(page).to_have_url(a.page_url(first.code))  # at its top: nothing to pick up yet
    answer_pages(page, a, chosen, js=js, stop_after=half)
    assert len(chosen) == half
    context.close()  # the device is gone, with its cookies

    assert Answer.objects.filter(response=a.response).count() == half
    context = new_context(java_script_enabled=js)
    page = open_invitation(context, a)
    assert_resumed(page, a, chosen)
    assert_first_page_kept(page, a, chosen)

    answer_pages(page, a, chosen, js=js)
    review_and_submit(page, a, js=js)
    assert_submitted_in_db(a, chosen)


def test_autosave_waits_out_a_dropped_network(new_context, assessment):
    a = assessment
    context = new_context()
    page = open_invitation(context, a)
    question = a.questions[0]
    expect(page).to_have_url(page_of(a, a.dimensions[0].code))
    state = page.locator(f"#q-{question.code} [data-save-state]")
    choice = choice_for(question, 2)

    context.set_offline(True)
    pick(page, question, choice.pk)
    expect(state).to_have_attribute("data-kind", "offline")
    expect(state).to_contain_text("no connection")
    assert not Answer.objects.filter(response=a.response).exists()

    context.set_offline(False)
    expect(state).to_have_attribute("data-kind", "saved")
    expect(page.locator("[data-progress-answered]")).to_have_text("1")
    answer = Answer.objects.get(response=a.response, question=question)
    assert answer.choice_id == choice.pk and not answer.is_na


def test_na_asks_for_a_reason_and_saves_it(new_context, assessment):
    a = assessment
    with_na = [q for q in a.questions if q.allow_na]
    assert with_na, "the shipped framework has no N/A question for customer success"
    question = with_na[0]
    dimension = next(d for d in a.dimensions if question in d.applicable_questions)

    context = new_context()
    page = open_invitation(context, a)
    expect(page).to_have_url(page_of(a, a.dimensions[0].code))
    page.goto(a.page_url(dimension.code))
    card = page.locator(f"#q-{question.code}")
    state = card.locator("[data-save-state]")
    reason = card.locator("input[name$='-na_reason']")
    expect(reason).to_be_hidden()

    card.locator("label.choice-na").click()
    expect(reason).to_be_visible()
    expect(state).to_have_attribute("data-kind", "hint")
    expect(state).to_contain_text("reason")
    assert not Answer.objects.filter(response=a.response).exists()

    reason.fill("We hand referrals to the partner team.")
    expect(state).to_have_attribute("data-kind", "saved")
    expect(page.locator("[data-progress-answered]")).to_have_text("1")
    answer = Answer.objects.get(response=a.response, question=question)
    assert answer.is_na and answer.choice_id is None
    assert answer.na_reason == "We hand referrals to the partner team."

    page.reload()
    expect(card.locator('input[value="na"]')).to_be_checked()
    expect(reason).to_be_visible()
    expect(reason).to_have_value("We hand referrals to the partner team.")


def test_screenshots_of_the_questionnaire_in_both_languages(new_context, assessment):
    """Pictures for people to look at, not assertions about the layout."""
    a = assessment
    first, second = a.dimensions[0], a.dimensions[1]
    services.save_answers(
        response=a.response,
        items=[
            AnswerInput(question_id=q.pk, choice_id=choice_for(q, n).pk)
            for n, q in enumerate(first.applicable_questions)
        ],
    )
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    for n, (language, locale) in enumerate((("ja", "ja-JP"), ("en", "en-US"))):
        context = new_context(
            locale=locale, timezone_id="Asia/Tokyo", viewport={"width": 390, "height": 844}
        )
        page = open_invitation(context, a)
        expect(page).to_have_url(page_of(a, second.code))
        expect(page.locator("html")).to_have_attribute("lang", language)
        question = second.applicable_questions[n]  # one saved state to see on each
        pick(page, question, choice_for(question, 3).pk)
        state = page.locator(f"#q-{question.code} [data-save-state]")
        expect(state).to_have_attribute("data-kind", "saved")
        # From the top, so the sticky progress panel is drawn where people first see it.
        page.evaluate("window.scrollTo(0, 0)")
        for width, height in ((390, 844), (1280, 900)):
            page.set_viewport_size({"width": width, "height": height})
            path = SCREENSHOTS / f"questionnaire-{language}-{width}x{height}.png"
            page.screenshot(path=str(path), full_page=True)
            assert path.stat().st_size > 0
        context.close()


def test_the_page_count_leaves_out_an_na_that_is_not_saved(new_context, assessment):
    a = assessment
    question = next(q for q in a.questions if q.allow_na)
    dimension = next(d for d in a.dimensions if question in d.applicable_questions)
    context = new_context()
    page = open_invitation(context, a)
    expect(page).to_have_url(page_of(a, a.dimensions[0].code))
    page.goto(a.page_url(dimension.code))
    page.locator(f"#q-{question.code} label.choice-na").click()
    expect(page.locator(f"#q-{question.code} [data-save-state]")).to_have_attribute(
        "data-kind", "hint"
    )
    others = [q for q in dimension.applicable_questions if q != question]
    for n, other in enumerate(others, start=1):
        pick(page, other, choice_for(other, n).pk)
        state = page.locator(f"#q-{other.code} [data-save-state]")
        expect(state).to_have_attribute("data-kind", "saved")
        expect(page.locator("[data-progress-answered]")).to_have_text(str(n))
    nav = page.locator(f"[data-dimension-nav={dimension.code}]")
    count = nav.locator("[data-dimension-answered]")
    expect(count).to_have_text(str(len(others)), timeout=1000)  # the server says so too
    expect(nav).not_to_have_class(re.compile(r"\bis-complete\b"), timeout=1000)


def test_a_note_written_before_choosing_is_saved_and_removed_when_emptied(new_context, assessment):
    """A comment alone is saved as a note; emptying it sends DELETE (the API refuses a PUT
    that carries nothing), so the note is gone, not kept nor answered with a 400."""
    a = assessment
    question = a.questions[0]
    context = new_context()
    page = open_invitation(context, a)
    expect(page).to_have_url(page_of(a, a.dimensions[0].code))
    card = page.locator(f"#q-{question.code}")
    state = card.locator("[data-save-state]")
    card.locator("details.q-comment summary").click()
    comment = card.locator("textarea[name$='-comment']")

    comment.fill("Ask the sales leads first.")
    expect(state).to_have_attribute("data-kind", "saved")
    assert Answer.objects.get(response=a.response, question=question).comment == (
        "Ask the sales leads first."
    )
    expect(page.locator("[data-progress-answered]")).to_have_text("0")

    with page.expect_response(lambda r: r.request.method == "DELETE") as deleted:
        comment.fill("")
    assert deleted.value.status == 200
    expect(state).to_have_attribute("data-kind", "saved")
    assert not Answer.objects.filter(response=a.response, question=question).exists()
