"""Alerts about partnerships that have ended: resolved as ended by the app, every copy redrawn (a former
facilitator's without the pair).

Whichever way a partnership ends (a partner's form, a facilitator, leaving the cohort, the cohort's end),
its unresolved escalation is resolved in the same transaction, so no facilitator is left with an alert,
claimed, snoozed or still waiting, about a pair that no longer exists. An archived cohort's pairs are over
too: their alerts are resolved as ended when their follow-up or snooze next comes, and when a partner is
erased.
"""

from __future__ import annotations

from collections.abc import Collection, Sequence
from datetime import datetime

from circles.domain.escalations import APP_ACTOR, Outcome
from circles.messages import stored
from circles.persistence.db import Session
from circles.persistence.models import Cohort, Escalation
from circles.queries.escalations import unresolved_of
from circles.queries.escalations.redraws import ENDED, alert_key
from circles.queries.outbox.rows import NewMessage, add_new
from circles.queries.pair_states import ended_among
from circles.services.escalations.resolve import resolve_all
from circles.services.escalations.view import current_views
from circles.services.escalations.withdrawn import Withdrawn, withdrawn_redraws


def resolve_ended(session: Session, partnership_ids: Collection[int], now: datetime) -> list[int]:
    """Resolve as ended every unresolved escalation of these (ended) partnerships; the ids resolved.

    Each copy of the alert already in a facilitator's or admin's DM is redrawn as resolved, through the
    outbox in the caller's transaction. The partners' notes leave every copy, as with any resolution; the
    copy of someone no longer facilitating the cohort is redrawn withdrawn, with nothing of the pair.
    """
    if not partnership_ids:
        return []
    session.flush()  # the endings the caller made are what the cards show
    escalations = unresolved_of(session, sorted(partnership_ids))
    close_as_ended(session, escalations, now)
    return [escalation.id for escalation in escalations]


def close_as_ended(session: Session, escalations: Sequence[Escalation], now: datetime) -> None:
    """Resolve these escalations, whose partnerships have ended, by the app, and redraw their copies: in a
    fixed number of statements, however many."""
    if not escalations:
        return
    resolve_all(session, escalations, APP_ACTOR, Outcome.ENDED, "", now, drawn_now=False)
    for escalation in escalations:
        escalation.follow_up_at = None
    session.flush()
    redraws: list[NewMessage] = []
    withdrawn: list[Withdrawn] = []
    for escalation, view in zip(
        escalations, current_views(session, escalations, None, APP_ACTOR), strict=True
    ):
        for copy in view.copies:
            if copy.withdrawn:  # a former facilitator's: the resolved card would name the pair
                withdrawn.append((escalation, view, copy))
                continue
            row = stored(view.card_for(copy))
            row["args"]["ts"] = copy.ts  # the message chat.update replaces
            key = alert_key(ENDED, escalation.id, copy.channel, copy.ts)
            redraws.append(NewMessage(escalation.workspace_id, key, "chat.update", copy.channel, row, now))
    add_new(session, [*withdrawn_redraws(session, withdrawn, now), *redraws], now)


def still_partnered(
    session: Session, rows: list[tuple[Escalation, Cohort]], now: datetime
) -> list[tuple[Escalation, Cohort]]:
    """The rows whose partnership still runs, in a cohort not archived; the others are resolved as ended, by
    the app, and nobody is reminded of a pair that no longer exists. Every ending resolves its alert at once
    (circles.services.partnerships.endings); this catches a pair ended outside them, e.g. by hand, and the
    pairs of a cohort archived (nobody leaves or ends anything there any more)."""
    ended = ended_among(session, {escalation.partnership_id for escalation, _ in rows})
    ended |= {escalation.partnership_id for escalation, cohort in rows if cohort.archived_at is not None}
    close_as_ended(session, [escalation for escalation, _ in rows if escalation.partnership_id in ended], now)
    return [(escalation, cohort) for escalation, cohort in rows if escalation.partnership_id not in ended]
