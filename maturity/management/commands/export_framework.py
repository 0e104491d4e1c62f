from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from maturity.framework_io import dump_framework_yaml, export_framework
from maturity.models import Framework


class Command(BaseCommand):
    help = "Export a framework version as a YAML framework file (latest version by default)."

    def add_arguments(self, parser):
        # --version selects the framework version here, replacing Django's program version flag.
        parser.conflict_handler = parser._optionals.conflict_handler = "resolve"
        parser.add_argument("slug")
        parser.add_argument(
            "--version",
            dest="framework_version",
            help="The version number, or a version label such as 2.2.0.",
        )
        parser.add_argument("-o", "--output", type=Path, help="File to write; stdout if omitted.")

    def handle(self, *args, slug: str, framework_version: str | None, output: Path | None, **opts):
        frameworks = Framework.objects.filter(slug=slug)
        if framework_version is not None and framework_version.isdigit():
            frameworks = frameworks.filter(version=int(framework_version))
        elif framework_version is not None:
            frameworks = frameworks.filter(version_label=framework_version)
        framework = frameworks.order_by("-version").first()
        if framework is None:
            which = f" version {framework_version}" if framework_version else ""
            known = (
                ", ".join(sorted(set(Framework.objects.values_list("slug", flat=True)))) or "none"
            )
            raise CommandError(f"No framework {slug!r}{which}. Known frameworks: {known}.")
        text = dump_framework_yaml(export_framework(framework))
        if output is None:
            self.stdout.write(text, ending="")
        else:
            output.write_text(text, encoding="utf-8")
            self.stderr.write(f"Wrote {framework.slug} v{framework.display_version} to {output}.")
