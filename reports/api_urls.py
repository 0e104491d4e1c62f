from django.urls import path

from . import api

urlpatterns = [
    path(
        "campaigns/<int:pk>/reports/",
        api.CampaignReportsView.as_view(),
        name="api-campaign-reports",
    ),
    path("reports/<int:pk>/", api.ReportDetailView.as_view(), name="api-report"),
    path("reports/<int:pk>/retry/", api.ReportRetryView.as_view(), name="api-report-retry"),
    path(
        "reports/<int:pk>/download/",
        api.ReportDownloadView.as_view(),
        name="api-report-download",
    ),
]
