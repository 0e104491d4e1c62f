from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("assessments", "0004_organisation_business_model"),
    ]

    operations = [
        migrations.AddField(
            model_name="response",
            name="last_reminded_at",
            field=models.DateTimeField(blank=True, null=True, verbose_name="last reminded"),
        ),
    ]
