"""Alerts claimed by facilitators taken off their cohort, whose Slack account is gone, or who went away for
long after claiming them: nobody is reaching out any more, so each is open again, by one path (`release`):
before the facilitators who stay and are present, or the admins at once when none of them may hear of it,
every copy redrawn as it now stands, and followed up like any alert nobody has."""

from __future__ import annotations

import logging
from collections.abc import Collection, Mapping, Sequence
from datetime import datetime, timedelta

from circles.domain.escalations import Action, FollowUp
from circles.domain.vocabulary import EscalationStatus
from circles.persistence.db import Session, UnitOfWork
from circles.persistence.models import Cohort, Escalation
from circles.queries.cohorts import facilitated_cohorts, hold_cohort, reachable_facilitators
from circles.queries.escalations import claims_of_the_away, unresolved_in_cohort
from circles.services.escalations.ended import still_partnered
from circles.services.escalations.notes import Decrypt
from circles.services.escalations.reopened import redraw_reopened
from circles.services.escalations.resurface import send_again
from circles.services.escalations.sending import Admins, Sending, facilitators_hearing, tell, to_admins
from circles.services.intake.workspaces import find_workspace

logger = logging.getLogger(__name__)

# Away for longer than this from the pass that sees it (the time an alert nobody has waits for its first
# follow-up, by default): what they claimed before going is handed back. A shorter absence keeps it.
AWAY_HANDS_BACK = timedelta(hours=48)


def release_claims(
    session: Session,
    cohort: Cohort,
    leaving: Collection[str],
    now: datetime,
    *,
    admins: Admins,
    decrypt: Decrypt | None,
) -> int:
    """Open again (`release`) each unresolved alert of the cohort claimed by one of `leaving`, who no longer
    count among those it goes to: taken off its facilitators already, or gone from Slack. Returns how many.

    Facilitators added in the same change are sent the cohort's alerts afterwards, as they now stand.
    """
    if not leaving:
        return 0
    released = [(e, cohort) for e, _ in unresolved_in_cohort(session, cohort.id) if e.claimed_by in leaving]
    release(session, released, "released", now, admins=admins, decrypt=decrypt)
    return len(released)


def release_gone(
    uow: UnitOfWork, team_id: str, user_id: str, now: datetime, *, admins: Admins, decrypt: Decrypt | None
) -> int:
    """Someone whose Slack account was deactivated or deleted (already marked gone) reaches out to nobody:
    each alert they claimed, in every cohort they facilitate, is open again as above, in one transaction,
    each cohort held first (in order), as a facilitator's press on its alerts holds it. Returns how many."""
    with uow:
        session = uow.session
        workspace = find_workspace(session, team_id)
        cohorts = facilitated_cohorts(session, workspace.id, user_id) if workspace else []
        released = 0
        for cohort in sorted(cohorts, key=lambda c: c.id):
            hold_cohort(session, cohort.id)
            released += release_claims(session, cohort, [user_id], now, admins=admins, decrypt=decrypt)
        uow.commit()
        return released


def release_the_away(session: Session, now: datetime, admins: Admins, decrypt: Decrypt | None) -> int:
    """Open again (`release`) every unresolved alert whose claimer has gone away since claiming it (their
    own `/circles away`, or an imported rotation or leave block that has started) for longer than
    AWAY_HANDS_BACK from now; returns how many. In a fixed number of statements however many; almost
    every pass finds none, in one statement."""
    rows = claims_of_the_away(session, now, now + AWAY_HANDS_BACK)  # locked: another watch takes others
    if not rows:
        return 0
    rows = still_partnered(session, rows, now)
    release(session, rows, "away", now, admins=admins, decrypt=decrypt)
    return len(rows)


def release(
    session: Session,
    claimed: Sequence[tuple[Escalation, Cohort]],
    occasion: str,
    now: datetime,
    *,
    admins: Admins,
    decrypt: Decrypt | None,
) -> None:
    """Take each alert's claim away, as nobody is reaching out: it goes again, as `occasion`, to its cohort's
    facilitators present (`reachable_facilitators`: none away, none gone from Slack) who may hear of its
    pair, never its former claimer; with none, to the admins at once, and nothing follows. A snoozed one
    stays snoozed and comes back open. Every copy already sent (the claimer's too, which they find on their
    return; a withdrawn one stays so) is redrawn in place as the alert now stands. Partners hear nothing
    of it. In a fixed number of statements, however many."""
    if not claimed:
        return
    present = reachable_facilitators(session, {cohort.id for _, cohort in claimed}, now)
    hearing = facilitators_hearing(session, [escalation for escalation, _ in claimed], present)
    alone = {
        e.id
        for e, _ in claimed
        if not set(hearing[e.id]) - {e.claimed_by} and e.status is not EscalationStatus.SNOOZED
    }
    told = [row for row in claimed if row[0].id not in alone]
    open_again(session, told, present, occasion, now, decrypt=decrypt)
    _to_admins(session, [row for row in claimed if row[0].id in alone], admins, occasion, now, decrypt)
    session.flush()
    redraw_reopened(session, [escalation for escalation, _ in claimed], now, decrypt)


def open_again(
    session: Session,
    claimed: Sequence[tuple[Escalation, Cohort]],
    facilitators: Mapping[int, Collection[str]],
    occasion: str,
    now: datetime,
    *,
    decrypt: Decrypt | None,
) -> None:
    """Take each alert's claim away and send it again, as `occasion`, to its cohort's `facilitators` (by
    cohort id) who may hear of its pair, but its former claimer: `tell` leaves out whoever of them is one of
    the pair or was ever paired with one. A snoozed one stays snoozed and comes back open, nobody asked
    before then."""
    told: list[tuple[Sending, Action]] = []
    for escalation, cohort in claimed:
        claimer = escalation.claimed_by
        escalation.claimed_by, escalation.claimed_at = None, None
        if escalation.status is EscalationStatus.SNOOZED:
            continue
        send_again(escalation, cohort, now)
        asked = [user for user in facilitators.get(cohort.id, []) if user != claimer]
        told.append((Sending(escalation, asked, f"{occasion}{escalation.sendings}"), Action.RELEASED))
    odd: dict[int, str] = {}
    tell(session, told, now, decrypt=decrypt, odd=odd)
    for escalation_id, error in odd.items():  # open again, on the board; its card could not be drawn
        logger.warning("escalation %s open again unsent: %s", escalation_id, error)


def _to_admins(
    session: Session,
    rows: Sequence[tuple[Escalation, Cohort]],
    admins: Admins,
    occasion: str,
    now: datetime,
    decrypt: Decrypt | None,
) -> None:
    """No facilitator but those away or gone may hear of these: open again, straight to the admins (as when
    a snooze ends with nobody), and nothing follows."""
    told: list[tuple[Sending, Action]] = []
    for escalation, cohort in rows:
        escalation.claimed_by, escalation.claimed_at = None, None
        send_again(escalation, cohort, now)
        escalation.follow_ups, escalation.follow_up_at = len(FollowUp), None
        told.append((Sending(escalation, (), f"{occasion}{escalation.sendings}"), Action.RELEASED))
        told.append((to_admins(escalation, admins, ()), Action.SENT_TO_ADMINS))
    odd: dict[int, str] = {}
    tell(session, told, now, decrypt=decrypt, odd=odd)
    for escalation_id, error in odd.items():  # open again, on the board; its card could not be drawn
        logger.warning("escalation %s open again unsent: %s", escalation_id, error)
