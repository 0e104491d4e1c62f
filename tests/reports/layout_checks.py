"""Layout invariants of a report, read back from the PDF itself (pdfplumber's boxes).

Pure functions over an open ``pdfplumber.PDF``; each returns a list of ``Violation`` (empty when
the rule holds), each naming the page, what is wrong, the text and the box in PDF points
measured from the page's top-left corner (pdfplumber's ``x0, top, x1, bottom``).

- ``overlaps``: a text box (a pdfplumber word: characters of one size and direction closer than
  1.5 pt) crossed by, or closer than ``CLEARANCE`` to, a rule (a horizontal or vertical line, or
  an edge of a rectangle: table grids, cell and header backgrounds, heatmap cells), or crossed
  by another text box. A chart's own labels are exempt from its own strokes only: a rule lying
  wholly inside a chart's area (the box of a cluster of curves and slanted lines: the radar's
  rings, spokes and polygons, grown by ``CHART_SLACK``) does not count against a text box lying
  wholly inside that same area (the radar's scale figures sit on its upright spoke, on small
  white plates, by design). Text against text is never exempt, and a rule reaching outside the
  chart's area (a table's) never is.
- ``outside_margins``: any character, line, rectangle, curve or image outside the frame the
  margins leave, apart from exactly the running header and footer (``Running``: their rules and
  their 7.5 pt text on their baselines, between the side margins).
- ``underfilled_pages``: a page whose content ends above ``min_fill`` of the frame height,
  except the last page and a page followed by a chapter break (the next page's first line is
  set at the h1 size or larger).
- ``split_tables``: a ruled table (pdfplumber's line-strategy table finder) that ends one page
  and goes on at the top of the next (same outer edges and column lines) leaving one body row
  on either side; a first row repeated on the next page is its header and not counted.
- ``japanese_punctuation``: a Japanese punctuation mark or full-width form outside the given
  user data (names, comments… that people typed, matched across line and page breaks).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from reportlab.lib.pagesizes import A4
from reportlab.lib.units import mm

Box = tuple[float, float, float, float]  # x0, top, x1, bottom (points, from the top left)

TOLERANCE = 0.5  # pt: a box must be entered this far to count as touched
# pt: the space a text box keeps from every rule. Table cells keep 2.6 pt or more (3 pt padding);
# a paragraph set 0.9 pt under a table's bottom rule reads as touching it (issue 15, ja p.21).
CLEARANCE = 1.5
# pt: a chart's labels (scale figures, their white plates) sit just outside its strokes
CHART_SLACK = 12.0


@dataclass(frozen=True)
class Violation:
    check: str
    page: int  # 1-based
    what: str
    box: Box

    def __str__(self) -> str:
        x0, top, x1, bottom = self.box
        where = f"({x0:.1f}, {top:.1f})–({x1:.1f}, {bottom:.1f})"
        return f"p.{self.page} {self.check}: {self.what} at {where}"


@dataclass(frozen=True)
class TextBox:
    text: str
    box: Box
    upright: bool


@dataclass(frozen=True)
class Rule:
    """A straight horizontal or vertical stroke, as a box (its line width included)."""

    box: Box
    source: str  # "line" or "rect edge"


@dataclass(frozen=True)
class Running:
    """Where the running header and footer are drawn (reports.document.NumberedCanvas
    ._draw_running): rules and text baselines measured from the page top, the text's size."""

    rules: tuple[float, ...]
    baselines: tuple[float, ...]
    size: float
    left: float
    right: float


def report_running(margin: float, page: tuple[float, float] = A4) -> Running:
    """The report's band: rules 12 mm from the top and bottom edges, the header's baseline
    10 mm from the top, the footer's (text and page number) 8 mm from the bottom."""
    height = page[1]
    return Running(
        rules=(12 * mm, height - 12 * mm),
        baselines=(10 * mm, height - 8 * mm),
        size=7.5,
        left=margin,
        right=page[0] - margin,
    )


def _box(obj) -> Box:
    return (float(obj["x0"]), float(obj["top"]), float(obj["x1"]), float(obj["bottom"]))


def _crosses(a: Box, b: Box, tolerance: float = TOLERANCE) -> bool:
    """Whether the boxes' interiors meet by more than ``tolerance`` in both directions."""
    return (
        min(a[2], b[2]) - max(a[0], b[0]) > tolerance
        and min(a[3], b[3]) - max(a[1], b[1]) > tolerance
    )


