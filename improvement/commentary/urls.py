"""Web routes of the consultant's commentary (app namespace ``improvement``)."""

from django.urls import path

from . import views

urlpatterns = [
    path("campaigns/<int:pk>/commentary/", views.commentary_view, name="commentary"),
    path(
        "campaigns/<int:pk>/departments/<int:department_id>/commentary/",
        views.commentary_view,
        name="department-commentary",
    ),
]
