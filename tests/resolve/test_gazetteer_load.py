"""The compact shard index (one index per key, a list only for shared keys) answers like a list index."""

from __future__ import annotations

import gc

from warlog.resolve import geocode as geo


def test_compact_ids_keep_every_place_in_file_order():
    d: dict[str, geo.ShardIds] = {}
    for k, i in (("a", 3), ("b", 4), ("a", 5), ("a", 7)):
        geo._put_compact(d, k, i)
    assert list(geo._ids(d.get("a"))) == [3, 5, 7]
    assert list(geo._ids(d.get("b"))) == [4]
    assert list(geo._ids(d.get("zz"))) == []
    geo._put_compact(d, "c", 0)  # index 0 is an index, not "nothing"
    assert list(geo._ids(d.get("c"))) == [0]


def test_shard_load_leaves_the_garbage_collector_as_it_found_it():
    g = geo.Gazetteer()
    assert gc.isenabled()
    g.ensure_country("SO")
    assert gc.isenabled()
    gc.disable()
    try:
        g.ensure_country("ML")
        assert not gc.isenabled()
    finally:
        gc.enable()
    # a shard village is still found by its exact, alternate and normalised keys
    assert any(g.entries[i].cc == "SO" for i, _t in g.candidates("Mashalaay", "SO"))
