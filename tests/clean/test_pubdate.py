"""Publication dates on leading and trailing lines (sentences written for these tests)."""

from __future__ import annotations

import datetime as dt

import pytest

from warlog.clean.pubdate import find_date_line
from warlog.clean.stage import CleanStage
from warlog.data import Article, Doc, PubDateSource

D = dt.date


@pytest.mark.parametrize(
    ("text", "date", "how"),
    [
        ("Tue 05 Jul 2016 Suicide bombing kills nine at a checkpoint", D(2016, 7, 5), "leading"),
        ("Date of publication 27 November 2017 Shelling hit the market", D(2017, 11, 27), "cue"),
        ("Published on March 3, 2018 Warplanes struck the town", D(2018, 3, 3), "cue"),
        ("Published October 9 2014 Rebels shelled the district", D(2014, 10, 9), "cue"),
        ("Updated: 03/14/2016 Fighting resumed", D(2016, 3, 14), "cue"),
        ("Last updated at Jul 152015 A barrel bomb fell on the town", D(2015, 7, 15), "cue"),
        ("Last updated 2 February 2019 09:14 GMT Clashes broke out", D(2019, 2, 2), "cue"),
        ("This story is from March 10, 2002 Gunmen attacked a bus", D(2002, 3, 10), "cue"),
        ("Posted on August 9, 2014 by a staff writer. Clashes went on", D(2014, 8, 9), "cue"),
        ("2015-07-05T10:22:00Z Mortar shells hit the old city", D(2015, 7, 5), "leading"),
        ("2015-07-05 Mortar shells hit the old city", D(2015, 7, 5), "leading"),
        ("24.08.2013 Rockets hit the suburb", D(2013, 8, 24), "leading"),
        ("24.08.2013Get short URL Rockets hit the suburb", D(2013, 8, 24), "leading"),
        ("05-07-2015 Army units destroyed a tunnel", D(2015, 7, 5), "leading"),
        ("July 22 2015 Islamic State fighters attacked a village", D(2015, 7, 22), "leading"),
        ("Wednesday, 12 August 2015 Rebels took the hill", D(2015, 8, 12), "leading"),
        ("Fri Feb 13 2015 Air strikes hit the city", D(2015, 2, 13), "leading"),
        ("Ten killed in air raid on market Monitor AFP Wednesday 22 Jul 2015 At least ten people", D(2015, 7, 22), "weekday"),
    ],
)
def test_date_lines(text: str, date: dt.date, how: str) -> None:
    found = find_date_line(text, today=D(2026, 1, 1))
    assert found is not None and found[0] == date and found[3] == how, found


def test_trailing_cue() -> None:
    text = "Warplanes struck the town of Ariha, killing four. " * 12 + "Date of publication 27 November 2017"
    found = find_date_line(text, today=D(2026, 1, 1))
    assert found is not None and found[0] == D(2017, 11, 27) and found[3] == "trailing"


@pytest.mark.parametrize(
    "text",
    [
        "Government forces attacked on Tuesday 5 July 2016 the town of Ariha",
        "Rebels have held the town since Monday 4 July 2016, a monitor said",
        "Clashes broke out in the town late on Friday, killing three",
        "More than 170,000 people have been killed since 2011",
    ],
)
def test_event_dates_are_not_publication_dates(text: str) -> None:
    assert find_date_line(text, today=D(2026, 1, 1)) is None


def test_future_dates_are_not_publication_dates() -> None:
    assert find_date_line("Published on 3 May 2031 Shelling", today=D(2026, 1, 1)) is None


def test_clean_stage_records_the_source() -> None:
    art = Article("a", "a.txt", "Sun 05 Jul 2015 22 dead in raids. Air strikes killed 22 people on Saturday, a monitor said.")
    doc = CleanStage().process(Doc(art))
    assert doc is not None and doc.pub_date == D(2015, 7, 5) and doc.pub_date_source == PubDateSource.DATE_LINE
    assert doc.meta["dateline_end"] == len("Sun 05 Jul 2015")
