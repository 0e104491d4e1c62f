"""Dates and times as the reader's language writes them, times with their time zone
(front.templatetags.when)."""

import datetime

from django.template import Context, Template
from django.utils import translation

from front.templatetags.when import day, moment

# 05:07 UTC is 14:07 in Tokyo (settings.TIME_ZONE, nine hours ahead, no summer time).
AT = datetime.datetime(2026, 12, 2, 5, 7, tzinfo=datetime.UTC)


def test_a_date_in_japanese_and_in_english():
    with translation.override("ja"):
        assert day(datetime.date(2027, 1, 31)) == "2027年1月31日"
    with translation.override("en"):
        assert day(datetime.date(2027, 1, 31)) == "Jan. 31, 2027"


def test_a_time_in_the_sites_time_zone_with_its_name():
    with translation.override("ja"):
        assert moment(AT) == "2026年12月2日14:07 JST"
        assert day(AT) == "2026年12月2日"  # the date where the reader is
    with translation.override("en"):
        assert moment(AT) == "Dec. 2, 2026, 2:07 p.m. JST"


def test_nothing_prints_nothing_and_templates_load_it():
    assert day(None) == "" and moment(None) == ""
    html = Template("{% load when %}{{ at|moment }} / {{ on|day }}").render(
        Context({"at": AT, "on": datetime.date(2026, 12, 1)})
    )
    assert html == "2026年12月2日14:07 JST / 2026年12月1日"
