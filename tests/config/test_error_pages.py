"""400, 403, 404 and 500 pages: inside the site layout in Japanese and English; under /api/
the API's one error shape. (A real gunicorn with DEBUG off is in test_deploy.py.)"""

import json

import pytest
from django.test import Client

pytestmark = [pytest.mark.django_db, pytest.mark.urls("tests.config.error_urls")]


@pytest.fixture
def client():
    # Let the handlers answer, as in production, instead of re-raising into the test.
    return Client(raise_request_exception=False)


def page(client, path, language):
    response = client.get(path, HTTP_ACCEPT_LANGUAGE=language)
    return response.status_code, response.content.decode()


@pytest.mark.parametrize(
    "path, status, ja, en",
    [
        ("/suspicious/", 400, "リクエストが正しくありません", "Bad request"),
        (
            "/forbidden/",
            403,
            "このページを見る権限がありません",
            "You do not have access to this page",
        ),
        ("/no/such/page/", 404, "ページが見つかりません", "Page not found"),
        ("/boom/", 500, "エラーが発生しました", "Something went wrong"),
    ],
)
def test_it_shows_the_error_page_in_the_layout_in_both_languages(client, path, status, ja, en):
    code, body = page(client, path, "ja")
    assert code == status
    assert f"<h1>{ja}</h1>" in body
    assert f"エラー {status}" in body
    assert 'class="site-header"' in body and 'class="site-footer"' in body
    assert '<html lang="ja">' in body
    code, body = page(client, path, "en")
    assert code == status
    assert f"<h1>{en}</h1>" in body and f"Error {status}" in body
    assert '<html lang="en">' in body


def test_the_500_page_says_saved_answers_are_kept(client):
    _, body = page(client, "/boom/", "ja")
    assert "「保存しました」と表示された回答は失われていません" in body


def test_the_403_page_keeps_the_signed_in_menu(client, cast):
    client.force_login(cast.users.staff)
    _, body = page(client, "/forbidden/", "en")
    assert "Log out" in body


@pytest.mark.parametrize(
    "path, status, code, message",
    [
        ("/api/v1/no-such-thing/", 404, "not_found", "見つかりません。"),
        ("/api/v1/boom/", 500, "server_error", "サーバー側でエラーが発生しました。"),
    ],
)
def test_the_api_answers_in_its_error_shape(client, path, status, code, message):
    response = client.get(path, HTTP_ACCEPT_LANGUAGE="ja")
    assert response.status_code == status
    assert response["Content-Type"] == "application/json"
    body = json.loads(response.content)
    assert body["error"]["code"] == code
    assert body["error"]["message"].startswith(message)
    assert body["error"]["fields"] == {}


def test_a_lost_database_answers_503_with_retry_after_not_500(client):
    response = client.get("/database-gone/", HTTP_ACCEPT_LANGUAGE="ja")
    assert response.status_code == 503
    assert response["Retry-After"] == "5"
    body = response.content.decode()
    assert "<h1>まもなく復旧します</h1>" in body and "エラー 503" in body
    response = client.get("/api/v1/database-gone/", HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 503
    assert response["Retry-After"] == "5"
    assert json.loads(response.content) == {
        "error": {
            "code": "unavailable",
            "message": "The service is briefly unavailable. Please try again in a few seconds.",
            "fields": {},
        }
    }


def test_the_api_speaks_json_only(client, cast):
    client.force_login(cast.users.org_admin)
    response = client.get("/api/v1/frameworks/", HTTP_ACCEPT="text/html")
    assert response.status_code == 406
    assert json.loads(response.content)["error"]["code"] == "not_acceptable"
    response = client.get("/api/v1/frameworks/", HTTP_ACCEPT="text/html,*/*;q=0.8")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/json"
