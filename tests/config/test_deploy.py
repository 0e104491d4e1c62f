"""The production defaults, checked in processes of their own (the suite itself runs with
plain HTTP and source static files, see tests/conftest.py):

- ``check --deploy`` reports nothing with only SECRET_KEY and ALLOWED_HOSTS set;
- a real gunicorn with DEBUG off serves hashed, compressed static files through WhiteNoise,
  the security headers and the CSP, redirects plain HTTP to HTTPS unless told it sits behind
  a TLS proxy, serves Swagger UI from the project, and shows the error pages.
"""

import http.client
import os
import re
import secrets
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest
from django.conf import settings

ROOT = Path(settings.BASE_DIR)
HOST = "levelcheck.example"


def production_env(**extra) -> dict[str, str]:
    """The environment of a production process: nothing from the developer's shell or .env."""
    keep = {"PATH", "HOME", "LANG", "LC_ALL", "TMPDIR", "SYSTEMROOT"}
    env = {key: value for key, value in os.environ.items() if key in keep}
    env.update(
        LEVELCHECK_ENV_FILE="",
        SECRET_KEY=secrets.token_urlsafe(50),
        ALLOWED_HOSTS=f"{HOST},127.0.0.1",
        **extra,
    )
    return env


def manage(*args: str, env: dict[str, str]) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )


def test_check_deploy_reports_no_issue_with_only_the_two_required_settings():
    done = manage("check", "--deploy", "--fail-level", "WARNING", env=production_env())
    assert done.returncode == 0, done.stdout + done.stderr
    assert "System check identified no issues (0 silenced)." in done.stdout


def test_check_deploy_refuses_to_start_without_a_secret_key():
    env = production_env()
    del env["SECRET_KEY"]
    done = manage("check", env=env)
    assert done.returncode != 0
    assert "SECRET_KEY must be set when DEBUG is off" in done.stderr


def test_a_half_given_proxy_header_is_refused_with_a_clear_message():
    done = manage("check", env=production_env(SECURE_PROXY_SSL_HEADER="HTTP_X_FORWARDED_PROTO"))
    assert done.returncode != 0
    assert "SECURE_PROXY_SSL_HEADER takes a header and a value" in done.stderr


# ------------------------------------------------------------------ a real gunicorn


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class Server:
    def __init__(self, port: int, static_root: Path):
        self.port = port
        self.static_root = static_root

    def get(self, path: str, **headers) -> tuple[int, dict[str, str], bytes]:
        conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=20)
        try:
            conn.request("GET", path, headers={"Host": HOST, **headers})
            response = conn.getresponse()
            body = response.read()
            # Header names are case-insensitive; Set-Cookie may come more than once.
            found: dict[str, str] = {}
            for name, value in response.getheaders():
                key = name.lower()
                found[key] = f"{found[key]}\n{value}" if key in found else value
            return response.status, found, body
        finally:
            conn.close()

    def get_https(self, path: str, **headers):
        """As a TLS-terminating proxy forwards it."""
        return self.get(path, **{"X-Forwarded-Proto": "https", **headers})


