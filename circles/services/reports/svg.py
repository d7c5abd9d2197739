"""Charts as inline SVG: a sentence saying what each shows, scaled to the page, nothing fetched."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from html import escape

WIDTH, HEIGHT = 520, 240
LEFT, RIGHT, TOP, BOTTOM = 52, 10, 12, 34
MAX_TICKS = 10
CHAR = 7.5  # a character's width at the charts' 13px, about: what a name needs along the bottom


@dataclass(frozen=True)
class Series:
    label: str
    colour: str
    values: tuple[float | None, ...]


@dataclass(frozen=True)
class Chart:
    """A chart's content: its categories along the bottom (weeks, cohorts) and one or more series."""

    key: str  # an id on the page
    title: str
    alt: str  # what it shows, in a sentence
    categories: tuple[str, ...]
    series: tuple[Series, ...]
    say: Callable[[float], str]  # a value as people read it (axis and tooltips)
    top: float  # the value at the top of the axis
    stacked: bool = False
    bars: bool = False
    rows: bool = False  # bars lying down, a row per category named at its left (svg_rows)


def fits_below(categories: Sequence[str]) -> bool:
    """Whether every name can be written under its own column without running into the next."""
    slot = (WIDTH - LEFT - RIGHT) / max(len(categories), 1)
    return all(len(name) * CHAR <= slot for name in categories)


def opening(chart: Chart, height: float) -> list[str]:
    """The <svg> element of a chart this tall, as an image titled and labelled by what it shows."""
    return [
        f'<svg class="chart" viewBox="0 0 {WIDTH} {height:.0f}" role="img" '
        f'aria-labelledby="{chart.key}-title" aria-label="{escape(chart.alt)}">',
        f'<title id="{chart.key}-title">{escape(chart.alt)}</title>',
    ]


def svg(chart: Chart) -> str:
    """The chart as an <svg> with role="img", a <title> and an aria-label saying what it shows."""
    top = chart.top or 1
    plot_w, plot_h = WIDTH - LEFT - RIGHT, HEIGHT - TOP - BOTTOM
    slot = plot_w / max(len(chart.categories), 1)

    def y(value: float) -> float:
        return TOP + plot_h * (1 - min(value, top) / top)

    parts = opening(chart, HEIGHT)
    for fraction in (0, 0.5, 1):
        at = y(top * fraction)
        parts.append(f'<line x1="{LEFT}" x2="{WIDTH - RIGHT}" y1="{at:.1f}" y2="{at:.1f}" class="grid"/>')
        parts.append(
            f'<text x="{LEFT - 6}" y="{at + 4:.1f}" text-anchor="end">'
            f"{escape(chart.say(top * fraction))}</text>"
        )
    step = max(1, -(-len(chart.categories) // MAX_TICKS))
    for index in range(0, len(chart.categories), step):
        x = LEFT + slot * (index + 0.5)
        name = escape(chart.categories[index])
        parts.append(f'<text x="{x:.1f}" y="{HEIGHT - BOTTOM + 16}" text-anchor="middle">{name}</text>')
    if chart.stacked or chart.bars:
        parts += _bars(chart, slot, y)
    else:
        parts += _lines(chart, slot, y)
    parts.append("</svg>")
    return "".join(parts)


def _bars(chart: Chart, slot: float, y: Callable[[float], float]) -> list[str]:
    parts = []
    width = slot * 0.7 / (1 if chart.stacked else len(chart.series))
    for index, category in enumerate(chart.categories):
        base = 0.0
        for number, series in enumerate(chart.series):
            value = series.values[index]
            if not value:
                continue
            left = LEFT + slot * index + slot * 0.15 + (0 if chart.stacked else number * width)
            low = base if chart.stacked else 0.0
            high = low + value
            parts.append(
                f'<rect x="{left:.1f}" y="{y(high):.1f}" width="{width:.1f}" '
                f'height="{max(y(low) - y(high), 0):.1f}" fill="{series.colour}">'
                f"<title>{escape(f'{category}: {series.label} {chart.say(value)}')}</title></rect>"
            )
            if chart.stacked:
                base = high
    return parts


def _lines(chart: Chart, slot: float, y: Callable[[float], float]) -> list[str]:
    parts = []
    for series in chart.series:
        runs: list[list[str]] = [[]]
        for index, value in enumerate(series.values):
            if value is None:
                runs.append([])  # a week with nothing to count breaks the line rather than dropping to zero
                continue
            x = LEFT + slot * (index + 0.5)
            runs[-1].append(f"{x:.1f},{y(value):.1f}")
            parts.append(
                f'<circle cx="{x:.1f}" cy="{y(value):.1f}" r="3.5" fill="{series.colour}">'
                f"<title>{escape(f'{chart.categories[index]}: {chart.say(value)}')}</title></circle>"
            )
        for run in runs:
            if len(run) > 1:
                parts.append(
                    f'<polyline points="{" ".join(run)}" fill="none" '
                    f'stroke="{series.colour}" stroke-width="2"/>'
                )
    return parts


def legend(series: Sequence[Series]) -> str:
    """The series' colours and names, as a list that wraps with the page."""
    items = "".join(
        f'<li><span class="swatch" style="background:{s.colour}"></span>{escape(s.label)}</li>'
        for s in series
    )
    return f'<ul class="legend">{items}</ul>'
