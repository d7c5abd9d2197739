"""The report as one self-contained HTML page: words, charts drawn inline, every table; nothing fetched."""

from __future__ import annotations

import base64
from collections.abc import Sequence
from datetime import UTC
from html import escape

from circles.services.reports.figures import Report
from circles.services.reports.labels import label, unavailable_notes
from circles.services.reports.readable import key_figures, readable
from circles.services.reports.svg import legend
from circles.services.reports.svg_rows import draw
from circles.services.reports.tables import Table
from circles.services.reports.trend_charts import Trend, trend_charts

STYLE = """
*, *::before, *::after { box-sizing: border-box; }
body { font-family: system-ui, -apple-system, "Segoe UI", sans-serif; color: #1d1d1f; line-height: 1.45;
  max-width: 60rem; margin: 0 auto; padding: 1.5rem 1rem 3rem; }
h1 { font-size: 1.8rem; margin-bottom: 0.25rem; }
h2 { font-size: 1.3rem; margin-top: 2.5rem; border-bottom: 2px solid #e5e5ea; padding-bottom: 0.25rem; }
h3 { font-size: 1.05rem; margin: 0 0 0.5rem; }
.note { color: #555; font-size: 0.95rem; }
.figures { display: grid; grid-template-columns: repeat(auto-fill, minmax(13rem, 1fr)); gap: 0.75rem;
  padding: 0; list-style: none; }
.figures li { background: #f5f5f7; border-radius: 0.5rem; padding: 0.6rem 0.8rem; }
.figures .what { display: block; color: #555; font-size: 0.85rem; }
.figures .value { font-size: 1.15rem; font-weight: 600; }
.trends { display: grid; grid-template-columns: repeat(auto-fit, minmax(26rem, 1fr)); gap: 1.5rem; }
figure { margin: 0; min-width: 0; }
.single { max-width: 36rem; }
svg.chart { width: 100%; height: auto; display: block; font-size: 13px; }
svg.chart text { fill: #444; }
svg.chart .grid { stroke: #ddd; stroke-width: 1; }
.alt { font-size: 0.9rem; color: #333; margin: 0.25rem 0; }
.legend { display: flex; flex-wrap: wrap; gap: 0.25rem 1rem; padding: 0; margin: 0.25rem 0;
  list-style: none; font-size: 0.85rem; }
.swatch { display: inline-block; width: 0.8rem; height: 0.8rem; margin-right: 0.3rem; border-radius: 2px;
  vertical-align: -0.1rem; }
.table { max-width: 100%; overflow-x: auto; }
table { border-collapse: collapse; margin: 0.5rem 0 1rem; font-size: 0.85rem; width: 100%; }
th, td { border-bottom: 1px solid #e5e5ea; padding: 0.3rem 0.5rem; text-align: right; vertical-align: top;
  overflow-wrap: anywhere; }
th { background: #f5f5f7; font-weight: 600; }
table.cohorts th, table.cohorts td { overflow-wrap: normal; word-break: normal; min-width: 4.5rem; }
table.cohorts td:first-child { min-width: 10rem; }
th:first-child, td:first-child { text-align: left; }
td { white-space: pre-line; }
details { margin: 0.25rem 0 1rem; }
summary { cursor: pointer; color: #2166ac; }
img { max-width: 100%; height: auto; }
"""
ANONYMOUS = (
    "Every figure is a count: no member is named, and counts of fewer than 5 people are not shown. "
    "In a small cohort a count can still point to a person, "
    "so share this page as you would share the people behind it."
)
INDIVIDUAL = (
    "This report names people and may hold the check-in notes their authors chose to share with "
    "facilitators. It is for the cohort's facilitators only: do not forward it."
)