@pytest.fixture(scope="module")
def gunicorn(tmp_path_factory):
    """gunicorn with config/gunicorn.conf.py, DEBUG off, on a migrated SQLite file, after
    collectstatic; the production defaults plus the proxy header setting."""
    workdir = tmp_path_factory.mktemp("production")
    port = free_port()
    env = production_env(
        DATABASE_URL=f"sqlite:///{workdir / 'db.sqlite3'}",
        STATIC_ROOT=str(workdir / "static"),
        MEDIA_ROOT=str(workdir / "media"),
        SECURE_PROXY_SSL_HEADER="HTTP_X_FORWARDED_PROTO,https",
        HOST="127.0.0.1",
        PORT=str(port),
        WEB_CONCURRENCY="1",
        GUNICORN_ACCESS_LOG="",
    )
    for args in (["migrate", "--no-input", "-v0"], ["collectstatic", "--no-input", "-v0"]):
        done = manage(*args, env=env)
        assert done.returncode == 0, done.stdout + done.stderr
    log = open(workdir / "gunicorn.log", "w")  # noqa: SIM115 - closed below
    process = subprocess.Popen(
        [str(Path(sys.executable).parent / "gunicorn"), "-c", "config/gunicorn.conf.py"],
        cwd=ROOT,
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    server = Server(port, workdir / "static")
    try:
        deadline = time.monotonic() + 60
        while True:
            assert process.poll() is None, (workdir / "gunicorn.log").read_text()
            try:
                server.get_https("/accounts/login/")
                break
            except OSError:
                assert time.monotonic() < deadline, "gunicorn did not answer within 60 s"
                time.sleep(0.2)
        yield server
    finally:
        process.terminate()
        process.wait(timeout=30)
        log.close()


def test_it_redirects_plain_http_to_https(gunicorn):
    status, headers, _ = gunicorn.get("/accounts/login/?next=/campaigns/")
    assert status == 301
    assert headers["location"] == f"https://{HOST}/accounts/login/?next=/campaigns/"


def test_it_sends_the_security_headers_and_the_policy(gunicorn):
    status, headers, body = gunicorn.get_https("/accounts/login/")
    assert status == 200
    assert headers["strict-transport-security"] == "max-age=31536000; includeSubDomains; preload"
    assert headers["x-content-type-options"] == "nosniff"
    assert headers["x-frame-options"] == "DENY"
    assert headers["referrer-policy"] == "same-origin"
    assert headers["cross-origin-opener-policy"] == "same-origin"
    policy = dict(
        (part.split()[0], part.split()[1:])
        for part in headers["content-security-policy"].split("; ")
    )
    assert policy["script-src"] == ["'self'"]
    assert policy["style-src"] == ["'self'"]
    assert policy["default-src"] == ["'self'"]
    assert policy["frame-ancestors"] == ["'none'"]
    assert policy["object-src"] == ["'none'"]
    cookie = headers["set-cookie"]
    assert "csrftoken=" in cookie and "Secure" in cookie
    assert b"<script>" not in body


def test_it_serves_hashed_compressed_static_files_for_a_year(gunicorn):
    _, _, body = gunicorn.get_https("/accounts/login/")
    [stylesheet] = re.findall(rb'href="(/static/css/levelcheck\.[0-9a-f]{12}\.css)"', body)
    status, headers, css = gunicorn.get_https(stylesheet.decode(), **{"Accept-Encoding": "gzip"})
    assert status == 200
    assert headers["content-encoding"] == "gzip"
    assert (
        "immutable" in headers["cache-control"] and "max-age=315360000" in headers["cache-control"]
    )
    status, _, plain = gunicorn.get_https(stylesheet.decode())
    assert status == 200 and b".site-header" in plain


def test_it_serves_the_autosave_script_under_its_hashed_name(gunicorn):
    [hashed] = (gunicorn.static_root / "js").glob("questionnaire.*.js")
    assert re.fullmatch(r"questionnaire\.[0-9a-f]{12}\.js", hashed.name)
    status, headers, script = gunicorn.get_https(f"/static/js/{hashed.name}")
    assert status == 200
    assert "javascript" in headers["content-type"]
    assert b"X-CSRFToken" in script


def test_swagger_ui_comes_from_the_project_itself(gunicorn):
    status, headers, body = gunicorn.get_https("/api/v1/docs/")
    assert status == 200
    sources = re.findall(rb'<script[^>]*src="([^"]+)"', body)
    assert sources, body
    assert all(src.startswith(b"/") for src in sources)
    for src in sources:
        assert gunicorn.get_https(src.decode().replace("&amp;", "&"))[0] == 200
    assert b"<script>" not in body  # the split view: no inline script for the policy to block
    assert (
        "'unsafe-inline'"
        not in headers["content-security-policy"].split("script-src")[1].split(";")[0]
    )


def test_it_shows_the_404_page_inside_the_layout_in_japanese_and_english(gunicorn):
    status, headers, body = gunicorn.get_https("/no/such/page/", **{"Accept-Language": "ja"})
    assert status == 404
    page = body.decode()
    assert '<html lang="ja">' in page
    assert "ページが見つかりません" in page
    assert 'class="site-header"' in page
    status, _, body = gunicorn.get_https("/no/such/page/", **{"Accept-Language": "en"})
    assert status == 404 and "Page not found" in body.decode()


def test_the_api_answers_unknown_addresses_in_its_error_shape(gunicorn):
    status, headers, body = gunicorn.get_https(
        "/api/v1/no-such-thing/", **{"Accept-Language": "en"}
    )
    assert status == 404
    assert headers["content-type"] == "application/json"
    assert body == b'{"error": {"code": "not_found", "message": "Not found.", "fields": {}}}'
