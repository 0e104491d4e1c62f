"""The rules an evidence's link and file must pass, written once for the services, the web
forms and the API.

A file's type is recognised by its content: the magic bytes of PDF, PNG and JPEG, the zip
container and main part of the Office formats, strict UTF-8 for CSV and plain text. The name's
extension must name the same type, so a ``.pdf`` that holds HTML (or anything else) is
refused whatever the browser declared. Only types in ``settings.EVIDENCE_CONTENT_TYPES`` are
accepted, and at most ``settings.EVIDENCE_MAX_BYTES`` bytes.
"""

from __future__ import annotations

import codecs
import re
import unicodedata
import zipfile
from dataclasses import dataclass
from urllib.parse import urlsplit

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import URLValidator
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, pgettext

from assessments.services import AssessmentError
from assessments.services.answers import UNSTORABLE_TEXT

URL_SCHEMES = ("http", "https")
NAME_MAX_LENGTH = 255
CHUNK = 64 * 1024


class EvidenceError(AssessmentError):
    """A write the evidence rules refuse: ``code`` for programs, ``message`` for people (in
    the active language), ``field`` the input it is about (if one)."""

    def __init__(self, code: str, message: str, field: str | None = None, *, status: int = 400):
        super().__init__(code, message, status=status, field=field)


@dataclass(frozen=True)
class FileType:
    content_type: str
    label: object  # a name people know the format by (lazy: in the reader's language)
    extensions: tuple[str, ...]


PDF = FileType("application/pdf", "PDF", ("pdf",))
PNG = FileType("image/png", gettext_lazy("PNG image"), ("png",))
JPEG = FileType("image/jpeg", gettext_lazy("JPEG image"), ("jpg", "jpeg"))
XLSX = FileType(
    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    gettext_lazy("Excel (XLSX)"),
    ("xlsx",),
)
DOCX = FileType(
    "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    gettext_lazy("Word (DOCX)"),
    ("docx",),
)
PPTX = FileType(
    "application/vnd.openxmlformats-officedocument.presentationml.presentation",
    gettext_lazy("PowerPoint (PPTX)"),
    ("pptx",),
)
CSV = FileType("text/csv", "CSV", ("csv",))
TXT = FileType("text/plain", gettext_lazy("Plain text (TXT)"), ("txt",))
KNOWN = (PDF, PNG, JPEG, XLSX, DOCX, PPTX, CSV, TXT)

MAGIC = {PDF: b"%PDF-", PNG: b"\x89PNG\r\n\x1a\n", JPEG: b"\xff\xd8\xff"}
# The part every file of an Office format has (ECMA-376), beside [Content_Types].xml.
OFFICE_PARTS = {XLSX: "xl/workbook.xml", DOCX: "word/document.xml", PPTX: "ppt/presentation.xml"}


def allowed_types() -> list[FileType]:
    """The known types the settings allow, in a fixed order."""
    allowed = set(settings.EVIDENCE_CONTENT_TYPES)
    return [t for t in KNOWN if t.content_type in allowed]


def accepted_extensions() -> str:
    """For a file input's ``accept`` attribute: ".pdf,.png,…"."""
    return ",".join(f".{ext}" for t in allowed_types() for ext in t.extensions)


def allowed_labels() -> str:
    return pgettext("list separator", ", ").join(str(t.label) for t in allowed_types())


def max_size_label() -> str:
    return filesizeformat(settings.EVIDENCE_MAX_BYTES)


def check_url(url: str) -> str:
    """The link, stripped, if it is an absolute http(s) URL (no ``javascript:``, ``data:``)."""
    url = (url or "").strip()
    refused = EvidenceError(
        "bad_link",
        _("Enter a web address that starts with http:// or https://."),
        "url",
    )
    if not url or UNSTORABLE_TEXT.search(url) or urlsplit(url).scheme.lower() not in URL_SCHEMES:
        raise refused
    try:
        URLValidator(schemes=list(URL_SCHEMES))(url)
    except ValidationError:
        raise refused from None
    return url


