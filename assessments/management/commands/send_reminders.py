from django.core.management.base import BaseCommand, CommandError

from assessments.models import Campaign
from assessments.services import send_reminders

MAX_INTERVAL_HOURS = 24 * 366


class Command(BaseCommand):
    help = (
        "E-mail a reminder to every respondent of an open campaign who has not submitted "
        "(at most once per interval). Run it daily, e.g. from cron."
    )

    def add_arguments(self, parser):
        parser.add_argument("--campaign", type=int, help="Only this campaign (id).")
        parser.add_argument(
            "--min-interval-hours", type=int, default=24, help="Skip people reminded more recently."
        )

    def handle(self, *args, campaign: int | None, min_interval_hours: int, **options):
        if not 0 <= min_interval_hours <= MAX_INTERVAL_HOURS:
            raise CommandError(
                f"--min-interval-hours must lie between 0 and {MAX_INTERVAL_HOURS} (a year)."
            )
        target = None
        if campaign is not None:
            target = Campaign.objects.filter(pk=campaign).first()
            if target is None:
                raise CommandError(f"No campaign with id {campaign}.")
        sent = send_reminders(campaign=target, min_interval_hours=min_interval_hours)
        self.stdout.write(self.style.SUCCESS(f"Sent {sent} reminder(s)."))
