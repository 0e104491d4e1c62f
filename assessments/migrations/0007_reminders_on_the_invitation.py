"""When a respondent was last reminded is kept once, on their invitation (``reminded_at``,
which the reminder command also reads); ``Response.last_reminded_at`` held the same moment
a second time. The later of the two moments is kept before the column goes."""

from django.db import migrations
from django.db.models import F, Q


def keep_the_later_reminder(apps, schema_editor):
    Invitation = apps.get_model("assessments", "Invitation")
    later = Invitation.objects.filter(response__last_reminded_at__isnull=False).filter(
        Q(reminded_at__isnull=True) | Q(reminded_at__lt=F("response__last_reminded_at"))
    )
    for invitation in later.select_related("response"):
        invitation.reminded_at = invitation.response.last_reminded_at
        invitation.save(update_fields=["reminded_at"])


def copy_back(apps, schema_editor):
    Invitation = apps.get_model("assessments", "Invitation")
    Response = apps.get_model("assessments", "Response")
    for invitation in Invitation.objects.filter(reminded_at__isnull=False):
        Response.objects.filter(pk=invitation.response_id).update(
            last_reminded_at=invitation.reminded_at
        )


class Migration(migrations.Migration):
    dependencies = [
        ("assessments", "0006_organisation_answer"),
    ]

    operations = [
        migrations.RunPython(keep_the_later_reminder, copy_back),
        migrations.RemoveField(model_name="response", name="last_reminded_at"),
    ]
