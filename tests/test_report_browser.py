"""The report in a real browser: Debian's chromium, headless, driven by Playwright (no browser download).

``.ci/run`` installs chromium when it is missing; outside CI the test is skipped without it. The screenshot
is kept as a test artefact in outputs/.artifacts/report-browser.png (not committed).
"""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest

from pipeline.desk.frames import desk_tables, happenings_frame
from pipeline.desk.report import write_report
from pipeline.run import run

from .conftest import CORPUS, ROOT, write

CHROMIUM = shutil.which("chromium") or ("/usr/bin/chromium" if Path("/usr/bin/chromium").exists() else None)
# Flags this closed network needs: no background connections, no component updates, no first-run work.
FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
         "--disable-background-networking", "--disable-component-update", "--disable-sync",
         "--disable-dev-shm-usage"]
ARTIFACT = ROOT / "outputs" / ".artifacts" / "report-browser.png"

HOSTILE = """---
title: "Zorblat <script>window.__pwned = 1</script> raid <img src=x onerror=\\"window.__pwned=2\\">"
published: 2025-03-14
source: "<b onmouseover=alert(3)>Evil Outlet</b>"
url: "javascript:window.__pwned=4"
---
Gunmen attacked a police convoy in Quetta on Monday, killing four officers <script>window.__pwned=5</script>, police said.

The attackers <img src=x onerror="window.__pwned=6"> fled towards the mountains near Zorblat after the attack.
"""

pytestmark = pytest.mark.browser


@pytest.fixture(scope="module")
def browser():
    if CHROMIUM is None:
        if os.environ.get("CI"):
            pytest.fail("chromium is missing: .ci/run installs it with apt-get install -y chromium")
        pytest.skip("Debian's chromium is not installed (apt-get install -y chromium)")
    sync_api = pytest.importorskip("playwright.sync_api")
    with sync_api.sync_playwright() as p:
        b = p.chromium.launch(executable_path=CHROMIUM, args=FLAGS)
        yield b
        b.close()


@pytest.fixture(scope="module")
def hostile_outputs(tmp_path_factory, extractor, config) -> Path:
    root = tmp_path_factory.mktemp("hostile")
    corpus = root / "corpus"
    shutil.copytree(CORPUS, corpus)
    write(corpus / "hostile.md", HOSTILE)
    run(corpus, root / "out", config, extractor=extractor, progress=False)
    return root / "out"


def wait_rows(page, n: int, seconds: float = 5.0) -> None:
    """Poll from Python: the page's Content-Security-Policy forbids the eval that wait_for_function uses."""
    for _ in range(int(seconds / 0.05)):
        if page.locator("tr.hap").count() == n:
            return
        page.wait_for_timeout(50)
    assert page.locator("tr.hap").count() == n


def test_report_renders_in_chromium(browser, hostile_outputs, tmp_path):
    html = write_report(hostile_outputs, tmp_path / "report.html")
    haps = happenings_frame(desk_tables(hostile_outputs))
    assert 0 < len(haps) <= 50                          # one page of the table
    page = browser.new_page(viewport={"width": 1280, "height": 900})
    messages, errors, requests = [], [], []
    page.on("console", lambda m: messages.append(f"{m.type}: {m.text}"))
    page.on("pageerror", lambda e: errors.append(str(e)))
    page.on("request", lambda r: requests.append(r.url))
    page.goto(html.resolve().as_uri())
    page.wait_for_selector("body[data-ready='1']", timeout=15000)

    # the charts and the map are drawn
    assert page.locator("svg.bars rect").count() > 0
    assert page.locator("svg.timeline rect").count() > 0
    assert page.locator("#map path.country").count() > 150
    box = page.locator("#map").bounding_box()
    assert box and box["width"] > 300 and box["height"] > 100

    # the table lists the happenings of the corpus
    assert page.locator("tr.hap").count() == len(haps)
    assert sorted(page.eval_on_selector_all("tr.hap", "rs => rs.map(r => r.dataset.id)")) == \
        sorted(haps["happening_id"])

    # markup in a title, an outlet and the text shows as text and runs nothing
    page.fill("#search", "zorblat")
    wait_rows(page, 1)
    page.click("tr.hap")
    # the hostile article's report (its happening may hold reports of other articles too)
    report = page.locator(".report", has_text="Evil Outlet").first
    assert "<script>window.__pwned = 1</script>" in report.locator("strong").inner_text()
    assert "<b onmouseover=alert(3)>Evil Outlet</b>" in report.inner_text()
    assert "<script>window.__pwned=5</script>" in report.locator(".excerpt").inner_text()
    assert "attacked a police convoy" in report.locator("mark").inner_text()
    assert report.locator("a").count() == 0            # a javascript: address is no link
    assert page.evaluate("typeof window.__pwned") == "undefined"
    assert page.locator("img, #hap-body b, #hap-body script, .reports img").count() == 0
    assert page.locator("script").count() == 2

    # sorting and paging controls work
    page.fill("#search", "")
    wait_rows(page, len(haps))
    page.click("#hap-table th:nth-child(7)")            # killed
    page.click("#hap-table th:nth-child(7)")            # descending
    top = page.locator("tr.hap").first.locator("td").nth(6).inner_text()
    assert top and int(top.split("\u2013")[0]) == int(haps["killed_min"].max())

    page.screenshot(path=str(tmp_path / "shot.png"), full_page=True)
    ARTIFACT.parent.mkdir(parents=True, exist_ok=True)
    shutil.copy(tmp_path / "shot.png", ARTIFACT)
    assert not errors, errors
    assert not [m for m in messages if m.startswith("error")], messages
    assert all(u.startswith(("file:", "data:")) for u in requests), requests
    page.close()


def test_report_pages_many_happenings(browser, seed_outputs, tmp_path):
    import pandas as pd

    from pipeline.desk.report import build_report

    tables = desk_tables(seed_outputs)
    copies = {}
    for name, df in tables.items():                    # the seed tables three times over, as other articles
        parts = []
        for i in range(3):
            d = df.copy()
            for col in ("doc_id", "event_id", "claim_id"):
                if col in d:
                    d[col] = d[col].astype(str) + f"-{i}"
            parts.append(d)
        copies[name] = pd.concat(parts, ignore_index=True)
    n = len(happenings_frame(copies))
    assert n > 50
    html = tmp_path / "many.html"
    html.write_text(build_report(copies), encoding="utf-8")
    page = browser.new_page()
    errors = []
    page.on("pageerror", lambda e: errors.append(str(e)))
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    page.goto(html.resolve().as_uri())
    page.wait_for_selector("body[data-ready='1']", timeout=15000)
    assert page.locator("tr.hap").count() == 50
    dates = [d for d in page.eval_on_selector_all("tr.hap td:first-child", "ts => ts.map(t => t.textContent)") if d]
    assert dates == sorted(dates, reverse=True)        # newest first
    page.click("#next")
    wait_rows(page, n - 50)
    assert "page 2 of 2" in page.inner_text("#hap-info") and page.locator("#next").is_disabled()
    page.click("#prev")
    wait_rows(page, 50)
    assert not errors, errors
    page.close()
