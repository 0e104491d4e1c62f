from pathlib import Path

from django.core.management.base import BaseCommand, CommandError, OutputWrapper

from assessments.models import Campaign
from reports.campaign_report import build_campaign_report


class TerminalProgress:
    """The build's progress as one line redrawn in place on a terminal: a bar once the page
    count is known (from the second layout pass on), a page counter before."""

    WIDTH = 30

    def __init__(self, stream: OutputWrapper):
        self.stream = stream
        self.drawn = 0

    def __call__(self, stage: str, done: int, total: int | None) -> None:
        if stage == "data":
            line = "Scoring…"
        elif stage == "layout" and total:
            filled = round(self.WIDTH * min(done, total) / total)
            bar = "#" * filled + "-" * (self.WIDTH - filled)
            line = f"Laying out [{bar}] page {done} of {total}"
        elif stage == "layout":
            line = f"Laying out: page {done}"
        else:
            line = f"Done: {done} pages"
        self._draw(line)

    def _draw(self, line: str) -> None:
        # Pad over the longer line drawn before; no colour (stderr's style is the error red).
        self.stream.write("\r" + line.ljust(self.drawn), style_func=str, ending="")
        self.stream.flush()
        self.drawn = len(line)

    def close(self) -> None:
        if self.drawn:
            self.stream.write("", style_func=str)  # end the line


class StageLines:
    """The build's stages as plain lines, one per stage (for logs: ``-v 2`` off a terminal)."""

    def __init__(self, stream: OutputWrapper):
        self.stream = stream
        self.stage = None

    def __call__(self, stage: str, done: int, total: int | None) -> None:
        if stage == self.stage:
            return
        self.stage = stage
        lines = {"data": "Scoring…", "layout": "Laying out…", "done": f"Done: {done} pages"}
        self.stream.write(lines.get(stage, stage), style_func=str)

    def close(self) -> None:
        pass


class Command(BaseCommand):
    help = (
        "Render a campaign's report (or one department's) as a PDF file. On a terminal a "
        "progress bar is drawn on stderr (-v 2 off a terminal: one line per stage; --quiet: "
        "nothing but errors)."
    )

    def add_arguments(self, parser):
        parser.add_argument("campaign", type=int, help="Campaign id.")
        parser.add_argument("--department", type=int, help="Only this department (id).")
        parser.add_argument("--lang", choices=["ja", "en"], default="ja")
        parser.add_argument("-o", "--output", type=Path, required=True)
        parser.add_argument(
            "-q", "--quiet", action="store_true", help="No progress and no summary line."
        )

    def handle(
        self,
        *args,
        campaign: int,
        department: int | None,
        lang: str,
        output: Path,
        quiet: bool = False,
        **opts,
    ):
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
        progress = self._progress(quiet=quiet, verbosity=opts.get("verbosity", 1))
        try:
            if progress is not None:
                progress("data", 0, None)  # the builder says so only once the data is read
            pdf = build_campaign_report(found, department=chosen, language=lang, progress=progress)
        finally:
            if progress is not None:
                progress.close()
        output.write_bytes(pdf)
        if not quiet:
            self.stdout.write(self.style.SUCCESS(f"Wrote {output} ({len(pdf):,} bytes)."))

    def _progress(self, *, quiet: bool, verbosity: int):
        if quiet or verbosity == 0:
            return None
        if self.stderr.isatty():
            return TerminalProgress(self.stderr)
        if verbosity >= 2:
            return StageLines(self.stderr)
        return None
