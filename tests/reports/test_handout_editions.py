"""Handout editions (participant / facilitator) and agendas that fit the stated duration."""

import io
from pathlib import Path

import pytest
from pypdf import PdfReader

from reports.handout import FACILITATOR, PARTICIPANT, agenda, build_handout
from training.models import Module
from training.services import import_modules

CONTENT = Path(__file__).resolve().parents[2] / "training" / "content"


@pytest.fixture
def shipped(db):
    import_modules(directory=CONTENT)
    return {m.slug: m for m in Module.objects.prefetch_related("sections")}


def text_of(pdf: bytes) -> str:
    return "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf)).pages)


def test_a_30_minute_module_with_6_sections():
    # quiz 30 × 15% = 4.5 → 4; discussion and exercise 30 × 25% = 7.5 → 7 each;
    # reading 30 − 4 − 7 − 7 = 12, i.e. 2 minutes for each of the 6 sections
    items = agenda(30, [f"s{i}" for i in range(6)])
    assert [(i.kind, i.minutes) for i in items] == [("reading", 2)] * 6 + [
        ("discussion", 7),
        ("exercise", 7),
        ("quiz", 4),
    ]


def test_odd_reading_minutes_go_to_the_first_sections():
    # 35: quiz 5, discussion 8, exercise 8, reading 14 over 6 sections = 3, 3, 2, 2, 2, 2
    items = agenda(35, [f"s{i}" for i in range(6)])
    assert [i.minutes for i in items if i.kind == "reading"] == [3, 3, 2, 2, 2, 2]
    assert sum(i.minutes for i in items) == 35


def test_more_sections_than_reading_minutes_share_rows():
    # 5: quiz, discussion and exercise 1 each (at least a minute); reading 2 for 9 sections:
    # two rows of neighbouring sections, 1 minute each
    items = agenda(5, [f"s{i}" for i in range(9)])
    reading = [i for i in items if i.kind == "reading"]
    assert [i.minutes for i in reading] == [1, 1]
    assert reading[0].title == "s0 / s1 / s2 / s3" and reading[1].title.endswith("s8")
    assert sum(i.minutes for i in items) == 5


@pytest.mark.parametrize("minutes", [5, 10, 30, 35, 40, 45, 60, 90, 180])
@pytest.mark.parametrize("sections", [1, 2, 6, 12])
def test_the_agenda_never_exceeds_the_duration(minutes, sections):
    items = agenda(minutes, [f"s{i}" for i in range(sections)])
    assert sum(i.minutes for i in items) == minutes
    assert all(i.minutes >= 1 for i in items)
    assert [i.kind for i in items][-1] == "quiz"


def test_every_shipped_module_has_an_agenda_of_its_own_minutes_with_the_quiz(shipped):
    assert len(shipped) == 14
    for module in shipped.values():
        items = agenda(module.minutes, [s.title for s in module.sections.all()])
        assert sum(i.minutes for i in items) == module.minutes, module.slug
        kinds = [i.kind for i in items]
        assert kinds.count("quiz") == 1 and kinds.count("discussion") == 1, module.slug
        assert kinds.count("reading") == module.sections.count(), module.slug
        quiz = next(i for i in items if i.kind == "quiz")
        assert quiz.minutes >= 4, module.slug  # 6 questions: 30 min × 15% = 4 at the least


@pytest.mark.parametrize(
    ("language", "key", "note", "quiz_key", "answer"),
    [
        # The key's own line (its heading's words also appear in the pre-work, which tells
        # participants the key unlocks once they submit their own answer).
        ("ja", "30 ÷ 40 ＝ 75%", "進め方（30分）", "確認テストの解答", "正解:"),
        ("en", "30 ÷ 40 = 75%", "Running the session (30", "Quiz answer key", "Answer:"),
    ],
)
def test_keys_and_notes_are_only_in_the_facilitator_edition(
    shipped, language, key, note, quiz_key, answer
):
    module = [shipped["customer-success-basics"]]
    facilitator = text_of(build_handout(module, language=language, edition=FACILITATOR))
    participant = text_of(build_handout(module, language=language, edition=PARTICIPANT))
    for marker in (key, note, quiz_key, answer):
        assert marker in facilitator.replace("\n", ""), marker
        assert marker not in participant.replace("\n", ""), marker
    # the upsell rate 12 ÷ 200 = 6% is worked out in the key only
    assert "12 ÷ 200" in facilitator and "12 ÷ 200" not in participant
    for text in (facilitator, participant):  # the task and the agenda's quiz row stay
        assert ("演習" if language == "ja" else "Exercise") in text
        assert ("確認テスト" if language == "ja" else "Quiz") in text


def test_an_unknown_edition_is_refused(shipped):
    with pytest.raises(ValueError, match="unknown handout edition"):
        build_handout([shipped["ltv-and-subscription"]], edition="manager")


@pytest.mark.parametrize(
    ("edition", "title"),
    [("participant", "勉強会資料（参加者用）"), ("facilitator", "勉強会資料（進行役用）")],
)
def test_the_command_renders_the_edition_asked_for(shipped, tmp_path, edition, title):
    from django.core.management import call_command

    output = tmp_path / "handout.pdf"
    call_command(
        "render_handout", "customer-success-basics", "--edition", edition, "-o", str(output)
    )
    text = text_of(output.read_bytes()).replace("\n", "")
    assert title in text  # the title page and the running header say which edition it is
    assert ("12 ÷ 200" in text) == (edition == "facilitator")


def test_objectives_and_pre_work_in_both_editions_the_model_answer_for_the_facilitator(shipped):
    module = shipped["retention-and-churn"]
    # The service stores the study fields (not only the command).
    assert module.prework_minutes == 20
    facilitator = " ".join(
        text_of(build_handout([module], language="en", edition=FACILITATOR)).split()
    )
    participant = " ".join(
        text_of(build_handout([module], language="en", edition=PARTICIPANT)).split()
    )
    for text in (facilitator, participant):
        assert "What you will be able to do" in text
        assert "Work out NRR and explain what it means when it exceeds 100%" in text
        assert "Before the session (20 min)" in text
        assert "Pick one of the discussion questions" in text
    # The open tasks' model answer is the facilitator's, as the answer keys are.
    assert "Model answer" in facilitator
    assert "the cohort won last quarter kept 74%" in facilitator
    assert "the cohort won last quarter kept 74%" not in participant
    assert "Model answer" not in participant
