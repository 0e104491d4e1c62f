"""Report pages: a campaign's PDF reports (list, generate, retry), study-session handouts,
and the one scoped download view through which every PDF leaves the server.

Generating only queues a job (see services); the worker builds the PDF, and the list page
refreshes itself while something is queued or running. A GET only reads: a job whose worker
stopped shows as stalled (``selectors.with_lease_state``) until a worker's reaper takes it back.
"""

from django import forms
from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import get_language, gettext_lazy
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from assessments.access import standing_in
from assessments.forms import ModelIdsField
from assessments.models import Campaign
from improvement.evidence.selectors import evidence_for
from training.models import Module

from . import services
from .interview_guide import build_interview_guide
from .models import ReportJob
from .selectors import handout_organisation_for, job_for, report_campaign_for, with_lease_state

# ------------------------------------------------------------------ forms


def _default_language() -> str:
    return get_language() if get_language() in services.LANGUAGES else settings.LANGUAGE_CODE


class ModuleChoiceField(ModelIdsField):
    def label_from_instance(self, module: Module) -> str:
        return _("%(title)s (%(minutes)s min)") % {"title": module.title, "minutes": module.minutes}


class ReportForm(forms.Form):
    department = forms.ModelChoiceField(
        label=gettext_lazy("Scope"),
        queryset=None,
        required=False,
        empty_label=gettext_lazy("Whole organisation"),
    )
    language = forms.ChoiceField(
        label=gettext_lazy("Language of the report"),
        choices=settings.LANGUAGES,
        widget=forms.RadioSelect,
    )

    def __init__(self, *args, campaign: Campaign, **kwargs):
        super().__init__(*args, label_suffix="", **kwargs)
        self.fields["department"].queryset = campaign.departments.order_by("name")


class HandoutForm(forms.Form):
    modules = ModuleChoiceField(
        label=gettext_lazy("Modules for the session"),
        queryset=Module.objects.all(),
        widget=forms.CheckboxSelectMultiple,
        error_messages={"required": gettext_lazy("Choose at least one module.")},
    )
    language = forms.ChoiceField(
        label=gettext_lazy("Language of the handout"),
        choices=settings.LANGUAGES,
        widget=forms.RadioSelect,
    )
    edition = forms.ChoiceField(
        label=gettext_lazy("Edition"),
        choices=ReportJob.Edition.choices,
        widget=forms.RadioSelect,
        required=False,  # a form posted without it gets the facilitator's, as before
        help_text=gettext_lazy(
            "The facilitator's edition has the answer keys, model answers and notes; "
            "the participants' edition has none of them."
        ),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, label_suffix="", **kwargs)


# ------------------------------------------------------------------ pages


def _refused(form: forms.Form, error: services.ReportError) -> int:
    """Show a request the services refused (too many pending, ...) on the form; its status."""
    form.add_error(error.field if error.field in form.fields else None, error.message)
    return error.status


@login_required
def campaign_reports(request, pk: int):
    """The campaign's PDF reports, newest first, and the form that asks for another."""
    campaign = report_campaign_for(request.user, pk)
    status = 200
    if request.method == "POST":
        form = ReportForm(request.POST, campaign=campaign)
        status = 400
        if form.is_valid():
            try:
                services.request_report(
                    user=request.user,
                    campaign=campaign,
                    department=form.cleaned_data["department"],
                    language=form.cleaned_data["language"],
                )
            except services.ReportError as error:
                status = _refused(form, error)
            else:
                messages.success(
                    request, _("The report is being generated. This page updates by itself.")
                )
                return redirect("reports:campaign-reports", campaign.pk)
    else:
        department = request.GET.get("department")
        form = ReportForm(
            campaign=campaign,
            initial={
                "language": _default_language(),
                "department": department if department and department.isdigit() else None,
            },
        )
    jobs = list(with_lease_state(campaign.report_jobs.select_related("department", "requested_by")))
    return render(
        request,
        "reports/campaign_reports.html",
        {
            "campaign": campaign,
            "form": form,
            "jobs": jobs,
            "pending": any(job.is_pending for job in jobs),
        },
        status=status,
    )


