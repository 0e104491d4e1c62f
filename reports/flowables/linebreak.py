"""Line breaking of a paragraph's characters by the Japanese rules, and of short labels at
word boundaries.

Filling uses the font's metrics and never exceeds the width. A line never starts or ends where
the kinsoku table (``results.charts.kinsoku``) forbids: the character before such a spot moves
down with it (追い出し). Latin runs break at spaces (or after a hyphen a word already has, as in
"Customer-" / "success"), never inside a word, and no hyphen is ever added; a number stays with
its unit; a run too long for a line (a URL, a long number) is cut only where it must, after a
hyphen or a slash if one fits.

``word_ranges`` breaks a short label (a table header, a title) only where a reader sees a word
end, by the rule of the chart labels (``results.charts.fonts.word_breaks``): spaces, 「・」,
between runs of one script, after "ー" before the next katakana word.

Speed and memory: the width of each character is measured once per font and size, a
paragraph's characters, widths and break flags are kept in flat lists of shared objects
(``Prepared``), and a line's words are made per frag rather than per character
(``_make_line``).
"""

from __future__ import annotations

import unicodedata
from bisect import bisect_right
from dataclasses import dataclass, field
from functools import lru_cache

from reportlab.pdfbase.pdfmetrics import getAscentDescent, stringWidth
from reportlab.platypus.paragraph import (
    FragLine,
    ParaLines,
    imgNormV,
    imgVRange,
    sameFrag,
)
from reportlab.rl_config import _FUZZ

from results.charts.fonts import word_breaks
from results.charts.kinsoku import may_break

SPACES = frozenset(" \t\r\n")  # break here; not U+00A0 or the ideographic space
_SOFT_BREAKS = frozenset("-/‐")  # preferred places to cut a URL or a long compound
_WORD_HYPHENS = frozenset("-‐")  # a line may end after a word's own hyphen (Customer-|success)


@lru_cache(maxsize=4096)
def wide(char: str) -> bool:
    return unicodedata.east_asian_width(char) in "WF"


_WIDTHS: dict[tuple[str, float], dict[str, float]] = {}
_CHARS: dict[str, str] = {}  # one str object per character, shared by every paragraph


@dataclass
class Prepared:
    """A paragraph's characters as flat lists, one entry a character (``""`` for an image or
    an anchor): the character, its width (measured once per font and size), whether it is a
    space and whether a ``<br/>`` is there; and the frag of each run of characters.

    Plain lists of shared objects (each character's str and each width's float exist once),
    not one reportlab ``cjkU`` object a character: a 50-department report holds some 300,000
    characters while it is laid out."""

    units: list[str]
    widths: list[float]
    space: list[bool]
    forced: list[bool]
    run_starts: list[int]  # where the frag changes
    run_frags: list  # the frag of each run
    breaks: dict = field(default_factory=dict)  # cut_words → word_breaks of the text

    @classmethod
    def of(cls, frags: list) -> Prepared:
        """The paragraph's frags, as reportlab's ``wordWrap="CJK"`` splits them into units."""
        units, widths, space, forced = [], [], [], []
        run_starts, run_frags = [], []
        shared = _CHARS.setdefault
        for frag in frags:
            text = frag.text or [""]
            run_starts.append(len(units))
            run_frags.append(frag)
            is_break = hasattr(frag, "lineBreak")
            if hasattr(frag, "cbDefn"):  # an image (its width) or an anchor
                for c in text:
                    units.append(shared(c, c))
                    widths.append(getattr(frag.cbDefn, "width", 0))
                    space.append(c in SPACES)
                    forced.append(is_break)
                continue
            font, size = frag.fontName, frag.fontSize
            table = _WIDTHS.get((font, size))
            if table is None:
                table = _WIDTHS[font, size] = {}
            for c in text:
                width = table.get(c)
                if width is None:
                    width = table[c] = stringWidth(c, font, size)
                units.append(shared(c, c))
                widths.append(width)
                space.append(c in SPACES)
                forced.append(is_break)
        return cls(units, widths, space, forced, run_starts, run_frags)

    def word_breaks(self, cut_words: bool) -> dict[int, int]:
        """``results.charts.fonts.word_breaks`` where the kinsoku rules also let a line end."""
        if cut_words not in self.breaks:
            units = self.units
            text = "".join(units)
            self.breaks[cut_words] = {
                i: cost
                for i, cost in word_breaks(text, cut_words=cut_words).items()
                if _break_before(units, i) or (cost == 1 and text[i - 1] in "-/")
            }
        return self.breaks[cut_words]

    def frags(self, start: int, stop: int) -> list:
        """The frags of ``units[start:stop]``, each run's text cut to its part (a split
        paragraph's halves)."""
        return [frag.clone(text=text) for text, frag in _pieces(self, start, stop)]


