"""Markdown to safe HTML: written once in ``maturity.rendering`` (framework guidance uses it
too); training keeps this name for its callers."""

from maturity.rendering import ALLOWED_ATTRIBUTES, ALLOWED_TAGS, render_markdown

__all__ = ["ALLOWED_ATTRIBUTES", "ALLOWED_TAGS", "render_markdown"]
