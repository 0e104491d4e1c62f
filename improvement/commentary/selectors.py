"""Reads for the consultant's commentary: which one a viewer may read, and its text rendered.

Drafts are for those ``improvement.access.reads_drafts`` allows (org admins, consultants);
everyone else reads published text only: the campaign-wide commentary, and their own
department's. A draft a viewer may not read is answered as if there were no commentary, so
its existence is not revealed.

The text is stored as the consultant typed it (Markdown). Every rendering sanitises it:
``rendered`` for the web through ``training.rendering.render_markdown`` (Markdown, then the
nh3 allow-list: no raw HTML, no script, no ``javascript:`` link, no event attribute), and
``markdown_source`` for the PDF, whose ``reports.flowables.markdown_flowables`` takes
Markdown and passes it through the same ``render_markdown`` before it lays anything out.
"""

from __future__ import annotations

from assessments.access import Standing
from assessments.models import Campaign, Department
from assessments.selectors import campaign_for, department_for
from training.rendering import render_markdown

from .. import access
from ..models import Commentary


def commentary_scope(user, pk: int, department_id: int | None = None):
    """``(campaign, standing, department)`` for a commentary page or endpoint: the campaign's
    readers (org admins, consultants, managers of a department it assesses; 404 outside the
    organisation, 403 for staff) for the campaign-wide one, and a department's readers (its
    manager too) for a department's (404 for a department outside the campaign)."""
    if department_id is None:
        campaign, standing = campaign_for(user, pk)
        return campaign, standing, None
    return department_for(user, pk, department_id)


def roadmap_department(standing: Standing, department: Department | None) -> Department | None:
    """The department whose actions a viewer's roadmap shows: the page's own; on the
    campaign's page (``department`` None) every department (None) for org admins and
    consultants, and a manager's own department for a manager."""
    if department is not None or standing.can_manage:
        return department
    return Department.objects.get(pk=standing.department_id)


def commentary_for(
    campaign: Campaign, department: Department | None = None, *, standing: Standing
) -> Commentary | None:
    """The campaign's (``department`` None) or a department's commentary as ``standing``
    may read it: any state for draft readers, published only for others, and for a manager
    only the campaign-wide text and their own department's; None when there is none to
    read."""
    if department is not None and not access.sees_department(standing, department.pk):
        return None
    found = (
        Commentary.objects.select_related("updated_by")
        .filter(campaign=campaign, department=department)
        .first()
    )
    if found is None or (not found.is_published and not access.reads_drafts(standing)):
        return None
    return found


def published_commentary(
    campaign: Campaign, department: Department | None = None, *, cache: dict | None = None
) -> Commentary | None:
    """The campaign's (``department`` None) or a department's commentary once published,
    whoever asks: what a report handed to the client prints. Drafts never. With ``cache`` (a
    document's), the campaign's published commentaries are read once for every department."""
    published = Commentary.objects.select_related("updated_by").filter(
        campaign=campaign, status=Commentary.Status.PUBLISHED
    )
    if cache is None:
        return published.filter(department=department).first()
    key = ("published commentary", campaign.pk)
    if key not in cache:
        found: dict = {}
        for commentary in published.order_by("pk"):
            found.setdefault(commentary.department_id, commentary)
        cache[key] = found
    return cache[key].get(department.pk if department is not None else None)


def rendered(commentary: Commentary | None) -> dict:
    """The commentary's texts as safe HTML for templates (empty for no commentary)."""
    if commentary is None:
        return {"narrative_html": "", "findings_html": ""}
    return {
        "narrative_html": render_markdown(commentary.narrative),
        "findings_html": render_markdown(commentary.findings),
    }


def markdown_source(commentary: Commentary | None) -> dict:
    """The commentary's texts as Markdown for ``reports.flowables.markdown_flowables``,
    which sanitises them itself through ``render_markdown`` (empty for no commentary)."""
    if commentary is None:
        return {"narrative": "", "findings": ""}
    return {"narrative": commentary.narrative, "findings": commentary.findings}
