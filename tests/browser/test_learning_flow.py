"""Learning in a real browser, in Japanese: a staff member goes from "assigned" to "passed"
(home page, study-session list, module, a failed quiz, a retry that passes), then their
manager sees it on the team progress page; with screenshots of the pages at two sizes."""

import datetime
import re
from pathlib import Path
from types import SimpleNamespace

import pytest
from django.conf import settings
from django.utils import timezone
from playwright.sync_api import BrowserContext, Page, expect

from assessments.models import Department, Membership, Organisation
from maturity.functions import DepartmentFunction
from training import services
from training.models import Module, ModuleProgress, QuizAttempt, QuizChoice

from .conftest import PASSWORD, SCREENSHOTS

CONTENT = Path(settings.BASE_DIR) / "training" / "content"
# The learning path, in its order: the first module is the one taken. Neither comes first
# in the module order, so "assigned first" on the list is the sort's doing.
PATH_SLUGS = ["customer-success-basics", "upsell-and-cross-sell"]
# A section heading as written in the shipped Japanese file of the first module.
HEADING = "カスタマーサポートとの違い"
JA = {"locale": "ja-JP", "timezone_id": "Asia/Tokyo", "viewport": {"width": 1280, "height": 900}}
SIZES = ((390, 844), (1280, 900))


# ---------------------------------------------------------------- data


@pytest.fixture
def learning(live_server, django_user_model):
    """The shipped modules; Acme's sales manager and a staff member with a two-module
    learning path due in two weeks."""
    services.import_modules(directory=CONTENT)
    acme = Organisation.objects.create(name="Acme", slug="acme")
    sales = Department.objects.create(
        organisation=acme, name="営業部", function=DepartmentFunction.SALES
    )
    manager = django_user_model.objects.create_user(
        "mori", email="mori@example.com", password=PASSWORD, last_name="森", first_name="健"
    )
    staff = django_user_model.objects.create_user(
        "sasaki", email="sasaki@example.com", password=PASSWORD, last_name="佐々木", first_name="葵"
    )
    Membership.objects.create(
        user=manager, organisation=acme, department=sales, role=Membership.Role.MANAGER
    )
    Membership.objects.create(
        user=staff, organisation=acme, department=sales, role=Membership.Role.STAFF
    )
    modules = [Module.objects.get(slug=slug) for slug in PATH_SLUGS]
    path = services.create_learning_path(
        organisation=acme,
        department=sales,
        name="営業部の学習",
        modules=modules,
        created_by=manager,
    )
    due_on = timezone.localdate() + datetime.timedelta(days=14)
    services.assign_path(path=path, users=[staff], due_on=due_on, assigned_by=manager)
    return SimpleNamespace(
        url=live_server.url,
        organisation=acme,
        department=sales,
        manager=manager,
        staff=staff,
        path=path,
        modules=modules,
        # The due date as the pages write it (front.templatetags.when).
        due=f"{due_on.year}年{due_on.month}月{due_on.day}日",
    )


# ---------------------------------------------------------------- helpers


def log_in(context: BrowserContext, base_url: str, user) -> Page:
    """From the home page, the header's log-in link, as a new user would; back on home."""
    page = context.new_page()
    page.goto(f"{base_url}/")
    page.locator(".site-header a", has_text="ログイン").click()
    expect(page).to_have_url(re.compile(r"/accounts/login/\?next="))
    page.locator("input[name=username]").fill(user.username)
    page.locator("input[name=password]").fill(PASSWORD)
    page.locator("main form button[type=submit]").click()
    expect(page).to_have_url(f"{base_url}/")
    expect(page.locator("html")).to_have_attribute("lang", "ja")
    return page


def snap(page: Page, name: str) -> None:
    """Full-page pictures at a phone and a desktop size, for people (not assertions)."""
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    for width, height in SIZES:
        page.set_viewport_size({"width": width, "height": height})
        path = SCREENSHOTS / f"{name}-ja-{width}x{height}.png"
        page.screenshot(path=str(path), full_page=True)
        assert path.stat().st_size > 0


def quiz_key(module: Module) -> list[tuple]:
    """(question, correct choice, a wrong choice) per question, in the quiz's order."""
    key = []
    for question in module.quiz_questions.order_by("order"):
        correct = QuizChoice.objects.get(question_id=question.pk, is_correct=True)
        wrong = QuizChoice.objects.filter(question_id=question.pk, is_correct=False).first()
        key.append((question, correct, wrong))
    return key


