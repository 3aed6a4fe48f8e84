"""End-to-end in a real browser: Playwright drives Debian's chromium (headless) against `warlog serve` on
127.0.0.1 with the seeds (and the sample corpus) loaded. Screenshots go to a temporary folder (printed)."""

import os
import shutil
import socket
import threading
import time
from pathlib import Path

import pytest

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
ARGS = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
        "--disable-component-update", "--disable-sync"]
SHARED = Path(os.environ.get("WARLOG_SHARED") or Path(__file__).resolve().parents[2].parent / "shared")


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


class _Server:
    def __init__(self, app) -> None:
        import uvicorn

        self.port = _free_port()
        self.srv = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=self.port, log_level="warning"))
        self.th = threading.Thread(target=self.srv.run, daemon=True)
        self.th.start()
        for _ in range(200):
            if self.srv.started:
                break
            time.sleep(0.05)
        self.url = f"http://127.0.0.1:{self.port}"

    def stop(self) -> None:
        self.srv.should_exit = True
        self.th.join(5)


@pytest.fixture(scope="module")
def e2e_db(tmp_path_factory, sample_dir):
    if not Path(CHROMIUM).exists():
        pytest.skip("Debian chromium not installed (scripts/bootstrap.sh installs it: apt-get install chromium)")
    pytest.importorskip("playwright")
    from warlog.execute.local import run_paths

    seeds = SHARED / "seeds"
    db = tmp_path_factory.mktemp("e2e") / "e2e.duckdb"
    run_paths([seeds, sample_dir] if seeds.is_dir() else [sample_dir], db)
    return db, seeds.is_dir()


@pytest.fixture(scope="module")
def server(e2e_db):
    from warlog.serve.app import create_app

    s = _Server(create_app(e2e_db[0]))
    yield s.url, e2e_db[1]
    s.stop()


@pytest.fixture(scope="module")
def shots(tmp_path_factory):
    d = tmp_path_factory.mktemp("screenshots")
    print(f"\nscreenshots in {d}")
    return d


@pytest.fixture(scope="module")
def browser():
    if not Path(CHROMIUM).exists():
        pytest.skip("Debian chromium not installed (scripts/bootstrap.sh installs it: apt-get install chromium)")
    pytest.importorskip("playwright")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        yield b
        b.close()


def _open(browser, url, path="/", size=(1400, 1000)):
    page = browser.new_page(viewport={"width": size[0], "height": size[1]})
    errors: list[str] = []
    page.on("pageerror", lambda e: errors.append(str(e)))
    page.goto(url + path)
    page.wait_for_selector("body[data-ready='1']", timeout=60000)
    page.errors = errors  # type: ignore[attr-defined]
    return page


def _markers(page) -> list[dict]:
    return page.evaluate("() => [...document.querySelectorAll('.leaflet-marker-icon[data-event-id]')].map(e => {"
                         "const r = e.getBoundingClientRect(); return {id: e.dataset.eventId, x: r.x + r.width / 2,"
                         " y: r.y + r.height / 2, w: r.width}; })")


def test_bbox_url_shows_seed_events_as_separate_markers(server, browser, shots) -> None:
    url, seeds = server
    if not seeds:
        pytest.skip(f"seeds not present under {SHARED}")
    page = _open(browser, url, "/?bbox=36.0,33.3,36.7,33.8")
    ms = _markers(page)
    places = {m["id"]: page.evaluate(f"() => fetch('/api/events/{m['id']}').then(r => r.json()).then(e => e.location)")
              for m in ms}
    ghouta = [m for m in ms if places[m["id"]] == "Eastern Ghouta"]
    yarmouk = [m for m in ms if places[m["id"]] == "Yarmouk Camp"]
    assert ghouta and yarmouk, places
    g, y = ghouta[0], yarmouk[0]
    assert ((g["x"] - y["x"]) ** 2 + (g["y"] - y["y"]) ** 2) ** 0.5 > (g["w"] + y["w"]) / 2  # apart, not one blob
    from urllib.parse import parse_qs, urlparse

    w, s_, e, n = (float(x) for x in parse_qs(urlparse(page.url).query)["bbox"][0].split(","))
    assert w <= 36.0 and s_ <= 33.3 and e >= 36.7 and n >= 33.8 and e - w < 2  # the view (as fitted) stays in the URL
    page.wait_for_timeout(300)
    page.screenshot(path=str(shots / "map-bbox-1400x1000.png"))
    # the popup: date, type, actors, deaths and a link to the event page
    page.locator(f".leaflet-marker-icon[data-event-id='{g['id']}']").click()
    pop = page.locator(f".leaflet-popup .popup[data-event-id='{g['id']}'] a[href='/event/{g['id']}']")
    pop.wait_for(timeout=10000)
    text = page.locator(".leaflet-popup").inner_text()
    assert "2018-02" in text and "Syria" in text and "killed: 401" in text
    assert not page.errors  # type: ignore[attr-defined]
    page.close()


