"""A proposed round as lines — each circle, pair and member left out — and the modal that shows them all.

A preview message shows the first lines that fit; the modal pages through every one of them, each page
far within a modal's 100 blocks, so a facilitator can read the whole round before confirming it.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from slack_sdk.models.views import View

from bot import ids
from bot.views.pages import paged_modal
from bot.views.text import clip_mrkdwn, counted, mrkdwn, pack_lines, slack_length
from circles.messages import UNNAMED
from circles.services.matching.rounds import RoundPlan

SECTION = 3000  # characters in a section
LINE = 1000  # one circle of twelve with its reasons fits; anything longer ends in "…"
ERASED = "_someone who left_"
READ_ONLY = "Only you see this. Nothing is created until you press *Confirm and create* on the preview."


@dataclass(frozen=True)
class Listing:
    """One kind of thing a round proposes, with a line for each."""

    title: str
    noun: str
    lines: list[str]


def listings(plan: dict[str, Any]) -> list[Listing]:
    """The round's circles, pairs and people left out, in that order, leaving out kinds it has none of."""
    users: dict[str, str] = plan["users"]
    circles, pairs, unplaced = plan["circles"], plan["pairs"], plan["unplaced"]
    found = []
    if circles:
        lines = [circle_line(i, c, users) for i, c in enumerate(circles, start=1)]
        found.append(Listing(f"*{counted(len(circles), 'circle')}*", "circles", lines))
    if pairs:
        found.append(
            Listing(f"*{counted(len(pairs), 'pair')}*", "pairs", [pair_line(p, users) for p in pairs])
        )
    if unplaced:
        lines = [f"• {_person(users, u['member'])}{_because(u['reason'])}" for u in unplaced]
        found.append(Listing("*Not matched this round*", "people", lines))
    return found


def opening(listing: Listing, most: int) -> tuple[str, int]:
    """The title and the first whole lines (at most `most`) that fit a section, and how many are left out."""
    text, shown = listing.title, 0
    for line in listing.lines[:most]:
        longer = f"{text}\n{clip_mrkdwn(line, LINE)}"
        if slack_length(longer) > SECTION - 100:  # room for the "…and N more" line
            break
        text, shown = longer, shown + 1
    hidden = len(listing.lines) - shown
    if hidden:
        text += f"\n…and {hidden} more {listing.noun}."
    return text, hidden


def see_all_words(plan: dict[str, Any]) -> str:
    circles, pairs = len(plan["circles"]), len(plan["pairs"])
    return f"See all {circles} circles" + (f" and {pairs} pairs" if pairs else "")


def round_texts(plan: dict[str, Any]) -> list[str]:
    """Every line of the round, packed into section texts."""
    texts = [
        text for listing in listings(plan) for text in pack_lines([listing.title, *listing.lines], SECTION)
    ]
    return texts or ["Nobody to match in this round."]


def round_modal(round_plan: RoundPlan, page: int = 0) -> View:
    """One page of the whole round, read-only, with buttons to the pages before and after it."""
    what = "Re-match" if round_plan.plan.get("rematch") else f"Round {round_plan.round}"
    return paged_modal(
        title=f"{what} preview",
        callback_id=ids.MATCH_LIST_VIEW,
        texts=round_texts(round_plan.plan),
        page=page,
        footer=READ_ONLY,
        turn=ids.MATCH_LIST_PAGE,
        key=str(round_plan.run_id),
        block_id=ids.MATCH_LIST_PAGES_BLOCK,
    )


def circle_line(index: int, circle: dict[str, Any], users: dict[str, str]) -> str:
    people = ", ".join(_person(users, m) for m in circle["members"])
    return f"{index}. {people}{_because(circle['why'])}"


def pair_line(pair: dict[str, Any], users: dict[str, str]) -> str:
    return f"• {_person(users, pair['first'])} + {_person(users, pair['second'])}{_because(pair['why'])}"


def _person(users: dict[str, str], member: int) -> str:
    """A member of the round; one erased since it was made is named by nobody (the erasure unnamed them)."""
    user = users.get(str(member), UNNAMED)
    return f"<@{user}>" if user else ERASED


def _because(why: str) -> str:
    """Why a group was formed; the erasure of one of its people dropped it (made of their profile)."""
    return f" — {mrkdwn(why)}" if why else ""
