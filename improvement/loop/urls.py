from django.urls import path

from . import views

urlpatterns = [
    path(
        "campaigns/<int:pk>/departments/<int:department_id>/loop/",
        views.department_loop_view,
        name="loop",
    ),
]
