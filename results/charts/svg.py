"""A chart Drawing as an accessible SVG element to inline in an HTML page.

reportlab's SVG renderer writes a standalone document: an XML declaration and doctype, a fixed
pixel size, placeholder ``<title>``/``<desc>``, ids (``clip``, ``group``) that would clash when a
page holds two charts, and the PDF font names. ``drawing_to_svg`` turns that into an element
that scales with its container, names itself to screen readers and lets the browser pick a
local Japanese font.
"""

from __future__ import annotations

import hashlib
import re
from xml.dom import minidom

from reportlab.graphics import renderSVG
from reportlab.graphics.shapes import Drawing

FONT_STACK = (
    "'IPAexGothic','Hiragino Sans','Hiragino Kaku Gothic ProN','Noto Sans JP','Yu Gothic',"
    "Meiryo,sans-serif"
)
_FONT_FAMILY = re.compile(r"font-family:\s*([^;]*);?\s*")
# 1 pt of the drawing shown as 4/3 CSS px: at most the size it has on paper.
_PX_PER_PT = 4 / 3


def drawing_to_svg(drawing: Drawing, *, title: str, description: str) -> str:
    """The drawing as an ``<svg role="img">`` element with a title, a description and a viewBox.

    It fills its container's width (up to its printed size) and keeps its aspect ratio. All
    text is XML-escaped, so the caller may mark the result safe. The ids of the title and the
    description derive from the content, so two charts on one page never share one.
    """
    raw = renderSVG.drawToString(drawing, useClip=True)
    document = minidom.parseString(raw.encode("utf-8"))
    svg = document.documentElement
    digest = hashlib.sha1(f"{title}\0{description}\0{raw}".encode()).hexdigest()
    element_id = f"chart-{digest[:10]}"

    width, height = drawing.width, drawing.height
    svg.setAttribute("viewBox", f"0 0 {_number(width)} {_number(height)}")
    svg.setAttribute("width", "100%")
    svg.removeAttribute("height")
    svg.setAttribute(
        "style", f"height:auto;max-width:{round(width * _PX_PER_PT)}px;font-family:{FONT_STACK}"
    )
    svg.setAttribute("role", "img")
    svg.setAttribute("aria-labelledby", f"{element_id}-title")
    svg.setAttribute("aria-describedby", f"{element_id}-desc")

    for tag, text in (("title", title), ("desc", description)):
        node = _child(svg, tag) or svg.insertBefore(document.createElement(tag), svg.firstChild)
        for old in list(node.childNodes):
            node.removeChild(old)
        node.appendChild(document.createTextNode(text))
        node.setAttribute("id", f"{element_id}-{tag}")
    title_node, desc_node = _child(svg, "title"), _child(svg, "desc")
    svg.insertBefore(desc_node, svg.firstChild)
    svg.insertBefore(title_node, svg.firstChild)  # the title must be the first child

    for element in svg.getElementsByTagName("g"):
        if element.getAttribute("id") == "group":
            element.removeAttribute("id")
        if element.hasAttribute("clip"):  # useClip's fallback; the viewBox already clips
            element.removeAttribute("clip")
    for element in svg.getElementsByTagName("text"):
        # The family is set once on <svg> (every chart draws in the one regular face).
        element.setAttribute("style", _FONT_FAMILY.sub("", element.getAttribute("style")))
    _drop_blank_text(svg)
    return svg.toxml()


def _drop_blank_text(node) -> None:
    for child in list(node.childNodes):
        if child.nodeType == child.TEXT_NODE and not child.data.strip():
            node.removeChild(child)
        elif child.nodeType == child.ELEMENT_NODE and child.tagName != "text":
            _drop_blank_text(child)


def _child(parent, tag: str):
    return next((n for n in parent.childNodes if getattr(n, "tagName", None) == tag), None)


def _number(value: float) -> str:
    return f"{value:g}"
