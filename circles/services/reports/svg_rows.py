"""Bars lying down: a row per category, its name at its left, the chart as tall as its rows need."""

from __future__ import annotations

import math
from html import escape

from circles.services.reports.svg import CHAR, WIDTH, Chart, opening, svg

RIGHT, TOP, BOTTOM = 20, 6, 26
ROW, TIGHTEST, TALLEST = 24, 16, 1600  # a row's height at ease and at its least; the rows' most in all
LONGEST = 26  # characters of a name written out; longer ones end in "…", whole in their tooltip


def draw(chart: Chart) -> str:
    """The chart as it asked to be drawn: bars lying down in rows, or standing over their names."""
    return rows_svg(chart) if chart.rows else svg(chart)


def rows_svg(chart: Chart) -> str:
    """The chart as an <svg> of rows, with role="img", a <title> and an aria-label saying what it shows."""
    count = max(len(chart.categories), 1)
    row = min(ROW, TALLEST / count)
    step = math.ceil(TIGHTEST / row)  # past the tallest, every step-th name, so that none overlap
    left = 8 + CHAR * min(max((len(name) for name in chart.categories), default=1), LONGEST)
    height = TOP + row * count + BOTTOM
    top = chart.top or 1

    def x(value: float) -> float:
        return left + (WIDTH - left - RIGHT) * min(value, top) / top

    parts = opening(chart, height)
    for fraction in (0, 0.5, 1):
        at = x(top * fraction)
        parts.append(
            f'<line x1="{at:.1f}" x2="{at:.1f}" y1="{TOP}" y2="{height - BOTTOM:.1f}" class="grid"/>'
        )
        parts.append(
            f'<text x="{at:.1f}" y="{height - BOTTOM + 16:.1f}" text-anchor="middle">'
            f"{escape(chart.say(top * fraction))}</text>"
        )
    width = row * 0.7 / len(chart.series)
    for index, category in enumerate(chart.categories):
        y = TOP + row * index
        if index % step == 0:
            parts.append(
                f'<text x="{left - 6:.1f}" y="{y + row / 2 + 4.5:.1f}" text-anchor="end">'
                f"<title>{escape(category)}</title>{escape(_short(category))}</text>"
            )
        for number, series in enumerate(chart.series):
            value = series.values[index]
            if value:
                parts.append(
                    f'<rect x="{left:.1f}" y="{y + row * 0.15 + number * width:.1f}" '
                    f'width="{x(value) - left:.1f}" height="{width:.1f}" fill="{series.colour}">'
                    f"<title>{escape(f'{category}: {series.label} {chart.say(value)}')}</title></rect>"
                )
    parts.append("</svg>")
    return "".join(parts)


def _short(name: str) -> str:
    return name if len(name) <= LONGEST else name[: LONGEST - 1].rstrip() + "…"
