"""Layout rules of the campaign report checked from the story, the flowables and the PDF
itself: the progress hook the report job reads while the worker builds."""

import io

import pytest
from pypdf import PdfReader

from reports.campaign_report import build_campaign_report
from tests.reports.test_campaign_report import scored  # noqa: F401 - a fixture

pytestmark = pytest.mark.django_db


def test_progress_hears_data_then_every_page_then_done_with_the_page_count(scored):  # noqa: F811
    heard = []
    pdf = build_campaign_report(
        scored.campaign, language="en", progress=lambda *call: heard.append(call)
    )
    pages = len(PdfReader(io.BytesIO(pdf)).pages)
    assert heard[0] == ("data", 1, 1)
    assert heard[-1] == ("done", pages, pages)
    layout = [call for call in heard[1:-1]]
    assert {stage for stage, _done, _total in layout} == {"layout"}
    # The first pass does not know the page count yet; every later one does.
    first_pass = [done for _s, done, total in layout if total is None]
    assert first_pass == list(range(1, pages + 1))
    later = [(done, total) for _s, done, total in layout if total is not None]
    assert later and all(total == pages for _done, total in later)
    assert [done for done, _t in later][-pages:] == list(range(1, pages + 1))


def test_without_progress_the_report_is_built_as_before(scored):  # noqa: F811
    assert build_campaign_report(scored.campaign, language="en").startswith(b"%PDF")