@login_required
def handouts(request, organisation_id: int):
    """Pick study-session modules and a language; earlier handouts stay listed."""
    organisation = handout_organisation_for(request.user, organisation_id)
    status = 200
    if request.method == "POST":
        form = HandoutForm(request.POST)
        status = 400
        if form.is_valid():
            try:
                services.request_handout(
                    user=request.user,
                    organisation=organisation,
                    modules=list(form.cleaned_data["modules"]),
                    language=form.cleaned_data["language"],
                    edition=form.cleaned_data["edition"] or ReportJob.Edition.FACILITATOR,
                )
            except services.ReportError as error:
                status = _refused(form, error)
            else:
                messages.success(
                    request, _("The handout is being generated. This page updates by itself.")
                )
                return redirect("reports:handouts", organisation.pk)
    else:
        form = HandoutForm(
            initial={"language": _default_language(), "edition": ReportJob.Edition.FACILITATOR}
        )
    jobs = list(
        with_lease_state(
            organisation.report_jobs.filter(kind=ReportJob.Kind.HANDOUT).select_related(
                "requested_by"
            )
        )
    )
    titles = {module.slug: module.title for module in Module.objects.all()}
    for job in jobs:
        job.module_titles = [titles.get(slug, slug) for slug in job.module_slugs]
    return render(
        request,
        "reports/handouts.html",
        {
            "organisation": organisation,
            "form": form,
            "jobs": jobs,
            "pending": any(job.is_pending for job in jobs),
        },
        status=status,
    )


def _job_page(job: ReportJob):
    if job.kind == ReportJob.Kind.HANDOUT:
        return redirect("reports:handouts", job.organisation_id)
    return redirect("reports:campaign-reports", job.campaign_id)


@login_required
@require_POST
def retry_view(request, pk: int):
    job = job_for(request.user, pk)
    try:
        services.retry(job)
    except services.ReportError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, _("Generating the PDF again."))
    return _job_page(job)


def pdf_response(job: ReportJob) -> FileResponse:
    """The job's PDF as an attachment; 404 while it is not ready (or the file is gone)."""
    if not job.is_done:
        raise Http404
    try:
        handle = job.file.open("rb")
    except FileNotFoundError:
        raise Http404 from None
    response = FileResponse(
        handle,
        as_attachment=True,
        filename=job.download_name(),
        content_type="application/pdf",
    )
    # Reports are confidential: no shared cache may keep a copy.
    response["Cache-Control"] = "private, no-store"
    return response


@login_required
def download(request, pk: int):
    return pdf_response(job_for(request.user, pk))


@login_required
def interview_guide(request, pk: int):
    """The interview-guide PDF of the campaign's framework, built on request (a few pages,
    no job), for org admins and consultants; with ``?department=`` it also lists that
    department's evidence records per dimension, as the evidence pages show them."""
    campaign = report_campaign_for(request.user, pk)
    language = request.GET.get("language", "")
    if language not in services.LANGUAGES:
        language = _default_language()
    department, evidence = None, None
    if raw := request.GET.get("department"):
        if not raw.isdigit():
            raise Http404
        department = campaign.departments.filter(pk=int(raw)).first()
        if department is None:
            raise Http404
        evidence = evidence_for(
            campaign,
            viewer_standing=standing_in(request.user, campaign.organisation_id),
            viewer=request.user,
            department=department,
        )
    pdf = build_interview_guide(
        campaign.framework,
        language=language,
        department=department,
        campaign=campaign,
        evidence=evidence,
    )
    response = HttpResponse(pdf, content_type="application/pdf")
    name = f"interview-guide-{campaign.framework.slug}-{language}.pdf"
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    response["Cache-Control"] = "private, no-store"
    return response
