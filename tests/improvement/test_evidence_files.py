"""Evidence files: the type recognised by content, the size limit, where and under what name
they are stored, the scoped download's headers, and no file left behind by a failure."""

import urllib.parse

import pytest
from django.db import IntegrityError
from django.urls import reverse
from django.utils import translation

from improvement.evidence import services
from improvement.evidence.validation import EvidenceError, check_file, sanitised_name
from improvement.models import Evidence
from tests.improvement.evidence_support import (  # noqa: F401
    JPEG_BYTES,
    PDF_BYTES,
    PNG_BYTES,
    answered_fixture,
    media_fixture,
    office,
    pdf,
    stored_files,
    upload,
)

pytestmark = pytest.mark.django_db

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
PPTX = "application/vnd.openxmlformats-officedocument.presentationml.presentation"


def add_file(cast, file, *, by=None, **extra):
    return services.add_evidence(
        campaign=cast.campaign,
        department=cast.sales,
        answer=cast.answer,
        kind="file",
        title=extra.pop("title", "Minutes"),
        file=file,
        by=by or cast.users.manager,
        **extra,
    )


@pytest.mark.parametrize(
    ("name", "content", "expected"),
    [
        ("minutes.pdf", PDF_BYTES, "application/pdf"),
        ("chart.png", PNG_BYTES, "image/png"),
        ("photo.JPG", JPEG_BYTES, "image/jpeg"),
        ("photo.jpeg", JPEG_BYTES, "image/jpeg"),
        ("book.xlsx", office("xl/workbook.xml"), XLSX),
        ("memo.docx", office("word/document.xml"), DOCX),
        ("deck.pptx", office("ppt/presentation.xml"), PPTX),
        ("rows.csv", "部門,解約率\n営業,3%\n".encode(), "text/csv"),
        ("notes.txt", "\ufeff解約率は毎月確認".encode(), "text/plain"),
    ],
)
def test_each_accepted_type_is_recognised_by_its_content(name, content, expected):
    # The browser's header says nothing useful: it is ignored.
    checked = check_file(upload(name, content, "application/x-whatever"))
    assert checked.content_type == expected
    assert checked.size == len(content)


@pytest.mark.parametrize(
    ("name", "content"),
    [
        ("report.pdf", b"<!doctype html><script>alert(1)</script>"),  # HTML named .pdf
        ("chart.png", PDF_BYTES),
        ("photo.jpg", PNG_BYTES),
        ("book.xlsx", office("word/document.xml")),  # a Word file named .xlsx
        ("book.xlsx", b"PK\x03\x04 not really a zip"),
        ("deck.pptx", PDF_BYTES),
        ("rows.csv", b"\xff\xfe\x00binary\x00"),
        ("notes.txt", "テキスト".encode("shift_jis")),
    ],
)
def test_a_file_whose_content_is_not_what_its_name_says_is_refused(name, content):
    with pytest.raises(EvidenceError) as caught:
        check_file(upload(name, content, "application/pdf"))
    assert (caught.value.code, caught.value.field) == ("file_content", "file")


@pytest.mark.parametrize(
    "name", ["page.html", "script.js", "tool.exe", "image.svg", "no-extension"]
)
def test_other_types_are_refused(name):
    with pytest.raises(EvidenceError) as caught:
        check_file(upload(name, b"hello"))
    assert caught.value.code == "file_type"


def test_a_type_the_settings_leave_out_is_refused(settings):
    settings.EVIDENCE_CONTENT_TYPES = ["application/pdf"]
    assert check_file(pdf()).content_type == "application/pdf"
    with pytest.raises(EvidenceError) as caught:
        check_file(upload("chart.png", PNG_BYTES))
    assert caught.value.code == "file_type"
    assert "PDF" in caught.value.message and "PNG" not in caught.value.message


def test_the_size_limit_is_the_setting(settings):
    settings.EVIDENCE_MAX_BYTES = len(PDF_BYTES)
    assert check_file(pdf()).size == len(PDF_BYTES)
    settings.EVIDENCE_MAX_BYTES = len(PDF_BYTES) - 1
    with pytest.raises(EvidenceError) as caught:
        check_file(pdf())
    assert caught.value.code == "file_too_large"


def test_the_default_limit_is_ten_megabytes(settings):
    from django.conf import settings as live

    assert live.EVIDENCE_MAX_BYTES == 10 * 1024 * 1024


def test_an_empty_file_is_refused():
    with pytest.raises(EvidenceError) as caught:
        check_file(upload("empty.txt", b""))
    assert caught.value.code == "file_empty"