def test_zoom_in_and_out(server, browser) -> None:
    url, _ = server
    page = _open(browser, url, "/?bbox=20,10,60,45")
    z0 = float(page.get_attribute("#map", "data-zoom"))
    page.click(".leaflet-control-zoom-in")
    page.wait_for_function(f"() => +document.getElementById('map').dataset.zoom > {z0}", timeout=10000)
    page.wait_for_timeout(400)  # the zoom animation
    page.click(".leaflet-control-zoom-out")
    page.wait_for_function(f"() => +document.getElementById('map').dataset.zoom === {z0}", timeout=10000)
    page.wait_for_timeout(400)
    page.click(".leaflet-control-zoom-out")
    page.wait_for_function(f"() => +document.getElementById('map').dataset.zoom < {z0}", timeout=10000)
    page.wait_for_timeout(400)
    page.locator("#map").focus()  # keyboard: + zooms in
    page.keyboard.press("+")
    page.wait_for_function(f"() => +document.getElementById('map').dataset.zoom >= {z0}", timeout=10000)
    # zoomed out, nearby events join into a cluster marker; zoomed in they separate
    page.goto(url + "/?bbox=-170,-70,170,80")
    page.wait_for_selector("body[data-ready='1']", timeout=30000)
    assert page.locator(".ev-cluster").count() >= 1
    page.close()


def test_brushing_the_timeline_filters_the_table(server, browser) -> None:
    url, _ = server
    page = _open(browser, url, "/?bbox=-180,-85,180,85")
    total = int(page.get_attribute("#events", "data-total"))
    assert total >= 3
    first = page.locator("#events tbody tr").first.locator("td").first.inner_text()
    dates = [t for t in page.locator("#events tbody tr td:first-child").all_inner_texts()]
    assert dates == sorted(dates, reverse=True) and first == dates[0]  # newest first
    box = page.locator("#timeline").bounding_box()
    page.mouse.move(box["x"] + 2, box["y"] + box["height"] / 2)
    page.mouse.down()
    page.mouse.move(box["x"] + box["width"] * 0.3, box["y"] + box["height"] / 2, steps=5)
    page.mouse.up()
    page.wait_for_function(f"() => +document.getElementById('events').dataset.total < {total}", timeout=10000)
    assert page.input_value("input[name=date_from]") and "date_from=" in page.url
    # sorting by a column and paging
    page.click("th button[data-sort='fatalities']")
    page.wait_for_function("() => document.querySelector('th[aria-sort=descending] button').dataset.sort === 'fatalities'")
    page.click("#clear-dates")
    page.wait_for_function(f"() => +document.getElementById('events').dataset.total === {total}", timeout=10000)
    href = page.get_attribute("#dl-acled", "href")
    assert href.startswith("/api/export/acled.csv?") and "bbox=" in href
    assert "bbox=" in page.get_attribute("#review-link", "href")
    page.close()


def test_narrow_screen(server, browser, shots) -> None:
    url, _ = server
    page = _open(browser, url, "/", size=(390, 844))
    assert page.locator(".leaflet-marker-icon").count() >= 1
    box = page.locator("#map").bounding_box()
    assert box and box["width"] <= 390
    page.screenshot(path=str(shots / "map-390x844.png"), full_page=True)
    # screen readers: every field has a label, every marker a name and a role, Tab reaches the markers
    unlabelled = page.evaluate("() => [...document.querySelectorAll('input, select')].filter(e => !e.labels || !e.labels.length)"
                               ".map(e => e.name || e.id)")
    assert unlabelled == []
    assert page.evaluate("() => [...document.querySelectorAll('.leaflet-marker-icon')].every(m => m.title && "
                         "m.getAttribute('role') === 'button' && m.tabIndex >= 0)")
    page.close()


