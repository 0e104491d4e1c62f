from django.urls import path

from . import views
from .calculators import views as calculator_views

app_name = "training"
urlpatterns = [
    path("learn/", views.module_list, name="module-list"),
    path("learn/team/", views.team_progress_view, name="team-progress"),
    path("learn/calculators/", calculator_views.calculators, name="calculators"),
    path("learn/<slug:slug>/", views.module_detail, name="module-detail"),
    path("learn/<slug:slug>/quiz/", views.module_quiz, name="module-quiz"),
    path("learn/<slug:slug>/read/", views.module_mark_read, name="module-mark-read"),
    path(
        "learn/<slug:slug>/exercise/", views.module_exercise_answer, name="module-exercise-answer"
    ),
    path(
        "campaigns/<int:pk>/learning-paths/<int:department_id>/",
        views.learning_path_view,
        name="learning-path",
    ),
]
