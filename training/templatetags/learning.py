from django import template

from ..rendering import render_markdown

register = template.Library()


@register.filter(name="markdown")
def markdown_filter(text: str):
    """Module Markdown as sanitised HTML."""
    return render_markdown(text)
