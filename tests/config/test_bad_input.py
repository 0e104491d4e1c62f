"""No input gives a 500: every form and API input answers a 4xx with a message in Japanese
and English (under /api/ in the API's error shape), whatever it is given: JSON nested a
thousand deep, a body over DATA_UPLOAD_MAX_MEMORY_SIZE, NUL bytes, non-ASCII digits,
superscripts, numbers of 5,000 digits, ids beyond 64 bits, dates at the end of the calendar.

The suite runs on SQLite and (``make test-postgres``) on PostgreSQL, which refuses NUL in
any text it is sent, so each case is checked against both.
"""

import datetime
import io

import pytest
from django.conf import settings
from django.contrib.messages import get_messages
from django.core.management import CommandError, call_command
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver
from rest_framework.parsers import MultiPartParser
from rest_framework.test import APIClient

from assessments.models import Answer, Campaign, Target
from config.parsers import MAX_DEPTH, BoundedJSONParser, RequestTooLarge, nesting_depth
from reports.models import ReportJob
from tests.training.conftest import write_module
from training.models import LearningPath, Module
from training.services import import_modules

pytestmark = pytest.mark.django_db

DEEP_ARRAY = "[" * 1000 + "]" * 1000
DEEP_OBJECT = '{"a":' * 1000 + "1" + "}" * 1000
DIGITS_5000 = "9" * 5000
BEYOND_64_BITS = "99999999999999999999999"
OVER_LIMIT = settings.DATA_UPLOAD_MAX_MEMORY_SIZE + 1  # 10 MB in the issue; one byte is enough


def client_for(user, cls=Client):
    client = cls(raise_request_exception=False)
    client.force_login(user)
    return client


def api_error(reply, status: int, code: str) -> str:
    assert reply.status_code == status, reply.content[:300]
    assert reply["Content-Type"].startswith("application/json")
    body = reply.json()
    assert set(body) == {"error"} and set(body["error"]) == {"code", "message", "fields"}
    assert body["error"]["code"] == code, body
    return body["error"]["message"]


def answer_url(cast, code="kpi-q0") -> str:
    return f"/api/v1/responses/{cast.response.pk}/answers/{cast.questions[code].pk}/"


def reports_url(cast) -> str:
    return f"/api/v1/campaigns/{cast.campaign.pk}/reports/"


@pytest.fixture
def module(db, tmp_path):
    write_module(tmp_path)
    import_modules(directory=tmp_path)
    return Module.objects.get()


# ---------------------------------------------------------------- JSON nested 1,000 deep


@pytest.mark.parametrize("body", [DEEP_ARRAY, DEEP_OBJECT], ids=["array", "object"])
@pytest.mark.parametrize("endpoint", ["answer", "reports"])
def test_json_nested_a_thousand_deep_is_a_400(cast, endpoint, body):
    if endpoint == "answer":
        client, method, url = client_for(cast.users.manager), "PUT", answer_url(cast)
    else:
        client, method, url = client_for(cast.users.org_admin), "POST", reports_url(cast)
    ja = api_error(
        client.generic(method, url, body, content_type="application/json"), 400, "parse_error"
    )
    en = api_error(
        client.generic(
            method, url, body, content_type="application/json", HTTP_ACCEPT_LANGUAGE="en"
        ),
        400,
        "parse_error",
    )
    assert "入れ子が深すぎます" in ja
    assert f"nested too deeply (at most {MAX_DEPTH} levels)" in en
    assert not Answer.objects.exists() and not ReportJob.objects.exists()


def api_views():
    def walk(patterns):
        for entry in patterns:
            if isinstance(entry, URLResolver):
                yield from walk(entry.url_patterns)
            elif isinstance(entry, URLPattern) and hasattr(entry.callback, "cls"):
                yield entry.callback.cls

    return set(walk(get_resolver().url_patterns))


# The views that take a file upload: multipart beside the bounded JSON parser (the file's
# size and type are checked by improvement.evidence.validation, the body's size by Django's
# DATA_UPLOAD_MAX_MEMORY_SIZE and FILE_UPLOAD_MAX_MEMORY_SIZE).
UPLOAD_VIEWS = {"EvidenceListView", "EvidenceDetailView"}


def test_every_api_view_parses_json_with_the_bounded_parser():
    views = api_views()
    assert len(views) >= 10
    assert {view.__name__ for view in views} >= UPLOAD_VIEWS
    for view in views:
        parsers = view().get_parsers()
        json = [p for p in parsers if not isinstance(p, MultiPartParser)]
        assert json and all(isinstance(p, BoundedJSONParser) for p in json), view
        if view.__name__ not in UPLOAD_VIEWS:
            assert len(json) == len(parsers), f"{view} takes multipart without a file to take"


