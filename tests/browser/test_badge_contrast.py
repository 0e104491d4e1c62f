"""Every badge and chip the stylesheet defines reaches WCAG AA contrast (issue 17: the level-2
badge was white on #B87515, 3.75:1), not only those the demo happens to show: each status
chip (``.status-*``), role tag (``.role-*``), level badge (``.level-bN``, ``.level-row.level-N
.level-badge``) and rank is built from the class names in static/css/levelcheck.css, on a card
and on the page background, and axe-core's color-contrast rule checks them in the browser.
"""

import re
from pathlib import Path

import pytest
from django.conf import settings

from .test_every_page import AXE, PHONE

CSS = (Path(settings.BASE_DIR) / "static" / "css" / "levelcheck.css").read_text()
WIDE = "width: auto; padding: 0 10px; border-radius: 999px"
CONTRAST = """async (selector) => {
  const result = await axe.run(document.querySelector(selector),
    {runOnly: {type: 'rule', values: ['color-contrast']}});
  return {violations: result.violations.flatMap(v => v.nodes.map(n =>
            n.target.join(' ') + ': ' + n.any.map(a => a.message).join(' '))),
          checked: result.passes.flatMap(v => v.nodes).length};
}"""


def chips() -> list[str]:
    """HTML of every badge and chip the stylesheet styles, one a line, each with a name."""
    html = ['<span class="status">未着手</span>']
    for name in sorted(set(re.findall(r"\.status-([\w-]+)", CSS))):
        html.append(f'<span class="status status-{name}">{name} 状態</span>')
    for name in sorted(set(re.findall(r"\.role-(?!tag)([\w-]+)", CSS))):
        html.append(f'<span class="role-tag role-{name}">{name} 役割</span>')
    html.append('<span class="role-tag">マネージャー</span>')
    # axe leaves a one-character text unjudged ("too short"), as the badges' own digits are:
    # the badges here hold a longer text, in a pill wide enough for it.
    wide = f'style="{WIDE}"'
    for level in sorted(set(re.findall(r"\.level-badge\.level-b(\d)", CSS))):
        html.append(f'<span class="level-badge level-b{level}" {wide}>{level}.0 段階</span>')
    for level in sorted(set(re.findall(r"\.level-row\.level-(\d) \.level-badge", CSS))):
        badge = f'<span class="level-badge" {wide}>{level}.0 段階</span>'
        html.append(f'<div class="level-row level-{level}">{badge}</div>')
    html.append('<span class="loop-rank">1 位</span>')
    return html


def show(page, html: list[str], *, extra: str = "") -> None:
    """The chips inside a card and straight on the page background, at the end of main."""
    page.evaluate(
        """([html, extra]) => {
        const card = document.createElement('section');
        card.className = 'card'; card.id = 'chips-card';
        card.innerHTML = html.join('<br>') + extra;
        const bare = document.createElement('div');
        bare.id = 'chips-bare'; bare.innerHTML = html.join('<br>');
        document.querySelector('main').append(card, bare);
    }""",
        [html, extra],
    )


@pytest.mark.parametrize("locale", ["ja-JP", "en-US"])
def test_every_badge_and_chip_of_the_stylesheet_reaches_aa(new_context, live_server, locale):
    html = chips()
    assert len(html) >= 25, html  # the statuses, roles and levels were found in the CSS
    page = new_context(locale=locale, viewport=PHONE, bypass_csp=True).new_page()
    page.goto(f"{live_server.url}/")
    show(page, html)
    page.add_script_tag(content=AXE)
    for where in ("#chips-card", "#chips-bare"):
        result = page.evaluate(CONTRAST, where)
        assert result["violations"] == [], "\n".join(result["violations"])
        assert result["checked"] >= len(html), result  # each chip was really measured


def test_the_check_fails_the_old_level_2_badge(new_context, live_server):
    """White on #B87515 (3.75:1), the level-2 badge the issue found, is caught."""
    page = new_context(locale="ja-JP", viewport=PHONE, bypass_csp=True).new_page()
    page.goto(f"{live_server.url}/")
    old = f'<span class="level-badge" style="{WIDE}; background: #b87515; color: #fff">2 級</span>'
    show(page, chips(), extra=old)
    page.add_script_tag(content=AXE)
    violations = page.evaluate(CONTRAST, "#chips-card")["violations"]
    assert len(violations) == 1 and "3.75" in violations[0], violations