def _inside(inner: Box, outer: Box, slack: float = TOLERANCE) -> bool:
    return (
        inner[0] >= outer[0] - slack
        and inner[1] >= outer[1] - slack
        and inner[2] <= outer[2] + slack
        and inner[3] <= outer[3] + slack
    )


def text_boxes(page) -> list[TextBox]:
    words = page.extract_words(
        x_tolerance=1.5, y_tolerance=1.5, keep_blank_chars=False, extra_attrs=["upright", "size"]
    )
    found = []
    for word in words:
        text = word["text"] if word["upright"] else word["text"][::-1]
        found.append(TextBox(text, _box(word), bool(word["upright"])))
    return found


def _is_straight(line) -> bool:
    return abs(line["x1"] - line["x0"]) < 0.01 or abs(line["bottom"] - line["top"]) < 0.01


def rules(page) -> list[Rule]:
    found = []
    for line in page.lines:
        if not _is_straight(line):
            continue
        half = float(line.get("linewidth") or 0) / 2
        x0, top, x1, bottom = _box(line)
        found.append(Rule((x0 - half, top - half, x1 + half, bottom + half), "line"))
    for rect in page.rects:
        x0, top, x1, bottom = _box(rect)
        half = float(rect.get("linewidth") or 0) / 2 if rect.get("stroke") else 0.0
        edges = [
            (x0, top, x1, top),
            (x0, bottom, x1, bottom),
            (x0, top, x0, bottom),
            (x1, top, x1, bottom),
        ]
        for ex0, etop, ex1, ebottom in edges:
            found.append(Rule((ex0 - half, etop - half, ex1 + half, ebottom + half), "rect edge"))
    return found


def chart_areas(page, gap: float = 24.0) -> list[Box]:
    """Boxes of clusters of curves and slanted lines (a chart's drawing), merged where they
    come within ``gap`` points of each other."""
    boxes = [_box(curve) for curve in page.curves]
    boxes += [_box(line) for line in page.lines if not _is_straight(line)]
    merged: list[Box] = []
    for box in boxes:
        merged.append(box)
        changed = True
        while changed:
            changed = False
            last = merged[-1]
            for index, other in enumerate(merged[:-1]):
                grown = (other[0] - gap, other[1] - gap, other[2] + gap, other[3] + gap)
                if _crosses(last, grown, 0):
                    merged[-1] = (
                        min(last[0], other[0]),
                        min(last[1], other[1]),
                        max(last[2], other[2]),
                        max(last[3], other[3]),
                    )
                    del merged[index]
                    changed = True
                    break
    return merged


def _gap(a: Box, b: Box) -> float:
    """The distance between two boxes (0 or less when they meet)."""
    return max(b[0] - a[2], a[0] - b[2], b[1] - a[3], a[1] - b[3])


def _grown(box: Box, by: float) -> Box:
    return (box[0] - by, box[1] - by, box[2] + by, box[3] + by)


def overlaps(pdf, tolerance: float = TOLERANCE, clearance: float = CLEARANCE) -> list[Violation]:
    found = []
    for number, page in enumerate(pdf.pages, start=1):
        texts = text_boxes(page)
        strokes = rules(page)
        charts = [_grown(area, CHART_SLACK) for area in chart_areas(page)]
        touching: dict = {}
        for text in texts:
            near = [
                rule
                for rule in strokes
                if _crosses(text.box, _grown(rule.box, clearance), 0.0)
                and not any(_inside(rule.box, c) and _inside(text.box, c) for c in charts)
            ]  # a chart's label on its own drawing is exempt
            if near:
                rule = min(
                    near, key=lambda r: (round(_gap(text.box, r.box), 2), r.box[1] - r.box[3])
                )
                touching.setdefault((text.box[1], text.box[3]), []).append((text, near))
        # Words of one line against the same rule make one violation.
        for words in touching.values():
            box = (
                min(w.box[0] for w, _ in words),
                words[0][0].box[1],
                max(w.box[2] for w, _ in words),
                words[0][0].box[3],
            )
            line_text = " ".join(w.text for w, _ in words)
            every = {r for _, near in words for r in near}
            count = len(every)
            # The closest rule, the longest among equals (the table's edge, not a column line).
            rule = min(every, key=lambda r: (round(_gap(box, r.box), 2), -(r.box[2] - r.box[0])))
            found.append(
                Violation(
                    "overlap",
                    number,
                    f"text {line_text!r} {_gap(box, rule.box):.1f} pt from a "
                    f"{rule.source} ({', '.join(f'{v:.1f}' for v in rule.box)}; "
                    f"{clearance} pt needed; {count} rule(s) in all)",
                    box,
                )
            )
        for index, text in enumerate(texts):
            for other in texts[index + 1 :]:
                if _crosses(text.box, other.box, tolerance):
                    found.append(
                        Violation(
                            "overlap",
                            number,
                            f"text {text.text!r} overlaps text {other.text!r} "
                            f"({', '.join(f'{v:.1f}' for v in other.box)})",
                            text.box,
                        )
                    )
    return found


