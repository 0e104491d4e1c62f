"""Who may read what in a module text: the participant edition and the facilitator edition.

A facilitator-only block is a fenced container in the Markdown (docs/training-format.md)::

    ::: facilitator
    **Answers to check against** ...
    :::

The opening line is ``::: facilitator`` and the closing line is ``:::``, each alone on its
line. The participant edition drops the blocks with their fences; the facilitator edition keeps
their text. Blocks do not nest. Everything here is pure text work, so that the module page, the
management report's appendix and the handouts all cut the same way.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

OPEN = re.compile(r"^[ \t]*:::[ \t]*facilitator[ \t]*$", re.IGNORECASE)
CLOSE = re.compile(r"^[ \t]*:::[ \t]*$")


@dataclass(frozen=True)
class Part:
    """A run of Markdown, either for everyone or for the facilitator only."""

    text: str
    facilitator: bool


def parts(text: str) -> list[Part]:
    """``text`` cut into runs for everyone and facilitator-only runs, in order; empty runs are
    left out. An opening fence that is never closed runs to the end of the text (the safe
    side: the rest is facilitator-only)."""
    result: list[Part] = []
    lines: list[str] = []
    inside = False
    for line in (text or "").splitlines():
        if not inside and OPEN.match(line):
            _flush(result, lines, facilitator=False)
            inside = True
        elif inside and CLOSE.match(line):
            _flush(result, lines, facilitator=True)
            inside = False
        else:
            lines.append(line)
    _flush(result, lines, facilitator=inside)
    return result


def _flush(result: list[Part], lines: list[str], *, facilitator: bool) -> None:
    chunk = "\n".join(lines).strip("\n")
    lines.clear()
    if chunk.strip():
        result.append(Part(chunk, facilitator))


def participant_markdown(text: str) -> str:
    """``text`` without its facilitator-only blocks (and their fences): what a participant,
    or a reader of the management report, may see."""
    return "\n\n".join(part.text for part in parts(text) if not part.facilitator)


def facilitator_blocks(text: str) -> list[str]:
    """The Markdown inside each facilitator-only block of ``text``, in order."""
    return [part.text for part in parts(text) if part.facilitator]


def facilitator_markdown(text: str) -> str:
    """``text`` with the fences removed and every block kept: the full facilitator edition as
    one Markdown text (for places that cannot mark the blocks apart)."""
    return "\n\n".join(part.text for part in parts(text))


def has_facilitator_blocks(text: str) -> bool:
    """Whether ``text`` holds at least one facilitator-only block."""
    return any(part.facilitator for part in parts(text))
