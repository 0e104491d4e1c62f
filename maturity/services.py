"""Writes to frameworks: import a file, publish a draft, start a new draft version."""

import re

from django.db import transaction
from django.db.models import Max

from .framework_file import FrameworkFileError, load_framework_file, validate_framework_data
from .framework_io import export_framework, import_framework, refuse_existing_version
from .models import Framework

# Framework.version_label's length.
DRAFT_LABEL_MAX = Framework._meta.get_field("version_label").max_length


def import_framework_file(*, content: bytes, source: str, dry_run: bool = False) -> dict:
    """Validate a framework file and, unless ``dry_run``, import it atomically.

    Returns a summary (slug, version, counts, ``framework`` when imported). Raises
    FrameworkFileError with path-precise problems; nothing is written in that case.
    """
    data = load_framework_file(content, source=source)
    summary = {
        "slug": data["slug"],
        "version": data["version"],  # an integer, or a v2 version string such as "2.2.0"
        "dimensions": len(data["dimensions"]),
        "questions": sum(len(d["questions"]) for d in data["dimensions"]),
        "framework": None,
    }
    if dry_run:
        refuse_existing_version(data, source=source)
        return summary
    summary["framework"] = import_framework(data, source=source)
    return summary


@transaction.atomic
def publish_framework(*, framework: Framework) -> Framework:
    """Freeze a draft after checking that it is still a complete, consistent framework."""
    framework = Framework.objects.select_for_update().get(pk=framework.pk)
    if framework.is_published:
        return framework
    problems = validate_framework_data(export_framework(framework))
    if problems:
        raise FrameworkFileError(framework.label, problems)
    framework.status = Framework.Status.PUBLISHED
    framework.save()
    return framework


@transaction.atomic
def create_draft_version(*, framework: Framework) -> Framework:
    """Start the next version of a framework as an editable draft copy of ``framework``.

    The copy takes the next sequence number of the slug. A framework with a version label
    (v2, e.g. "2.2.0") gives its draft the label "2.2.0-draft<number>" ("2.2.0-draft2" when
    the copy is the slug's second version), so the copy never claims the publisher's
    version; the label can be changed in the admin before publishing.
    """
    data = export_framework(framework)
    latest = Framework.objects.filter(slug=framework.slug).aggregate(v=Max("version"))["v"]
    data["status"] = Framework.Status.DRAFT
    if framework.version_label:
        base = re.sub(r"-draft\d+$", "", framework.version_label)
        suffix = f"-draft{latest + 1}"
        data["version"] = base[: DRAFT_LABEL_MAX - len(suffix)] + suffix
        return import_framework(data, source=f"{framework.slug} v{framework.version_label}")
    data["version"] = latest + 1
    return import_framework(data, source=f"{framework.slug} v{framework.version}")