def _is_running(obj, kind: str, running: Running, height: float) -> bool:
    slack = TOLERANCE
    if kind == "line":
        return (
            abs(obj["top"] - obj["bottom"]) < 0.01
            and any(abs(obj["top"] - y) < slack for y in running.rules)
            and abs(obj["x0"] - running.left) < slack
            and abs(obj["x1"] - running.right) < slack
        )
    if kind == "char":
        baseline = height - float(obj["matrix"][5])
        return (
            abs(float(obj["size"]) - running.size) < 0.01
            and any(abs(baseline - y) < slack for y in running.baselines)
            and obj["x0"] >= running.left - slack
            and obj["x1"] <= running.right + slack
        )
    return False


def frame_of(page, margin: float) -> Box:
    return (margin, margin, float(page.width) - margin, float(page.height) - margin)


def outside_margins(
    pdf, margin: float, running: Running, tolerance: float = TOLERANCE
) -> list[Violation]:
    found = []
    for number, page in enumerate(pdf.pages, start=1):
        frame = frame_of(page, margin)
        for kind, objects in (
            ("char", page.chars),
            ("line", page.lines),
            ("rect", page.rects),
            ("curve", page.curves),
            ("image", page.images),
        ):
            for obj in objects:
                box = _box(obj)
                if _inside(box, frame, tolerance) or _is_running(obj, kind, running, page.height):
                    continue
                label = f"{kind} {obj['text']!r}" if kind == "char" else kind
                found.append(Violation("margin", number, f"{label} outside the margins", box))
    return found


def _content_boxes(page, margin: float) -> list[Box]:
    """Everything drawn inside the frame (so not the running header and footer)."""
    frame = frame_of(page, margin)
    boxes = []
    for objects in (page.chars, page.lines, page.rects, page.curves, page.images):
        for obj in objects:
            box = _box(obj)
            if _inside(box, frame, TOLERANCE):
                boxes.append(box)
    return boxes


def _first_line_size(page, margin: float) -> float:
    frame = frame_of(page, margin)
    chars = [c for c in page.chars if _inside(_box(c), frame) and c["text"].strip()]
    if not chars:
        return 0.0
    top = min(c["top"] for c in chars)
    return max(float(c["size"]) for c in chars if c["top"] - top < 2.0)


def underfilled_pages(
    pdf, margin: float, heading_size: float, min_fill: float = 0.25
) -> list[Violation]:
    pages = list(pdf.pages)
    found = []
    for index, page in enumerate(pages):
        if index == len(pages) - 1:
            continue  # the last page ends where the text ends
        if _first_line_size(pages[index + 1], margin) >= heading_size - 0.01:
            continue  # a chapter starts on the next page
        frame = frame_of(page, margin)
        boxes = _content_boxes(page, margin)
        lowest = max((box[3] for box in boxes), default=frame[1])
        fill = (lowest - frame[1]) / (frame[3] - frame[1])
        if fill < min_fill:
            found.append(
                Violation(
                    "fill",
                    index + 1,
                    f"page filled to {fill:.0%} of the frame (at least {min_fill:.0%}) and "
                    "no chapter starts on the next page",
                    (frame[0], frame[1], frame[2], lowest),
                )
            )
    return found


@dataclass(frozen=True)
class _Table:
    box: Box
    columns: tuple[float, ...]
    rows: list[list[str]]