def test_brackets_inside_strings_do_not_count_as_nesting():
    assert nesting_depth('{"a": "[[[[{{{{", "b": [1, {"c": "\\"]]]"}]}') == 3
    assert nesting_depth("[]") == 1 and nesting_depth('"x"') == 0


def test_json_as_deep_as_allowed_still_parses():
    body = ("[" * MAX_DEPTH + "]" * MAX_DEPTH).encode()
    assert BoundedJSONParser().parse(io.BytesIO(body)) == eval(body.decode())  # noqa: S307


# ---------------------------------------------------------------- bodies over the limit


def test_an_api_body_over_the_limit_is_a_413_in_the_error_shape(cast):
    client = client_for(cast.users.manager)
    body = '{"comment": "' + "x" * OVER_LIMIT + '"}'
    ja = api_error(
        client.generic("PUT", answer_url(cast), body, content_type="application/json"),
        413,
        "request_too_large",
    )
    en = api_error(
        client.generic(
            "PUT",
            answer_url(cast),
            body,
            content_type="application/json",
            HTTP_ACCEPT_LANGUAGE="en",
        ),
        413,
        "request_too_large",
    )
    assert "リクエストが大きすぎます" in ja
    assert en == "The request is too large. Shorten long texts or send less at once."


def test_a_report_request_over_the_limit_is_a_413(cast):
    client = client_for(cast.users.org_admin)
    body = '{"language": "ja", "x": "' + "x" * OVER_LIMIT + '"}'
    reply = client.generic("POST", reports_url(cast), body, content_type="application/json")
    api_error(reply, 413, "request_too_large")
    assert not ReportJob.objects.exists()


def test_the_parser_reads_no_more_than_the_limit_from_the_stream():
    # Under gunicorn DRF reads the request's stream itself, past Django's own size check.
    stream = io.BytesIO(b'"' + b"x" * OVER_LIMIT + b'"')
    with pytest.raises(RequestTooLarge):
        BoundedJSONParser().parse(stream)
    assert stream.tell() == settings.DATA_UPLOAD_MAX_MEMORY_SIZE + 1


@pytest.mark.parametrize(
    "language, text", [("ja", "リクエストが大きすぎます"), ("en", "Request too large")]
)
def test_a_form_post_over_the_limit_is_a_413_page(cast, language, text):
    client = client_for(cast.users.org_admin)
    reply = client.generic(
        "POST",
        f"/campaigns/{cast.campaign.pk}/reports/",
        "language=ja&x=" + "x" * OVER_LIMIT,
        content_type="application/x-www-form-urlencoded",
        HTTP_ACCEPT_LANGUAGE=language,
    )
    assert reply.status_code == 413
    assert f"<h1>{text}</h1>" in reply.content.decode()


# ---------------------------------------------------------------- NUL bytes


@pytest.mark.parametrize(
    "language, text",
    [("ja", "NUL 文字が含まれています"), ("en", "The request contains a NUL character")],
)
def test_a_nul_in_the_plain_questionnaire_form_is_a_400_page(client, cast, language, text):
    question = cast.questions["kpi-q0"]
    client.force_login(cast.users.manager)
    reply = client.post(
        f"/responses/{cast.response.pk}/d/kpi/",
        {
            f"q{question.pk}": str(question.choices.first().pk),
            f"q{question.pk}-comment": "see\x00plan",
        },
        HTTP_ACCEPT_LANGUAGE=language,
    )
    assert reply.status_code == 400
    assert text in reply.content.decode()
    assert not Answer.objects.exists()


def test_a_nul_in_a_query_parameter_is_a_400_in_the_api(cast):
    client = client_for(cast.users.org_admin)
    message = api_error(client.get("/api/v1/campaigns/?status=%00"), 400, "nul_character")
    assert "NUL 文字" in message


def test_a_nul_in_an_admin_list_filter_is_a_400(django_user_model):
    # On PostgreSQL Django's admin sent it to the database: a 500.
    root = django_user_model.objects.create_superuser("root", "root@example.com", "pw")
    reply = client_for(root).get("/admin/assessments/campaign/?status__exact=%00")
    assert reply.status_code == 400


@pytest.mark.parametrize("token", ["%00", "a" * 5000])
def test_an_invitation_token_that_cannot_be_one_is_a_404(cast, token):
    assert client_for(cast.users.manager).get(f"/invitations/{token}/").status_code == 404