def _break_before(units: list, i: int) -> bool:
    """May a line end before ``units[i]`` (which then starts the next line)?"""
    b = units[i]
    if not b or b in SPACES:
        return False  # empty items (anchors, images) stay with what precedes
    j = i - 1
    while j >= 0 and not units[j]:
        j -= 1
    if j < 0:
        return False
    spaced = units[j] in SPACES
    while j >= 0 and (not units[j] or units[j] in SPACES):
        j -= 1
    a = units[j] if j >= 0 else ""
    if not may_break(a, b):
        return False
    if spaced:
        return True
    if a.isdigit():
        return False  # a number stays with its unit: 3.3倍, 12か月, 2,000,000円
    if a in _WORD_HYPHENS and b.isascii() and b.isalpha():
        return j > 0 and units[j - 1].isascii() and units[j - 1].isalpha()  # Customer-|success
    return wide(a) or wide(b)


def _emergency_break(units: list, start: int, end: int) -> int:
    """Where to cut a run that has no break opportunity and does not fit: after its last hyphen
    or slash that fits, else as late as possible, keeping the kinsoku rules if the run allows."""
    allowed = [i for i in range(end, start + 1, -1) if may_break(units[i - 1], units[i])]
    return next(
        (i for i in allowed if units[i - 1] in _SOFT_BREAKS), allowed[0] if allowed else end
    )


_ASCENT_DESCENT: dict[tuple[str, float], tuple[float, float]] = {}


def _pieces(prep: Prepared, a: int, b: int):
    """``(text, frag)`` of each run of one frag within ``units[a:b]``."""
    units, starts = prep.units, prep.run_starts
    k = bisect_right(starts, a) - 1
    while a < b:
        k += 1
        end = min(starts[k] if k < len(starts) else b, b)
        yield "".join(units[a:end]), prep.run_frags[k - 1]
        a = end


def _make_line(pieces, max_width, used, line_break, calc_bounds) -> FragLine:
    """reportlab's ``makeCJKParaLine`` of the line's ``(text, frag)`` pieces: the same words
    and metrics, worked out once per frag instead of once per character."""
    words, max_size, max_ascent, min_descent = [], 0, 0, 0
    first, texts = None, []
    for text, f in pieces:
        size = f.fontSize
        cb = getattr(f, "cbDefn", None) if calc_bounds else None
        if getattr(cb, "width", 0):
            descent, ascent = imgVRange(imgNormV(cb.height, size), cb.valign, size)
        else:
            key = (f.fontName, size)
            metrics = _ASCENT_DESCENT.get(key)
            if metrics is None:
                metrics = _ASCENT_DESCENT[key] = getAscentDescent(f.fontName, size)
            ascent, descent = metrics
        max_size = max(max_size, size)
        max_ascent = max(max_ascent, ascent)
        min_descent = min(min_descent, descent)
        if first is None:
            first = f
        elif f is not first and not sameFrag(first, f):
            words.append(_word(first, texts))
            first, texts = f, []
        texts.append(text)
    if first is not None:
        words.append(_word(first, texts))
    return FragLine(
        kind=1, extraSpace=max_width - used, wordCount=1, words=words, fontSize=max_size,
        ascent=max_ascent, descent=min_descent, maxWidth=max_width, currentWidth=used,
        lineBreak=line_break,
    )  # fmt: skip


def _word(frag, texts: list[str]):
    word = frag.clone()
    word.text = "".join(texts)
    return word


def _trimmed_end(space: list[bool], start: int, stop: int) -> int:
    while stop > start and space[stop - 1]:
        stop -= 1
    return stop


