"""REST API for PDF report jobs (``/api/v1/``): request a report, poll its status, download
the PDF. Scoping is the web pages' (``reports.views``); writes go through the services."""

from django.conf import settings
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema, extend_schema_field, extend_schema_serializer
from rest_framework import serializers, status
from rest_framework.response import Response as APIResponse
from rest_framework.views import APIView

from assessments.models import Department
from config.api_schema import error_response
from config.parsers import BoundedJSONParser

from . import services
from .models import ReportJob
from .selectors import job_for, report_campaign_for, with_lease_state
from .views import pdf_response


class ReportJobErrorOutput(serializers.Serializer):
    code = serializers.CharField()
    message = serializers.CharField()


class ReportJobProgressOutput(serializers.Serializer):
    stage = serializers.ChoiceField(
        choices=ReportJob.Stage.choices,
        allow_blank=True,
        help_text=gettext_lazy(
            "What the running build is doing: data (scoring), layout, done; blank before it "
            "reports any progress."
        ),
    )
    pages_done = serializers.IntegerField(help_text=gettext_lazy("Pages laid out so far."))
    pages_total = serializers.IntegerField(
        allow_null=True, help_text=gettext_lazy("Pages expected, once the builder knows.")
    )
    text = serializers.CharField(
        source="progress_text",
        help_text=gettext_lazy("The progress in words, in the reader's language."),
    )


class ReportJobOutput(serializers.ModelSerializer):
    campaign = serializers.IntegerField(source="campaign_id", allow_null=True)
    department = serializers.IntegerField(source="department_id", allow_null=True)
    organisation = serializers.IntegerField(source="organisation_id")
    modules = serializers.ListField(source="module_slugs", child=serializers.CharField())
    stalled = serializers.BooleanField(
        source="is_stalled",
        help_text=gettext_lazy(
            "Running, but its worker stopped: another worker will build it again or fail it."
        ),
    )
    progress = ReportJobProgressOutput(source="*", read_only=True)
    error = serializers.SerializerMethodField()
    url = serializers.SerializerMethodField()
    download_url = serializers.SerializerMethodField()

    class Meta:
        model = ReportJob
        fields = [
            "id",
            "kind",
            "status",
            "stalled",
            "language",
            "organisation",
            "campaign",
            "department",
            "modules",
            "size",
            "pages",
            "attempts",
            "progress",
            "error",
            "created_at",
            "started_at",
            "finished_at",
            "url",
            "download_url",
        ]

    @extend_schema_field(ReportJobErrorOutput(allow_null=True))
    def get_error(self, job: ReportJob) -> dict | None:
        if job.status != ReportJob.Status.FAILED:
            return None
        return {"code": job.error_code or "failed", "message": job.error_message}

    def get_url(self, job: ReportJob) -> str:
        return reverse("api-report", args=[job.pk])

    def get_download_url(self, job: ReportJob) -> str | None:
        return reverse("api-report-download", args=[job.pk]) if job.is_done else None


class CampaignReportsView(APIView):
    """A campaign's report jobs (GET), or ask for another (POST; answers 202 at once, 429
    while the requester already has REPORT_JOBS_PENDING_PER_USER jobs pending)."""

    parser_classes = [BoundedJSONParser]

    @extend_schema_serializer(component_name="ReportRequestInput")
    class InputSerializer(serializers.Serializer):
        department = serializers.IntegerField(required=False, allow_null=True, default=None)
        language = serializers.ChoiceField(choices=settings.LANGUAGES)

    @extend_schema(responses=ReportJobOutput(many=True))
    def get(self, request, pk: int):
        campaign = report_campaign_for(request.user, pk)
        jobs = with_lease_state(campaign.report_jobs.all())
        return APIResponse(ReportJobOutput(jobs, many=True).data)

    @extend_schema(
        request=InputSerializer,
        responses={
            202: ReportJobOutput,
            429: error_response(
                gettext_lazy("REPORT_JOBS_PENDING_PER_USER of your report jobs are pending.")
            ),
        },
    )
    def post(self, request, pk: int):
        campaign = report_campaign_for(request.user, pk)
        data = self.InputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        department = None
        if data.validated_data["department"] is not None:
            department = Department.objects.filter(
                pk=data.validated_data["department"], organisation_id=campaign.organisation_id
            ).first()
            if department is None:
                raise services.ReportError(
                    "invalid_department",
                    _("This department is not part of the campaign."),
                    field="department",
                )
        job = services.request_report(
            user=request.user,
            campaign=campaign,
            department=department,
            language=data.validated_data["language"],
        )
        return APIResponse(ReportJobOutput(job).data, status=status.HTTP_202_ACCEPTED)


class ReportDetailView(APIView):
    """One report job: poll it until its status is ``done`` or ``failed``. ``stalled`` says that
    a running job's worker stopped; the job is then built again or failed by another worker.
    ``progress`` says where a running build is (the reports page polls this every second)."""

    @extend_schema(responses=ReportJobOutput)
    def get(self, request, pk: int):
        return APIResponse(ReportJobOutput(job_for(request.user, pk)).data)


class ReportRetryView(APIView):
    """Queue a failed report job again."""

    @extend_schema(
        request=None,
        responses={
            202: ReportJobOutput,
            409: error_response(gettext_lazy("Only a failed report job can be queued again.")),
        },
    )
    def post(self, request, pk: int):
        job = services.retry(job_for(request.user, pk))
        return APIResponse(ReportJobOutput(job).data, status=status.HTTP_202_ACCEPTED)


class ReportDownloadView(APIView):
    """The PDF of a finished job (409 while it is queued, running or failed)."""

    def perform_content_negotiation(self, request, force=False):
        # A client asking for application/pdf gets the PDF; errors still come as JSON.
        return super().perform_content_negotiation(request, force=True)

    @extend_schema(
        responses={
            (200, "application/pdf"): OpenApiTypes.BINARY,
            409: error_response(gettext_lazy("The job is queued, running or failed.")),
        }
    )
    def get(self, request, pk: int):
        job = job_for(request.user, pk)
        if not job.is_done:
            raise services.ReportError(
                "not_ready",
                _("The PDF is not ready: the report is %(status)s.")
                % {"status": job.get_status_display()},
                status=409,
            )
        return pdf_response(job)