def fewest_wrong_to_fail(count: int, pass_mark: int) -> int:
    """How many wrong answers it takes to score below the pass mark (graded as the app
    does: the rounded percentage of right answers)."""
    return next(k for k in range(1, count + 1) if round(100 * (count - k) / count) < pass_mark)


def answer_quiz(page: Page, chosen: list) -> None:
    """Click each chosen choice's label (radios are named q<question id>), then submit."""
    expect(page.locator("fieldset.q-card")).to_have_count(len(chosen))
    expect(page.locator("input[type=radio]:checked")).to_have_count(0)
    for question, choice in chosen:
        radio = page.locator(f'input[name="q{question.pk}"][value="{choice.pk}"]')
        page.locator("label.choice").filter(has=radio).click()
        expect(radio).to_be_checked()
    page.get_by_role("button", name="採点する").click()


def assert_review(page: Page, chosen: list, key: list, *, passed: bool) -> None:
    """Every question with the learner's answer marked (✓ when right, ✗ when wrong). After a
    pass, every explanation and the correct choice marked ✓; after a failure, a wrongly
    answered question shows neither its correct choice marked nor its explanation."""
    cards = page.locator("ol.quiz-review > li")
    expect(cards).to_have_count(len(key))
    for card, (question, choice), (_q, correct, _w) in zip(cards.all(), chosen, key, strict=True):
        expect(card.locator(".q-text")).to_have_text(question.text_ja)
        mine = card.locator("li", has_text="あなたの回答")
        expect(mine).to_have_count(1)
        expect(mine).to_contain_text(choice.text_ja)
        if choice == correct:
            expect(card.locator(".help")).to_have_text(question.explanation_ja)
            expect(mine).to_have_class("is-correct")
            expect(mine).to_contain_text("✓")
            continue
        expect(mine).to_have_class("is-wrong")
        expect(mine).to_contain_text("✗")
        expect(card.locator(".q-verdict")).to_have_text("✗ 不正解")
        if passed:
            expect(card.locator(".help")).to_have_text(question.explanation_ja)
            expect(card.locator("li.is-correct")).to_contain_text(f"✓ {correct.text_ja}")
        else:
            expect(card.locator(".help")).to_have_count(0)
            expect(card.locator("li.is-correct")).to_have_count(0)
            expect(card.locator("li", has_text=correct.text_ja)).not_to_contain_text("✓")


# ---------------------------------------------------------------- the flow


