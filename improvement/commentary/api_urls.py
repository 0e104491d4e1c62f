"""API routes of the consultant's commentary and the roadmap (under ``/api/v1/``)."""

from django.urls import path

from . import api

DEPARTMENT = "campaigns/<int:pk>/departments/<int:department_id>/"

urlpatterns = [
    path("campaigns/<int:pk>/commentary/", api.CommentaryView.as_view(), name="api-commentary"),
    path(
        "campaigns/<int:pk>/commentary/publish/",
        api.CommentaryPublishView.as_view(),
        name="api-commentary-publish",
    ),
    path(
        f"{DEPARTMENT}commentary/",
        api.DepartmentCommentaryView.as_view(),
        name="api-department-commentary",
    ),
    path(
        f"{DEPARTMENT}commentary/publish/",
        api.DepartmentCommentaryPublishView.as_view(),
        name="api-department-commentary-publish",
    ),
    path("campaigns/<int:pk>/roadmap/", api.RoadmapView.as_view(), name="api-roadmap"),
]