def ruled_tables(page) -> list[_Table]:
    tables = []
    for table in page.find_tables({"vertical_strategy": "lines", "horizontal_strategy": "lines"}):
        columns = sorted({round(cell[0], 1) for cell in table.cells} | {round(table.bbox[2], 1)})
        rows = [[(text or "").strip() for text in row] for row in table.extract()]
        tables.append(_Table(tuple(map(float, table.bbox)), tuple(columns), rows))
    return sorted(tables, key=lambda t: t.box[1])


def split_tables(pdf, margin: float) -> list[Violation]:
    pages = list(pdf.pages)
    found = []
    for index in range(len(pages) - 1):
        before, after = pages[index], pages[index + 1]
        first_tables, next_tables = ruled_tables(before), ruled_tables(after)
        if not first_tables or not next_tables:
            continue
        end, start = first_tables[-1], next_tables[0]
        below = [b for b in _content_boxes(before, margin) if b[1] > end.box[3] + TOLERANCE]
        above = [b for b in _content_boxes(after, margin) if b[3] < start.box[1] - TOLERANCE]
        if below or above:
            continue  # something comes between: not one table going on
        same_edges = abs(end.box[0] - start.box[0]) < 1 and abs(end.box[2] - start.box[2]) < 1
        if not same_edges or end.columns != start.columns:
            continue
        header = 1 if end.rows and start.rows and end.rows[0] == start.rows[0] else 0
        left, carried = len(end.rows) - header, len(start.rows) - header
        for count, page_number, table, side in (
            (left, index + 1, end, "ends this page with"),
            (carried, index + 2, start, "goes on to this page with"),
        ):
            if count == 1:
                row = table.rows[-1] if table is end else table.rows[header]
                found.append(
                    Violation(
                        "split table",
                        page_number,
                        f"a table split across pp.{index + 1}–{index + 2} {side} one row "
                        f"({left} before, {carried} after, header rows {header}): "
                        f"{' | '.join(row)!r}",
                        table.box,
                    )
                )
    return found


JAPANESE_PUNCTUATION = frozenset("「」『』【】〈〉《》〔〕・、。（）〜～")


def is_japanese_punctuation(char: str) -> bool:
    """CJK symbols and punctuation (U+3000–303F), the katakana middle dot, and full-width
    forms (U+FF01–FF60, U+FFE0–FFEE)."""
    code = ord(char)
    return (
        char in JAPANESE_PUNCTUATION
        or 0x3000 <= code <= 0x303F
        or code == 0x30FB
        or 0xFF01 <= code <= 0xFF60
        or 0xFFE0 <= code <= 0xFFEE
    )


def _squeeze(text: str) -> str:
    return "".join(text.split())


def japanese_punctuation(pdf, user_data: Iterable[str]) -> list[Violation]:
    """Every character of the document in drawing order, spaces and line breaks dropped, so a
    name or comment broken over lines or pages still matches; marks covered by an occurrence
    of a user-data text are exempt."""
    chars = []
    for number, page in enumerate(pdf.pages, start=1):
        for char in page.chars:
            if char["text"].strip():
                chars.append((number, char))
    stream = "".join(char["text"] for _, char in chars)
    covered = bytearray(len(stream))
    for text in {_squeeze(t) for t in user_data}:
        if not text:
            continue
        start = stream.find(text)
        while start >= 0:
            covered[start : start + len(text)] = b"\x01" * len(text)
            start = stream.find(text, start + 1)
    found = []
    for position, (number, char) in enumerate(chars):
        if covered[position] or not is_japanese_punctuation(char["text"]):
            continue
        context = stream[max(0, position - 12) : position + 12]
        found.append(
            Violation(
                "japanese punctuation",
                number,
                f"{char['text']!r} (U+{ord(char['text']):04X}) in …{context}…",
                _box(char),
            )
        )
    return found


def all_violations(
    pdf,
    *,
    margin: float,
    heading_size: float,
    running: Running | None = None,
    min_fill: float = 0.25,
    user_data: Sequence[str] | None = None,
) -> list[Violation]:
    """Every check; ``user_data`` given (the English report) adds the punctuation check."""
    found = overlaps(pdf)
    found += outside_margins(pdf, margin, running or report_running(margin))
    found += underfilled_pages(pdf, margin, heading_size, min_fill)
    found += split_tables(pdf, margin)
    if user_data is not None:
        found += japanese_punctuation(pdf, user_data)
    return found
