"""The report's charts as PNG images, drawn headless with matplotlib's Agg canvas."""

from __future__ import annotations

import io
import math
import threading
from collections.abc import Callable, Sequence
from datetime import date
from typing import TYPE_CHECKING

from circles.domain.health import NOT_ASSESSED_WORDS, STATE_WORDS
from circles.domain.vocabulary import PartnershipHealthState as State
from circles.services.reports.figures import Report

if TYPE_CHECKING:
    from matplotlib.axes import Axes

# Drawn bottom to top; the colours tell the states apart without relying on red and green alone.
COLOURS = {
    State.THRIVING: "#1b7837",
    State.STEADY: "#4393c3",
    State.NEEDS_ATTENTION: "#f4a582",
    State.STRUGGLING: "#b2182b",
}
STATES = (
    *((state.value, STATE_WORDS[state].title, colour) for state, colour in COLOURS.items()),
    ("not_assessed", NOT_ASSESSED_WORDS.title, "#bababa"),
)
MAX_LABELS = 12
# Fixed room around the plot, as fractions of the figure: the y-axis label on the left, the legend on the
# right, the slanted week labels below, the title above. Working the room out for each chart (matplotlib's
# constrained layout) took a third of the time to draw it, for the same few labels every time.
MARGINS = {"left": 0.1, "right": 0.8, "bottom": 0.22, "top": 0.9}
_DRAWING = threading.Lock()  # matplotlib's font cache and text layout are not safe across threads


def states_chart(report: Report) -> bytes:
    """Partnerships by health state at the end of each week, as stacked bars."""

    def draw(axes: Axes) -> None:
        positions = range(len(report.states))
        bottoms = [0] * len(report.states)
        for field, label, colour in STATES:
            heights = [getattr(week, field) for week in report.states]
            axes.bar(positions, heights, bottom=bottoms, color=colour, label=label, width=0.8)
            bottoms = [bottom + height for bottom, height in zip(bottoms, heights, strict=True)]
        axes.set_ylabel("Partnerships")
        axes.legend(loc="upper left", bbox_to_anchor=(1.0, 1.0), fontsize="small", frameon=False)
        _whole_numbers(axes)

    return _chart(f"Partnership health by week — {report.cohort_name}", [w.week for w in report.states], draw)


def response_chart(report: Report) -> bytes:
    """Share of check-ins answered, by the week they fell due; weeks without check-ins stay empty."""

    def draw(axes: Axes) -> None:
        for position, week in enumerate(report.checkins):
            if week.rate is None:
                continue
            axes.bar(position, week.rate * 100, color="#4393c3", width=0.8)
            if len(report.checkins) <= MAX_LABELS * 2:
                label = f"{week.answered}/{week.due}"
                axes.annotate(
                    label, (position, week.rate * 100), ha="center", va="bottom", fontsize="x-small"
                )
        axes.set_ylim(0, 110)
        axes.set_ylabel("Check-ins answered (%)")

    return _chart(f"Check-in response rate — {report.cohort_name}", [w.week for w in report.checkins], draw)


def participation_chart(report: Report) -> bytes:
    """Members in the cohort at each week's end, with the week's joins above and leaves below zero."""

    def draw(axes: Axes) -> None:
        positions = list(range(len(report.participation)))
        axes.bar(positions, [w.joined for w in report.participation], color="#4393c3", label="Joined")
        axes.bar(positions, [-w.left for w in report.participation], color="#f4a582", label="Left")
        members = [w.members for w in report.participation]
        axes.plot(positions, members, color="#333333", marker="o", markersize=3, label="Members")
        axes.axhline(0, color="#999999", linewidth=0.8)
        axes.set_ylabel("People")
        axes.legend(loc="upper left", bbox_to_anchor=(1.0, 1.0), fontsize="small", frameon=False)
        _whole_numbers(axes)

    weeks = [w.week for w in report.participation]
    return _chart(f"Members by week — {report.cohort_name}", weeks, draw)


CHARTS: dict[str, Callable[[Report], bytes]] = {
    "states_by_week": states_chart,
    "checkins": response_chart,
    "participation": participation_chart,
}


def _chart(title: str, weeks: Sequence[date], draw: Callable[[Axes], None]) -> bytes:
    # Imported here: the app starts without paying for matplotlib until someone asks for a report.
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.figure import Figure

    with _DRAWING:
        figure = Figure(figsize=(9, 4.5), dpi=100)
        FigureCanvasAgg(figure)
        figure.subplots_adjust(**MARGINS)
        axes = figure.subplots()
        draw(axes)
        # A cohort's name is words, never maths: "$$" or "$5-$10" would be read as TeX, and break the chart.
        axes.set_title(title[:90], fontsize="medium", parse_math=False)
        step = max(1, math.ceil(len(weeks) / MAX_LABELS))
        shown = list(range(0, len(weeks), step))
        axes.set_xticks(shown, [weeks[i].strftime("%d %b %Y") for i in shown], rotation=30, ha="right")
        axes.set_xlim(-0.6, len(weeks) - 0.4)
        axes.set_xlabel("Week starting")
        axes.spines[["top", "right"]].set_visible(False)
        buffer = io.BytesIO()
        # No software or date stamp in the file: the same report draws the same bytes.
        figure.savefig(buffer, format="png", metadata={"Software": None})
    return buffer.getvalue()


def _whole_numbers(axes: Axes) -> None:
    from matplotlib.ticker import MaxNLocator

    axes.yaxis.set_major_locator(MaxNLocator(integer=True))
