from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from assessments.models import Campaign
from reports.campaign_report import build_campaign_report


class Command(BaseCommand):
    help = "Render a campaign's report (or one department's) as a PDF file."

    def add_arguments(self, parser):
        parser.add_argument("campaign", type=int, help="Campaign id.")
        parser.add_argument("--department", type=int, help="Only this department (id).")
        parser.add_argument("--lang", choices=["ja", "en"], default="ja")
        parser.add_argument("-o", "--output", type=Path, required=True)

    def handle(self, *args, campaign: int, department: int | None, lang: str, output: Path, **opts):
        found = (
            Campaign.objects.select_related("organisation", "framework").filter(pk=campaign).first()
        )
        if found is None:
            raise CommandError(f"No campaign with id {campaign}.")
        chosen = None
        if department is not None:
            chosen = found.departments.filter(pk=department).first()
            if chosen is None:
                names = ", ".join(f"{d.pk} {d.name}" for d in found.departments.order_by("pk"))
                raise CommandError(f"Department {department} is not in this campaign ({names}).")
        pdf = build_campaign_report(found, department=chosen, language=lang)
        output.write_bytes(pdf)
        self.stdout.write(self.style.SUCCESS(f"Wrote {output} ({len(pdf):,} bytes)."))