def test_an_uploaded_file_may_hold_nul_bytes(cast):
    # Only the text fields of a form are looked at: files are bytes. (The framework upload
    # itself is the admin's; here any multipart post with a NUL inside a file will do.)
    from django.core.files.uploadedfile import SimpleUploadedFile

    client = client_for(cast.users.org_admin)
    reply = client.post(
        f"/campaigns/{cast.campaign.pk}/reports/",
        {"language": "ja", "attachment": SimpleUploadedFile("x.bin", b"\x00\x01")},
    )
    assert reply.status_code == 302


# ---------------------------------------------------------------- the targets form


def post_target(cast, value, language="ja"):
    client = client_for(cast.users.org_admin)
    reply = client.post(
        f"/campaigns/{cast.campaign.pk}/results/{cast.sales.pk}/targets/",
        {"target-kpi": value},
        HTTP_ACCEPT_LANGUAGE=language,
    )
    return reply, [str(m) for m in get_messages(reply.wsgi_request)]


@pytest.mark.parametrize("value", ["²", DIGITS_5000, "１２", "-1", "1e3", "3.0", "three", "６"])
def test_a_target_that_is_no_level_of_the_scale_is_refused(cast, value):
    reply, messages = post_target(cast, value)
    assert reply.status_code == 302
    assert messages == ["目標はレベルの尺度内の値にしてください。"]
    assert not Target.objects.exists()


def test_the_target_refusal_speaks_english(cast):
    _, messages = post_target(cast, "²", "en")
    assert messages == ["A target must be a level of the scale."]


@pytest.mark.parametrize("value", ["3", " 3 ", "３", "٣", "03"])
def test_a_target_in_any_script_of_decimal_digits_is_saved(cast, value):
    reply, _ = post_target(cast, value)
    assert reply.status_code == 302
    assert Target.objects.get(department=cast.sales, dimension_code="kpi").level == 3


# ---------------------------------------------------------------- the campaign form


def post_campaign(cast, language="ja", **changes):
    data = {
        "name": "Autumn check",
        "framework": cast.framework.pk,
        "departments": [cast.sales.pk],
        "opens_on": "2026-10-01",
        "closes_on": "2026-10-31",
        "anonymity_threshold": "3",
        **changes,
    }
    client = client_for(cast.users.org_admin)
    return client.post(
        f"/organisations/{cast.acme.pk}/campaigns/new/", data, HTTP_ACCEPT_LANGUAGE=language
    )


@pytest.mark.parametrize(
    "changes, ja",
    [
        ({"departments": [BEYOND_64_BITS]}, "は無効な値です"),
        ({"departments": [DIGITS_5000]}, "は無効な値です"),
        ({"framework": BEYOND_64_BITS}, "正しく選択してください"),
        ({"name": "Autumn\x0bcheck"}, "制御文字"),
        ({"name": "x" * 10_000}, "文字以下でなければなりません"),
        ({"anonymity_threshold": DIGITS_5000}, "整数を入力してください"),
        ({"anonymity_threshold": "²"}, "整数を入力してください"),
        ({"opens_on": DIGITS_5000}, "日付を正しく入力してください"),
    ],
)
def test_the_campaign_form_refuses_what_it_cannot_use(cast, changes, ja):
    before = Campaign.objects.count()
    reply = post_campaign(cast, **changes)
    assert reply.status_code == 200
    assert ja in reply.content.decode()
    assert Campaign.objects.count() == before


def test_the_campaign_form_refusals_speak_english(cast):
    html = post_campaign(cast, "en", departments=[BEYOND_64_BITS]).content.decode()
    assert "is not a valid value" in html
    html = post_campaign(cast, "en", name="a\x0bb").content.decode()
    assert "control character that cannot be saved" in html


def test_the_campaign_form_reads_digits_of_any_script(cast):
    assert post_campaign(cast, anonymity_threshold="１２").status_code == 302
    assert Campaign.objects.get(name="Autumn check").anonymity_threshold == 12


def test_a_campaign_that_closes_on_the_last_day_of_the_calendar_keeps_its_pages(cast, module):
    Campaign.objects.filter(pk=cast.campaign.pk).update(closes_on=datetime.date.max)
    client = client_for(cast.users.org_admin)
    reply = client.get(f"/campaigns/{cast.campaign.pk}/learning-paths/{cast.sales.pk}/")
    assert reply.status_code == 200
    assert client.get(f"/campaigns/{cast.campaign.pk}/").status_code == 200