_UNSAFE_CHARACTERS = re.compile(r'[\x00-\x1f\x7f<>:"/\\|?*]+')


def sanitised_name(name: str, extension: str) -> str:
    """The uploaded name as a download may offer it: no folders, no control or reserved
    characters, Unicode NFC (a Japanese name stays Japanese), at most 255 characters,
    ending in the type's ``extension``."""
    name = unicodedata.normalize("NFC", name or "")
    name = re.split(r"[/\\]", name)[-1]
    name = _UNSAFE_CHARACTERS.sub("_", name)
    stem = name.rsplit(".", 1)[0] if "." in name else name
    stem = " ".join(stem.split()).strip(" ._") or _("evidence")
    return f"{stem[: NAME_MAX_LENGTH - len(extension) - 1]}.{extension}"


def _extension(name: str) -> str:
    base = re.split(r"[/\\]", name or "")[-1]
    return base.rsplit(".", 1)[-1].lower() if "." in base else ""


def _is_utf8_text(file) -> bool:
    decoder = codecs.getincrementaldecoder("utf-8-sig")(errors="strict")
    file.seek(0)
    try:
        for chunk in iter(lambda: file.read(CHUNK), b""):
            if b"\x00" in chunk:
                return False
            decoder.decode(chunk)
        decoder.decode(b"", final=True)
    except UnicodeDecodeError:
        return False
    return True


def _office_type(file) -> FileType | None:
    file.seek(0)
    try:
        with zipfile.ZipFile(file) as archive:
            names = set(archive.namelist())
    except (zipfile.BadZipFile, OSError, ValueError):
        return None
    if "[Content_Types].xml" not in names:
        return None
    return next((t for t, part in OFFICE_PARTS.items() if part in names), None)


def detect(file, claimed: FileType) -> bool:
    """Whether ``file``'s content is of the ``claimed`` type."""
    file.seek(0)
    head = file.read(16)
    if claimed in MAGIC:
        return head.startswith(MAGIC[claimed])
    if claimed in OFFICE_PARTS:
        return head.startswith(b"PK\x03\x04") and _office_type(file) == claimed
    return _is_utf8_text(file)


@dataclass(frozen=True)
class CheckedFile:
    file: object
    content_type: str
    extension: str
    original_name: str
    size: int


def check_file(file) -> CheckedFile:
    """The uploaded ``file`` if it passes the size and type rules (its content recognised),
    with its type, its sanitised name and its size; an ``EvidenceError`` on ``file`` if not."""
    if file is None:
        raise EvidenceError("file_required", _("Choose a file to upload."), "file")
    size = file.size or 0
    if size == 0:
        raise EvidenceError("file_empty", _("The file is empty."), "file")
    if size > settings.EVIDENCE_MAX_BYTES:
        raise EvidenceError(
            "file_too_large",
            _("The file is %(size)s; evidence files may be at most %(limit)s.")
            % {"size": filesizeformat(size), "limit": max_size_label()},
            "file",
        )
    extension = _extension(getattr(file, "name", ""))
    claimed = next((t for t in allowed_types() if extension in t.extensions), None)
    if claimed is None:
        raise EvidenceError(
            "file_type",
            _("This type of file is not accepted. Accepted types: %(types)s.")
            % {"types": allowed_labels()},
            "file",
        )
    try:
        matches = detect(file, claimed)
    finally:
        file.seek(0)
    if not matches:
        raise EvidenceError(
            "file_content",
            _("The file's content is not %(type)s, as its name says. Upload the file itself.")
            % {"type": str(claimed.label)},
            "file",
        )
    return CheckedFile(
        file=file,
        content_type=claimed.content_type,
        extension=claimed.extensions[0],
        original_name=sanitised_name(file.name, extension),
        size=size,
    )
