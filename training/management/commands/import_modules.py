from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from training.module_files import ModuleFileError
from training.services import import_modules

DEFAULT_DIRECTORY = Path(settings.BASE_DIR) / "training" / "content"


class Command(BaseCommand):
    help = "Import the training modules (Markdown, ja + en) from a directory; all or nothing."

    def add_arguments(self, parser):
        parser.add_argument("directory", nargs="?", type=Path, default=DEFAULT_DIRECTORY)
        parser.add_argument(
            "--skip-existing",
            action="store_true",
            help="Keep modules that already exist (e.g. edited in the admin).",
        )

    def handle(self, *args, directory: Path, skip_existing: bool, **options):
        if not directory.is_dir():
            raise CommandError(f"{directory}: not a directory")
        try:
            done = import_modules(directory=directory, skip_existing=skip_existing)
        except ModuleFileError as exc:
            raise CommandError(
                f"{len(exc.problems)} problem(s); nothing was imported.\n{exc.render()}"
            ) from exc
        counts = {
            action: sum(1 for _s, a in done if a == action)
            for action in ("created", "updated", "kept")
        }
        self.stdout.write(
            self.style.SUCCESS(
                f"{len(done)} modules: {counts['created']} created, {counts['updated']} updated, "
                f"{counts['kept']} kept."
            )
        )
