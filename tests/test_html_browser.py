"""The HTML map in headless Chromium, offline: no errors, no requests, search, and inert hostile text."""

from __future__ import annotations

import json
import os
import shutil
import tempfile
import time

import pytest
from test_html import IMG_PROBE, SCRIPT_PROBE, probe_graph

from kg.export.html.page import write_html

pytestmark = pytest.mark.browser

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
CHROMEDRIVER = shutil.which("chromedriver")
# Flags for a quiet, offline, throwaway browser; every host name resolves to nothing.
CHROMIUM_FLAGS = (
    "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
    "--disable-background-networking", "--disable-component-update", "--disable-sync",
    "--disable-dev-shm-usage", '--host-resolver-rules=MAP * ~NOTFOUND', "--window-size=1280,900",
)


def _need_browser():
    """Skip without Chromium/chromedriver/selenium, unless CI says they must be there (KG_REQUIRE_BROWSER)."""
    missing = [name for name, found in (("chromium", CHROMIUM), ("chromedriver", CHROMEDRIVER)) if not found]
    try:
        import selenium  # noqa: F401
    except ImportError:
        missing.append("selenium")
    if missing:
        why = f"browser test needs {', '.join(missing)} (apt-get install chromium chromium-driver; pip install selenium)"
        if os.environ.get("KG_REQUIRE_BROWSER"):
            pytest.fail(why)
        pytest.skip(why)


@pytest.fixture(scope="module")
def driver():
    _need_browser()
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

    profile = tempfile.mkdtemp(prefix="kg-chromium-")
    opts = webdriver.ChromeOptions()
    opts.binary_location = CHROMIUM
    for flag in CHROMIUM_FLAGS:
        opts.add_argument(flag)
    opts.add_argument(f"--user-data-dir={profile}")
    opts.set_capability("goog:loggingPrefs", {"browser": "ALL", "performance": "ALL"})
    d = webdriver.Chrome(service=Service(executable_path=CHROMEDRIVER), options=opts)
    # Belt and braces: the browser itself refuses anything that is not a local file.
    d.execute_cdp_cmd("Network.enable", {})
    d.execute_cdp_cmd("Network.setBlockedURLs", {"urls": ["http://*", "https://*", "ws://*", "wss://*", "ftp://*"]})
    yield d
    d.quit()
    shutil.rmtree(profile, ignore_errors=True)


def open_map(driver, path, timeout=20.0):
    driver.get_log("browser"), driver.get_log("performance")  # drop what earlier pages logged
    driver.get(path.as_uri())
    end = time.monotonic() + timeout
    while driver.execute_script("return document.body && document.body.getAttribute('data-ready')") != "1":
        assert time.monotonic() < end, "the map never finished drawing"
        time.sleep(0.05)


def requested_urls(driver):
    urls = []
    for entry in driver.get_log("performance"):
        msg = json.loads(entry["message"])["message"]
        if msg["method"] == "Network.requestWillBeSent":
            urls.append(msg["params"]["request"]["url"])
    return urls


@pytest.fixture(scope="module")
def probe_file(tmp_path_factory):
    path = tmp_path_factory.mktemp("map") / "graph.html"
    return path, write_html(probe_graph(), path, max_nodes=7)


@pytest.fixture
def probe_page(driver, probe_file):
    """The hostile graph's map, freshly opened for each test."""
    open_map(driver, probe_file[0])
    return probe_file


def test_offline_without_errors_or_requests(driver, probe_page):
    path, _ = probe_page
    severe = [e for e in driver.get_log("browser") if e["level"] == "SEVERE"]
    assert severe == []
    urls = requested_urls(driver)
    assert urls and all(u.startswith(("file://", "data:")) for u in urls), urls


def test_draws_what_it_says(driver, probe_page):
    _, stats = probe_page
    assert driver.execute_script("return window.kgMap.nodes.length") == stats.nodes_drawn == 7
    assert driver.execute_script("return window.kgMap.edges.length") == stats.edges_drawn
    note = driver.find_element("id", "kg-note").text
    assert "showing 7 of 8 nodes (1 hidden)" in note


