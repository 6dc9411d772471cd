"""The HTML map in headless Chromium, offline: no errors or requests, inert hostile text, and each way of
exploring it (search of a hidden node, neighbour highlight, expand, ego view, edge evidence, panels,
the URL state, exports, the period filter, labels)."""

from __future__ import annotations

import base64
import json
import os
import shutil
import tempfile
import time
from urllib.parse import unquote

import pytest
from html_graphs import IMG_PROBE, SCRIPT_PROBE, probe_graph, rich_graph

from conftest import R
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


def open_map(driver, url, timeout=20.0):
    driver.get_log("browser"), driver.get_log("performance")  # drop what earlier pages logged
    driver.get("about:blank")  # so that a URL differing only in its fragment loads afresh
    driver.get(url if isinstance(url, str) else url.as_uri())
    end = time.monotonic() + timeout
    while driver.execute_script("return document.body && document.body.getAttribute('data-ready')") != "1":
        assert time.monotonic() < end, "the map never finished drawing"
        time.sleep(0.05)


def js(driver, code, *args):
    return driver.execute_script("const m = window.kgMap, N = m.data.node;" + code, *args)


def no_errors(driver):
    assert [e for e in driver.get_log("browser") if e["level"] == "SEVERE"] == []


def requested_urls(driver):
    urls = []
    for entry in driver.get_log("performance"):
        msg = json.loads(entry["message"])["message"]
        if msg["method"] == "Network.requestWillBeSent":
            urls.append(msg["params"]["request"]["url"])
    return urls


def node_id(driver, iri):
    return js(driver, "return m.idOf(arguments[0])", iri[len(R):] if iri.startswith(R) else iri)


def click_node(driver, node):
    """Click a drawn node where it is on the canvas, as a reader would."""
    from selenium.webdriver.common.action_chains import ActionChains

    x, y, w, h = js(driver, "const p = m.network.canvasToDOM(m.network.getPosition(arguments[0]));"
                            "const c = document.getElementById('kg-network'); return [p.x, p.y, c.clientWidth, c.clientHeight];",
                    node)
    canvas = driver.find_element("id", "kg-network")
    ActionChains(driver).move_to_element_with_offset(canvas, int(x - w / 2), int(y - h / 2)).click().perform()


def hover(driver, point):
    """Move the pointer to `point` ({x, y} on the canvas, in pixels) and return the tooltip's text once it shows."""
    from selenium.webdriver.common.action_chains import ActionChains

    w, h = js(driver, "const c = document.getElementById('kg-network'); return [c.clientWidth, c.clientHeight];")
    canvas = driver.find_element("id", "kg-network")
    ActionChains(driver).move_to_element_with_offset(canvas, int(point["x"] - w / 2), int(point["y"] - h / 2)).perform()
    end = time.monotonic() + 5
    while not driver.execute_script("const t = document.querySelector('.vis-tooltip');"
                                    "return t && t.style.visibility === 'visible'"):
        assert time.monotonic() < end, "no tooltip on hover"
        time.sleep(0.05)
    return driver.find_element("css selector", ".vis-tooltip").text


def panel_text(driver):
    return driver.find_element("id", "kg-panel").text


@pytest.fixture(scope="module")
def probe_file(tmp_path_factory):
    path = tmp_path_factory.mktemp("map") / "graph.html"
    return path, write_html(probe_graph(), path, max_nodes=7)


@pytest.fixture(scope="module")
def rich_file(tmp_path_factory):
    """160 papers over three months and 60 entities, of which the map first draws 25 (no papers)."""
    path = tmp_path_factory.mktemp("rich") / "graph.html"
    G = rich_graph()
    clusters = {n: i % 4 for i, n in enumerate(sorted(G))}
    return path, write_html(G, path, max_nodes=25, communities=clusters), G


@pytest.fixture
def probe_page(driver, probe_file):
    open_map(driver, probe_file[0])
    return probe_file


@pytest.fixture
def rich_page(driver, rich_file):
    open_map(driver, rich_file[0])
    return rich_file


# -- offline and inert -----------------------------------------------------------------------------------

