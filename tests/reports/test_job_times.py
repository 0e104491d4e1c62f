"""The report jobs table tells when a report was asked for and finished in the reader's
format, the time with its zone (issue 17: completion times showed only "02:35:00")."""

import datetime
from types import SimpleNamespace

from django.template.loader import render_to_string
from django.utils import translation

ASKED = datetime.datetime(2026, 12, 2, 5, 35, 0, tzinfo=datetime.UTC)  # 14:35 in Tokyo


def job(**times):
    values = {"created_at": ASKED, "started_at": ASKED, "finished_at": None, "size": 0}
    values.update(times)
    return SimpleNamespace(requested_by=None, pages=0, **values)


def test_a_report_finished_the_same_day_shows_its_time_with_the_zone():
    finished = ASKED + datetime.timedelta(minutes=2, seconds=7)
    with translation.override("ja"):
        html = render_to_string("reports/_job_times.html", {"job": job(finished_at=finished)})
    assert "2026年12月2日14:35 JST" in html  # asked
    assert ">14:37 JST</time>" in html  # finished: the time and its zone, no bare seconds