def test_event_page_highlights_evidence(server, browser) -> None:
    url, _ = server
    page = _open(browser, url, "/?bbox=-180,-85,180,85")
    page.locator("#events tbody a").first.click()
    page.wait_for_url("**/event/*")
    page.wait_for_selector("body[data-ready='1']", timeout=30000)
    assert page.locator(".sentence").count() >= 1
    assert page.locator("mark.trigger").count() >= 1
    assert page.locator("#cluster table tr").count() >= 2
    assert page.locator("button.confirm").count() == 0  # read-only server: no review buttons
    page.close()


def test_read_only_server_offers_no_review_buttons(server, browser) -> None:
    url, _ = server
    page = _open(browser, url, "/review")
    assert page.locator("#queue tbody tr[data-event-id]").count() >= 3
    assert page.locator("button.confirm, button.reject, button.edit, #token-input").count() == 0
    everywhere = page.locator("#queue tbody tr[data-event-id]").count()
    page.goto(url + "/review?bbox=35.5,32,42.5,37.5")  # the map's "review these" link: the queue of the view
    page.wait_for_selector("body[data-ready='1']")
    assert 1 <= page.locator("#queue tbody tr[data-event-id]").count() < everywhere
    page.close()


@pytest.fixture(scope="module")
def review_server(e2e_db, tmp_path_factory):
    from warlog.serve.app import create_app
    from warlog.store.duckdb_store import Store
    from warlog.store.review import add_user

    db = tmp_path_factory.mktemp("e2e-review") / "review.duckdb"
    shutil.copy(e2e_db[0], db)
    with Store(db) as s:
        tok = add_user(s, "ana")
    s_ = _Server(create_app(db, reviews=True))
    yield s_.url, tok
    s_.stop()


def test_review_in_the_browser(review_server, browser, shots) -> None:
    url, tok = review_server
    page = _open(browser, url, "/review")
    assert page.locator("button.confirm").count() == 0  # not signed in yet
    page.get_by_label("token").fill("wrong")
    page.click("#sign-in button[type=submit]")
    page.wait_for_selector("#signin .error")
    page.get_by_label("token").fill(tok)
    page.click("#sign-in button[type=submit]")
    page.wait_for_selector("#queue button.confirm")
    assert page.evaluate("() => sessionStorage.getItem('warlog-token')") == tok
    assert "token" not in page.evaluate("() => document.cookie")
    rows = page.locator("#queue tbody tr[data-event-id]")
    ids = [rows.nth(i).get_attribute("data-event-id") for i in range(3)]
    rows.nth(0).locator("button.confirm").click()  # mouse
    page.wait_for_function(f"() => document.querySelector(\"tr[data-event-id='{ids[0]}'] td.status\").textContent === 'confirmed'")
    page.locator("#queue").focus()  # keyboard: the selection moved to row 2; r rejects it
    page.keyboard.press("r")
    page.wait_for_function(f"() => document.querySelector(\"tr[data-event-id='{ids[1]}'] td.status\").textContent === 'rejected'")
    page.keyboard.press("u")  # undo the reject
    page.wait_for_function(f"() => document.querySelector(\"tr[data-event-id='{ids[1]}'] td.status\").textContent === 'machine'")
    page.keyboard.press("j")
    page.keyboard.press("e")  # edit row 3: correct the deaths
    panel = page.locator(f".review-panel[data-event-id='{ids[2]}']")
    panel.wait_for()
    panel.locator("select[name=field]").select_option("fatalities_best")
    panel.locator("input[name=value]").fill("77")
    panel.locator("button.save").click()
    page.wait_for_function(f"() => document.querySelector(\"tr[data-event-id='{ids[2]}'] td.status\").textContent === 'corrected'")
    page.wait_for_function(f"() => document.querySelector(\"tr[data-event-id='{ids[2]}'] td:nth-child(8)\").textContent === '77'")
    page.screenshot(path=str(shots / "review-1400x1000.png"))
    # reload: the reviewed events have left the queue; with "reviewed too" their states show
    page.reload()
    page.wait_for_selector("body[data-ready='1']")
    now = page.locator("#queue tbody tr[data-event-id]").evaluate_all("rs => rs.map(r => r.dataset.eventId)")
    assert ids[0] not in now and ids[2] not in now and ids[1] in now
    # the event page: the corrected value, the trail with author and time, a place from the gazetteer, undo
    page.goto(f"{url}/event/{ids[2]}")
    page.wait_for_selector("body[data-ready='1']")
    assert "best 77" in page.locator("#fields").inner_text()
    trail = page.locator("#reviews").inner_text()
    assert "ana: correct fatalities_best = 77" in trail
    page.get_by_label("search the gazetteer").fill("Douma")
    page.locator(".gaz-pick").first.click()
    page.wait_for_function("() => document.querySelector('#fields').innerText.includes('Dūmā')", timeout=15000)
    page.locator("#reviews li:has-text('fatalities_best') button.undo").click()
    page.wait_for_function("() => !document.querySelector('#fields').innerText.includes('best 77')")
    page.reload()
    page.wait_for_selector("body[data-ready='1']")
    assert "Dūmā" in page.locator("#fields").inner_text() and page.locator("#reviews li.undone").count() == 1
    page.keyboard.press("c")  # confirm from the event page by key
    page.wait_for_function("() => document.getElementById('review-status').textContent === 'confirmed'")
    # merge with another event (one cluster of two reports), then split them again from the cluster table
    page.get_by_label("other event").fill(ids[0])
    page.click(".review-panel button.merge")
    page.wait_for_function("() => document.querySelectorAll('#cluster table tr').length === 3", timeout=15000)
    assert "2 reports" in page.locator("#cluster").inner_text()
    page.click(f"#cluster button.split-member[data-event-id='{ids[0]}']")
    page.wait_for_function("() => document.querySelectorAll('#cluster table tr').length === 2", timeout=15000)
    trail = page.locator("#reviews").inner_text()
    assert f"ana: merge (with {ids[0]})" in trail and f"ana: split (with {ids[0]})" in trail
    page.screenshot(path=str(shots / "event-review-1400x1000.png"), full_page=True)
    page.close()


