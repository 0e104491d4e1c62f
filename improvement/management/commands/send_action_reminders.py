from django.core.management.base import BaseCommand, CommandError

from improvement.actions.reminders import DEFAULT_DAYS, send_action_reminders

MAX_DAYS = 366


class Command(BaseCommand):
    help = (
        "E-mail the owner of every open improvement action due within --days days (or "
        "overdue), once per due date. Run it daily, e.g. from cron."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--days",
            type=int,
            default=DEFAULT_DAYS,
            help=f"Remind of actions due within this many days (default {DEFAULT_DAYS}).",
        )

    def handle(self, *args, days: int, **options):
        if not 0 <= days <= MAX_DAYS:
            raise CommandError(f"--days must lie between 0 and {MAX_DAYS}.")
        sent = send_action_reminders(days=days)
        self.stdout.write(self.style.SUCCESS(f"Sent {sent} reminder(s)."))