def test_a_staff_member_goes_from_assigned_to_passed(new_context, learning):
    lg = learning
    first, second = lg.modules
    titles = [m.title_ja for m in lg.modules]

    # Home: the two assigned modules with their due date.
    page = log_in(new_context(**JA), lg.url, lg.staff)
    mine = page.locator(".my-work li")
    expect(mine.locator("a")).to_have_text(titles)
    for item in mine.all():
        expect(item).to_contain_text(f"期限 {lg.due}")

    # The study sessions: the assigned modules first, marked as assigned.
    page.locator(".my-work a", has_text="すべての勉強会").click()
    expect(page).to_have_url(f"{lg.url}/learn/")
    expect(page.locator("#assigned-heading + ul li")).to_have_text(
        re.compile(rf"営業部の学習\s+期限 {lg.due}")
    )
    cards = page.locator("li.module-card")
    expect(cards).to_have_count(Module.objects.count())
    expect(cards.locator("h2").first).to_have_text(titles[0])
    expect(page.locator("li.module-card.is-assigned h2")).to_have_text(titles)
    for card in cards.all()[:2]:
        expect(card).to_have_class(re.compile(r"\bis-assigned\b"))
        expect(card.locator(".eyebrow")).to_have_text(f"割り当て済み · 期限 {lg.due}")
        expect(card.locator(".status")).to_have_text("未着手")
    expect(cards.nth(2)).not_to_have_class(re.compile(r"\bis-assigned\b"))

    # The first module: sections, discussion questions and exercise.
    cards.first.locator("h2 a").click()
    expect(page).to_have_url(f"{lg.url}/learn/{first.slug}/")
    expect(page.locator("h1")).to_have_text(first.title_ja)
    assert f"## {HEADING}\n" in (CONTENT / f"{first.slug}.ja.md").read_text(encoding="utf-8")
    sections = page.locator(".module-body section[id^=s] > h2")
    expect(sections).to_have_text([s.title_ja for s in first.sections.order_by("order")])
    expect(page.get_by_role("heading", name=HEADING, exact=True)).to_be_visible()
    discussion = page.locator("#discussion")
    expect(discussion.locator("h2")).to_have_text("勉強会で話し合うテーマ")
    expect(discussion.locator("li")).to_have_text(
        [q.text_ja for q in first.discussion.order_by("order")]
    )
    exercise = page.locator("#exercise")
    expect(exercise.locator("h2")).to_have_text("演習")
    expect(exercise).to_contain_text("指標を計算する")
    expect(exercise.locator("table").first).to_be_visible()
    # Read once its end comes into view (static/js/module_read.js), not on opening.
    page.locator("#read-end").scroll_into_view_if_needed()
    expect(page.locator("#read-end [data-read-done]")).to_have_text("読了として記録しました。")
    expect(page.locator(".page-header .status")).to_have_text("読了")
    snap(page, "learning-module")

    # The quiz, with just enough wrong answers to score below the pass mark.
    key = quiz_key(first)
    wrong = fewest_wrong_to_fail(len(key), first.pass_mark)
    failing_score = round(100 * (len(key) - wrong) / len(key))
    assert failing_score < first.pass_mark
    page.locator("a.button", has_text="確認テストを受ける").click()
    expect(page).to_have_url(f"{lg.url}/learn/{first.slug}/quiz/")
    chosen = [(q, w if n < wrong else c) for n, (q, c, w) in enumerate(key)]
    answer_quiz(page, chosen)
    result = page.locator(".notice[role=status]")
    expect(result.locator("strong")).to_have_text("まだ合格ではありません")
    expect(result).to_contain_text(f"あなたの得点: {failing_score}%")
    expect(result).not_to_have_class(re.compile(r"\bnotice-success\b"))
    assert_review(page, chosen, key, passed=False)
    expect(page.locator(".quiz-summary")).to_contain_text("合格すると表示されます")
    snap(page, "learning-quiz-result")

    # Try again, all right this time.
    page.get_by_role("link", name="もう一度受ける").click()
    expect(page).to_have_url(f"{lg.url}/learn/{first.slug}/quiz/")
    chosen = [(q, c) for q, c, _w in key]
    answer_quiz(page, chosen)
    expect(result.locator("strong")).to_have_text("合格")
    expect(result).to_contain_text("あなたの得点: 100%")
    expect(result).to_have_class(re.compile(r"\bnotice-success\b"))
    assert_review(page, chosen, key, passed=True)

    # Back on the list: passed, the other module still to do.
    page.get_by_role("link", name="勉強会の一覧へ戻る").click()
    expect(page).to_have_url(f"{lg.url}/learn/")
    expect(cards.first.locator("h2")).to_have_text(titles[0])
    expect(cards.first.locator(".status")).to_have_text("合格")
    expect(cards.nth(1).locator(".status")).to_have_text("未着手")
    snap(page, "learning-list")

    # The manager, on another device: the team's progress.
    page = log_in(new_context(**JA), lg.url, lg.manager)
    page.locator(".site-nav a", has_text="学習").click()
    page.get_by_role("link", name="学習の進捗").click()
    expect(page).to_have_url(f"{lg.url}/learn/team/")
    row = page.locator("tbody tr").filter(has=page.locator("th", has_text="佐々木 葵"))
    expect(row).to_have_count(1)
    cells = {first.pk: "✓ 100%", second.pk: "割り当て済み"}
    every_module = Module.objects.order_by("order", "slug")
    expect(row.locator("td")).to_have_text(
        ["営業部", f"1 / {len(every_module)}", *(cells.get(m.pk, "–") for m in every_module)]
    )

    # What the database says.
    progress = ModuleProgress.objects.get(user=lg.staff, module=first)
    assert progress.organisation == lg.organisation
    assert progress.passed and progress.read_at is not None
    assert (progress.attempts, progress.best_score) == (2, 100)
    assert not ModuleProgress.objects.filter(user=lg.staff, module=second).exists()
    attempts = QuizAttempt.objects.filter(user=lg.staff).order_by("created_at")
    assert [(a.module, a.score, a.passed) for a in attempts] == [
        (first, failing_score, False),
        (first, 100, True),
    ]
    assert attempts[1].answers == {str(q.pk): c.pk for q, c, _w in key}
