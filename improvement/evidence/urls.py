"""Web routes of evidence (app namespace ``improvement``)."""

from django.urls import path

from . import views

urlpatterns = [
    path(
        "responses/<int:pk>/answers/<int:question_id>/evidence/new/",
        views.answer_evidence_create,
        name="answer-evidence-create",
    ),
    path(
        "actions/<int:action_id>/evidence/new/",
        views.action_evidence_create,
        name="action-evidence-create",
    ),
    path("campaigns/<int:pk>/evidence/", views.evidence_queue, name="evidence"),
    path("evidence/<int:evidence_id>/", views.evidence_detail, name="evidence-detail"),
    path("evidence/<int:evidence_id>/review/", views.evidence_review, name="evidence-review"),
    path("evidence/<int:evidence_id>/file/", views.evidence_file, name="evidence-file"),
]
