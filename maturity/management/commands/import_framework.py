from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from maturity.framework_file import FrameworkFileError, size_problem
from maturity.services import import_framework_file


class Command(BaseCommand):
    help = "Import a framework file (YAML) as a new framework version; all or nothing."

    def add_arguments(self, parser):
        parser.add_argument("path", type=Path)
        parser.add_argument("--dry-run", action="store_true", help="Validate only; write nothing.")
        parser.add_argument(
            "--skip-existing",
            action="store_true",
            help="Succeed without changes when this slug and version are already imported.",
        )

    def handle(self, *args, path: Path, dry_run: bool, skip_existing: bool, **options):
        try:
            size = path.stat().st_size
            # Checked before reading: the whole file would be held in memory.
            content = path.read_bytes() if not size_problem(size) else b""
        except OSError as exc:
            raise CommandError(f"{path}: cannot read file: {exc.strerror}") from exc
        try:
            if too_large := size_problem(size):
                raise FrameworkFileError(str(path), [too_large])
            summary = import_framework_file(content=content, source=str(path), dry_run=dry_run)
        except FrameworkFileError as exc:
            if skip_existing and self._already_imported(exc):
                self.stdout.write(f"{path}: this version is already imported; nothing to do.")
                return
            raise CommandError(
                f"{path}: {len(exc.problems)} problem(s); nothing was imported.\n{exc.render()}"
            ) from exc
        verb = "is valid" if dry_run else "imported"
        self.stdout.write(
            self.style.SUCCESS(
                f"{path}: {summary['slug']} v{summary['version']} {verb} "
                f"({summary['dimensions']} dimensions, {summary['questions']} questions)."
            )
        )

    @staticmethod
    def _already_imported(exc: FrameworkFileError) -> bool:
        return (
            len(exc.problems) == 1
            and exc.problems[0].path == "version"
            and ("already exists" in exc.problems[0].message)
        )