@pytest.mark.parametrize(
    ("given", "expected"),
    [
        ("../../etc/passwd.pdf", "passwd.pdf"),
        ("C:\\Users\\mori\\議事録 2026.pdf", "議事録 2026.pdf"),
        ('a<b>:"c|d?*.pdf', "a_b_c_d.pdf"),
        ("line\nbreak\x00.pdf", "line_break.pdf"),
        (".pdf", "evidence.pdf"),
        ("x" * 400 + ".pdf", "x" * 251 + ".pdf"),
        ("ｶﾞ.pdf", "ｶﾞ.pdf"),
    ],
)
def test_the_original_name_is_sanitised(given, expected):
    with translation.override("en"):
        assert sanitised_name(given, "pdf") == expected


def test_a_file_is_stored_under_media_root_under_a_random_name(answered, media):
    evidence = add_file(answered, pdf("../議事録.pdf"))
    evidence.refresh_from_db()
    [path] = stored_files(media)
    assert path.read_bytes() == PDF_BYTES
    assert path.parent == media / "evidence" / str(answered.acme.pk)
    assert path.suffix == ".pdf" and "議事録" not in path.name and len(path.stem) == 32
    assert (evidence.original_name, evidence.content_type, evidence.size) == (
        "議事録.pdf",
        "application/pdf",
        len(PDF_BYTES),
    )


def test_a_refused_file_is_never_written(answered, media, settings):
    settings.EVIDENCE_MAX_BYTES = 10
    with pytest.raises(EvidenceError):
        add_file(answered, pdf())
    with pytest.raises(EvidenceError):
        add_file(answered, upload("fake.pdf", b"<html>"))
    assert stored_files(media) == [] and not Evidence.objects.exists()


def test_a_failed_transaction_leaves_no_file(answered, media, monkeypatch):
    def fail(self, *args, **kwargs):
        raise IntegrityError("the database refused the row")

    monkeypatch.setattr(Evidence, "save", fail)
    with pytest.raises(IntegrityError):
        add_file(answered, pdf())
    assert stored_files(media) == []


def test_a_failed_new_version_leaves_no_new_file(answered, media, monkeypatch):
    evidence = add_file(answered, pdf())
    services.review_evidence(evidence=evidence, decision="approved", by=answered.users.org_admin)
    [kept] = stored_files(media)
    original_save = Evidence.save

    def fail_new_rows(self, *args, **kwargs):
        if self.pk is None:
            raise IntegrityError("refused")
        return original_save(self, *args, **kwargs)

    monkeypatch.setattr(Evidence, "save", fail_new_rows)
    with pytest.raises(IntegrityError):
        services.revise_evidence(
            evidence=evidence, by=answered.users.manager, file=upload("chart.png", PNG_BYTES)
        )
    assert stored_files(media) == [kept]


def test_a_new_version_with_a_new_file_keeps_the_approved_one(answered, media):
    first = add_file(answered, pdf())
    services.review_evidence(evidence=first, decision="approved", by=answered.users.org_admin)
    second = services.revise_evidence(
        evidence=first, by=answered.users.manager, file=upload("chart.png", PNG_BYTES)
    )
    first.refresh_from_db()
    assert second.file.name != first.file.name
    assert len(stored_files(media)) == 2
    assert (second.content_type, second.original_name) == ("image/png", "chart.png")
    assert (first.content_type, first.original_name) == ("application/pdf", "report.pdf")


def test_a_new_version_without_a_new_file_shares_the_file(answered, media):
    first = add_file(answered, pdf())
    services.review_evidence(evidence=first, decision="approved", by=answered.users.org_admin)
    second = services.revise_evidence(evidence=first, by=answered.users.manager, title="Renamed")
    assert second.file.name == first.file.name and len(stored_files(media)) == 1


def test_replacing_a_pending_file_removes_the_old_one_once_saved(
    answered, media, django_capture_on_commit_callbacks
):
    evidence = add_file(answered, pdf())
    [old] = stored_files(media)
    with django_capture_on_commit_callbacks(execute=True):
        services.revise_evidence(
            evidence=evidence, by=answered.users.manager, file=upload("chart.png", PNG_BYTES)
        )
    [new] = stored_files(media)
    assert new != old and new.read_bytes() == PNG_BYTES


# ------------------------------------------------------------------ the download


