"""Every shipped quiz (all module files in training/content, modules added later included)
tests understanding rather than the length of a choice: the correct choice is the uniquely
longest one in at most 20% of all questions, in each language; every question has at least
three distinct choices; the answer index is the same in ja and en."""

from pathlib import Path

import pytest

from training.module_files import load_module_pair, module_slugs

CONTENT = Path(__file__).resolve().parents[2] / "training" / "content"
SLUGS = sorted(module_slugs(CONTENT))
MAX_LONGEST_SHARE = 0.20


class _AnyCode(frozenset):
    def __contains__(self, code) -> bool:
        return True


KNOWN_CODES = _AnyCode()


def quizzes() -> dict[str, tuple[list[dict], list[dict]]]:
    """slug → (ja questions, en questions), read straight from the files."""
    found = {}
    for slug in SLUGS:
        # Validated as import_modules does (any problem fails here with its path); the
        # dimension codes are checked by tests/training/test_module_import.py.
        pair = load_module_pair(CONTENT, slug, dimension_codes=KNOWN_CODES)
        found[slug] = (pair["ja"].meta["quiz"]["questions"], pair["en"].meta["quiz"]["questions"])
    return found


def uniquely_longest_is_answer(question: dict) -> bool:
    lengths = [len(choice) for choice in question["choices"]]
    longest = max(lengths)
    return lengths[question["answer"]] == longest and lengths.count(longest) == 1


def test_the_content_folder_holds_the_shipped_modules():
    assert len(SLUGS) >= 10  # the ten modules shipped with issue 16, and any added since
    assert "ltv-and-subscription" in SLUGS


@pytest.mark.parametrize("language", [0, 1], ids=["ja", "en"])
def test_the_longest_choice_is_rarely_the_answer(language):
    questions = [q for pair in quizzes().values() for q in pair[language]]
    flagged = [q["text"] for q in questions if uniquely_longest_is_answer(q)]
    share = len(flagged) / len(questions)
    assert share <= MAX_LONGEST_SHARE, (len(flagged), len(questions), flagged)


@pytest.mark.parametrize("slug", SLUGS)
def test_each_question_is_well_formed_and_the_same_in_both_languages(slug):
    ja, en = quizzes()[slug]
    assert len(ja) == len(en) >= 5
    for n, (q_ja, q_en) in enumerate(zip(ja, en, strict=True)):
        where = f"{slug} quiz[{n}]"
        assert q_ja["answer"] == q_en["answer"], where
        for q in (q_ja, q_en):
            assert len(q["choices"]) >= 3, where
            assert len(set(q["choices"])) == len(q["choices"]), where  # no duplicate choice
            assert 0 <= q["answer"] < len(q["choices"]), where
            assert q["explanation"].strip() and q["text"].strip(), where
        assert len(q_ja["choices"]) == len(q_en["choices"]), where


def test_the_measure_counts_only_a_unique_longest_answer():
    assert uniquely_longest_is_answer({"choices": ["aa", "bbbb", "c"], "answer": 1})
    assert not uniquely_longest_is_answer({"choices": ["aaaa", "bbbb", "c"], "answer": 1})
    assert not uniquely_longest_is_answer({"choices": ["aaaaa", "bbbb", "c"], "answer": 1})
