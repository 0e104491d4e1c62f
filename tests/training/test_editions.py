"""Facilitator-only blocks in module texts (training.editions)."""

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
