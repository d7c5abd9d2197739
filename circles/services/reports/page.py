"""The report as one self-contained HTML page: charts inline, every table, nothing fetched from anywhere."""

from __future__ import annotations

import base64
from datetime import UTC
from html import escape

from circles.services.reports.figures import Report
from circles.services.reports.tables import Table

STYLE = """
body { font-family: system-ui, sans-serif; max-width: 64rem; margin: 2rem auto; padding: 0 1rem; }
table { border-collapse: collapse; margin: 0.5rem 0 2rem; font-size: 0.9rem; }
th, td { border: 1px solid #ccc; padding: 0.25rem 0.5rem; text-align: right; vertical-align: top; }
th:first-child, td:first-child { text-align: left; }
td { white-space: pre-line; }
img { max-width: 100%; }
.note { color: #555; }
"""
ANONYMOUS = (
    "Every figure is a count: no member is named. In a small cohort a count can still point to a person, "
    "so share this page as you would share the people behind it."
)
INDIVIDUAL = (
    "This report names people and may hold the check-in notes their authors chose to share with "
    "facilitators. It is for the cohort's facilitators only: do not forward it."
)


def html_page(report: Report, tables: list[Table], charts: dict[str, bytes]) -> str:
    """The page: a note on what it holds, the charts, then each table with a link to its CSV file."""
    title = f"Report: {report.cohort_name}"
    as_of = report.generated_at.astimezone(UTC).strftime("%Y-%m-%d %H:%M UTC")
    parts = [
        "<!doctype html>",
        '<html lang="en">',
        '<head><meta charset="utf-8">',
        f"<title>{escape(title)}</title>",
        f"<style>{STYLE}</style></head>",
        "<body>",
        f"<h1>{escape(title)}</h1>",
        f'<p class="note">Cohort <code>{escape(report.slug)}</code>, as of '
        f"{as_of}. Weeks run Monday to Sunday in "
        f"{escape(report.timezone)}; the current week counts up to now.</p>",
        f'<p class="note">{escape(INDIVIDUAL if report.individual is not None else ANONYMOUS)}</p>',
    ]
    for name, png in charts.items():
        data = base64.b64encode(png).decode("ascii")
        parts.append(f'<figure><img src="data:image/png;base64,{data}" alt="{escape(name)} chart">')
        parts.append(f'<figcaption><a href="{escape(name)}.png">{escape(name)}.png</a></figcaption></figure>')
    for table in tables:
        parts += _table(table)
    parts += ["</body>", "</html>", ""]
    return "\n".join(parts)


def _table(table: Table) -> list[str]:
    head = "".join(f"<th>{escape(column)}</th>" for column in table.columns)
    rows = [
        "<tr>" + "".join(f"<td>{escape(cell)}</td>" for cell in row) + "</tr>" for row in table.text_rows()
    ]
    link = f'<a href="{escape(table.name)}.csv">{escape(table.name)}.csv</a>'
    if not rows:
        rows = [f'<tr><td colspan="{len(table.columns)}">Nothing to count yet.</td></tr>']
    return [f"<h2>{escape(table.title)}</h2>", f"<p>{link}</p>", f"<table><tr>{head}</tr>", *rows, "</table>"]
