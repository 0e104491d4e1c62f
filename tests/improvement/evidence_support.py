"""Shared pieces of the evidence tests: a scored campaign with answers and an action, files
of every accepted type, and a temporary MEDIA_ROOT."""

from __future__ import annotations

import io
import zipfile
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from assessments.models import Answer
from improvement.evidence import services
from improvement.models import Action, Evidence
from tests.assessments.conftest import answer_all

PDF_BYTES = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
PNG_BYTES = b"\x89PNG\r\n\x1a\n" + b"\x00" * 32
JPEG_BYTES = b"\xff\xd8\xff\xe0" + b"\x00" * 32


def office(part: str) -> bytes:
    """A minimal Office Open XML container holding ``part`` (e.g. xl/workbook.xml)."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr(part, "<x/>")
    return buffer.getvalue()


def upload(name: str, content: bytes, content_type: str = "application/octet-stream"):
    return SimpleUploadedFile(name, content, content_type=content_type)


def pdf(name: str = "report.pdf"):
    return upload(name, PDF_BYTES, "application/pdf")


def stored_files(root: Path) -> list[Path]:
    return sorted(p for p in root.rglob("*") if p.is_file())


@pytest.fixture(name="media")
def media_fixture(settings, tmp_path):
    """A MEDIA_ROOT of the test's own."""
    root = tmp_path / "media"
    root.mkdir()
    settings.MEDIA_ROOT = str(root)
    return root


@pytest.fixture(name="answered")
def answered_fixture(cast):
    """Both Acme managers have answered and submitted; threshold 1 (both departments shown).
    ``cast.answer``: the Sales manager's answer to kpi-q0; ``cast.other_answer``: Customer
    Success's; ``cast.action``: a Sales action owned by the Sales staff member."""
    cast.campaign.anonymity_threshold = 1
    cast.campaign.save()
    answer_all(cast.response, cast.questions, 2)
    answer_all(cast.other_response, cast.questions, 1)
    question = cast.questions["kpi-q0"]
    cast.answer = Answer.objects.select_related("response").get(
        response=cast.response, question=question
    )
    cast.other_answer = Answer.objects.select_related("response").get(
        response=cast.other_response, question=question
    )
    cast.action = Action.objects.create(
        campaign=cast.campaign,
        department=cast.sales,
        dimension_code="kpi",
        title="Churn dashboard",
        owner=cast.users.staff,
    )
    cast.success_action = Action.objects.create(
        campaign=cast.campaign,
        department=cast.success,
        dimension_code="kpi",
        title="Onboarding checklist",
    )
    return cast


def add_text(cast, *, answer=None, action=None, by=None, title="Proof", **extra) -> Evidence:
    """Text evidence (the Sales manager's answer unless ``action``)."""
    if answer is None and action is None:
        answer = cast.answer
    target = answer if answer is not None else action
    department = target.response.department if answer is not None else action.department
    return services.add_evidence(
        campaign=cast.campaign,
        department=department,
        answer=answer,
        action=action,
        kind=extra.pop("kind", Evidence.Kind.TEXT),
        title=title,
        text=extra.pop("text", "We run a monthly churn review."),
        by=by or (answer.response.respondent if answer is not None else cast.users.org_admin),
        **extra,
    )