def test_offline_without_errors_or_requests(driver, probe_page):
    no_errors(driver)
    # Only the file itself (and data: URLs); chrome:// pages the fresh browser may still load are its own.
    urls = [u for u in requested_urls(driver) if not u.startswith(("chrome://", "chrome-untrusted://"))]
    assert probe_page[0].as_uri() in urls
    assert all(u.startswith(("file://", "data:", "about:")) for u in urls), urls


def test_draws_what_it_says(driver, probe_page):
    _, stats = probe_page
    assert js(driver, "return m.nodes.length") == stats.nodes_drawn == 7
    assert js(driver, "return m.edges.get({filter: e => e.rel !== 'shared'}).length") == stats.edges_drawn
    assert "opens on 7 of 8 nodes (1 hidden" in driver.find_element("id", "kg-note").text
    # No tooltip is built at load: every node and edge has the same title element, filled on hover.
    assert js(driver, "const t = m.nodes.get()[0].title; return [t.textContent, "
                      "m.nodes.get().concat(m.edges.get()).every(d => d.title === t)]") == ["", True]


def test_hostile_title_is_shown_not_run(driver, probe_page):
    from selenium.common.exceptions import NoAlertPresentException

    node = js(driver, "return m.search(arguments[0])[0]", "<img src=x")
    js(driver, "m.choose(arguments[0])", node)  # draw it (the overview leads with entities)
    assert hover(driver, js(driver, "return m.network.canvasToDOM(m.network.getPosition(arguments[0]))", node)).startswith(
        IMG_PROBE)
    assert driver.find_element("css selector", ".vis-tooltip strong").text == IMG_PROBE
    # Tooltips are built on hover: another node's replaces it.
    other = js(driver, "return m.nodes.getIds().find(i => i !== arguments[0] && N.name[i] === 'FastNet')", node)
    assert hover(driver, js(driver, "return m.network.canvasToDOM(m.network.getPosition(arguments[0]))", other)).startswith(
        "FastNet\nmethod")
    click_node(driver, node)
    assert driver.find_element("css selector", "#kg-panel h2").text == IMG_PROBE
    assert SCRIPT_PROBE in panel_text(driver)  # SlowNet's label, in P1's claims
    assert driver.execute_script("return document.querySelectorAll('img, svg, #kg-panel b').length") == 0
    assert driver.execute_script("return document.querySelector('a[href^=\"javascript\"]')") is None
    with pytest.raises(NoAlertPresentException):
        driver.switch_to.alert.text
    no_errors(driver)


# -- search ----------------------------------------------------------------------------------------------

def test_search_finds_a_hidden_node_and_draws_it_with_its_neighbours(driver, rich_page):
    from selenium.webdriver.common.keys import Keys

    _, _, G = rich_page
    paper = sorted(n for n, d in G.nodes(data=True) if d["kind"] == "paper" and len(list(G.successors(n))) >= 2)[0]
    pid = node_id(driver, paper)
    assert not js(driver, "return m.isDrawn(arguments[0])", pid)
    box = driver.find_element("id", "kg-search")
    box.send_keys(G.nodes[paper]["title"].upper() + Keys.ENTER)  # in another case
    assert driver.find_element("css selector", "#kg-panel h2").text == G.nodes[paper]["title"]
    assert js(driver, "return m.state().selected") == pid
    assert js(driver, "return m.network.getSelectedNodes()") == [pid]
    assert js(driver, "return m.neighbours(arguments[0]).every(m.isDrawn)", pid)
    no_errors(driver)


def test_search_forgives_typos_and_finds_aliases(driver, probe_page):
    from selenium.webdriver.common.keys import Keys

    box = driver.find_element("id", "kg-search")
    box.send_keys("Fsatnet" + Keys.ENTER)  # two letters swapped
    assert driver.find_element("css selector", "#kg-panel h2").text == "FastNet"
    box.clear()
    box.send_keys("fast network")  # FastNet's alias, in another case
    first = driver.find_element("css selector", "#kg-results button")
    assert first.text.startswith("FastNet")
    box.clear()
    box.send_keys("zzzz qqqq")
    assert driver.find_element("id", "kg-search-msg").text == "no node matches"


