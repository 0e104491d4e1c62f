from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from reports.handout import EDITIONS, FACILITATOR, build_handout
from training.models import Module


class Command(BaseCommand):
    help = "Render a study-session handout (PDF) for one or more training modules."

    def add_arguments(self, parser):
        parser.add_argument("modules", nargs="+", help="Module slugs, in the order to teach them.")
        parser.add_argument("--lang", choices=["ja", "en"], default="ja")
        parser.add_argument(
            "--edition",
            choices=EDITIONS,
            default=FACILITATOR,
            help="facilitator: with answer keys and notes (default); participant: without.",
        )
        parser.add_argument("-o", "--output", type=Path, required=True)

    def handle(self, *args, modules: list[str], lang: str, edition: str, output: Path, **options):
        found = {m.slug: m for m in Module.objects.filter(slug__in=modules)}
        missing = [slug for slug in modules if slug not in found]
        if missing:
            known = ", ".join(Module.objects.values_list("slug", flat=True))
            raise CommandError(f"Unknown module(s): {', '.join(missing)}. Known: {known}.")
        pdf = build_handout([found[slug] for slug in modules], language=lang, edition=edition)
        output.write_bytes(pdf)
        self.stdout.write(self.style.SUCCESS(f"Wrote {output} ({len(pdf):,} bytes)."))
