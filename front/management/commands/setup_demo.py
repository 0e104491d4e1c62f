from django.core.management.base import BaseCommand, CommandError

from front.demo import setup_demo


class Command(BaseCommand):
    help = "Create the demo organisations, people and campaigns (safe to run again)."

    def handle(self, *args, **options):
        try:
            result = setup_demo()
        except RuntimeError as exc:
            raise CommandError(str(exc)) from exc
        self.stdout.write(self.style.SUCCESS("Demo data is ready. Log in with any of these users:"))
        for username, what in result["logins"]:
            self.stdout.write(f"  {username:<18} {what}")
        self.stdout.write(f"  password for all:  {result['password']}")
