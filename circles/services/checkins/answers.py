"""Check-ins: a partner answers their own, once (`opening` finds or opens one on demand)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from circles.domain.care import DEFAULT_FREE_TEXT_HINT, free_text_hint
from circles.domain.checkins import CheckInAnswer, answer_problems, open_after_completion
from circles.domain.cohort_settings import HealthThresholds
from circles.domain.vocabulary import EndReason, MemberStatus, PartnershipStatus
from circles.errors import (
    CheckInAlreadyAnswered,
    CheckInClosed,
    CheckInNotYours,
    CheckInSuperseded,
    InvalidCheckIn,
)
from circles.notes import NoteCipher
from circles.persistence.db import Session, UnitOfWork
from circles.persistence.models import CheckIn, Cohort, Member, Partnership
from circles.queries.checkins import GivenAnswer, answer_once, answered_now
from circles.queries.checkins_newest import newest_checkins
from circles.services.escalations.sending import Admins
from circles.services.health.due import look_now
from circles.services.intake.workspaces import find_workspace
from circles.services.support.request import SupportSent, notify_facilitators


@dataclass(frozen=True)
class OpenCheckIn:
    """A check-in its member can answer now: which one, and about whom."""

    checkin_id: int
    cohort_slug: str
    cohort_name: str
    partner_user_id: str
    free_text_hint: str = DEFAULT_FREE_TEXT_HINT  # the cohort's, under the note
    partnership_id: int | None = None  # the pair it is about, carried by its form (see own_checkin)


@dataclass(frozen=True)
class Answered:
    """What the member answered, for their eyes only; `support` says who was told when they asked."""

    checkin: OpenCheckIn
    answer: CheckInAnswer
    support: SupportSent | None
    note_saved: bool = True  # False: there was a note but no key to keep it secret, so it was not stored


def answer(
    uow: UnitOfWork,
    team_id: str,
    user_id: str,
    checkin_id: int,
    given: CheckInAnswer,
    now: datetime,
    *,
    cipher: NoteCipher | None,
    admins: Admins = (),
    pair: int | None = None,
) -> Answered:
    """Store the member's answer to their own open check-in, in one transaction; the note encrypted.

    Without a cipher the note cannot be kept secret, so it is not stored; the rating, "met" and the
    support request are, and `note_saved` says what happened to the note. `pair` is the form's word for the
    check-in's partnership: a check-in no longer found is closed for one of its partners (`own_checkin`).
    """
    with uow:
        session = uow.session
        checkin, member, cohort, open_checkin = _answerable(session, team_id, user_id, checkin_id, now, pair)
        problems = answer_problems(given)
        if problems:
            raise InvalidCheckIn(problems)
        note = given.clean_note
        kept = note is not None and cipher is not None
        stored = GivenAnswer(
            rating=given.rating,
            met=given.met,
            note_encrypted=cipher.encrypt(note) if note is not None and cipher is not None else None,
            note_shared=given.shares_note and kept,
            wants_support=given.wants_support,
        )
        if not answer_once(session, checkin.id, stored, now):
            # Two clicks (one wins), or the check-in dropped meanwhile as its question never went in time.
            raise CheckInAlreadyAnswered() if answered_now(session, checkin.id) else CheckInClosed()
        look_now(session, [checkin.partnership_id], now)
        support = None
        if given.wants_support:
            # The note goes along only when the member chose to share it with the facilitators: then it
            # reaches them even when it could not be stored.
            support = notify_facilitators(
                session,
                cohort,
                member,
                note if given.shares_note else None,
                now,
                key=f"support:checkin:{checkin.id}",
                partner_user_id=open_checkin.partner_user_id,
                admins=admins,  # when no facilitator may hear it
            )
        uow.commit()
        return Answered(open_checkin, given, support, note_saved=note is None or kept)


def checkin_to_answer(
    uow: UnitOfWork, team_id: str, user_id: str, checkin_id: int, now: datetime
) -> OpenCheckIn:
    """The check-in behind a button, when this person may still answer it (for the full form)."""
    with uow:
        return _answerable(uow.session, team_id, user_id, checkin_id, now, hold=False)[3]


def _answerable(
    session: Session,
    team_id: str,
    user_id: str,
    checkin_id: int,
    now: datetime,
    pair: int | None = None,
    *,
    hold: bool = True,
) -> tuple[CheckIn, Member, Cohort, OpenCheckIn]:
    """The check-in, if it is this person's own and still takes an answer; else the rule it breaks.

    `hold` keeps its partnership for the caller's transaction; a transaction that only reads holds none."""
    checkin, member = own_checkin(session, team_id, user_id, checkin_id, pair)
    if checkin.answered_at is not None:
        raise CheckInAlreadyAnswered()
    # Held until the caller commits (PostgreSQL), as an ending or a pause holds it: an answer sent while
    # the pair ends waits for that, and then finds it over instead of being stored against it.
    held = {"key_share": True} if hold else None
    partnership = session.get_one(Partnership, checkin.partnership_id, with_for_update=held)
    cohort = session.get_one(Cohort, partnership.cohort_id)
    partner = _partner(session, partnership, member)
    if member.status is MemberStatus.LEFT or not _still_open(partnership, checkin, cohort, partner, now):
        raise CheckInClosed()
    # Only a newer question already asked of them replaces this one: one planned ahead, or held for their
    # working hours, has not reached them, and the question they hold still takes its answer meanwhile.
    newest = newest_checkins(session, {(partnership.id, member.id)}, now).get((partnership.id, member.id))
    if newest is not None and newest.checkin_id != checkin.id and newest.due_at > checkin.due_at:
        raise CheckInSuperseded(newer_answered=newest.answered)
    hint = free_text_hint(cohort.free_text_hint)
    named = partner.slack_user_id
    found = OpenCheckIn(checkin.id, cohort.slug, cohort.name, named, hint, checkin.partnership_id)
    return checkin, member, cohort, found


