"""The report in a real browser (Debian's headless Chromium): it draws, says what its charts show, fits."""

from __future__ import annotations

import re
import shutil
from datetime import UTC, datetime
from pathlib import Path

import pytest
from PIL import Image

from circles.persistence.db import Database
from circles.services.reports import write_comparison, write_report
from circles.services.reports.compare import CohortColumn, comparison_page
from tests import report_world as w
from tests.browser import open_page
from tests.databases import migrated_sqlite_url

pytestmark = pytest.mark.early  # seconds of the browser starting

REPO = Path(__file__).resolve().parents[2]
NOW = datetime(2027, 2, 3, 12, tzinfo=UTC)
# Appended to a copy of the page only: how wide the page and each table's box came out at 1024 px.
MEASURE = (
    "<script>document.body.dataset.pageWidth = document.documentElement.scrollWidth;"
    "document.body.dataset.overflowing = [...document.querySelectorAll('table')]"
    ".filter(t => t.getBoundingClientRect().right > document.documentElement.clientWidth + 1).length;"
    "</script></body>"
)


@pytest.fixture
def page(tmp_path: Path) -> Path:
    """The anonymous report of the five-week coaching cohort, written to a folder."""
    db = Database(migrated_sqlite_url(tmp_path))
    world = w.stored(db)
    files = write_report(
        db.unit_of_work(), "T0001", "pgy1", tmp_path / "report", world.now, refresh_health=False
    )
    db.dispose()
    return files.index


def test_the_report_opens_in_a_browser_without_errors_says_what_its_charts_show_and_fits(
    page: Path, tmp_path: Path
) -> None:
    measured = tmp_path / "measured.html"
    measured.write_text(page.read_text().replace("</body>", MEASURE), encoding="utf-8")
    picture = tmp_path / "report.png"  # drawn in the same load (the measuring script changes no pixel)
    opened = open_page(measured, "--window-size=1024,2000", picture=picture)
    assert opened.errors == []
    for heading in ("Report: PGY-1 residents", "Key figures", "Weekly trends", "Tables"):
        assert heading in opened.dom
    for title in ("Engagement: share of check-ins answered", "Partnerships by health state"):
        assert title in opened.dom
    charts = re.findall(r"<svg\b[^>]*>.*?</svg>", opened.dom, flags=re.S)
    assert len(charts) == 4
    for chart in charts:
        assert 'role="img"' in chart
        assert re.search(r'aria-label="[^"]{20,}"', chart)
        assert re.search(r"<title[^>]*>[^<]{20,}</title>", chart)
    assert "Engagement rose from 75% in week 2 to 33% in week 4" not in opened.dom  # it fell
    assert "Engagement fell from 75% in week 2 to 33% in week 4" in opened.dom
    assert 'data-page-width="1024"' in opened.dom or re.search(r'data-page-width="(\d+)"', opened.dom)
    width = int(re.search(r'data-page-width="(\d+)"', opened.dom)[1])  # type: ignore[index]
    assert width <= 1024, "the page scrolls sideways at 1024 px"
    assert 'data-overflowing="0"' in opened.dom
    assert "://" not in page.read_text()  # one self-contained file: nothing fetched

    with Image.open(picture) as image:
        assert image.size == (1024, 2000)
        assert image.convert("RGB").getcolors(maxcolors=16) is None  # more than a blank page's few colours
    kept = REPO / "test-output" / "report.png"
    kept.parent.mkdir(exist_ok=True)
    shutil.copyfile(picture, kept)


def test_the_checker_fails_a_page_whose_script_throws(tmp_path: Path) -> None:
    broken = tmp_path / "broken.html"
    broken.write_text(
        '<!doctype html><title>x</title><script>throw new Error("x")</script>', encoding="utf-8"
    )
    opened = open_page(broken)
    assert opened.errors
    assert "Uncaught Error: x" in opened.errors[0]


def test_cohorts_side_by_side_open_in_a_browser_with_a_chart_that_says_what_it_shows(tmp_path: Path) -> None:
    db = Database(migrated_sqlite_url(tmp_path))
    world = w.stored(db)
    index = write_comparison(db.unit_of_work(), "T0001", ["pgy1", "other"], tmp_path / "out", world.now)
    db.dispose()
    opened = open_page(index, "--window-size=1024,1200")
    assert opened.errors == []
    assert "Cohorts side by side" in opened.dom
    [chart] = re.findall(r"<svg\b[^>]*>.*?</svg>", opened.dom, flags=re.S)
    assert 'role="img"' in chart
    assert "Engagement is 62% in PGY-1 residents, the only cohort with check-ins due" in chart


# Appended to the side-by-side page: every table opened, then its narrowest cell, its widest table, and how
# many pairs of the chart's words are drawn over each other, as the browser laid them out.
CROWDING = (
    "<script>document.querySelectorAll('details').forEach(d => d.open = true);"
    "const cells = [...document.querySelectorAll('th, td')].map(c => c.getBoundingClientRect().width);"
    "const words = [...document.querySelectorAll('svg.chart text')].map(t => t.getBoundingClientRect());"
    "const over = (a, b) => a.left < b.right - 1 && b.left < a.right - 1 && a.top < b.bottom - 1"
    " && b.top < a.bottom - 1;"
    "document.body.dataset.narrowest = Math.floor(Math.min(...cells));"
    "document.body.dataset.widest = Math.ceil(Math.max(...[...document.querySelectorAll('table')]"
    ".map(t => t.getBoundingClientRect().right)));"
    "document.body.dataset.window = document.documentElement.clientWidth;"
    "document.body.dataset.overlaps = words.flatMap((a, i) => words.slice(i + 1).filter(b => over(a, b)))"
    ".length;</script></body>"
)


def test_thirty_cohorts_side_by_side_keep_their_words_whole_fit_the_window_and_label_every_bar_apart(
    tmp_path: Path,
) -> None:
    columns = [
        CohortColumn(
            f"gme{n}", f"GME program directors {2000 + n}", 20 + n, 8, 40, n, 3.5, n % 4, n % 3, None
        )
        for n in range(30)
    ]
    page = tmp_path / "index.html"
    page.write_text(comparison_page(columns, NOW).replace("</body>", CROWDING), encoding="utf-8")
    opened = open_page(page, "--window-size=1024,1200")
    assert opened.errors == []
    measured = {
        key: int(re.search(rf'data-{key}="(\d+)"', opened.dom)[1])  # type: ignore[index]
        for key in ("narrowest", "widest", "window", "overlaps")
    }
    assert measured["narrowest"] >= 40, "a table cell wraps a few characters a line"
    assert measured["widest"] <= measured["window"], "a table runs past the window"
    assert measured["overlaps"] == 0, "the chart draws words over each other"
