#!/usr/bin/env python3
"""Render the HTML map in headless Chromium (offline) to a PNG for the README, and print load times.

    .venv/bin/python scripts/screenshot_html.py [outputs/graph.html] [docs/map.png] [--select LABEL]

Needs Debian's `chromium` and `chromium-driver` and selenium (a test dependency). The page is opened
from file:// with every host name unresolvable, as the browser test does. `--select` searches the
map for LABEL and zooms in on it with its side panel open (default: the most central method).
"""

from __future__ import annotations

import argparse
import shutil
import sys
import tempfile
import time
from pathlib import Path

CHROMIUM_FLAGS = (
    "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
    "--disable-background-networking", "--disable-component-update", "--disable-sync",
    "--disable-dev-shm-usage", "--host-resolver-rules=MAP * ~NOTFOUND", "--hide-scrollbars",
)


def open_driver(width: int = 1400, height: int = 900):
    """A headless, offline Chromium driven by selenium, with a throwaway profile (removed on quit)."""
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

    chromium, chromedriver = shutil.which("chromium"), shutil.which("chromedriver")
    if not chromium or not chromedriver:
        sys.exit("needs chromium and chromedriver: apt-get install -y chromium chromium-driver")
    profile = tempfile.mkdtemp(prefix="kg-chromium-")
    opts = webdriver.ChromeOptions()
    opts.binary_location = chromium
    for flag in CHROMIUM_FLAGS + (f"--window-size={width},{height}", f"--user-data-dir={profile}"):
        opts.add_argument(flag)
    driver = webdriver.Chrome(service=Service(executable_path=chromedriver), options=opts)
    driver.execute_cdp_cmd("Network.enable", {})
    driver.execute_cdp_cmd("Network.setBlockedURLs", {"urls": ["http://*", "https://*", "ws://*", "wss://*"]})
    quit_ = driver.quit

    def quit_and_clean():
        quit_()
        shutil.rmtree(profile, ignore_errors=True)

    driver.quit = quit_and_clean
    return driver


def load(driver, html: Path, timeout: float = 120.0) -> float:
    """Open `html` and wait until the map has drawn once; seconds taken."""
    t0 = time.perf_counter()
    driver.get(html.resolve().as_uri())
    while driver.execute_script("return document.body && document.body.getAttribute('data-ready')") != "1":
        if time.perf_counter() - t0 > timeout:
            raise SystemExit(f"{html}: the map did not draw within {timeout:.0f} s")
        time.sleep(0.02)
    return time.perf_counter() - t0




def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("html", nargs="?", type=Path, default=Path("outputs/graph.html"))
    ap.add_argument("png", nargs="?", type=Path, default=Path("docs/map.png"))
    ap.add_argument("--neighbourhood", type=Path, default=Path("docs/map-neighbourhood.png"),
                    help="where the neighbourhood view goes")
    ap.add_argument("--select", help="the method to show: a name or alias as typed in Find")
    ap.add_argument("--width", type=int, default=1400)
    ap.add_argument("--height", type=int, default=900)
    args = ap.parse_args()

    driver = open_driver(args.width, args.height)
    try:
        seconds = [load(driver, args.html) for _ in range(3)]  # the first also warms the browser up
        nodes, edges = driver.execute_script("return [window.kgMap.nodes.length, window.kgMap.edges.length]")
        time.sleep(0.3)
        args.png.parent.mkdir(parents=True, exist_ok=True)
        driver.save_screenshot(str(args.png))
        # A method, its neighbourhood on its own, and the evidence of one of its claims.
        shown = driver.execute_script(
            "const m = window.kgMap, D = m.data, N = D.node, C = D.claim, q = arguments[0];"
            "const method = D.kinds.indexOf('method');"
            "const id = q ? m.search(q)[0] : N.order.find(i => N.kind[i] === method && C.s.includes(i));"
            "if (id === undefined) return null;"
            "m.ego(id, 1);"
            "const e = m.edges.get({filter: e => e.from === id && (e.rel === 'evaluatesOn' || e.rel === 'improvesOver')})[0]"
            "  || m.edges.get({filter: e => e.to === id && e.rel === 'improvesOver'})[0];"
            "if (e) m.showEdge(e.id);"
            "return N.name[id];", args.select)
        if shown:
            time.sleep(0.3)
            driver.save_screenshot(str(args.neighbourhood))
    finally:
        driver.quit()
    size = args.html.stat().st_size
    print(f"{args.html}: {size / 1e6:.2f} MB, {nodes} nodes and {edges} edges drawn; loaded and drawn in "
          + ", ".join(f"{t:.2f}" for t in seconds) + f" s; wrote {args.png}"
          + (f" and {args.neighbourhood} ({shown})" if shown else " (no method with a claim to show)"))


if __name__ == "__main__":
    main()