# -- neighbourhoods ---------------------------------------------------------------------------------------

def test_click_lights_up_the_neighbours_without_moving_the_view(driver, rich_page):
    node = js(driver, "return m.data.view.nodes[m.data.view.nodes.length - 1]")  # one with few links
    before = js(driver, "return [m.network.getViewPosition(), m.network.getScale()]")
    click_node(driver, node)
    assert js(driver, "return m.state().selected") == node
    assert js(driver, "return [m.network.getViewPosition(), m.network.getScale()]") == before
    # Lit: the node and every drawn node an edge joins it to; the rest dimmed.
    lit = js(driver, "const sel = arguments[0], near = new Set([sel]);"
                     "m.edges.get().forEach(e => { if (e.from === sel) near.add(e.to); if (e.to === sel) near.add(e.from); });"
                     "return m.nodes.get().map(n => [n.id, near.has(n.id), typeof n.color === 'string']);", node)
    assert sum(near for _, near, _ in lit) > 1 and not all(near for _, near, _ in lit)
    assert all(plain == near for _, near, plain in lit), "a neighbour dimmed, or another node lit"
    assert driver.find_element("css selector", "#kg-panel h2").text == js(driver, "return N.name[arguments[0]]", node)
    # Clicking the empty canvas lets everything go.
    js(driver, "m.select(-1)")
    assert js(driver, "return m.nodes.get().every(n => typeof n.color === 'string')")


def test_expand_draws_hidden_neighbours(driver, rich_page):
    node = js(driver, "return m.data.view.nodes.find(i => m.neighbours(i).some(o => !m.isDrawn(o)))")
    click_node(driver, node)
    hidden = js(driver, "return m.neighbours(arguments[0]).filter(o => !m.isDrawn(o)).length", node)
    count = js(driver, "return m.nodes.length")
    driver.find_element("css selector", "#kg-panel .kg-expand").click()
    assert js(driver, "return m.nodes.length") == count + min(hidden, 40)
    if hidden <= 40:
        assert js(driver, "return m.neighbours(arguments[0]).every(m.isDrawn)", node)
    assert js(driver, "return m.state().expanded") == [node]
    no_errors(driver)


def test_only_this_neighbourhood_and_back(driver, rich_page):
    node = js(driver, "return m.data.view.nodes[0]")
    click_node(driver, node)
    driver.find_element("css selector", "#kg-panel .kg-ego1").click()
    drawn = set(js(driver, "return m.nodes.getIds()"))
    expected = {node} | set(js(driver, "return m.neighbours(arguments[0])", node)[:299])
    assert drawn == expected
    depth1 = len(drawn)
    driver.find_element("css selector", "#kg-panel .kg-ego2").click()
    assert js(driver, "return m.nodes.length") > depth1
    assert js(driver, "return m.state().ego") == 2
    driver.find_element("css selector", "#kg-panel .kg-home").click()
    assert js(driver, "return m.nodes.length") == js(driver, "return m.data.view.nodes.length")
    assert js(driver, "return m.state().ego") == 0
    no_errors(driver)


# -- evidence and panels -----------------------------------------------------------------------------------

def test_an_edge_shows_its_evidence(driver, rich_page):
    edge = js(driver, "const C = m.data.claim; const i = C.texts.findIndex(t => t.includes('74.4%'));"
                      "const c = C.text.indexOf(i); m.ego(C.s[c], 1);"  # its ends far apart: no node on the edge
                      "return m.edges.get({filter: e => e.from === C.s[c] && e.to === C.t[c] && e.rel === 'evaluatesOn'})[0].id;")
    # Hovering an edge shows its tooltip, built then (the one under the pointer: others may cross this one) ...
    js(driver, "m.network.moveTo({scale: 2.5, position: m.network.body.edges[arguments[0]].edgeType.getPoint(0.5),"
               "animation: false})", edge)
    assert " \u2192 " in hover(driver, js(driver, "return m.network.canvasToDOM("
                                                 "m.network.body.edges[arguments[0]].edgeType.getPoint(0.5))", edge))
    # ... this one's shows the sentence (cleaned); a click opens every claim in the panel.
    assert "It reaches 74.4% on the set." in js(driver, "return m.tip(arguments[0]).textContent", edge)
    js(driver, "m.showEdge(arguments[0])", edge)
    text = panel_text(driver)
    assert "It reaches 74.4% on the set." in text and "\\%" not in text and "textbf" not in text
    assert "confidence" in text and "74.4" in text and "PapersWithCode" in text
    assert driver.find_elements("css selector", "#kg-panel li.claim a.node")  # the paper, one click away
    no_errors(driver)


