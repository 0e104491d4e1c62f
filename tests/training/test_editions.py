"""Facilitator-only blocks in module texts (training.editions)."""

import pytest

from tests.matrix import ROLES
from training.editions import facilitator_blocks, facilitator_markdown, participant_markdown, parts

TEXT = """Work out the churn rate.

::: facilitator
**Answers to check against**

6 ÷ 200 = 3%
:::

Then discuss the result."""


def test_it_drops_the_block_and_its_fences_for_participants():
    assert participant_markdown(TEXT) == "Work out the churn rate.\n\nThen discuss the result."


def test_it_returns_the_text_inside_each_block():
    assert facilitator_blocks(TEXT) == ["**Answers to check against**\n\n6 ÷ 200 = 3%"]


def test_the_facilitator_markdown_keeps_the_block_without_fences():
    full = facilitator_markdown(TEXT)
    assert "6 ÷ 200 = 3%" in full
    assert ":::" not in full


def test_it_keeps_the_order_of_the_parts():
    assert [p.facilitator for p in parts(TEXT)] == [False, True, False]


def test_several_blocks_and_case_and_spaces_in_the_fence():
    text = "a\n:::Facilitator \nk1\n:::\nb\n  :::  facilitator\nk2\n ::: \nc"
    assert facilitator_blocks(text) == ["k1", "k2"]
    assert participant_markdown(text) == "a\n\nb\n\nc"


def test_an_unclosed_block_hides_the_rest_from_participants():
    text = "visible\n::: facilitator\nsecret\nmore secret"
    assert participant_markdown(text) == "visible"
    assert facilitator_blocks(text) == ["secret\nmore secret"]


def test_a_text_without_blocks_is_unchanged():
    assert participant_markdown("one\n\ntwo") == "one\n\ntwo"
    assert facilitator_blocks("one\n\ntwo") == []


def test_other_containers_are_not_facilitator_blocks():
    # a bare ':::' outside a block, or another container name, stays as text
    text = "::: note\nshown\n:::"
    assert participant_markdown(text) == text
    assert participant_markdown("") == ""


# ------------------------------------------------------------------ the shipped modules

KEY_MARKERS = (
    "確認用の答え",
    "答え合わせ",
    "Answers to check against",
    "**Check",
    "模範解答",
    "Model answer",
)


def _shipped():
    from pathlib import Path

    from training.module_files import module_slugs, parse_module_file
    from training.selectors import _shipped_dimension_codes

    directory = Path(__file__).resolve().parents[2] / "training" / "content"
    for slug in module_slugs(directory):
        for lang in ("ja", "en"):
            path = directory / f"{slug}.{lang}.md"
            yield (
                path.name,
                parse_module_file(
                    path.read_text(), str(path), dimension_codes=_shipped_dimension_codes()
                ),
            )


def test_every_shipped_module_keeps_its_answer_keys_for_the_facilitator():
    names = []
    for name, module in _shipped():
        names.append(name)
        exercise = module.meta["exercise"]
        participant = participant_markdown(exercise)
        assert not any(marker in participant for marker in KEY_MARKERS), name
        blocks = facilitator_blocks(exercise)
        assert len(blocks) == 1 and any(m in blocks[0] for m in KEY_MARKERS), name
        # the task itself stays for the participants
        assert len(participant) > 100, name
    assert len(names) == 28  # 14 modules × ja, en


def test_every_shipped_module_has_running_notes_for_the_facilitator():
    for name, module in _shipped():
        notes = [b for _, body in module.sections for b in facilitator_blocks(body)]
        assert len(notes) == 1, name
        assert ("進め方" if ".ja." in name else "Running the session") in notes[0], name
        # the section still reads without the note
        first = participant_markdown(module.sections[0][1])
        assert "進め方" not in first and "Running the session" not in first, name


# ------------------------------------------------------------------ the module page

MODULE_TEXT = "Task for everyone.\n\n::: facilitator\nSECRET-KEY-42\n:::"


@pytest.fixture
def module_with_key(db):
    from training.models import Module, Section

    module = Module.objects.create(
        slug="m", title="M", summary="S", minutes=30, order=1, exercise=MODULE_TEXT
    )
    Section.objects.create(module=module, order=1, title="One", body="Body.\n\n" + MODULE_TEXT)
    return module


# Modules are shared by every organisation: an org admin, consultant or manager of any
# organisation (Globex's "outsider" and "consultant_without_access" too) runs sessions; a user
# without any membership ("nobody") and staff read the participant edition only.
FACILITATORS = (
    "org_admin",
    "consultant",
    "outsider",
    "consultant_without_access",
    "manager",
    "other_manager",
)
FACILITATOR_VIEW = {role: 200 for role in FACILITATORS}


@pytest.mark.parametrize("role", [*FACILITATORS, "staff", "nobody"])
def test_the_participant_edition_never_shows_facilitator_blocks(
    client, cast, module_with_key, role
):
    from django.urls import reverse

    from tests.matrix import as_role

    response = as_role(client, cast, role).get(reverse("training:module-detail", args=["m"]))
    assert response.status_code == 200
    html = response.content.decode()
    assert "Task for everyone." in html and "SECRET-KEY-42" not in html
    assert ("?edition=facilitator" in html) == (role in FACILITATORS)


@pytest.mark.parametrize(
    ("role", "expected"),
    [(r, FACILITATOR_VIEW.get(r, 403)) for r in ROLES if r != "anonymous"]
    + [("anonymous", "login")],
)
def test_the_facilitator_edition_is_for_those_who_run_sessions(
    client, cast, module_with_key, role, expected
):
    from django.urls import reverse

    from tests.matrix import as_role

    url = reverse("training:module-detail", args=["m"]) + "?edition=facilitator"
    response = as_role(client, cast, role).get(url)
    if expected == "login":
        assert response.status_code == 302 and "login" in response["Location"]
        return
    assert response.status_code == expected
    if expected == 200:
        html = response.content.decode()
        assert html.count("SECRET-KEY-42") == 2  # in the section and in the exercise
        assert "facilitator-only" in html