def test_search_focuses_a_node_by_alias(driver, probe_page):
    from selenium.webdriver.common.keys import Keys

    box = driver.find_element("id", "kg-search")
    box.clear()
    box.send_keys("NETWORK", Keys.ENTER)  # FastNet's alias "Fast Network", in another case
    selected = driver.execute_script("return window.kgMap.network.getSelectedNodes()")
    assert len(selected) == 1
    assert driver.find_element("css selector", "#kg-panel h2").text == "FastNet"
    box.clear()
    box.send_keys("no such method")
    assert driver.find_element("id", "kg-search-msg").text == "no drawn node matches"


def test_type_filter_hides_nodes(driver, probe_page):
    box = driver.find_element("css selector", 'input[data-kind="paper"]')
    box.click()
    hidden = driver.execute_script("return window.kgMap.nodes.get({filter: n => n.hidden}).length")
    box.click()
    assert hidden == 2
    assert driver.execute_script("return window.kgMap.nodes.get({filter: n => n.hidden}).length") == 0


def test_hostile_title_is_shown_not_run(driver, probe_page):
    from selenium.common.exceptions import NoAlertPresentException
    from selenium.webdriver.common.action_chains import ActionChains

    node = driver.execute_script("return window.kgMap.search(arguments[0])[0]", "<img src=x")
    assert node
    # Click the node where it is drawn, as a reader would.
    x, y, w, h = driver.execute_script(
        "const m = window.kgMap, p = m.network.canvasToDOM(m.network.getPosition(arguments[0]));"
        "const c = document.getElementById('kg-network'); return [p.x, p.y, c.clientWidth, c.clientHeight];", node)
    canvas = driver.find_element("id", "kg-network")
    ActionChains(driver).move_to_element_with_offset(canvas, int(x - w / 2), int(y - h / 2)).perform()
    end = time.monotonic() + 5
    while not driver.execute_script("const t = document.querySelector('.vis-tooltip');"
                                    "return t && t.style.visibility === 'visible'"):
        assert time.monotonic() < end, "no tooltip on hover"
        time.sleep(0.05)
    assert driver.find_element("css selector", ".vis-tooltip strong").text == IMG_PROBE
    ActionChains(driver).move_to_element_with_offset(canvas, int(x - w / 2), int(y - h / 2)).click().perform()
    assert driver.find_element("css selector", "#kg-panel h2").text == IMG_PROBE
    panel = driver.find_element("id", "kg-panel").text
    assert SCRIPT_PROBE in panel  # SlowNet's label, in P1's claims
    assert driver.execute_script("return document.querySelectorAll('img, svg, #kg-panel b').length") == 0
    assert driver.execute_script("return document.querySelector('a[href^=\"javascript\"]')") is None
    with pytest.raises(NoAlertPresentException):
        driver.switch_to.alert.text
    assert [e for e in driver.get_log("browser") if e["level"] == "SEVERE"] == []


def test_relation_filter_and_cluster_colours(driver, tmp_path):
    from conftest import make_tiny_graph

    G = make_tiny_graph()
    path = tmp_path / "clusters.html"
    write_html(G, path, communities={n: i % 2 for i, n in enumerate(sorted(G))}, build_date="2024-05-01")
    open_map(driver, path)
    driver.find_element("css selector", 'input[data-rel="mentions"]').click()
    hidden = driver.execute_script("return window.kgMap.edges.get({filter: e => e.hidden}).map(e => e.rel)")
    assert hidden == ["mentions"] * 7
    before = driver.execute_script("return window.kgMap.nodes.get().map(n => n.color)")
    driver.find_element("id", "kg-by-cluster").click()
    after = driver.execute_script("return window.kgMap.nodes.get().map(n => n.color)")
    assert before != after and len(set(after)) == 2
    assert "built 2024-05-01" in driver.find_element("tag name", "header").text
    assert [e for e in driver.get_log("browser") if e["level"] == "SEVERE"] == []
