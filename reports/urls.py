from django.urls import path

from . import views

app_name = "reports"
urlpatterns = [
    path("campaigns/<int:pk>/reports/", views.campaign_reports, name="campaign-reports"),
    path(
        "organisations/<int:organisation_id>/handouts/",
        views.handouts,
        name="handouts",
    ),
    path(
        "campaigns/<int:pk>/interview-guide/",
        views.interview_guide,
        name="interview-guide",
    ),
    path("reports/<int:pk>/retry/", views.retry_view, name="retry"),
    path("reports/<int:pk>/download/", views.download, name="download"),
]
