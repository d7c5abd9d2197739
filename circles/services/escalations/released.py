"""Alerts claimed by facilitators taken off their cohort, whose Slack account is gone, or who went away for
long after claiming them: nobody is reaching out any more, so each is open again, before the facilitators who
stay (or are present), and followed up like any alert nobody has."""

from __future__ import annotations

import logging
from collections.abc import Collection, Mapping, Sequence
from datetime import datetime, timedelta

from circles.domain.escalations import APP_ACTOR, Action, FollowUp
from circles.domain.vocabulary import EscalationStatus
from circles.messages import stored
from circles.persistence.db import Session, UnitOfWork
from circles.persistence.models import Cohort, Escalation
from circles.queries.cohorts import facilitated_cohorts, hold_cohort, reachable_facilitators
from circles.queries.escalations import claims_of_the_away, unresolved_in_cohort
from circles.queries.outbox.rows import NewMessage, add_new
from circles.services.escalations.ended import still_partnered
from circles.services.escalations.notes import Decrypt
from circles.services.escalations.resurface import send_again
from circles.services.escalations.sending import (
    ODD_ROW,
    Admins,
    Sending,
    facilitators_hearing,
    tell,
    to_admins,
)
from circles.services.escalations.view import EscalationView, MessageCopy, current_views
from circles.services.intake.workspaces import find_workspace

logger = logging.getLogger(__name__)

# Away for longer than this from the pass that sees it (the time an alert nobody has waits for its first
# follow-up, by default): what they claimed before going is handed back. A shorter absence keeps it.
AWAY_HANDS_BACK = timedelta(hours=48)


def release_claims(
    session: Session,
    cohort: Cohort,
    leaving: Collection[str],
    staying: Collection[str],
    now: datetime,
    *,
    decrypt: Decrypt | None,
) -> int:
    """Open again each unresolved alert of the cohort claimed by one of `leaving`, sent to those of
    `staying` who may hear of it; a snoozed one stays snoozed and comes back open. Returns how many.

    Facilitators added in the same change are sent the cohort's alerts afterwards, as they now stand.
    """
    if not leaving:
        return 0
    released = [(e, cohort) for e, _ in unresolved_in_cohort(session, cohort.id) if e.claimed_by in leaving]
    open_again(session, released, {cohort.id: list(staying)}, "released", now, decrypt=decrypt)
    return len(released)


def open_again(
    session: Session,
    claimed: list[tuple[Escalation, Cohort]],
    facilitators: Mapping[int, Collection[str]],
    occasion: str,
    now: datetime,
    *,
    decrypt: Decrypt | None,
) -> None:
    """Take each alert's claim away and send it again, as `occasion`, to its cohort's `facilitators` (by
    cohort id) who may hear of its pair: `tell` leaves out whoever of them is one of the pair or was ever
    paired with one. A snoozed one stays snoozed and comes back open, nobody asked before then."""
    told: list[tuple[Sending, Action]] = []
    for escalation, cohort in claimed:
        escalation.claimed_by, escalation.claimed_at = None, None
        if escalation.status is EscalationStatus.SNOOZED:
            continue
        send_again(escalation, cohort, now)
        sending = Sending(escalation, facilitators.get(cohort.id, []), f"{occasion}{escalation.sendings}")
        told.append((sending, Action.RELEASED))
    odd: dict[int, str] = {}
    tell(session, told, now, decrypt=decrypt, odd=odd)
    for escalation_id, error in odd.items():  # open again, on the board; its card could not be drawn
        logger.warning("escalation %s open again unsent: %s", escalation_id, error)


def release_gone(
    uow: UnitOfWork, team_id: str, user_id: str, now: datetime, *, decrypt: Decrypt | None
) -> int:
    """Someone whose Slack account was deactivated or deleted reaches out to nobody: each alert they
    claimed, in every cohort they facilitate, is open again as above, in one transaction, each cohort held
    first (in order), as a facilitator's press on its alerts holds it. Returns how many."""
    with uow:
        session = uow.session
        workspace = find_workspace(session, team_id)
        cohorts = facilitated_cohorts(session, workspace.id, user_id) if workspace else []
        released = 0
        for cohort in sorted(cohorts, key=lambda c: c.id):
            hold_cohort(session, cohort.id)
            present = reachable_facilitators(session, [cohort.id], now).get(cohort.id, [])
            staying = [user for user in present if user != user_id]  # nor one away, or gone too
            released += release_claims(session, cohort, [user_id], staying, now, decrypt=decrypt)
        uow.commit()
        return released


