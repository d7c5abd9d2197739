"""When a due message goes (pure): personal ones in their person's window, circle prompts when most can read
(and a pair's conversation starter when both can).

A personal message that can wait is held back until its person's next window; a circle's prompt until
more than half of its members can be reached, never more than two days. When a held-back message finally
goes, only the newest message of its kind for the same person (and pair) going now is sent: the older
unsent ones are superseded, so someone back from an absence gets one catch-up, never the backlog. A daily
digest held back past its own day is dropped when the next one comes later that day at an hour its person
can be reached, so a day off never ends in two digests an hour apart, and one whose hours never include
the hour digests are made still gets the held one. What a message that waited may still say, once it
goes, is in circles.domain.stale.
"""

from __future__ import annotations

from collections.abc import Collection, Iterable, Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from circles.domain.availability import Reach, next_window, reachable
from circles.domain.availability.reach import most_reachable

# Personal messages that can wait for their person's window, by template. Escalation alerts and direct
# answers to someone who just typed are not here: they go at once.
CAN_WAIT = frozenset(
    {
        "checkin",
        "coach_idea",
        "coach_digest",
        "circle_prompt_catch_up",
        "partner_away",
        "partner_back",
        "partnership_changed",
        "survey_invite",
        "survey_reminder",
        "support_rerouted",
        "support_not_shown",
        "cohort_welcome",
        "request_closed",
        "circle_alone",
    }
)
# Of those, the ones a newer message of the same kind makes pointless; a notice about a partner is news
# of its own (two partners away are two notices, two partnerships ended are two, as are two support
# requests that went elsewhere, two cohorts one is added to two welcomes, two requests that closed, two
# circles left with only them), so it is held back but never superseded.
NEWS = frozenset(
    {
        "partner_away",
        "partner_back",
        "partnership_changed",
        "support_rerouted",
        "support_not_shown",
        "cohort_welcome",
        "request_closed",
        "circle_alone",
    }
)
# Each survey asks its own instrument: a newer one replaces none (a request's reminder is dropped at
# claim time once it is answered, see circles.services.outbox.surveys).
SURVEYS = frozenset({"survey_invite", "survey_reminder"})
# One a day per person, for the local day its key ends with (digest:{user}:{YYYY-MM-DD}): once held
# back past that day it is dropped when the next day's comes the same day, never sent beside it.
DAILY = frozenset({"coach_digest"})
CIRCLE_PROMPT = "circle_prompt"
# A circle's prompt waits for most of its members at most this long past its first due time.
CIRCLE_WAITS_AT_MOST = timedelta(days=2)
# With no window in sight (an open-ended absence), a held-back message is looked at again this much later.
LOOK_AGAIN = timedelta(days=1)


def personal_hold(reach: Reach, now: datetime) -> datetime | None:
    """None when the person can be reached now; else when to try again (their next window)."""
    if reachable(reach, now):
        return None
    return next_window(reach, now) or now + LOOK_AGAIN


def circle_hold(members: Sequence[Reach], now: datetime, first_due: datetime) -> datetime | None:
    """None when most of the circle can be reached now (or it waited long enough); else when to try again:
    the first instant most of them can, or the end of its wait."""
    latest = first_due + CIRCLE_WAITS_AT_MOST
    if now >= latest or most_reachable(members, now):
        return None
    # Most of a circle becomes reachable when one of its members' windows opens; whole hours catch
    # openings that come after each member's first one.
    opens = {w for r in members if (w := next_window(r, now, look_ahead=latest - now)) is not None}
    hour = now.replace(minute=0, second=0, microsecond=0)
    hours = {hour + timedelta(hours=n) for n in range(1, int((latest - now) / timedelta(hours=1)) + 2)}
    for candidate in sorted(c for c in opens | hours if now < c < latest):
        if most_reachable(members, candidate):
            return candidate
    return latest


def outdated_daily(message: Unsent, reach: Reach, now: datetime, next_due: datetime | None) -> bool:
    """A daily message held past its own day (a night shift's day lasting until it ends), when the person's
    next one comes later the same day where they are (`next_due`) at an hour they can be reached: it would
    only arrive hours before a fresher one.
    Without a newer one that day, or when that one would be held in turn (a day shift that never includes
    the hour digests are made), the held one still goes, or none ever would."""
    if message.template not in DAILY or next_due is None:
        return False
    try:
        day = date.fromisoformat(message.key.rsplit(":", 1)[-1])
    except ValueError:
        return False
    local = reach.local(now)
    # Past midnight in a night shift it is still the day the shift began: the digest is that night's.
    today = local.date() if reach.pattern is None else reach.pattern.day_of(local)
    return today > day and reach.local(next_due).date() == today and reachable(reach, next_due)


@dataclass(frozen=True)
class Unsent:
    """An unsent message as the supersede rule sees it."""

    id: int
    workspace_id: int
    channel: str | None
    key: str
    template: str
    first_due: datetime  # when it was first due, before any holding back


def kind_of(message: Unsent) -> tuple[object, ...]:
    """Messages that replace one another: same workspace, conversation and template, and for a check-in
    the same partnership and partner (its key: checkin:{partnership}:{member}:{day})."""
    base = (message.workspace_id, message.channel, message.template)
    if message.template in NEWS | SURVEYS:
        return (*base, message.key)
    if message.template == "checkin":
        return (*base, *message.key.split(":")[1:3])
    if message.template == CIRCLE_PROMPT:
        return (*base, *message.key.split(":")[1:2])
    return base


def superseded(released: Iterable[Unsent], unsent: Iterable[Unsent], held_back: Collection[int]) -> set[int]:
    """Ids of the unsent messages (claimed or waiting) replaced by a catch-up: for each kind of which a
    message once held back (id in `held_back`) is released now, every one first due before the newest
    message of that kind released now."""
    going = list(released)
    caught_up = {kind_of(message) for message in going if message.id in held_back}
    newest: dict[tuple[object, ...], Unsent] = {}
    for message in going:
        kind = kind_of(message)
        if kind in caught_up and (kind not in newest or _order(message) > _order(newest[kind])):
            newest[kind] = message
    return {
        message.id
        for message in unsent
        if (keeper := newest.get(kind_of(message))) is not None and _order(message) < _order(keeper)
    }


def _order(message: Unsent) -> tuple[datetime, int]:
    return (message.first_due, message.id)