# ---------------------------------------------------------------- training and reports forms


@pytest.mark.parametrize(
    "changes, text",
    [
        ({"modules": [BEYOND_64_BITS]}, "は無効な値です"),
        ({"name": "Pa\x0bth"}, "制御文字"),
        ({"name": "x" * 1000}, "文字以下でなければなりません"),
        ({"due_on": "２０２６-１２-０１x"}, "日付を正しく入力してください"),
    ],
)
def test_the_learning_path_form_refuses_what_it_cannot_use(cast, module, changes, text):
    client = client_for(cast.users.org_admin)
    data = {
        "name": "Path",
        "modules": [module.pk],
        "members": [str(cast.users.staff.pk)],
        "due_on": "2026-12-01",
        **changes,
    }
    reply = client.post(f"/campaigns/{cast.campaign.pk}/learning-paths/{cast.sales.pk}/", data)
    assert reply.status_code == 200
    assert text in reply.content.decode()
    assert not LearningPath.objects.exists()


@pytest.mark.parametrize("modules", [[BEYOND_64_BITS], [DIGITS_5000], ["１"]])
def test_the_handout_form_refuses_ids_that_are_no_module(cast, module, modules):
    client = client_for(cast.users.org_admin)
    reply = client.post(
        f"/organisations/{cast.acme.pk}/handouts/", {"modules": modules, "language": "ja"}
    )
    assert reply.status_code == 400
    assert not ReportJob.objects.exists()


@pytest.mark.parametrize("department", [BEYOND_64_BITS, DIGITS_5000, "²"])
def test_the_report_form_refuses_a_department_that_is_none(cast, department):
    client = client_for(cast.users.org_admin)
    reply = client.post(
        f"/campaigns/{cast.campaign.pk}/reports/", {"department": department, "language": "ja"}
    )
    assert reply.status_code == 400
    assert not ReportJob.objects.exists()


@pytest.mark.parametrize("department", [BEYOND_64_BITS, DIGITS_5000, '"٣"', "1e400"])
def test_the_report_api_refuses_a_department_that_is_none(cast, department):
    client = client_for(cast.users.org_admin, APIClient)
    body = f'{{"department": {department}, "language": "ja"}}'
    reply = client.generic("POST", reports_url(cast), body, content_type="application/json")
    assert reply.status_code == 400
    assert set(reply.json()) == {"error"}
    assert not ReportJob.objects.exists()


@pytest.mark.parametrize("value", [BEYOND_64_BITS, DIGITS_5000, "１", "²"])
def test_the_quiz_refuses_a_choice_that_is_none(cast, module, value):
    question = module.quiz_questions.first()
    client = client_for(cast.users.staff)
    reply = client.post(f"/learn/{module.slug}/quiz/", {f"q{question.pk}": value})
    assert reply.status_code == 400


@pytest.mark.parametrize("arpa", [DIGITS_5000, "1e999999999", "NaN", "\u0663\u0663x"])
def test_the_calculators_refuse_numbers_they_cannot_use(client, arpa):
    reply = client.get(
        "/learn/calculators/",
        {"calc": "ltv-churn", "arpa": arpa, "gross_margin": "70", "churn_rate": "2"},
    )
    assert reply.status_code == 200
    assert reply.context["sections"][0][1][0].errors


@pytest.mark.parametrize(
    "method, path",
    [
        ("get", "/campaigns/{big}/"),
        ("get", "/responses/{big}/"),
        ("post", "/responses/{big}/reopen/"),
        ("post", "/campaigns/{campaign}/departments/{big}/rate/"),
        ("post", "/api/v1/responses/{big}/reopen/"),
        ("post", "/api/v1/responses/{big}/submit/"),
        ("delete", "/api/v1/responses/{big}/answers/1/"),
        ("get", "/api/v1/reports/{big}/"),
    ],
)
def test_ids_beyond_64_bits_in_an_address_are_404(cast, method, path):
    client = client_for(cast.users.org_admin)
    url = path.format(big=BEYOND_64_BITS, campaign=cast.campaign.pk)
    assert getattr(client, method)(url).status_code == 404


def test_reminders_refuse_an_interval_no_calendar_holds(cast):
    with pytest.raises(CommandError, match="--min-interval-hours"):
        call_command("send_reminders", "--min-interval-hours", "99999999999")
    with pytest.raises(CommandError, match="No campaign"):
        call_command("send_reminders", "--campaign", BEYOND_64_BITS)
