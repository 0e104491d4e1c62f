"""A failed quiz names the questions answered wrongly (and rightly) but shows neither the
correct choice nor the explanation of a wrongly answered question; a pass shows the whole key.
There is no quiz API (training has no api_urls): the page and the graded result are the only
places the key could leak, and both are checked value by value."""

import copy
import re

import pytest
from django.urls import reverse

from training import services
from training.models import Module, ModuleProgress, QuizAttempt
from training.services import import_modules

from .conftest import META, english, write_module

pytestmark = pytest.mark.django_db

# Five questions whose choices are all distinct, so a choice text names one choice: question i
# has the key "KEY-i" (at index 1, not first) and the wrong choices "NO-i-a", "NO-i-b".
JA = copy.deepcopy(META)
JA["quiz"]["questions"] = [
    {
        "text": f"質問{i}",
        "choices": [f"違う-{i}-a", f"正答-{i}", f"違う-{i}-b"],
        "answer": 1,
        "explanation": f"理由{i}",
    }
    for i in range(5)
]
EN = english(JA)
for i, q in enumerate(EN["quiz"]["questions"]):
    q["choices"] = [f"NO-{i}-a", f"KEY-{i}", f"NO-{i}-b"]
    q["explanation"] = f"WHY-{i}"


@pytest.fixture
def quiz(db, tmp_path):
    write_module(tmp_path, slug="feedback", ja=JA, en=EN)
    import_modules(directory=tmp_path)
    return Module.objects.get(slug="feedback")


def answers(module, wrong: set[int]) -> dict:
    """Form data: question i answered with its first (wrong) choice when i is in ``wrong``,
    with the key otherwise."""
    data = {}
    for i, question in enumerate(module.quiz_questions.prefetch_related("choices")):
        choices = list(question.choices.all())
        data[f"q{question.pk}"] = (choices[0] if i in wrong else question.correct_choice).pk
    return data


def post(client, module, wrong, lang="en"):
    url = reverse("training:module-quiz", args=[module.slug])
    return client.post(url, answers(module, wrong), HTTP_ACCEPT_LANGUAGE=lang)


def cards(html: str) -> list[str]:
    """The review's cards, in order."""
    review = html.split('<ol class="quiz-review">', 1)[1].split("</ol>", 1)[0]
    return re.findall(r'<li class="card[^"]*">.*?\n      </li>', review, flags=re.S)


def test_a_failed_attempt_names_the_wrong_questions_without_the_key(client, cast, quiz):
    client.force_login(cast.users.staff)
    # Questions 2 and 4 (0-based 1 and 3) wrong: 3 of 5 right = 60% < 80%.
    reply = post(client, quiz, wrong={1, 3})
    html = reply.content.decode()
    result = reply.context["result"]
    assert (result.score, result.passed, result.key_shown) == (60, False, False)
    assert result.wrong_numbers == [2, 4]
    assert "Questions 2, 4 were answered wrongly." in html
    assert "shown once you pass" in html
    found = cards(html)
    assert len(found) == 5
    for i, card in enumerate(found):
        if i in {1, 3}:
            assert 'class="card answer-wrong"' in card and "✗ Answered wrongly" in card
            # The learner's own wrong choice is marked ✗; the key is there as one plain,
            # unmarked choice among the others, and the explanation is absent.
            assert re.search(rf'<li class="is-wrong">\s*✗ NO-{i}-a', card)
            assert re.search(rf"<li>\s*KEY-{i}\s*</li>", card)
            assert "is-correct" not in card and "✓" not in card
            assert f"WHY-{i}" not in card
        else:
            assert 'class="card answer-right"' in card and "✓ Answered rightly" in card
            assert re.search(rf'<li class="is-correct">\s*✓ KEY-{i}', card)
            assert f"WHY-{i}" in card
    # Nowhere on the page is a wrongly answered question's key marked or explained.
    for i in (1, 3):
        assert not re.search(rf"(is-correct|✓)[^<]*KEY-{i}", html)
        assert f"WHY-{i}" not in html


def test_the_graded_result_holds_no_key_after_a_failure(cast, quiz):
    # 1 of 5 right = 20%: only question 1's explanation may be given.
    result = services.take_quiz(
        user=cast.users.staff,
        organisation=cast.acme,
        module=quiz,
        answers={int(k[1:]): v for k, v in answers(quiz, wrong={1, 2, 3, 4}).items()},
    )
    assert (result.score, result.passed) == (20, False)
    assert [item.is_right for item in result.review] == [True, False, False, False, False]
    assert [item.correct for item in result.review] == [None] * 5
    assert [item.explanation for item in result.review] == ["理由0", "", "", "", ""]
    assert result.attempt.score == 20 and not result.attempt.passed


def test_a_pass_shows_every_correct_choice_and_explanation(client, cast, quiz):
    client.force_login(cast.users.staff)
    # Question 3 wrong: 4 of 5 = 80%, the pass mark, so everything is shown.
    reply = post(client, quiz, wrong={2})
    html = reply.content.decode()
    assert reply.context["result"].key_shown
    assert "were answered wrongly" not in html and "was answered wrongly" not in html
    found = cards(html)
    for i, card in enumerate(found):
        assert re.search(rf'<li class="is-correct">\s*✓ KEY-{i}', card)
        assert f"WHY-{i}" in card
    assert re.search(r'<li class="is-wrong">\s*✗ NO-2-a', found[2])
    assert "✗ Answered wrongly" in found[2]
    assert [item.correct is not None for item in reply.context["result"].review] == [True] * 5


def test_a_single_wrong_question_in_japanese(client, cast, quiz):
    client.force_login(cast.users.staff)
    quiz.pass_mark = 100
    quiz.save()
    # One wrong of five: 80% < 100%, failed; the summary names question 5 alone.
    html = post(client, quiz, wrong={4}, lang="ja").content.decode()
    assert "問 5 の答えが誤っています。" in html
    assert "合格すると表示されます" in html
    assert "正答-4" in html and not re.search(r"(is-correct|✓)[^<]*正答-4", html)
    assert "理由4" not in html and "理由3" in html


def test_retry_after_a_failure_can_pass_and_then_shows_the_key(client, cast, quiz):
    client.force_login(cast.users.staff)
    failed = post(client, quiz, wrong={0, 1, 2}).content.decode()
    assert "WHY-0" not in failed and 'href="/learn/feedback/quiz/"' in failed  # Try again
    form = client.get(reverse("training:module-quiz", args=[quiz.slug]))
    assert form.status_code == 200 and form.context["result"] is None
    assert "is-correct" not in form.content.decode()
    passed = post(client, quiz, wrong=set()).content.decode()
    assert all(f"WHY-{i}" in passed for i in range(5))
    progress = ModuleProgress.objects.get(user=cast.users.staff, module=quiz)
    assert (progress.attempts, progress.best_score, progress.passed) == (2, 100, True)
    assert list(QuizAttempt.objects.order_by("pk").values_list("score", flat=True)) == [40, 100]
