from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from maturity.framework_file import FrameworkFileError
from maturity.interview_kit import MAX_BYTES, import_interview_kit


class Command(BaseCommand):
    help = (
        "Import an interview kit (<slug>.interview.yaml) into every version of its framework; "
        "all or nothing, and importing it again changes nothing."
    )

    def add_arguments(self, parser):
        parser.add_argument("path", type=Path)

    def handle(self, *args, path: Path, **options):
        try:
            if path.stat().st_size > MAX_BYTES:
                raise CommandError(f"{path}: larger than {MAX_BYTES} bytes; nothing was imported.")
            content = path.read_bytes()
        except OSError as exc:
            raise CommandError(f"{path}: cannot read file: {exc.strerror}") from exc
        try:
            summary = import_interview_kit(content=content, source=str(path))
        except FrameworkFileError as exc:
            raise CommandError(
                f"{path}: {len(exc.problems)} problem(s); nothing was imported.\n{exc.render()}"
            ) from exc
        self.stdout.write(
            self.style.SUCCESS(
                f"{path}: interview kit for {summary['framework']} imported into "
                f"{summary['versions']} version(s) ({summary['guides']} dimension guides, "
                f"{summary['evidence']} level evidence rows)."
            )
        )
