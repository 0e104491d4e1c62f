from django.urls import path

from . import views

app_name = "results"
urlpatterns = [
    path("campaigns/<int:pk>/results/", views.campaign_results_view, name="campaign"),
    path(
        "campaigns/<int:pk>/results/<int:department_id>/",
        views.department_results_view,
        name="department",
    ),
    path(
        "campaigns/<int:pk>/results/<int:department_id>/targets/",
        views.targets_view,
        name="targets",
    ),
    path(
        "campaigns/<int:pk>/results/<int:department_id>/<slug:code>/",
        views.dimension_explain_view,
        name="explain",
    ),
    path(
        "campaigns/<int:pk>/export/<str:kind>.<str:fmt>",
        views.export_view,
        name="export",
    ),
]
