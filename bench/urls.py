"""The app's URLs plus the benchmarks' baselines (raw-SQL autosave, bare JSON view), which
exist only in the benchmarks."""

from django.urls import path

from config.urls import urlpatterns as app_urlpatterns

from .bare import bare_json
from .raw_upsert import raw_answer

urlpatterns = [
    *app_urlpatterns,
    path(
        "bench/raw/responses/<int:pk>/answers/<int:question_id>/",
        raw_answer,
        name="bench-raw-answer",
    ),
    path("bench/bare/", bare_json, name="bench-bare"),
]
