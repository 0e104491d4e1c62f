"""API routes of evidence (``/api/v1/``)."""

from django.urls import path

from . import api

urlpatterns = [
    path("campaigns/<int:pk>/evidence/", api.EvidenceListView.as_view(), name="api-evidence-list"),
    path("evidence/<int:evidence_id>/", api.EvidenceDetailView.as_view(), name="api-evidence"),
    path(
        "evidence/<int:evidence_id>/review/",
        api.EvidenceReviewView.as_view(),
        name="api-evidence-review",
    ),
    path(
        "evidence/<int:evidence_id>/file/", api.EvidenceFileView.as_view(), name="api-evidence-file"
    ),
]
