from training.rendering import render_markdown


def test_it_renders_markdown_tables_and_emphasis():
    html = render_markdown("**太字**\n\n| a | b |\n|---|---|\n| 1 | 2 |\n")
    assert "<strong>太字</strong>" in html and '<table tabindex="0">' in html
    assert "<td>1</td>" in html


def test_it_removes_scripts_and_event_handlers():
    html = render_markdown('<script>alert(1)</script><img src=x onerror="alert(2)">ok')
    assert "<script" not in html and "onerror" not in html and "alert(2)" not in html
    assert "ok" in html


def test_it_drops_javascript_links():
    html = render_markdown("[click](javascript:alert(1))")
    assert "javascript:" not in html
