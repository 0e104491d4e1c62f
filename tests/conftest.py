import atexit
import copy
import shutil
import tempfile
from pathlib import Path

import pytest
import yaml
from django.conf import settings

# The suite speaks plain HTTP (test client, live server) and reads static files from their
# source folders. Set once, before any server or storage is built from the settings;
# tests/config/test_deploy.py checks the production defaults (HTTPS redirect, hashed static
# files) in processes of their own.
settings.SECURE_SSL_REDIRECT = False
settings.STORAGES = {
    **settings.STORAGES,
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
# WhiteNoise warns on every request while STATIC_ROOT does not exist (no collectstatic here).
Path(settings.STATIC_ROOT).mkdir(parents=True, exist_ok=True)
# Files the suite stores (report PDFs, evidence, the demo's evidence file) go to a folder of
# the run's own, removed at exit, never to the checkout's var/media.
settings.MEDIA_ROOT = tempfile.mkdtemp(prefix="levelcheck-test-media-")
atexit.register(shutil.rmtree, settings.MEDIA_ROOT, ignore_errors=True)

from maturity.framework_io import import_framework  # noqa: E402 - after the settings above

# The shared matrix helpers assert like a test module does.
pytest.register_assert_rewrite("tests.matrix")

_FRAMEWORK = {
    "format": "levelcheck-framework/1",
    "slug": "sample",
    "version": 1,
    "status": "published",
    "languages": ["ja", "en"],
    "title": {"ja": "サンプル診断", "en": "Sample check"},
    "description": {"ja": "テスト用の枠組み", "en": "A framework for tests"},
    "scale": {"min": 1, "max": 5},
    "levels": [
        {"level": n, "title": {"ja": f"レベル{n}", "en": f"Level {n}"}} for n in range(1, 6)
    ],
    "areas": [{"code": "strategy", "title": {"ja": "戦略", "en": "Strategy"}}],
    "dimensions": [
        {
            "code": code,
            "area": "strategy",
            "title": {"ja": f"{code}の軸", "en": f"{code} axis"},
            "levels": [
                {
                    "level": n,
                    "description": {"ja": f"{code} 段階{n}", "en": f"{code} stage {n}"},
                    **(
                        {"recommendations": [{"ja": f"{code} 次へ{n}", "en": f"{code} next {n}"}]}
                        if n < 5
                        else {}
                    ),
                }
                for n in range(1, 6)
            ],
            "questions": [
                {
                    "code": f"{code}-q{i}",
                    "text": {"ja": f"{code} 質問{i}", "en": f"{code} question {i}"},
                    "acquisition_pole": {"ja": "新規受注だけを追う", "en": "Chase new orders"},
                    "engagement_pole": {"ja": "LTVを追う", "en": "Grow LTV"},
                    "help": {"ja": "ヒント", "en": "Hint"},
                    # The second question carries every optional field with a non-default value.
                    **({"weight": 2, "functions": ["sales"], "allow_na": True} if i == 1 else {}),
                    "choices": [
                        {"label": {"ja": f"選択{s}", "en": f"Choice {s}"}, "score": s}
                        for s in (1, 3, 5)
                    ],
                }
                for i in range(2)
            ],
        }
        for code in ("kpi", "data")
    ],
}


@pytest.fixture
def framework_data():
    """A fresh, valid, bilingual framework file as data (tests mutate their own copy)."""
    return copy.deepcopy(_FRAMEWORK)


def to_yaml(data) -> bytes:
    return yaml.safe_dump(data, allow_unicode=True, sort_keys=False).encode("utf-8")


@pytest.fixture
def sample_framework(db, framework_data):
    return import_framework(framework_data, source="sample.yaml")


@pytest.fixture(autouse=True)
def login_with_a_request(monkeypatch):
    """Axes (fully on in the suite) refuses ``authenticate()`` without a request, and the test
    client's ``login()`` passes none: give it one from 127.0.0.1, so failures and lockouts
    count as they would for a browser. ``force_login`` needs nothing."""
    from django.http import HttpRequest
    from django.test.client import Client

    login = Client.login

    def login_from_loopback(self, **credentials):
        if "request" not in credentials:
            credentials["request"] = HttpRequest()
            credentials["request"].META["REMOTE_ADDR"] = "127.0.0.1"
        return login(self, **credentials)

    monkeypatch.setattr(Client, "login", login_from_loopback)


@pytest.fixture(autouse=True)
def default_language():
    """Every test starts in the default language (ja): a test that activates another (or a
    request that does, through LocaleMiddleware) must not leak it into the next one."""
    from django.utils import translation

    translation.deactivate()
    yield
    translation.deactivate()


@pytest.fixture(autouse=True)
def fast_password_hashing(settings):
    """Tests create many users; a slow hasher is for production, not for the suite."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


# The standard cast of organisations and users, for every test folder.
from tests.assessments.conftest import cast  # noqa: E402,F401