def test_a_papers_panel(driver, rich_page):
    _, _, G = rich_page
    paper = next(n for n in sorted(G) if G.nodes[n]["kind"] == "paper" and G.nodes[n]["authors"]
                 and G.nodes[n]["url"] and any(k == "proposes" for _, _, k in G.out_edges(n, keys=True)))
    js(driver, "m.choose(arguments[0])", node_id(driver, paper))
    text = panel_text(driver)
    d = G.nodes[paper]
    assert ", ".join(d["authors"]) in text and "date: " + d["date"] in text and d["url"] in text
    assert driver.find_element("css selector", "#kg-panel a[href^='https://arxiv.org/']").get_attribute("target") == "_blank"
    details = driver.find_element("css selector", "#kg-panel details.abstract")
    assert details.get_attribute("open") is None  # folded
    details.find_element("tag name", "summary").click()
    assert d["abstract"] in details.text
    assert "(proposed here)" in text
    kinds = {G.nodes[v]["kind"] + "s" for v in G.successors(paper)}
    headings = {h.text.lower() for h in driver.find_elements("css selector", "#kg-panel h3")}
    assert kinds <= headings
    no_errors(driver)


def test_a_datasets_panel_lists_the_methods_evaluated_on_it(driver, rich_page):
    dataset = js(driver, "const C = m.data.claim; const c = C.value.findIndex(v => v === '74.4'); m.choose(C.t[c]);"
                         "return C.t[c]")
    text = panel_text(driver)
    assert "METHODS EVALUATED ON IT" in text.upper()
    assert "It reaches 74.4% on the set." in text and "74.4" in text
    n_claims = js(driver, "const C = m.data.claim; return C.t.filter((t, i) => t === arguments[0] && C.r[i] === 3).length",
                  dataset)
    assert len(driver.find_elements("css selector", "#kg-panel li.claim")) >= n_claims


# -- share and reuse ------------------------------------------------------------------------------------------

def test_the_view_round_trips_through_the_url(driver, rich_page):
    path, _, _ = rich_page
    node = js(driver, "return m.data.view.nodes.find(i => m.neighbours(i).some(o => !m.isDrawn(o)))")
    click_node(driver, node)
    driver.find_element("css selector", "#kg-panel .kg-expand").click()
    driver.find_element("css selector", 'input[data-kind="task"]').click()
    driver.find_element("css selector", 'input[data-rel="mentions"]').click()
    js(driver, "m.setPeriod(1, 2)")
    driver.find_element("id", "kg-by-cluster").click()
    url = driver.current_url
    assert "#" in url and "n=" in url
    before = js(driver, "return [m.state(), m.nodes.getIds().sort((a, b) => a - b)]")
    open_map(driver, url)
    after = js(driver, "return [m.state(), m.nodes.getIds().sort((a, b) => a - b)]")
    assert after == before
    assert before[0]["selected"] == node and before[0]["kindsOff"] == {"task": True}
    assert driver.find_element("css selector", "#kg-panel h2").text == js(driver, "return N.name[arguments[0]]", node)
    no_errors(driver)


def test_png_export(driver, rich_page):
    driver.find_element("id", "kg-png").click()
    name, url = js(driver, "return [m.lastExport.name, m.lastExport.url]")
    assert name.endswith(".png") and url.startswith("data:image/png;base64,")
    png = base64.b64decode(url.split(",", 1)[1])
    width, height = int.from_bytes(png[16:20], "big"), int.from_bytes(png[20:24], "big")
    assert png[:8] == b"\x89PNG\r\n\x1a\n"
    assert [width, height] == js(driver, "const c = document.querySelector('#kg-network canvas'); return [c.width, c.height]")


