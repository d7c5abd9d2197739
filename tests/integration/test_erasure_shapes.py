"""Leaving and erasure for someone with many ties, on SQLite and PostgreSQL: Sam coaches three learners in
one cohort and is coached in another, with alerts, a support request, an ending's reason, consent, an
away block and people they asked never to be matched with. Once they have left both and asked to be
erased, nothing of theirs is sent or kept, their former partners hear only that it ended, and the
cohort's figures still count them."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import inspect, select, text
from sqlalchemy.orm import Session

from circles.domain.availability.going_away import AwayRequest
from circles.domain.match_vocabulary import ConstraintKind
from circles.domain.vocabulary import OutboxStatus, PairingMode, Role
from circles.errors import WhichCohort
from circles.persistence.db import Database
from circles.persistence.models import Cohort, MatchConstraint, Member, OutboxMessage
from circles.queries.members import user_ids_by_member
from circles.queries.outbox.claims import scrubbed
from circles.services.availability.away import go_away
from circles.services.escalations.open import open_escalations
from circles.services.matching.constraints import record_conflict, set_own_blocks
from circles.services.matching.ended_pairs import partnership_history
from circles.services.outbox.queue import Claimed, claim_due
from circles.services.partnerships.changes import end_partnership
from circles.services.people.erasure import erase_personal_data
from circles.services.people.membership import join, leave
from circles.services.reports.build import report_for
from circles.services.reports.individual import ERASED_MEMBER
from circles.services.research.consent import decide
from circles.services.support.request import request_support
from tests import escalation_world as w
from tests import factories
from tests.factories import NOW

SAM, FAC, LEARNERS, COACH = "U0SAM", "U0FAC1", ("U0L1", "U0L2", "U0L3"), "U0C9"
NOTE = "Periwinkle: I am running on empty with these three."
SUPPORT = "Quince: could someone call me after my shift?"
REASON = "Tamarind: our schedules never meet."
NAME = "Sam Example"
LATER = NOW + timedelta(days=14)
SAMS_WORDS = (NOTE, SUPPORT, REASON, "Periwinkle", "Quince", "Tamarind", NAME)


def sam_everywhere(db: Database) -> list[int]:
    """Sam coaches L1–L3 in pgy1 and is C9's learner in faculty, each pair with Sam's shared note; alerts
    about two of the pairs, one already in the facilitator's DM. Returns pgy1's partnership ids."""
    with db.unit_of_work() as uow:
        session = uow.session
        ws = factories.workspace(session)
        pgy1, faculty = (factories.cohort(session, ws, slug, slug.upper()) for slug in ("pgy1", "faculty"))
        for cohort in (pgy1, faculty):
            cohort.pairing_mode = PairingMode.COACH_LEARNER
            factories.facilitator(session, cohort, FAC)
        as_coach = factories.member(session, pgy1, SAM, Role.COACH)
        as_learner = factories.member(session, faculty, SAM, Role.LEARNER)
        profile = factories.profile(session, ws, SAM)
        profile.display_name, profile.interests = NAME, "Periwinkle gardens"
        pairs = [factories.pair(session, as_coach, factories.member(session, pgy1, u)) for u in LEARNERS]
        coached = factories.pair(session, factories.member(session, faculty, COACH, Role.COACH), as_learner)
        for pair, sam in [*((p, as_coach) for p in pairs), (coached, as_learner)]:
            session.add(factories.checkin(pair, sam.id, NOW, 2, note=w.seal(NOTE), shared=True))
        factories.answered_survey(session, as_coach, {"b1": 4}, NOW)
        session.flush()
        open_escalations(
            session, [w.struggling(pairs[0].id), w.struggling(coached.id)], NOW, decrypt=w.unseal
        )
        alert = session.scalars(select(OutboxMessage).where(OutboxMessage.channel == FAC)).first()
        assert alert is not None
        alert.status, alert.result = OutboxStatus.SENT, {"channel": "D0U0FAC1", "ts": "1.000001"}
        kept = scrubbed(alert.payload)  # what the dispatcher leaves of a sent alert
        assert kept is not None
        alert.payload = kept
        uow.commit()
        pair_ids = [pair.id for pair in pairs]
    go_away(db.unit_of_work(), "T0001", "U0L1", AwayRequest(weeks=2), NOW)  # Sam is told, later
    decide(db.unit_of_work(), "T0001", SAM, "pgy1", True, NOW)
    set_own_blocks(db.unit_of_work(), "T0001", SAM, ["U0L2"], NOW)
    request_support(db.unit_of_work(), "T0001", SAM, SUPPORT, NOW, "pgy1", request_key="support-1")
    end_partnership(db.unit_of_work(), "T0001", SAM, pair_ids[2], REASON, NOW, request_key="end-1")
    return pair_ids


def pgy1(session: Session) -> Cohort:
    return session.scalars(select(Cohort).where(Cohort.slug == "pgy1")).one()


def leave_everything(db: Database) -> None:
    for slug in ("pgy1", "faculty"):
        leave(db.unit_of_work(), "T0001", slug, SAM, NOW + timedelta(minutes=5))
    assert erase_personal_data(db.unit_of_work(), "T0001", SAM, NOW) is True


def everything_sent_next(db: Database) -> list[Claimed]:
    return claim_due(
        db.unit_of_work(), NOW + timedelta(minutes=10), limit=100, claim_for=timedelta(minutes=5)
    )


def test_after_erasure_nothing_unsent_quotes_sam_or_goes_to_sam_and_partners_hear_only_that_it_ended(
    db: Database,
) -> None:
    sam_everywhere(db)
    leave_everything(db)

    going = everything_sent_next(db)

    assert [m.key for m in going if m.channel == SAM] == []  # Sam is in no cohort: nothing more for them
    assert [m.key for m in going if any(word in repr(m.payload) for word in SAMS_WORDS)] == []
    assert [m.key for m in going if SAM in repr(m.payload) and m.method == "chat.postMessage"] == []
    # Each former partner hears that it ended, not who or why; L1, away, once back.
    with db.unit_of_work() as uow:
        told = uow.session.scalars(
            select(OutboxMessage).where(OutboxMessage.status != OutboxStatus.SUPERSEDED)
        ).all()
    ended = {row.channel: row.payload for row in told if row.payload["template"] == "partnership_changed"}
    assert set(ended) == {*LEARNERS, COACH}
    assert all(SAM not in repr(payload) and "Tamarind" not in repr(payload) for payload in ended.values())
    assert {m.channel for m in going if m.payload["template"] == "partnership_changed"} == {
        "U0L2",
        "U0L3",
        COACH,
    }
    # The alert already in the facilitator's DM is redrawn as resolved, without Sam's note.
    [redraw] = [m for m in going if m.method == "chat.update"]
    assert (redraw.channel, redraw.payload["args"]["notes"]) == ("D0U0FAC1", [])


def test_after_erasure_no_table_holds_sams_words_or_their_own_blocks_and_a_facilitators_conflict_stays(
    db: Database,
) -> None:
    sam_everywhere(db)
    record_conflict(
        db.unit_of_work(),
        "T0001",
        "pgy1",
        SAM,
        "U0L1",
        ConstraintKind.ASSESSES,
        user_id=FAC,
        is_admin=False,
        now=NOW,
    )
    leave_everything(db)

    with db.engine.connect() as connection:
        kept = [
            (table, repr(tuple(row)))
            for table in inspect(connection).get_table_names()
            for row in connection.execute(text(f"SELECT * FROM {table}"))
        ]
    assert [(table, row) for table, row in kept if any(word in row for word in SAMS_WORDS)] == []
    with db.unit_of_work() as uow:
        constraints = uow.session.scalars(select(MatchConstraint)).all()
    assert [(c.slack_user_id, c.other_user_id, c.set_by) for c in constraints] == [(SAM, "U0L1", FAC)]


def test_leaving_without_naming_a_cohort_when_in_two_changes_nothing(db: Database) -> None:
    sam_everywhere(db)
    with pytest.raises(WhichCohort) as refused:
        leave(db.unit_of_work(), "T0001", None, SAM, NOW)
    assert refused.value.slugs == ["faculty", "pgy1"]
    with db.unit_of_work() as uow:
        statuses = {
            m.status.value for m in uow.session.scalars(select(Member).where(Member.slack_user_id == SAM))
        }
    assert statuses == {"active"}
    assert erase_personal_data(db.unit_of_work(), "T0001", SAM, NOW) is False


def test_the_cohorts_report_still_counts_an_erased_coach_and_their_pairs_but_never_names_them(
    db: Database,
) -> None:
    pairs = sam_everywhere(db)
    leave_everything(db)
    # Sam comes back to pgy1 later and is paired again: that partnership is theirs to be seen in.
    join(db.unit_of_work(), "T0001", "pgy1", SAM, Role.COACH, NOW + timedelta(days=7))
    with db.unit_of_work() as uow:
        sam = uow.session.scalars(
            select(Member).where(Member.slack_user_id == SAM, Member.role == Role.COACH)
        )
        again = factories.pair(
            uow.session, sam.one(), factories.member(uow.session, pgy1(uow.session), "U0L4"), started_at=LATER
        )
        uow.commit()

    report = report_for(
        db.unit_of_work(), "T0001", FAC, "pgy1", LATER, is_admin=False, individual=True, decrypt=w.unseal
    )

    assert report.individual is not None
    shown = {row.partnership_id: (row.first_user_id, row.second_user_id) for row in report.individual}
    assert shown == {
        pairs[0]: (ERASED_MEMBER, "U0L1"),
        pairs[1]: (ERASED_MEMBER, "U0L2"),
        pairs[2]: (ERASED_MEMBER, "U0L3"),
        again.id: (SAM, "U0L4"),
    }
    assert all(NOTE not in " ".join(row.shared_notes) for row in report.individual)
    assert (report.endings.member_left, report.endings.no_fault, report.endings.active) == (2, 1, 1)
    coaches = next(count for count in report.members if count.role is Role.COACH)
    assert (coaches.active, coaches.left) == (1, 0)
    assert sum(row.checkins_due for row in report.individual) == 3  # Sam's answers still count


def test_an_erased_coach_who_joins_again_is_still_kept_apart_from_their_former_learners(
    db: Database,
) -> None:
    sam_everywhere(db)
    leave_everything(db)
    assert join(db.unit_of_work(), "T0001", "pgy1", SAM, Role.COACH, LATER).has_profile is False
    with db.unit_of_work() as uow:
        cohort = pgy1(uow.session)
        apart = partnership_history(uow.session, cohort).ended.apart
    with db.unit_of_work() as uow:
        ended = {frozenset((e.first, e.second)) for e in apart}
        names = user_ids_by_member(uow.session, cohort.workspace_id, cohort.id)
    assert {frozenset(names[m] for m in pair) for pair in ended} == {frozenset((SAM, u)) for u in LEARNERS}
