"""A response nobody has started reads 未回答 / "Not started", never 「回答中 0/52」: on the
campaign page its organisation's admin reads and on the respondent's own home page; once
one answer is saved it is 回答中 with its count, once submitted 提出済み."""

import re

import pytest
from django.urls import reverse

from assessments import services
from assessments.services import AnswerInput


def status_cell(client, cast) -> str:
    """The text of the status cell in the row of the Sales manager's response."""
    html = client.get(reverse("assessments:campaign-detail", args=[cast.campaign.pk])).content
    row = re.search(r'<th scope="row">mori</th>(.*?)</tr>', html.decode(), re.S).group(1)
    cells = re.findall(r"<td>(.*?)</td>", row, re.S)
    answered, status = cells[1], cells[2]
    return f"{answered} · {re.sub(r'<[^>]+>', '', status)}"


def save_one(cast):
    question = cast.questions["kpi-q0"]
    services.save_answers(
        response=cast.response,
        items=[AnswerInput(question_id=question.pk, choice_id=question.choices.first().pk)],
    )


def test_the_campaign_page_labels_an_unstarted_response_not_started(client, cast):
    client.force_login(cast.users.org_admin)
    first = status_cell(client, cast)
    assert re.fullmatch(r"0 / \d+ · 未回答", first), first
    assert (
        'status-not-started">未回答</span>'
        in client.get(
            reverse("assessments:campaign-detail", args=[cast.campaign.pk])
        ).content.decode()
    )
    save_one(cast)
    assert re.fullmatch(r"1 / \d+ · 回答中", status_cell(client, cast))
    services.submit_response(response=cast.response)
    assert status_cell(client, cast).endswith(" · 提出済み")


def test_it_says_not_started_in_english(client, cast):
    client.force_login(cast.users.org_admin)
    html = client.get(
        reverse("assessments:campaign-detail", args=[cast.campaign.pk]),
        HTTP_ACCEPT_LANGUAGE="en",
    ).content.decode()
    assert 'status-not-started">Not started</span>' in html
    assert "In progress" not in html


@pytest.mark.parametrize(("saved", "label"), [(False, "未回答"), (True, "回答中")])
def test_the_home_page_of_the_respondent_says_the_same(client, cast, saved, label):
    if saved:
        save_one(cast)
    client.force_login(cast.users.manager)
    html = client.get("/").content.decode()
    item = re.search(r"<h3>あなたの診断</h3>(.*?)</ul>", html, re.S).group(1)
    assert re.findall(r'<span class="status [^"]+">([^<]+)</span>', item) == [label]
    assert ("1 / " in item) is saved and "0 / " not in item