def test_the_download_is_an_attachment_under_the_original_name(client, answered, media):
    evidence = add_file(answered, pdf("議事録 2026年.pdf"))
    client.force_login(answered.users.org_admin)
    reply = client.get(reverse("improvement:evidence-file", args=[evidence.pk]))
    assert reply.status_code == 200
    assert b"".join(reply.streaming_content) == PDF_BYTES
    assert reply["Content-Type"] == "application/pdf"
    assert reply["X-Content-Type-Options"] == "nosniff"
    assert reply["Cache-Control"] == "private, no-store"
    assert reply["Content-Security-Policy"].startswith("sandbox")
    disposition = reply["Content-Disposition"]
    assert disposition.startswith("attachment")
    quoted = urllib.parse.quote("議事録 2026年.pdf")
    assert f"filename*=utf-8''{quoted}" in disposition


def test_an_ascii_name_is_given_plainly(client, answered, media):
    evidence = add_file(answered, pdf("minutes.pdf"))
    client.force_login(answered.users.manager)
    reply = client.get(reverse("improvement:evidence-file", args=[evidence.pk]))
    assert reply["Content-Disposition"] == 'attachment; filename="minutes.pdf"'


def test_text_evidence_has_no_file_to_download(client, answered):
    evidence = services.add_evidence(
        campaign=answered.campaign,
        department=answered.sales,
        answer=answered.answer,
        kind="text",
        title="Notes",
        text="A note",
        by=answered.users.manager,
    )
    client.force_login(answered.users.org_admin)
    assert client.get(reverse("improvement:evidence-file", args=[evidence.pk])).status_code == 404


@pytest.mark.parametrize(
    ("role", "expected"),
    [
        ("org_admin", 200),
        ("consultant", 200),
        ("manager", 200),  # the respondent, and the department's manager
        ("other_manager", 404),
        ("staff", 404),
        ("outsider", 404),
        ("consultant_without_access", 404),
        ("nobody", 404),
    ],
)
def test_the_download_is_scoped(client, answered, media, role, expected):
    evidence = add_file(answered, pdf())
    client.force_login(getattr(answered.users, role))
    reply = client.get(reverse("improvement:evidence-file", args=[evidence.pk]))
    assert reply.status_code == expected


def test_an_anonymous_download_goes_to_login(client, answered, media):
    evidence = add_file(answered, pdf())
    reply = client.get(reverse("improvement:evidence-file", args=[evidence.pk]))
    assert reply.status_code == 302 and reply["Location"].startswith(reverse("login"))


def test_a_withheld_answer_s_file_is_not_downloaded(client, answered, media):
    answered.campaign.anonymity_threshold = 3
    answered.campaign.save()
    evidence = add_file(answered, pdf())
    client.force_login(answered.users.consultant)
    assert client.get(reverse("improvement:evidence-file", args=[evidence.pk])).status_code == 404
    client.force_login(answered.users.manager)
    assert client.get(reverse("improvement:evidence-file", args=[evidence.pk])).status_code == 200


def test_nothing_is_served_under_media_url(client, answered, media):
    evidence = add_file(answered, pdf())
    client.force_login(answered.users.org_admin)
    assert client.get(f"/media/{evidence.file.name}").status_code == 404


def test_the_web_form_uploads_a_file(client, answered, media):
    client.force_login(answered.users.manager)
    url = reverse(
        "improvement:answer-evidence-create",
        args=[answered.response.pk, answered.answer.question_id],
    )
    reply = client.post(url, {"kind": "file", "title": "Minutes", "file": pdf("議事録.pdf")})
    evidence = Evidence.objects.get()
    assert reply.status_code == 302
    assert (evidence.kind, evidence.original_name) == ("file", "議事録.pdf")
    assert len(stored_files(media)) == 1


def test_the_web_form_refuses_html_named_pdf(client, answered, media):
    client.force_login(answered.users.manager)
    url = reverse(
        "improvement:answer-evidence-create",
        args=[answered.response.pk, answered.answer.question_id],
    )
    reply = client.post(
        url,
        {"kind": "file", "title": "Minutes", "file": upload("x.pdf", b"<html></html>")},
        HTTP_ACCEPT_LANGUAGE="en",
    )
    assert reply.status_code == 200
    assert "is not PDF, as its name says" in reply.content.decode()
    assert stored_files(media) == [] and not Evidence.objects.exists()


def test_the_web_form_refuses_a_file_over_the_limit(client, answered, media, settings):
    settings.EVIDENCE_MAX_BYTES = 20
    client.force_login(answered.users.manager)
    url = reverse(
        "improvement:answer-evidence-create",
        args=[answered.response.pk, answered.answer.question_id],
    )
    reply = client.post(
        url, {"kind": "file", "title": "Minutes", "file": pdf()}, HTTP_ACCEPT_LANGUAGE="ja"
    )
    assert reply.status_code == 200
    assert "エビデンスのファイルは 20" in reply.content.decode()
    assert stored_files(media) == []
