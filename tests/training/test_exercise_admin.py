"""The admin lists participants' exercise answers (training.admin.ExerciseAnswerAdmin)."""

import pytest
from django.urls import reverse
from django.utils import timezone

from assessments.models import Organisation
from tests.training.conftest import write_module
from training.models import ExerciseAnswer, Module
from training.services import import_modules

pytestmark = pytest.mark.django_db


def test_the_admin_lists_and_opens_an_exercise_answer(client, django_user_model, tmp_path):
    write_module(tmp_path)
    import_modules(directory=tmp_path)
    admin = django_user_model.objects.create_superuser("root", "root@example.com", "pw")
    learner = django_user_model.objects.create_user("learner", password="pw")
    organisation = Organisation.objects.create(name="Acme", slug="acme")
    answer = ExerciseAnswer.objects.create(
        user=learner,
        organisation=organisation,
        module=Module.objects.get(),
        text="Churn 6 ÷ 200 = 3%",
        submitted_at=timezone.now(),
    )
    client.force_login(admin)
    listing = client.get(reverse("admin:training_exerciseanswer_changelist"), {"q": "6 ÷ 200"})
    assert listing.status_code == 200
    assert list(listing.context["cl"].result_list) == [answer]
    change = client.get(reverse("admin:training_exerciseanswer_change", args=[answer.pk]))
    assert change.status_code == 200
    assert "Churn 6 ÷ 200 = 3%" in change.content.decode()
    assert client.get(reverse("admin:training_exerciseanswer_add")).status_code == 200
