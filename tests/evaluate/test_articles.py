"""``warlog eval articles``: matching rules, gold validation, fixture articles read by warlog's readers."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from warlog.cli.main import app
from warlog.errors import EvalFormatError
from warlog.evaluate import articles as arts


def side(**kw: object) -> arts.Side:
    base: dict[str, object] = dict(
        date=dt.date(2019, 4, 8), precision=1, event_type="Explosions/Remote violence", sub_event_type="Air/drone strike",
        actor1="Military Forces of Russia (2000-)", actor2="Civilians (Syria)", location="Kafr Nabl", lat=35.61,
        lon=36.56, admin1="idlib", admin2="", country="SY", geo_precision=1, fatalities=5, civilians=5, spans=[],
    )
    base.update(kw)
    return arts.Side(**base)  # type: ignore[arg-type]


def test_date_windows_follow_both_precisions() -> None:
    g = side()
    assert arts.date_compatible(g, side(date=dt.date(2019, 4, 9)))
    assert not arts.date_compatible(g, side(date=dt.date(2019, 4, 11)))
    assert arts.date_compatible(g, side(date=dt.date(2019, 4, 13), precision=2))
    assert arts.date_compatible(g, side(date=dt.date(2019, 4, 15), precision=3))  # same month
    assert not arts.date_compatible(g, side(date=None))


def test_place_distance_admin_and_country_only() -> None:
    g = side()
    assert arts.place_compatible(g, side(lat=35.70, lon=36.60))  # ~10 km
    assert not arts.place_compatible(g, side(lat=36.20, lon=37.15, admin1="aleppo"))
    # a governorate-level prediction in the right governorate matches
    assert arts.place_compatible(g, side(lat=35.80, lon=36.60 + 0.5, geo_precision=3))
    assert not arts.place_compatible(g, side(lat=36.2, lon=37.1, geo_precision=3, admin1="aleppo"))
    # country only: same country
    assert arts.place_compatible(g, side(lat=35.0, lon=38.5, geo_precision=3, admin1=""))
    assert not arts.place_compatible(g, side(lat=55.75, lon=37.6, geo_precision=3, admin1="", country="RU"))


def test_types_compatible_within_political_violence() -> None:
    assert arts.type_compatible(side(), side(event_type="Battles"))
    assert not arts.type_compatible(side(), side(event_type="Protests"))


def test_greedy_match_is_one_to_one_and_prefers_the_closest() -> None:
    gold = [side(), side(date=dt.date(2019, 4, 9), location="Maarat", lat=35.64, lon=36.67)]
    pred = [side(date=dt.date(2019, 4, 9), lat=35.64, lon=36.67), side(), side()]
    pairs = arts.match(gold, pred)
    assert pairs == [(0, 1), (1, 0)]


def test_admin_keys_agree_across_spellings() -> None:
    assert arts.admin_key("Idleb") == arts.admin_key("Idlib Governorate") == "idlib"
    assert arts.admin_key("Deir ez-Zor") == arts.admin_key("Dayr az Zawr")
    assert arts.admin_key("Al-Hasakah") == arts.admin_key("hasakeh")


def test_bad_gold_names_file_and_line(tmp_path: Path) -> None:
    bad = tmp_path / "g.jsonl"
    bad.write_text('{"article_id": "fixture:a", "events": []}\n{not json\n', encoding="utf-8")
    with pytest.raises(EvalFormatError, match=r"g\.jsonl:2: malformed JSON"):
        arts.read_gold(bad)
    bad.write_text('{"article_id": "fixture:a", "events": [{"event_date": "20 May"}]}\n', encoding="utf-8")
    with pytest.raises(EvalFormatError, match="bad date"):
        arts.read_gold(bad)


FIXTURE = (
    "BEIRUT (Reuters) - Syrian government warplanes struck the town of Saraqib in Idlib province on Tuesday, "
    "killing seven civilians, the Syrian Observatory for Human Rights said.\n\n"
    "More than 370,000 people have been killed in Syria since 2011.\n"
)


def _fixture_gold(tmp_path: Path) -> Path:
    gd = tmp_path / "gold"
    (gd / "fixtures").mkdir(parents=True)
    (gd / "fixtures" / "wire.txt").write_text("date 2019-04-10\n" + FIXTURE, encoding="utf-8")
    text = "date 2019-04-10\n" + FIXTURE
    toll = text.index("More than")
    rec = {
        "article_id": "fixture:wire", "pub_date": "2019-04-10", "split": "dev", "annotator": "T",
        "events": [{
            "id": "e1", "event_date": "2019-04-09", "time_precision": 1, "event_type": "Explosions/Remote violence",
            "sub_event_type": "Air/drone strike", "actor1": "Military Forces of Syria (2000-)", "actor2": "Civilians (Syria)",
            "location": "Saraqib", "admin1": "Idleb", "country": "SY", "latitude": 35.8645, "longitude": 36.8006,
            "geo_precision": 1, "fatalities_low": 7, "fatalities_best": 7, "fatalities_high": 7, "civilian_fatalities": 7,
            "source": "Syrian Observatory for Human Rights", "spans": [[text.index("Syrian government"), toll - 2]],
        }],
        "non_events": [{"kind": "dateline", "start": text.index("BEIRUT"), "end": text.index(" (Reuters)")},
                       {"kind": "cumulative_toll", "start": toll, "end": len(text) - 1}],
    }
    (gd / "fixtures.jsonl").write_text(json.dumps(rec) + "\n", encoding="utf-8")
    return gd


def test_fixture_article_end_to_end(tmp_path: Path) -> None:
    gd = _fixture_gold(tmp_path)
    res = arts.evaluate_articles([gd / "fixtures.jsonl"], split="dev")
    assert res.n_gold == 1 and res.tp == 1, res.render(per_article=True)
    assert res.field_share("date_exact") == 1.0 and res.field_share("place_25km") == 1.0
    assert res.errors()["fatalities_in_cumulative_span"] == 0
    assert arts.evaluate_articles([gd / "fixtures.jsonl"], split="test").n_gold == 0


def test_cli_json_and_against(tmp_path: Path) -> None:
    gd = _fixture_gold(tmp_path)
    r = CliRunner().invoke(app, ["eval", "articles", str(gd / "fixtures.jsonl"), "--json"])
    assert r.exit_code == 0, r.output
    d = json.loads(r.output)["articles"]
    assert d["gold_events"] == 1 and "errors" in d and "fields" in d
    r = CliRunner().invoke(app, ["eval", "articles", str(gd / "fixtures.jsonl"), "--against", str(gd / "fixtures.jsonl")])
    assert r.exit_code == 0, r.output
    assert r.output.strip().splitlines()[-1] == "event_f1=1.000"
    r = CliRunner().invoke(app, ["eval", "articles", str(tmp_path / "missing.jsonl")])
    assert r.exit_code == 2 and "W401" in r.output and "missing.jsonl" in r.output
