"""End-to-end in a real browser: Playwright drives Debian's chromium (headless) against `warlog serve` on
127.0.0.1 with the seeds (or the sample corpus when ../shared is absent) loaded."""

import shutil
import socket
import threading
import time
from pathlib import Path

import pytest

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
ARGS = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
        "--disable-component-update", "--disable-sync"]


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@pytest.fixture(scope="module")
def server(tmp_path_factory, sample_dir):
    if not Path(CHROMIUM).exists():
        pytest.skip("Debian chromium not installed (scripts/bootstrap.sh installs it: apt-get install chromium)")
    pytest.importorskip("playwright")
    import uvicorn

    from warlog.execute.local import run_paths
    from warlog.serve.app import create_app

    seeds = Path(__file__).resolve().parents[2].parent / "shared" / "seeds"
    db = tmp_path_factory.mktemp("e2e") / "e2e.duckdb"
    run_paths([seeds] if seeds.is_dir() else [sample_dir], db)
    port = _free_port()
    srv = uvicorn.Server(uvicorn.Config(create_app(db), host="127.0.0.1", port=port, log_level="warning"))
    th = threading.Thread(target=srv.run, daemon=True)
    th.start()
    for _ in range(100):
        if srv.started:
            break
        time.sleep(0.05)
    yield f"http://127.0.0.1:{port}", seeds.is_dir()
    srv.should_exit = True
    th.join(5)


@pytest.fixture(scope="module")
def browser():
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        yield b
        b.close()


def test_map_shows_events_and_screenshot(server, browser, tmp_path):
    url, seeds = server
    page = browser.new_page(viewport={"width": 1400, "height": 900})
    page.goto(url + "/")
    page.wait_for_selector("body[data-ready='1']", timeout=30000)
    n = page.locator("circle.event").count()
    assert n >= 3
    shot = tmp_path / "map.png"
    page.locator("#map").screenshot(path=str(shot))
    from PIL import Image

    img = Image.open(shot).convert("RGB")
    red = sum(1 for px in img.getdata() if px[0] > 180 and px[1] < 110 and px[2] < 110)
    assert red > 200, "event markers should be visible on the rendered map"
    # every marker is drawn where its event is: the screenshot is red at the marker centres
    box = page.locator("#map").bounding_box()
    centres = page.evaluate("() => [...document.querySelectorAll('circle.event')].map(e => "
                            "[+e.getAttribute('cx'), +e.getAttribute('cy'), e.getAttribute('data-id')])")
    assert box and centres
    sx, sy = img.width / 960, img.height / 480
    hits = [img.getpixel((int(x * sx), int(y * sy))) for x, y, _ in centres if 0 <= x < 960 and 0 <= y < 480]
    assert sum(1 for r, g, b in hits if r > 180 and g < 140) >= len(hits) - 1
    if seeds:
        text = page.locator("#events").inner_text()
        assert "Eastern Ghouta" in text and "Yarmouk" in text  # the seeds' events listed beside the map
    page.close()


def _index(browser, url):
    page = browser.new_page()
    page.goto(url + "/")
    page.wait_for_selector("body[data-ready='1']", timeout=30000)
    return page


def test_event_page_highlights_evidence(server, browser):
    url, _ = server
    page = _index(browser, url)
    page.locator("#events a").first.click()
    page.wait_for_url("**/event/*")
    page.wait_for_selector("body[data-ready='1']", timeout=30000)
    assert page.locator(".sentence").count() >= 1
    assert page.locator("mark.trigger").count() >= 1
    assert page.locator("#cluster table tr").count() >= 2
    page.close()


def test_filter_form(server, browser):
    url, _ = server
    page = _index(browser, url)
    before = page.locator("#events tbody tr").count()
    page.fill("input[name=min_fatalities]", "100000")
    page.click("button[type=submit]")
    page.wait_for_function("() => document.querySelectorAll('#events tbody tr').length === 0", timeout=10000)
    assert before >= 1
    page.close()