def html_page(report: Report, tables: list[Table], charts: dict[str, bytes]) -> str:
    """The page: what it holds, the key figures, the weekly trends, then every table with its CSV file."""
    title = f"Report: {report.cohort_name}"
    as_of = report.generated_at.astimezone(UTC).strftime("%d %b %Y %H:%M UTC")
    parts = [
        *head(title),
        f"<h1>{escape(title)}</h1>",
        f'<p class="note">Cohort <code>{escape(report.slug)}</code>, as of {as_of}. Weeks run Monday to '
        f"Sunday in {escape(report.timezone)} and are numbered from the cohort's first (W1); the current "
        "week counts up to now.</p>",
        f'<p class="note">{escape(INDIVIDUAL if report.individual is not None else ANONYMOUS)}</p>',
        *_unavailable(report),
        "<h2>Key figures</h2>",
        figure_list(key_figures(report)),
        "<h2>Weekly trends</h2>",
        '<div class="trends">',
        *(trend_figure(trend) for trend in trend_charts(report)),
        "</div>",
        "<h2>Tables</h2>",
    ]
    for table in tables:
        if table.name != "summary":
            parts += _table(table)
    parts += ["<h2>Charts as pictures</h2>", "<details><summary>Show them, to copy into slides</summary>"]
    for name, png in charts.items():
        data = base64.b64encode(png).decode("ascii")
        parts.append(f'<figure><img src="data:image/png;base64,{data}" alt="{escape(_picture(name))}">')
        parts.append(f'<figcaption><a href="{escape(name)}.png">{escape(name)}.png</a></figcaption></figure>')
    parts += ["</details>", "</body>", "</html>", ""]
    return "\n".join(parts)


def head(title: str) -> list[str]:
    """The page's start: its title and its style, written into it."""
    return [
        "<!doctype html>",
        '<html lang="en">',
        '<head><meta charset="utf-8">',
        '<meta name="viewport" content="width=device-width, initial-scale=1">',
        f"<title>{escape(title)}</title>",
        f"<style>{STYLE}</style></head>",
        "<body>",
    ]


def figure_list(figures: Sequence[tuple[str, str]]) -> str:
    items = "".join(
        f'<li><span class="what">{escape(what)}</span><span class="value">{escape(value)}</span></li>'
        for what, value in figures
    )
    return f'<ul class="figures">{items}</ul>'


def trend_figure(trend: Trend, kind: str = "") -> str:
    """A chart, its legend when it has several series, the sentence it says, and its numbers (a table
    of `kind`, as `html_table` has it)."""
    chart = trend.chart
    return "".join(
        [
            f'<figure id="{chart.key}"><h3>{escape(chart.title)}</h3>',
            draw(chart),
            legend(chart.series) if len(chart.series) > 1 else "",
            f'<p class="alt">{escape(chart.alt)}.</p>',
            "<details><summary>The numbers behind the chart</summary>",
            html_table(trend.columns, [list(row) for row in trend.rows], kind),
            "</details></figure>",
        ]
    )


def html_table(columns: Sequence[str], rows: Sequence[Sequence[str]], kind: str = "") -> str:
    """A table in a box that scrolls sideways rather than widen the page; `kind` a class styling it."""
    head_row = "".join(f'<th scope="col">{escape(column)}</th>' for column in columns)
    body = ["<tr>" + "".join(f"<td>{escape(cell)}</td>" for cell in row) + "</tr>" for row in rows] or [
        f'<tr><td colspan="{len(columns)}">Nothing to count yet.</td></tr>'
    ]
    opening = f'<table class="{escape(kind)}">' if kind else "<table>"
    table = f"{opening}<thead><tr>{head_row}</tr></thead><tbody>{''.join(body)}</tbody></table>"
    return f'<div class="table">{table}</div>'


def _table(table: Table) -> list[str]:
    columns, rows = readable(table)
    link = f'<a href="{escape(table.name)}.csv">Download as CSV ({escape(table.name)}.csv)</a>'
    return [f"<h3>{escape(table.title)}</h3>", html_table(columns, rows), f'<p class="note">{link}</p>']


def _unavailable(report: Report) -> list[str]:
    """A lost shared note must not read as no note: say how many, and where their rows count them."""
    count = report.notes_unavailable
    if not count:
        return []
    where = f"Their partnerships' rows count them under \u201c{label('notes_unavailable')}\u201d."
    return [f'<p class="note">{escape(unavailable_notes(count))} {escape(where)}</p>']


def _picture(name: str) -> str:
    return {
        "states_by_week": "Partnerships by health state, week by week",
        "checkins": "Share of check-ins answered, week by week",
        "participation": "Members in the cohort, with joins and leaves, week by week",
    }.get(name, name.replace("_", " "))
