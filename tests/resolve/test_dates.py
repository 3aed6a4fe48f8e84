import datetime as dt

import pytest

from warlog.data import DatePrecision, DateSource
from warlog.resolve.dates import (
    episode_anchor,
    find_date_exprs,
    infer_pub_window,
    is_background,
    resolve_expr,
)

SAT = dt.date(2018, 2, 24)  # a Saturday


def res(text, pub=SAT):
    exprs = find_date_exprs(text)
    return resolve_expr(exprs[0] if exprs else None, pub)


@pytest.mark.parametrize(
    ("text", "date", "prec", "src"),
    [
        ("told the paper on Saturday", SAT, DatePrecision.DAY, DateSource.RELATIVE),
        ("said on Monday", dt.date(2018, 2, 19), DatePrecision.DAY, DateSource.RELATIVE),
        ("killed 400 this week", SAT, DatePrecision.WEEK, DateSource.RELATIVE),
        ("since the end of last December", dt.date(2017, 12, 1), DatePrecision.MONTH, DateSource.RELATIVE),
        ("in August 2017", dt.date(2017, 8, 1), DatePrecision.MONTH, DateSource.EXPLICIT),
        ("on 20 May 2018", dt.date(2018, 5, 20), DatePrecision.DAY, DateSource.EXPLICIT),
        ("broadcast on May 20", dt.date(2017, 5, 20), DatePrecision.DAY, DateSource.RELATIVE),
        ("yesterday", dt.date(2018, 2, 23), DatePrecision.DAY, DateSource.RELATIVE),
        ("no date words here", SAT, DatePrecision.WEEK, DateSource.PUBLICATION),
    ],
)
def test_resolution(text, date, prec, src):
    assert res(text) == (date, prec, src)


def test_background():
    assert is_background(dt.date(2017, 8, 1), DateSource.EXPLICIT, dt.date(2018, 5, 20))
    assert not is_background(dt.date(2018, 5, 17), DateSource.RELATIVE, dt.date(2018, 5, 20))


def test_window_and_episode_anchor():
    text = "Since 2013 the suburb was besieged. In Syria's seven-year civil war, since last December..."
    w = infer_pub_window(text, "SY")
    assert w is not None and w[0] <= dt.date(2018, 2, 20) <= w[1]
    anchor = episode_anchor(w, ["Eastern Ghouta"], "SY")
    assert anchor is not None and anchor[0].year == 2018 and anchor[0].month == 2
    assert episode_anchor(w, ["Nowhere"], "SY") is None
