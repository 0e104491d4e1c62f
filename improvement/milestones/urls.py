"""Web routes of milestones and comparisons (app namespace ``improvement``)."""

from django.urls import path

from . import views

urlpatterns = [
    path("campaigns/<int:pk>/milestones/", views.milestones_view, name="milestones"),
    path("campaigns/<int:pk>/compare/", views.compare_view, name="compare"),
]
