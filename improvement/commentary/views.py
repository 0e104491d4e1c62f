"""The commentary pages: a campaign's (``department_id`` absent) or one department's.

Writers (org admins, consultants) edit the texts, see a preview of the saved text and publish
or take it back to draft; other readers (a manager) read the published text only, or an
empty state. Both pages show the 30/60/90-day roadmap of the actions they may see.
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from .. import access
from .forms import CommentaryForm, IntentForm
from .roadmap import roadmap
from .selectors import commentary_for, commentary_scope, rendered, roadmap_department
from .services import (
    CommentaryError,
    publish_commentary,
    save_commentary,
    unpublish_commentary,
)


def _back(campaign, department):
    if department is None:
        return redirect("improvement:commentary", campaign.pk)
    return redirect("improvement:department-commentary", campaign.pk, department.pk)


@login_required
def commentary_view(request, pk: int, department_id: int | None = None):
    campaign, standing, department = commentary_scope(request.user, pk, department_id)
    writer = access.writes_commentary(standing)
    commentary = commentary_for(campaign, department, standing=standing)
    form = None
    if request.method == "POST":
        if not writer:
            raise PermissionDenied
        intent = IntentForm(request.POST)
        if not intent.is_valid():
            messages.error(request, intent.errors["intent"][0])
            return _back(campaign, department)
        choice = intent.cleaned_data["intent"]
        try:
            if choice == IntentForm.SAVE:
                form = CommentaryForm(request.POST)
                if form.is_valid():
                    save_commentary(
                        campaign=campaign,
                        department=department,
                        by=request.user,
                        **form.cleaned_data,
                    )
                    messages.success(request, _("Commentary saved."))
                    return _back(campaign, department)
            elif commentary is None:
                messages.error(request, _("Write and save the commentary before publishing."))
                return _back(campaign, department)
            elif choice == IntentForm.PUBLISH:
                publish_commentary(commentary=commentary, by=request.user)
                messages.success(request, _("Commentary published: managers can read it now."))
                return _back(campaign, department)
            else:
                unpublish_commentary(commentary=commentary, by=request.user)
                messages.success(request, _("Commentary back to draft: managers no longer see it."))
                return _back(campaign, department)
        except CommentaryError as exc:
            if form is None:
                messages.error(request, exc.message)
                return _back(campaign, department)
            form.add_error(exc.field if exc.field in form.fields else None, exc.message)
    if writer and form is None:
        form = CommentaryForm(
            initial={
                "narrative": commentary.narrative if commentary else "",
                "findings": commentary.findings if commentary else "",
            }
        )
    return render(
        request,
        "improvement/commentary/page.html",
        {
            "campaign": campaign,
            "department": department,
            "commentary": commentary,
            "text": rendered(commentary),
            "writer": writer,
            "form": form,
            "roadmap": roadmap(campaign, roadmap_department(standing, department)),
            "can_manage": standing.can_manage,
        },
        status=400 if form is not None and form.is_bound else 200,
    )