def greedy_ranges(prep: Prepared, max_widths: list[float]) -> list[tuple[int, int, int, bool]]:
    """Greedy kinsoku line breaking: ``(start, stop, following, line_break)`` for each line."""
    units, widths, space, forced_ = prep.units, prep.widths, prep.space, prep.forced
    ranges = []
    n = len(units)
    start = 0
    while start < n:
        limit = max_widths[min(len(ranges), len(max_widths) - 1)] + _FUZZ
        end, width, used = start, 0.0, 0.0
        while end < n and not forced_[end]:
            grown = width + widths[end]
            new_used = used if space[end] else grown
            if new_used > limit and end > start:
                break
            width, used, end = grown, new_used, end + 1
        line_break = end < n and forced_[end]
        if end == n or line_break:
            stop, following = end, end + line_break
        else:
            stop = next((i for i in range(end, start, -1) if _break_before(units, i)), None)
            stop = following = stop or _emergency_break(units, start, end)
        ranges.append((start, stop, following, line_break))
        start = following
        while start < n and space[start]:
            start += 1
    return ranges


def word_ranges(
    prep: Prepared, max_widths: list[float], *, cut_words: bool = False
) -> list[tuple[int, int, int, bool]] | None:
    """A short label broken only where a word ends (``results.charts.fonts.word_breaks``, and
    only where the kinsoku rules allow a line to end), or None when a word does not fit. Among
    fitting breaks the cheapest, then the fewest lines, then the narrowest widest line win."""
    units, widths, space = prep.units, prep.widths, prep.space
    n = len(units)
    if any(prep.forced) or any(len(u) != 1 for u in units):
        return None
    costs = prep.word_breaks(cut_words)
    ends = [*sorted(costs), n]
    memo: dict = {}

    def best(start: int, line: int):
        key = (start, min(line, len(max_widths) - 1))
        if key in memo:
            return memo[key]
        limit = max_widths[key[1]] + _FUZZ
        found = None
        for end in ends:
            if end <= start:
                continue
            stop = _trimmed_end(space, start, end)
            width = sum(widths[start:stop])
            if width > limit:
                break
            if end == n:
                option = (0, 1, width, ((start, stop, n, False),))
            else:
                following = end
                while following < n and space[following]:
                    following += 1
                rest = best(following, line + 1)
                if rest is None:
                    continue
                cost, count, widest, tail = rest
                option = (
                    costs[end] + cost, count + 1, max(width, widest),
                    ((start, stop, end, False), *tail),
                )  # fmt: skip
            if found is None or option[:3] < found[:3]:
                found = option
        memo[key] = found
        return found

    found = best(0, 0)
    return list(found[3]) if found else None


def widest_word(prep: Prepared) -> float:
    """The widest run of a label between the places ``word_ranges`` may break."""
    units, space, widths = prep.units, prep.space, prep.widths
    n = len(units)
    breaks = sorted(prep.word_breaks(False))
    widest, start = 0.0, 0
    for end in [*breaks, n]:
        stop = _trimmed_end(space, start, end)
        widest = max(widest, sum(widths[start:stop]))
        start = end
        while start < n and space[start]:
            start += 1
    return widest


def lines_of(
    prep: Prepared, ranges, max_widths: list[float], calc_bounds: bool = False
) -> ParaLines:
    """The ranges as reportlab's kind-1 lines (the line's trailing spaces left out)."""
    widths, space = prep.widths, prep.space
    lines = []
    for start, stop, following, line_break in ranges:
        max_width = max_widths[min(len(lines), len(max_widths) - 1)]
        body_end = _trimmed_end(space, start, stop)
        used = sum(widths[start:body_end])
        pieces = [*_pieces(prep, start, body_end)]
        if line_break:
            pieces += _pieces(prep, stop, following)
        line = _make_line(pieces, max_width, used, line_break, calc_bounds)
        line.jp_prep, line.jp_start = prep, start
        lines.append(line)
    return ParaLines(kind=1, lines=lines)


def segment_widths(prep: Prepared):
    """Widths of the pieces between break opportunities, trailing spaces left out."""
    units, widths, space, forced_ = prep.units, prep.widths, prep.space, prep.forced
    width = used = 0.0
    for i in range(len(units)):
        if forced_[i] or (i and _break_before(units, i)):
            yield used
            width = used = 0.0
        if not forced_[i]:
            width += widths[i]
            if not space[i]:
                used = width
    yield used
