"""The app's URLs plus the raw-SQL autosave baseline, which exists only in the benchmark."""

from django.urls import path

from config.urls import urlpatterns as app_urlpatterns

from .raw_upsert import raw_answer

urlpatterns = [
    *app_urlpatterns,
    path(
        "bench/raw/responses/<int:pk>/answers/<int:question_id>/",
        raw_answer,
        name="bench-raw-answer",
    ),
]
