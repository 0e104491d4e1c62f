"""Markdown to safe HTML. Framework guidance comes from imported files and module texts can be
edited in the admin, so every rendering goes through a well-kept sanitiser (nh3, the Ammonia
HTML sanitiser) with a small allow-list. It lives in ``maturity`` (the lowest app) so that the
questionnaire, the framework page, training and the reports share it."""

import markdown
import nh3
from django.utils.safestring import SafeString, mark_safe

ALLOWED_TAGS = {
    "p",
    "br",
    "strong",
    "em",
    "code",
    "pre",
    "blockquote",
    "ul",
    "ol",
    "li",
    "h3",
    "h4",
    "table",
    "thead",
    "tbody",
    "tr",
    "th",
    "td",
    "a",
    "hr",
}
ALLOWED_ATTRIBUTES = {"a": {"href", "title"}, "th": {"align"}, "td": {"align"}}


def render_markdown(text: str) -> SafeString:
    """``text`` (Markdown) as sanitised HTML: a small allow-list of tags, http(s) and mailto
    links only, each with rel="noopener noreferrer"."""
    html = markdown.markdown(text or "", extensions=["tables", "sane_lists"])
    clean = nh3.clean(
        html,
        tags=ALLOWED_TAGS,
        attributes=ALLOWED_ATTRIBUTES,
        url_schemes={"http", "https", "mailto"},
        link_rel="noopener noreferrer",
    )
    # A wide table scrolls inside the page (the stylesheet's ``.prose table``); a keyboard
    # reaches it to scroll it. Added after sanitising: nh3 is not told to allow tabindex.
    clean = clean.replace("<table>", '<table tabindex="0">')
    return mark_safe(clean)  # noqa: S308 - sanitised by nh3 just above, tabindex added by us
