"""Template filters for framework texts that a file may or may not carry: Markdown guidance,
texts stored per language (criteria, reference titles), reference links and level names."""

from urllib.parse import urlsplit

from django import template
from django.utils.html import format_html, format_html_join
from django.utils.safestring import mark_safe
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from ..rendering import render_markdown

register = template.Library()


@register.filter(name="markdown")
def markdown_filter(text: str):
    """Guidance Markdown as sanitised HTML (``maturity.rendering``)."""
    return render_markdown(text)


@register.filter
def in_language(texts) -> str:
    """A ``{"ja": …, "en": …}`` text in the page's language, else the first one given."""
    if isinstance(texts, str):
        return texts
    if not isinstance(texts, dict):
        return ""
    language = (get_language() or "ja").split("-")[0]
    return texts.get(language) or next((t for t in texts.values() if t), "")


@register.filter
def web_link(url) -> str:
    """``url`` when it is an http(s) address, else "" (a file's link is shown, never run)."""
    if not isinstance(url, str):
        return ""
    try:
        parts = urlsplit(url.strip())
    except ValueError:
        return ""
    return url.strip() if parts.scheme in ("http", "https") and parts.netloc else ""


@register.simple_tag
def level_name(level, title: str = "") -> str:
    """ "Level 2: Defined" when the level has a title, "Level 2" when it has none; level 0 is
    a level like any other."""
    if level is None or level == "":
        return ""
    name = _("Level %(n)s") % {"n": level}
    return f"{name}: {title}" if title else name


@register.simple_tag
def question_guidance(question) -> str:
    """A question's guidance (Markdown), quality criteria (a list) and references (links),
    folded in one ``<details>``; "" when the question has none of them."""
    criteria = [in_language(c) for c in question.criteria or []]
    criteria = [c for c in criteria if c]
    references = []
    for reference in question.references or []:
        if not isinstance(reference, dict):
            continue
        url = web_link(reference.get("url"))
        title = in_language(reference.get("title")) or url
        if title:
            references.append((title, url))
    if not (question.guidance or criteria or references):
        return ""
    parts = [format_html("<summary>{}</summary>", _("Guidance"))]
    if question.guidance:
        parts.append(
            format_html('<div class="q-guidance-text">{}</div>', render_markdown(question.guidance))
        )
    if criteria:
        parts.append(
            format_html(
                '<p class="q-guidance-heading">{}</p><ul class="q-criteria">{}</ul>',
                _("Quality criteria"),
                format_html_join("", "<li>{}</li>", ((c,) for c in criteria)),
            )
        )
    if references:
        items = [
            format_html('<li><a href="{}" rel="noopener noreferrer">{}</a></li>', url, title)
            if url
            else format_html("<li>{}</li>", title)
            for title, url in references
        ]
        parts.append(
            format_html(
                '<p class="q-guidance-heading">{}</p><ul class="q-references">{}</ul>',
                _("References"),
                mark_safe("".join(items)),  # noqa: S308 - each item built by format_html
            )
        )
    return format_html(
        '<details class="q-help q-guidance">{}</details>',
        mark_safe("".join(parts)),  # noqa: S308 - each part built by format_html
    )


@register.filter
def uses_functions(framework) -> bool:
    """Whether any question of ``framework`` is limited to some department functions (the
    default framework's are): only then does a department's function mean something to show
    beside its name. One query."""
    if framework is None:
        return False
    return framework.questions.exclude(functions=[]).exists()