def test_selection_exports(driver, rich_page):
    node = js(driver, "return m.data.view.nodes[0]")
    click_node(driver, node)
    driver.find_element("id", "kg-csv").click()
    csv = unquote(js(driver, "return m.lastExport.url").split(",", 1)[1])
    rows = csv.splitlines()
    assert rows[0] == "iri,name,kind,papers"
    assert len(rows) == 2 + len(js(driver, "return m.neighbours(arguments[0])", node))
    driver.find_element("id", "kg-json").click()
    sel = json.loads(unquote(js(driver, "return m.lastExport.url").split(",", 1)[1]))
    assert sel["nodes"][0]["iri"] == js(driver, "return N.iri[arguments[0]]", node)
    assert len(sel["edges"]) >= len(sel["nodes"]) - 1


# -- time, colours, labels -----------------------------------------------------------------------------------

def test_the_period_filter(driver, rich_page):
    assert js(driver, "return m.data.paper.periods") == ["Jan 2024", "Feb 2024", "Mar 2024"]
    # Draw the papers of the entity with most of them.
    js(driver, "const top = m.data.view.nodes.slice().sort((a, b) => N.papers[b] - N.papers[a])[0];"
               "m.choose(top); m.expand(top);")
    papers = js(driver, "return m.nodes.getIds().filter(i => N.kind[i] === 0)")
    assert len(papers) > 1
    # Move the "from" slider to March (a real input event).
    driver.execute_script("const f = document.getElementById('kg-from'); f.value = 2;"
                          "f.dispatchEvent(new Event('input', {bubbles: true}));")
    assert "Mar 2024" in driver.find_element("id", "kg-period").text
    shown = js(driver, "return m.nodes.get({filter: n => !n.hidden && N.kind[n.id] === 0}).map(n => n.id)")
    period = js(driver, "const P = m.data.paper; const row = {}; P.node.forEach((id, i) => row[id] = i);"
                        "return Object.fromEntries(arguments[0].map(i => [i, P.period[row[i]]]))", papers)
    assert sorted(shown) == sorted(p for p in papers if period[str(p)] == 2)
    # An entity stays when one of its papers is in March.
    ok = js(driver, "const P = m.data.paper, row = {}; P.node.forEach((id, i) => row[id] = i);"
                    "return m.nodes.get().filter(n => N.kind[n.id] !== 0).every(n => !n.hidden ==="
                    " m.neighbours(n.id).some(o => N.kind[o] === 0 && P.period[row[o]] === 2))")
    assert ok
    assert "period=2-2" in driver.current_url


def test_relation_filter_and_cluster_legend(driver, rich_page):
    driver.find_element("css selector", 'input[data-rel="shared"]').click()
    hidden = js(driver, "return [...new Set(m.edges.get({filter: e => e.hidden}).map(e => e.rel))]")
    assert hidden == ["shared"]
    before = js(driver, "return m.nodes.get().map(n => n.color)")
    driver.find_element("id", "kg-by-cluster").click()
    after = js(driver, "return m.nodes.get().map(n => n.color)")
    assert before != after and 2 <= len(set(after)) <= 5
    legend = driver.find_element("id", "kg-clusters").text
    labels = js(driver, "return m.data.cluster.top.map(c => c[1])")
    assert all(label[:20] in legend for label in labels) and "other clusters" in legend


def test_labels_never_overlap(driver, rich_page):
    def boxes():
        js(driver, "m.network.redraw()")
        return js(driver, "return m.labels()")

    for scale in (None, 0.3, 1.5):
        if scale:
            js(driver, "m.network.moveTo({scale: arguments[0], animation: false})", scale)
        drawn = boxes()
        assert drawn
        for i, a in enumerate(drawn):
            for b in drawn[i + 1:]:
                assert not (a[0] < b[2] and b[0] < a[2] and a[1] < b[3] and b[1] < a[3]), (a, b)
    assert js(driver, "return m.nodes.get().every(n => !n.label)")  # vis-network draws none of its own
