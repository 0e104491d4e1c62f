from django.urls import path

from . import api

urlpatterns = [
    path(
        "campaigns/<int:pk>/departments/<int:department_id>/loop/",
        api.DepartmentLoopView.as_view(),
        name="api-loop",
    ),
]
