"""One palette: the stylesheet's colour custom properties equal results/charts/palette.py, and
every level badge's text reaches WCAG's 4.5:1 on its level colour."""

import re
from pathlib import Path

import pytest
from reportlab.lib.colors import HexColor

from reports import document
from results.charts import palette

CSS = Path(__file__).resolve().parents[2] / "static" / "css" / "levelcheck.css"
RULE = re.compile(r"([^{}]+)\{([^{}]*)\}")
PROPERTY = re.compile(r"(--[\w-]+)\s*:\s*([^;]+);")
VAR = re.compile(r"var\((--[\w-]+)\)")

# Custom property -> the palette colour it must equal.
SHARED = {
    "--ink": palette.INK,
    "--ink-soft": palette.MUTED,
    "--line": palette.LINE,
    "--brand": palette.BRAND,
    **{f"--lv{n}": colour for n, colour in enumerate(palette.LEVEL_COLOURS, start=1)},
    **{
        f"--lv{n}-ink": palette.text_colour_on(colour)
        for n, colour in enumerate(palette.LEVEL_COLOURS, start=1)
    },
}


def stylesheet() -> str:
    return re.sub(r"/\*.*?\*/", "", CSS.read_text(encoding="utf-8"), flags=re.S)


def custom_properties() -> dict[str, str]:
    root = next(
        body for selector, body in RULE.findall(stylesheet()) if selector.strip() == ":root"
    )
    return dict(PROPERTY.findall(root))


def resolve(value: str, properties: dict[str, str]) -> str:
    """A colour value with ``var(--x)`` replaced (recursively) and ``#fff`` spelled out."""
    while match := VAR.search(value):
        value = value.replace(match.group(0), properties[match.group(1)])
    value = value.strip().lower()
    if re.fullmatch(r"#[0-9a-f]{3}", value):
        value = "#" + "".join(c * 2 for c in value[1:])
    return value


def hex_of(colour) -> str:
    return "#" + colour.hexval()[2:].lower()


@pytest.mark.parametrize("name", sorted(SHARED))
def test_the_stylesheet_uses_the_palette_colour(name):
    properties = custom_properties()
    assert name in properties, f"{name} missing from levelcheck.css"
    assert resolve(properties[name], properties) == hex_of(SHARED[name])


def test_every_level_badge_rule_takes_a_level_colour_and_readable_text():
    properties = custom_properties()
    rules = [
        (selector.strip(), dict(re.findall(r"([\w-]+)\s*:\s*([^;]+);", body + ";")))
        for selector, body in RULE.findall(stylesheet())
        if "level-badge" in selector
    ]
    assert len(rules) == 11  # the badge, 5 on the framework page, 5 on the results pages
    levels = [hex_of(c) for c in palette.LEVEL_COLOURS]
    for selector, declarations in rules:
        background = resolve(declarations["background"], properties)
        text = resolve(declarations["color"], properties)
        assert background in levels, selector
        ratio = palette.contrast(HexColor(background), HexColor(text))
        assert ratio >= 4.5, f"{selector}: {text} on {background} is {ratio:.2f}:1"


def test_every_level_colour_has_a_text_colour_of_at_least_4_5_to_1():
    for colour in palette.LEVEL_COLOURS:
        assert palette.contrast(colour, palette.text_colour_on(colour)) >= 4.5, hex_of(colour)


def test_the_pdf_report_draws_with_the_palette():
    styles = document.styles()
    assert styles["body"].textColor == palette.INK
    assert styles["h1"].textColor == palette.BRAND
    assert styles["small"].textColor == palette.MUTED
