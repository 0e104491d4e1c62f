"""Web routes of improvement actions (app namespace ``improvement``)."""

from django.urls import path

from . import views

urlpatterns = [
    path("campaigns/<int:pk>/actions/", views.actions_view, name="actions"),
    path(
        "campaigns/<int:pk>/actions/export.<str:fmt>",
        views.actions_export_view,
        name="actions-export",
    ),
    path(
        "campaigns/<int:pk>/departments/<int:department_id>/actions/",
        views.department_actions_view,
        name="department-actions",
    ),
    path(
        "campaigns/<int:pk>/departments/<int:department_id>/actions/new/",
        views.action_create_view,
        name="action-create",
    ),
    path("actions/<int:action_id>/", views.action_view, name="action"),
    path("actions/<int:action_id>/status/", views.action_status_view, name="action-status"),
]