def release_the_away(session: Session, now: datetime, admins: Admins, decrypt: Decrypt | None) -> int:
    """Open again every unresolved alert whose claimer has gone away since claiming it (their own
    `/circles away`, or an imported rotation or leave block that has started) for longer than
    AWAY_HANDS_BACK from now; returns how many. In a fixed number of statements however many; almost
    every pass finds none, in one statement.

    It goes, as `away`, to the cohort's facilitators present who may hear of the pair; with none, to the
    admins at once, and nothing follows. A snoozed one stays snoozed and comes back open. Every copy already
    sent (the claimer's too, which they find on their return) is redrawn in place as the alert now stands.
    Partners hear nothing of it.
    """
    rows = claims_of_the_away(session, now, now + AWAY_HANDS_BACK)  # locked: another watch takes others
    if not rows:
        return 0
    rows = still_partnered(session, rows, now)
    # Those present: anyone away now, each claimer among them, is left out.
    present = reachable_facilitators(session, {cohort.id for _, cohort in rows}, now)
    hearing = facilitators_hearing(session, [escalation for escalation, _ in rows], present)
    alone = {e.id for e, _ in rows if not hearing[e.id] and e.status is not EscalationStatus.SNOOZED}
    open_again(
        session, [row for row in rows if row[0].id not in alone], present, "away", now, decrypt=decrypt
    )
    _to_admins(session, [row for row in rows if row[0].id in alone], admins, now, decrypt)
    session.flush()
    _redraw(session, [escalation for escalation, _ in rows], now, decrypt)
    return len(rows)


def _to_admins(
    session: Session,
    rows: Sequence[tuple[Escalation, Cohort]],
    admins: Admins,
    now: datetime,
    decrypt: Decrypt | None,
) -> None:
    """No facilitator but those away may hear of these: open again, straight to the admins (as when a
    snooze ends with nobody), and nothing follows."""
    told: list[tuple[Sending, Action]] = []
    for escalation, cohort in rows:
        escalation.claimed_by, escalation.claimed_at = None, None
        send_again(escalation, cohort, now)
        escalation.follow_ups, escalation.follow_up_at = len(FollowUp), None
        told.append((Sending(escalation, (), f"away{escalation.sendings}"), Action.RELEASED))
        told.append((to_admins(escalation, admins, ()), Action.SENT_TO_ADMINS))
    odd: dict[int, str] = {}
    tell(session, told, now, decrypt=decrypt, odd=odd)
    for escalation_id, error in odd.items():  # open again, on the board; its card could not be drawn
        logger.warning("escalation %s open again unsent: %s", escalation_id, error)


def _redraw(
    session: Session, escalations: Sequence[Escalation], now: datetime, decrypt: Decrypt | None
) -> None:
    """The `chat.update` of each copy of these alerts, but a former facilitator's (withdrawn: it keeps
    nothing of the pair), keyed once per copy and sending: two passes record it once."""
    try:
        views = current_views(session, escalations, decrypt, APP_ACTOR)
    except ODD_ROW:  # one odd row among them: the others, one by one
        views = [view for e in escalations for view in _views(session, [e], decrypt)]
    by_id = {escalation.id: escalation for escalation in escalations}
    redraws: list[NewMessage] = []
    for view in views:
        escalation = by_id[view.escalation_id]
        try:
            redraws += [_redrawn(escalation, view, copy, now) for copy in view.copies if not copy.withdrawn]
        except ODD_ROW as error:  # open again, on the board; its copies are redrawn at the next press
            logger.warning("escalation %s open again, not redrawn: %s", escalation.id, type(error).__name__)
    add_new(session, redraws, now)


def _views(
    session: Session, escalations: Sequence[Escalation], decrypt: Decrypt | None
) -> list[EscalationView]:
    try:
        return current_views(session, escalations, decrypt, APP_ACTOR)
    except ODD_ROW as error:
        logger.warning("escalation %s open again, not redrawn: %s", escalations[0].id, type(error).__name__)
        return []


def _redrawn(escalation: Escalation, view: EscalationView, copy: MessageCopy, now: datetime) -> NewMessage:
    row = stored(view.card_for(copy))
    row["args"]["ts"] = copy.ts  # the message chat.update replaces
    key = f"escalation-away:{escalation.id}:{copy.channel}:{copy.ts}:{escalation.sendings}"
    return NewMessage(escalation.workspace_id, key, "chat.update", copy.channel, row, now)