@pytest.fixture(scope="module")
def big_server(tmp_path_factory):
    """A generated database of 50,000 events (no articles needed for the map)."""
    from warlog.serve.app import create_app
    from warlog.store.duckdb_store import Store

    db = tmp_path_factory.mktemp("big") / "big.duckdb"
    with Store(db) as s:
        s.con.execute(
            "INSERT INTO events (event_id, article_id, event_date, date_precision, event_type, sub_event_type, location, "
            "country, latitude, longitude, geo_precision, fatalities_best, confidence, evidence) "
            "SELECT printf('%016x', i), 'a', DATE '2015-01-01' + CAST(i % 3000 AS INTEGER), 1, "
            "['Battles', 'Explosions/Remote violence', 'Violence against civilians', 'Protests', 'Riots', "
            "'Strategic developments'][1 + i % 6], 'Armed clash', 'P' || i, 'SY', 30 + (hash(i) % 10000) / 1000.0, "
            "35 + (hash(i + 7) % 12000) / 1000.0, 1, CAST(i % 50 AS INTEGER), 0.5, '[]' FROM range(50000) t(i)")
    s_ = _Server(create_app(db))
    yield s_.url
    s_.stop()


def test_fifty_thousand_events(browser, big_server, shots) -> None:
    page = _open(browser, big_server, "/")
    assert page.get_attribute("#map", "data-points") == "50000"
    shown = int(page.get_attribute("#map", "data-markers"))
    assert 0 < shown < 2000  # clustered: the page draws clusters, not 50,000 elements
    print(f"\n50,000 events: page ready in {page.get_attribute('body', 'data-render-ms')} ms "
          f"(steps, ms from start: {page.get_attribute('body', 'data-timings')})")
    page.evaluate("() => { map.panBy([300, 200], {animate: false}); return 1; }")
    page.wait_for_function("() => +document.getElementById('map').dataset.markers > 0")
    page.click(".leaflet-control-zoom-in")
    page.wait_for_function("() => document.querySelector('.leaflet-marker-icon') !== null")
    assert page.evaluate("() => 1 + 1") == 2  # still responsive
    page.screenshot(path=str(shots / "map-50k.png"))
    page.close()
