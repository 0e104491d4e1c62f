"""The OpenAPI schema (``/api/v1/schema/``) tells the truth about the API's shape.

drf-spectacular validates it without a single warning (a warning is how it reports two
serializers under one component name, or a field it cannot type); every operation names
its request body and its success response by component, and documents its errors with the
one ``Error`` component (config/api_schema.py). Whether the live API keeps to it is
``test_api_fuzz.py``'s job.
"""

import os
import subprocess
import sys
from pathlib import Path

import pytest
import yaml
from django.conf import settings
from django.utils import translation
from drf_spectacular.generators import SchemaGenerator

ROOT = Path(settings.BASE_DIR)
ERROR = {"$ref": "#/components/schemas/Error"}
# Names drf-spectacular derives from nested `InputSerializer` / `OutputSerializer` classes.
GENERIC_NAMES = {"Input", "Output", "InputRequest", "OutputRequest", "Serializer"}


@pytest.fixture(scope="module")
def schema() -> dict:
    with translation.override("en"):
        return SchemaGenerator().get_schema(request=None, public=True)


def operations(schema: dict):
    for path, methods in schema["paths"].items():
        for method, operation in methods.items():
            yield path, method.upper(), operation


def test_spectacular_validates_the_schema_without_a_warning(tmp_path):
    keep = {"PATH", "HOME", "LANG", "LC_ALL", "TMPDIR"}
    env = {key: value for key, value in os.environ.items() if key in keep}
    env.update(LEVELCHECK_ENV_FILE="", SECRET_KEY="schema-test-only")
    out = tmp_path / "schema.yaml"
    done = subprocess.run(
        [sys.executable, "manage.py", "spectacular", "--validate", "--fail-on-warn"]
        + ["--file", str(out)],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 0, done.stdout + done.stderr
    assert yaml.safe_load(out.read_text(encoding="utf-8"))["paths"]


def test_every_component_has_a_name_of_its_own(schema):
    names = set(schema["components"]["schemas"])
    assert not names & GENERIC_NAMES
    assert {"AnswerInput", "AnswerSaveOutput", "ReportRequestInput", "Error"} <= names
    assert not [name for name in names if name.endswith("Enum") and "Output" in name]


def test_the_autosave_body_is_the_answer_not_a_report_request(schema):
    put = schema["paths"]["/api/v1/responses/{id}/answers/{question_id}/"]["put"]
    body = put["requestBody"]["content"]["application/json"]["schema"]
    assert body == {"$ref": "#/components/schemas/AnswerInput"}
    fields = schema["components"]["schemas"]["AnswerInput"]["properties"]
    assert {"choice", "na", "na_reason", "comment"} <= set(fields)


def test_every_operation_names_its_success_response(schema):
    for path, method, operation in operations(schema):
        successes = {code: r for code, r in operation["responses"].items() if code < "300"}
        assert successes, f"{method} {path} documents no success"
        for code, response in successes.items():
            for media_type, content in response.get("content", {}).items():
                described = content["schema"]
                described = described.get("items", described)
                assert "$ref" in described or media_type == "application/pdf", (
                    f"{method} {path} {code} has no component: {described}"
                )


def test_every_operation_documents_its_errors_in_the_one_error_shape(schema):
    for path, method, operation in operations(schema):
        responses = operation["responses"]
        public = {} in operation.get("security", [{}])
        expected = {"503"}
        expected |= {"404"} if "{" in path else set()
        expected |= set() if public else {"403"}
        expected |= {"400", "413", "415"} if "requestBody" in operation else set()
        if any(p["in"] == "query" for p in operation.get("parameters", [])):
            expected.add("400")
        assert expected <= set(responses), f"{method} {path}: {sorted(responses)}"
        for code, response in responses.items():
            if code >= "400":
                assert response["content"]["application/json"]["schema"] == ERROR, code
                assert response["description"], f"{method} {path} {code} says nothing"
        assert "Retry-After" in responses["503"]["headers"]


def test_the_views_own_errors_are_documented(schema):
    paths = schema["paths"]
    answer = paths["/api/v1/responses/{id}/answers/{question_id}/"]
    assert "409" in answer["put"]["responses"]
    assert answer["put"]["requestBody"]["required"] is True
    assert {"400", "409"} <= set(answer["delete"]["responses"])
    assert "409" in paths["/api/v1/responses/{id}/submit/"]["post"]["responses"]
    assert "429" in paths["/api/v1/campaigns/{id}/reports/"]["post"]["responses"]
    assert "409" in paths["/api/v1/reports/{id}/retry/"]["post"]["responses"]
    assert "409" in paths["/api/v1/reports/{id}/download/"]["get"]["responses"]


def test_the_error_component_is_the_shape_every_error_has(schema):
    components = schema["components"]["schemas"]
    assert components["Error"]["required"] == ["error"]
    detail = components["ErrorDetail"]
    assert detail["required"] == ["code", "fields", "message"]
    assert detail["properties"]["fields"]["additionalProperties"]["items"] == {"type": "string"}


def test_the_results_say_which_numbers_may_be_missing(schema):
    row = schema["components"]["schemas"]["ScoreRowOutput"]
    nullable = {name for name, field in row["properties"].items() if field.get("nullable")}
    assert {"mean", "score", "level", "spread", "target", "perception_gap"} <= nullable
    assert not {"department", "department_name", "dimension", "respondents"} & nullable
    assert set(row["required"]) == set(row["properties"])


def test_the_framework_api_says_which_parts_a_framework_may_lack(schema):
    # A default-framework question has no stream, answer set, own level or value range, and a
    # dimension may have no area: the API returns null for them, so the schema must allow it
    # (the API fuzz test found the framework detail violating its schema without this).
    components = schema["components"]["schemas"]

    def nullable(name):
        return {n for n, field in components[name]["properties"].items() if field.get("nullable")}

    assert {"stream", "answer_set", "level", "value_min", "value_max"} <= nullable("Question")
    assert "area" in nullable("Dimension")
    assert not {"code", "text", "choices"} & nullable("Question")


def test_the_session_scheme_says_how_to_pass_the_csrf_check(schema):
    scheme = schema["components"]["securitySchemes"]["cookieAuth"]
    assert scheme["name"] == settings.SESSION_COOKIE_NAME
    assert "X-CSRFToken" in scheme["description"]
