from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from maturity.models import Framework
from reports.interview_guide import build_interview_guide


class Command(BaseCommand):
    help = (
        "Write the interview-guide PDF of a framework (its newest published version unless "
        "--framework-version is given): documents, questions and evidence per level for "
        "each dimension."
    )

    def add_arguments(self, parser):
        parser.add_argument("slug")
        parser.add_argument("-o", "--output", type=Path, required=True)
        parser.add_argument("--language", choices=["ja", "en"], default="ja")
        parser.add_argument(
            "--framework-version",
            type=int,
            dest="framework_version",
            help="The version's sequence number.",
        )

    def handle(self, *args, slug: str, output: Path, language: str, framework_version, **options):
        versions = Framework.objects.filter(slug=slug)
        if framework_version is not None:
            framework = versions.filter(version=framework_version).first()
        else:
            framework = (
                versions.filter(status=Framework.Status.PUBLISHED).order_by("-version").first()
                or versions.order_by("-version").first()
            )
        if framework is None:
            raise CommandError(f"{slug}: no such framework (or version) is imported.")
        pdf = build_interview_guide(framework, language=language)
        try:
            output.write_bytes(pdf)
        except OSError as exc:
            raise CommandError(f"{output}: cannot write file: {exc.strerror}") from exc
        self.stdout.write(self.style.SUCCESS(f"{output}: interview guide of {framework.label}."))
