"""API routes of milestones and comparisons (under ``/api/v1/``)."""

from django.urls import path

from . import api

urlpatterns = [
    path(
        "campaigns/<int:pk>/milestones/",
        api.MilestoneListView.as_view(),
        name="api-milestones",
    ),
    path("milestones/<int:milestone_id>/", api.MilestoneDetailView.as_view(), name="api-milestone"),
    path("campaigns/<int:pk>/compare/", api.CompareView.as_view(), name="api-compare"),
]
