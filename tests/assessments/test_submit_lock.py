"""Submit and autosave serialise: the response row is locked by every save, submit and reopen,
so once a submit has committed no answer changes until the response is reopened.

These run real threads, each on its own database connection, against PostgreSQL (in
``make test-postgres``): SQLite has no row locks (``select_for_update`` is a no-op there) and
serialises every writer on the whole file, so it can neither show the race nor its fix.

Two kinds of test:

- deterministic interleavings: one thread holds the lock in an open transaction (a submit or
  a save that has not committed yet) and the other must wait for it, then see its outcome;
- the race as measured in the issue, repeated: 7 sessions of the respondent autosave through
  the API while an 8th submits. After the submit has committed, no answer row changes and
  every save that starts later is refused with 409.
"""

import random
import threading
import time

import pytest
from django.db import connection, transaction
from django.test import Client

from assessments import services
from assessments.models import Answer, Response
from assessments.services import AnswerInput, AssessmentError

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(
        connection.vendor != "postgresql",
        reason="needs PostgreSQL row locks and concurrent connections (make test-postgres)",
    ),
]

SAVERS = 7
TRIALS = 20
BLOCKED_S = 0.5  # how long a waiting thread must stay blocked to count as waiting on the lock


def in_thread(target, *args):
    """Run ``target`` in a thread with its own connection, closed when it ends; the thread's
    outcome (return value or exception) lands in the returned dict."""
    outcome = {}

    def run():
        try:
            outcome["value"] = target(*args)
        except BaseException as exc:  # noqa: BLE001 - handed to the test to assert on
            outcome["error"] = exc
        finally:
            connection.close()

    thread = threading.Thread(target=run, daemon=True)
    thread.start()
    return thread, outcome


def choice_of(question, index=0):
    return list(question.choices.all())[index]


def answer_rows(response) -> list[tuple]:
    return list(
        Answer.objects.filter(response=response)
        .order_by("question_id")
        .values_list("question_id", "choice_id", "comment", "updated_at")
    )


# ---------------------------------------------------------------- interleavings


def test_a_save_waits_for_an_uncommitted_submit_and_is_then_refused(cast):
    question = cast.questions["kpi-q0"]
    stale = Response.objects.select_related("campaign__framework", "department").get(
        pk=cast.response.pk
    )  # read while in progress, like the API's access check just before a submit
    locked, release = threading.Event(), threading.Event()

    def submit_and_hold():
        with transaction.atomic():
            services.submit_response(response=stale)
            locked.set()
            release.wait(10)

    submitter, _ = in_thread(submit_and_hold)
    assert locked.wait(10)
    saver, saved = in_thread(
        lambda: services.save_answers(
            response=stale, items=[AnswerInput(question.pk, choice_of(question).pk)]
        )
    )
    saver.join(BLOCKED_S)
    assert saver.is_alive(), "the save did not wait for the submit's lock"
    release.set()
    submitter.join(10)
    saver.join(10)
    assert isinstance(saved.get("error"), AssessmentError), saved
    assert (saved["error"].code, saved["error"].status) == ("response_submitted", 409)
    assert not Answer.objects.filter(response=cast.response).exists()


def test_a_submit_waits_for_an_uncommitted_save_and_submits_its_answer(cast):
    question = cast.questions["kpi-q0"]
    locked, release = threading.Event(), threading.Event()

    def save_and_hold():
        with transaction.atomic():
            services.save_answers(
                response=cast.response, items=[AnswerInput(question.pk, choice_of(question).pk)]
            )
            locked.set()
            release.wait(10)

    saver, saved = in_thread(save_and_hold)
    assert locked.wait(10)
    submitter, submitted = in_thread(lambda: services.submit_response(response=cast.response))
    submitter.join(BLOCKED_S)
    assert submitter.is_alive(), "the submit did not wait for the save's lock"
    release.set()
    saver.join(10)
    submitter.join(10)
    assert "error" not in saved and "error" not in submitted, (saved, submitted)
    assert submitted["value"].status == Response.Status.SUBMITTED
    assert Answer.objects.get(response=cast.response).choice == choice_of(question)


def test_a_save_waits_for_an_uncommitted_reopen_and_then_saves(cast):
    question = cast.questions["kpi-q0"]
    services.submit_response(response=cast.response)
    stale = Response.objects.select_related("campaign__framework", "department").get(
        pk=cast.response.pk
    )  # read while submitted
    locked, release = threading.Event(), threading.Event()

    def reopen_and_hold():
        with transaction.atomic():
            services.reopen_response(response=cast.response)
            locked.set()
            release.wait(10)

    opener, _ = in_thread(reopen_and_hold)
    assert locked.wait(10)
    saver, saved = in_thread(
        lambda: services.save_answers(
            response=stale, items=[AnswerInput(question.pk, choice_of(question).pk)]
        )
    )
    saver.join(BLOCKED_S)
    assert saver.is_alive(), "the save did not wait for the reopen's lock"
    release.set()
    opener.join(10)
    saver.join(10)
    # The status that counts is the one the save reads under the lock, not its stale copy.
    assert "error" not in saved, saved
    assert Answer.objects.get(response=cast.response).choice == choice_of(question)


