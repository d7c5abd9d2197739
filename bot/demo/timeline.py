"""The demo's readable account of the programme, and a progress bar while it runs."""

from __future__ import annotations

import sys
from collections import Counter
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path
from typing import TextIO
from zoneinfo import ZoneInfo

BAR_WIDTH = 30
# How the timeline names each kind of message it counts (outbox templates).
TEMPLATE_WORDS = {
    "round": "round set-up steps",
    "circle_prompt": "circle prompts",
    "circle_prompt_catch_up": "catch-up circle prompts",
    "checkin": "check-ins",
    "pair_prompt": "pair prompts",
    "coach_idea": "coach ideas",
    "coach_digest": "coach digests",
    "escalation": "alert messages to facilitators",
    "escalation_withdrawn": "alert copies redrawn without the pair for former facilitators",
    "support_request": "support requests to facilitators",
    "partnership_changed": "partner notices",
    "request_closed": "notices that a request for a coach closed",
    "request_copy_closed": "coaches' copies of a request redrawn as closed",
    "partnership_report": "ending reports to facilitators",
    "survey_invite": "survey invitations",
    "survey_reminder": "survey reminders",
    "partner_away": "notices that a partner is away",
    "partner_back": "notices that a partner is back",
    "support_rerouted": "support requests passed on",
    "support_unshown": "notices of support requests that could not be shown",
    "support_not_shown": "members' notices that their support request could not be shown",
    "direct_answer": "answers to messages typed to the app",
    "workflow_note": "workflow messages to facilitators",
    "circle_alone": "notices that nobody else is left in a circle",
    "plain": "notices",
}


def kinds_in_words(template: str) -> str:
    """How the timeline names a kind of message it counts."""
    return TEMPLATE_WORDS.get(template, template.replace("_", " "))


@dataclass
class Tally:
    """What the demo did, counted as it happened: the report is checked against these."""

    checkins_due: int = 0
    checkins_answered: int = 0
    escalations_opened: int = 0
    escalations_claimed: int = 0
    escalations_resolved: int = 0
    ended_by_partner: int = 0
    ended_by_facilitator: int = 0
    support_requests: int = 0
    completed: int = 0
    private_sent: int = 0
    private_astray: int = 0
    sent: Counter[str] = field(default_factory=Counter)  # by template
    deferred: Counter[str] = field(default_factory=Counter)  # sent later than first due, by template


@dataclass
class Timeline:
    """Lines grouped by programme week; written to `out` as they come when not quiet."""

    out: TextIO = sys.stdout
    quiet: bool = False
    names: dict[str, str] = field(default_factory=dict)  # Slack user ID → the person's name
    tally: Tally = field(default_factory=Tally)
    zone: ZoneInfo = field(default_factory=lambda: ZoneInfo("UTC"))  # times are shown in the cohort's zone
    ends_on: date | None = None  # the cohort's end date: a cohort file may run on past the demo's weeks
    _week: int | None = None

    def who(self, user_id: str) -> str:
        return self.names.get(user_id, user_id)

    def pair(self, first: str, second: str) -> str:
        return f"{self.who(first)} + {self.who(second)}"

    def week(self, number: int, when: datetime, weeks: int | None = None) -> None:
        """Start programme week `number`: 0 before the start, past `weeks` and the end date after the end."""
        if number == self._week:
            return
        self._week = number
        ended = self.ends_on is not None and when.astimezone(self.zone).date() >= self.ends_on
        if number <= 0:
            label = "Before the start"
        elif weeks is not None and number > weeks and ended:
            label = "After the end"
        else:
            label = f"Week {number}"
        self.say(f"\n{label} · {when.astimezone(self.zone):%a %d %b %Y}")

    def event(self, when: datetime, text: str) -> None:
        self.say(f"  {when.astimezone(self.zone):%a %H:%M}  {text}")

    def say(self, text: str, *, always: bool = False) -> None:
        if always or not self.quiet:
            self.clear_progress()
            print(text, file=self.out, flush=True)

    def progress(self, done: int, total: int) -> None:
        """A one-line bar on a terminal; nothing when the output is a file or a pipe."""
        if self.quiet or not self.out.isatty():
            return
        filled = BAR_WIDTH * done // max(total, 1)
        bar = "█" * filled + "·" * (BAR_WIDTH - filled)
        print(f"\r  [{bar}] {100 * done // max(total, 1):3d}%", end="", file=self.out, flush=True)

    def clear_progress(self) -> None:
        if not self.quiet and self.out.isatty():
            print("\r" + " " * (BAR_WIDTH + 10) + "\r", end="", file=self.out, flush=True)


def matched(timeline: Timeline, plan: dict[str, object], when: datetime) -> None:
    """Tell round 1's circles and pairs, and anyone left unmatched, with why."""
    users: dict[str, str] = plan["users"]  # type: ignore[assignment]
    for circle in plan["circles"]:  # type: ignore[attr-defined]
        names = ", ".join(timeline.who(users[str(m)]) for m in circle["members"])
        timeline.event(when, f"circle: {names} — {circle['why']}")
    for pair in plan["pairs"]:  # type: ignore[attr-defined]
        words = timeline.pair(users[str(pair["first"])], users[str(pair["second"])])
        timeline.event(when, f"pair: {words} — {pair['why']}")
    for left in plan["unplaced"]:  # type: ignore[attr-defined]
        timeline.event(when, f"not matched: {timeline.who(users[str(left['member'])])} — {left['reason']}")


def summarise(timeline: Timeline, report: Path | None, more: list[str], research: Path | None = None) -> None:
    """The programme in a few lines: check-ins, alerts, endings, privacy, then `more`, then the files."""
    tally = timeline.tally
    lines = [
        "\nIn all",
        f"  check-ins answered: {tally.checkins_answered} of {tally.checkins_due}",
        f"  alerts to facilitators: {tally.escalations_opened} opened, {tally.escalations_claimed} claimed, "
        f"{tally.escalations_resolved} resolved",
        f"  partnerships ended early: {tally.ended_by_partner} by a partner, "
        f"{tally.ended_by_facilitator} by a facilitator",
        f"  partnerships completed at the cohort's end: {tally.completed}",
        f"  privacy: {tally.private_sent} private messages (alerts, support requests, ending reports) "
        f"reached Slack; {tally.private_astray} messages reached someone who must not see them",
        *more,
    ]
    if report is not None:
        lines.append(f"  report: {report} (CSV files and charts beside it)")
    if research is not None:
        lines.append(f"  research export: {research} (consented members only, under pseudonymous IDs)")
    for line in lines:
        timeline.say(line, always=True)