def own_checkin(
    session: Session, team_id: str, user_id: str, checkin_id: int, pair: int | None = None
) -> tuple[CheckIn, Member]:
    """A check-in of this person's, answered or closed alike, with their membership; anyone else's, another
    workspace's or none at all is refused alike (CheckInNotYours).

    `pair` is what the form says the check-in was about: when the person is one of that partnership's two
    partners in this workspace, a check-in not theirs is taken for theirs dropped unanswered since the form
    opened (its question never went in time) and refused as closed, as any not theirs is then."""
    workspace = find_workspace(session, team_id)
    checkin = session.get(CheckIn, checkin_id) if workspace is not None else None
    if workspace is not None and checkin is not None and checkin.workspace_id == workspace.id:
        member = session.get_one(Member, checkin.member_id)
        if member.slack_user_id == user_id:
            return checkin, member
    # Another workspace's check-in, or another person's, looks exactly like a missing one.
    if workspace is not None and pair is not None and partner_in(session, workspace.id, pair, user_id):
        raise CheckInClosed()
    raise CheckInNotYours()


def partner_in(session: Session, workspace_id: int, partnership_id: int, user_id: str) -> bool:
    """Whether the person is one of this workspace's partnership's two partners, whatever its state."""
    pair = session.get(Partnership, partnership_id)
    if pair is None or pair.workspace_id != workspace_id:
        return False  # another workspace's pair looks exactly like a missing one
    partners = (pair.first_member_id, pair.second_member_id)
    return any(session.get_one(Member, partner).slack_user_id == user_id for partner in partners)


def _still_open(
    partnership: Partnership, checkin: CheckIn, cohort: Cohort, partner: Member, now: datetime
) -> bool:
    """A running pair's check-in takes its answer; so does a completed programme's last one, for its days,
    unless the partner it names has been erased since."""
    if partnership.status is PartnershipStatus.ACTIVE:
        return True
    if partnership.end_reason is not EndReason.COMPLETED or partner.erased_before is not None:
        return False
    days = HealthThresholds.from_json(cohort.health_thresholds).answer_within_days
    return open_after_completion(partnership.ended_at, checkin.due_at, checkin.asked_at, days, now)


def _partner(session: Session, partnership: Partnership, member: Member) -> Member:
    other = (
        partnership.second_member_id
        if partnership.first_member_id == member.id
        else partnership.first_member_id
    )
    return session.get_one(Member, other)