def test_a_clear_waits_for_an_uncommitted_submit_and_is_then_refused(cast):
    question = cast.questions["data-q0"]
    services.save_answers(response=cast.response, items=[AnswerInput(question.pk, comment="x")])
    locked, release = threading.Event(), threading.Event()

    def submit_and_hold():
        with transaction.atomic():
            services.submit_response(response=cast.response)
            locked.set()
            release.wait(10)

    submitter, _ = in_thread(submit_and_hold)
    assert locked.wait(10)
    clearer, cleared = in_thread(
        lambda: services.clear_answer(response=cast.response, question_id=question.pk)
    )
    clearer.join(BLOCKED_S)
    assert clearer.is_alive(), "the clear did not wait for the submit's lock"
    release.set()
    submitter.join(10)
    clearer.join(10)
    assert getattr(cleared.get("error"), "code", None) == "response_submitted", cleared
    assert Answer.objects.get(response=cast.response).comment == "x"


# ---------------------------------------------------------------- the race, repeated


def run_trial(cast, trial: int) -> dict:
    """7 sessions autosave through the API while an 8th submits; what each one saw."""
    response = cast.response
    Response.objects.filter(pk=response.pk).update(
        status=Response.Status.IN_PROGRESS, submitted_at=None
    )
    Answer.objects.filter(response=response).delete()
    questions = [cast.questions[code] for code in ("kpi-q0", "kpi-q1", "data-q0", "data-q1")]
    warmed = threading.Barrier(SAVERS + 1)
    submitted = threading.Event()
    stop = threading.Event()
    after: dict = {}
    seen: list[list[tuple]] = [[] for _ in range(SAVERS)]

    def autosave(index: int):
        client = Client()
        client.force_login(cast.users.manager)
        rng = random.Random(trial * 100 + index)
        count = 0
        while not stop.is_set():
            question = rng.choice(questions)
            body = {
                "choice": rng.choice(list(question.choices.all())).pk,
                "comment": f"trial {trial} session {index} save {count}",
            }
            started_after_submit = submitted.is_set()
            reply = client.put(
                f"/api/v1/responses/{response.pk}/answers/{question.pk}/",
                body,
                content_type="application/json",
            )
            code = reply.json()["error"]["code"] if reply.status_code != 200 else ""
            seen[index].append((started_after_submit, reply.status_code, code))
            count += 1
            if count == 2:
                warmed.wait(10)  # the submit comes once every session is saving
            if reply.status_code == 409:
                break

    def submit():
        client = Client()
        client.force_login(cast.users.manager)
        warmed.wait(10)
        reply = client.post(f"/api/v1/responses/{response.pk}/submit/")
        # The reply is sent after the commit: from here on nothing may change.
        after["rows"] = answer_rows(response)
        submitted.set()
        after["status"] = reply.status_code
        time.sleep(0.2)  # let late saves land, if any could
        stop.set()

    threads = [in_thread(autosave, i)[0] for i in range(SAVERS)]
    threads.append(in_thread(submit)[0])
    for thread in threads:
        thread.join(30)
    assert not any(thread.is_alive() for thread in threads), "a session hung"
    return {
        "submit_status": after["status"],
        "rows_at_submit": after["rows"],
        "rows_at_end": answer_rows(response),
        "seen": [item for items in seen for item in items],
    }


def test_no_answer_changes_after_submit_commits_in_repeated_races(cast):
    late_changes, late_accepted, saves, refused = 0, 0, 0, 0
    for trial in range(TRIALS):
        outcome = run_trial(cast, trial)
        assert outcome["submit_status"] == 200
        if outcome["rows_at_end"] != outcome["rows_at_submit"]:
            late_changes += 1
        for started_after_submit, status, code in outcome["seen"]:
            assert status in (200, 409), outcome["seen"]
            saves += status == 200
            if status == 409:
                refused += 1
                assert code == "response_submitted"
            elif started_after_submit:
                late_accepted += 1
    print(
        f"{TRIALS} trials: {saves} saves accepted, {refused} refused after submit; "
        f"answers changed after the submit in {late_changes} trials, "
        f"{late_accepted} saves started after it accepted"
    )
    assert late_changes == 0, f"answers changed after the submit committed in {late_changes}"
    assert late_accepted == 0, f"{late_accepted} saves started after submit were accepted"
    assert refused >= TRIALS  # every trial ended with its sessions refused
