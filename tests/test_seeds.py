"""The two real scraped seed articles in ../shared/seeds (skipped where ../shared is absent)."""

FORBIDDEN = {"Stalingrad", "Volgograd", "Berlin", "Gaza", "Gaza Strip", "Lebanon"}


def _find(events, location):
    return [e for e in events if e["location"] == location]


def test_eastern_ghouta_event(seeds_events):
    (ev,) = [e for e in _find(seeds_events, "Eastern Ghouta") if e["event_type"] != "Strategic developments"]
    assert ev["country"] == "SY"
    assert ev["event_date"].startswith("2018-02")
    assert ev["actor1"] == "Military Forces of Syria (2000-)" and ev["actor2"] == "Civilians (Syria)"
    assert ev["fatalities_low"] >= 401 and ev["civilian_fatalities"] >= 401
    assert ev["fatalities_best"] < 400_000  # never the population figure
    assert ev["date_source"] == "inferred" and ev["date_precision"] == 3
    sources = set(ev["sources"])
    assert {"White Helmets", "Amnesty International"} <= sources
    assert "The Washington Post" in sources


def test_yarmouk_event(seeds_events):
    evs = [e for e in _find(seeds_events, "Yarmouk Camp") if e["event_type"] == "Battles"]
    assert evs, [e["location"] for e in seeds_events]
    ev = evs[0]
    assert ev["event_date"] == "2018-05-20" and ev["country"] == "SY"
    assert {ev["actor1"], ev["actor2"]} == {"Military Forces of Syria (2000-)", "Islamic State (Syria)"}


def test_no_event_in_compared_or_mentioned_places(seeds_events):
    assert not FORBIDDEN & {e["location"] for e in seeds_events}
    assert all(e["country"] == "SY" for e in seeds_events)
