from django.contrib import admin, messages
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from . import services
from .models import ReportJob


@admin.register(ReportJob)
class ReportJobAdmin(admin.ModelAdmin):
    """Jobs are written by the services and the worker; the admin watches and retries."""

    list_display = [
        "id",
        "kind",
        "organisation",
        "campaign",
        "department",
        "language",
        "status",
        "attempts",
        "error_code",
        "size",
        "requested_by",
        "created_at",
        "finished_at",
    ]
    list_filter = ["status", "kind", "language", "organisation"]
    search_fields = ["campaign__name", "organisation__name", "task_result_id"]
    list_select_related = ["organisation", "campaign", "department", "requested_by"]
    date_hierarchy = "created_at"
    # The PDF itself is downloaded through the scoped view, never through a media URL.
    exclude = ["file"]
    readonly_fields = [
        f.name for f in ReportJob._meta.get_fields() if f.concrete and f.name not in ("id", "file")
    ]
    actions = ["retry_failed"]

    def has_add_permission(self, request) -> bool:
        return False

    @admin.action(description=_("Generate the failed reports again"))
    def retry_failed(self, request, queryset):
        count = 0
        for job in queryset.filter(status=ReportJob.Status.FAILED):
            services.retry(job)
            count += 1
        self.message_user(
            request,
            ngettext("%(n)d report queued again.", "%(n)d reports queued again.", count)
            % {"n": count},
            messages.SUCCESS,
        )
