"""API routes of improvement actions (under ``/api/v1/``)."""

from django.urls import path

from . import api

urlpatterns = [
    path("campaigns/<int:pk>/actions/", api.ActionListView.as_view(), name="api-actions"),
    path("actions/<int:action_id>/", api.ActionDetailView.as_view(), name="api-action"),
    path(
        "actions/<int:action_id>/history/",
        api.ActionHistoryView.as_view(),
        name="api-action-history",
    ),
]
