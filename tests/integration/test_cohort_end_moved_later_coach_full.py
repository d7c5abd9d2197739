"""A cohort's end moves later after its pairs were completed, and their coach has taken learners elsewhere
since: only as many pairs carry on as the coach has room for (those that were running before those a
learner had paused, then the earliest begun), and the facilitator is told which stay completed, by the
settings form or by a cohort file. On SQLite and PostgreSQL."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import func, select

from bot.cli_import import describe
from bot.views.kept_completed import settings_saved
from circles.domain.cohort_file import parse_cohort_file
from circles.domain.vocabulary import EndReason, PairingMode, PartnershipStatus, Role
from circles.persistence.db import Database
from circles.persistence.models import Member, Partnership, Workspace
from circles.services.cohorts.file_import import as_given, import_cohort
from circles.services.partnerships.changes import complete_finished_cohorts, pause_partnership
from tests import factories
from tests.factories import NOW
from tests.integration.test_cohort_end_moved_later import FAC, OLD_END, STARTED, STARTS_ON, moved_to, states

COACH, LEARNERS = "U0COACH", ("U0L1", "U0L2", "U0L3")
RUNNING = (PartnershipStatus.ACTIVE, None)
COMPLETED = (PartnershipStatus.ENDED, EndReason.COMPLETED)
NEW_END = NOW.date() + timedelta(weeks=4)
KEPT = (
    "2 pairs of {coach} stay completed (with {second} and {third}): they have no room left. "
    "Raise their capacity and re-match if these pairs should carry on."
)


def coach_taken_elsewhere(db: Database, paused: tuple[str, ...] = ()) -> dict[str, int]:
    """PGY-1, over: U0COACH coached U0L1, U0L2 and U0L3 there, each pair begun a day after the one before
    (those of `paused` paused by their learner), all completed at its end; since then the coach took three
    learners in PGY-2, which runs on. The coach offers four places. The PGY-1 pair ids by learner."""
    with db.unit_of_work() as uow:
        ws = factories.workspace(uow.session)
        pgy1 = factories.cohort(uow.session, ws, "pgy1", "PGY-1", at=STARTED)
        pgy1.starts_on, pgy1.ends_on, pgy1.pairing_mode = STARTS_ON, OLD_END, PairingMode.COACH_LEARNER
        factories.facilitator(uow.session, pgy1, FAC, at=STARTED)
        factories.profile(uow.session, ws, COACH).capacity = 4
        coach = factories.member(uow.session, pgy1, COACH, Role.COACH, at=STARTED)
        pairs = {
            learner: factories.pair(
                uow.session,
                coach,
                factories.member(uow.session, pgy1, learner, at=STARTED),
                started_at=STARTED + timedelta(days=day),
            ).id
            for day, learner in enumerate(LEARNERS)
        }
        uow.commit()
    for learner in paused:
        at = NOW - timedelta(days=20)
        pause_partnership(db.unit_of_work(), "T0001", learner, pairs[learner], at, request_key=learner)
    with db.unit_of_work() as uow:
        assert complete_finished_cohorts(uow.session, NOW - timedelta(days=5)) == 3
        pgy2 = factories.cohort(uow.session, uow.session.scalars(select(Workspace)).one(), "pgy2", "PGY-2")
        pgy2.pairing_mode = PairingMode.COACH_LEARNER
        coach = factories.member(uow.session, pgy2, COACH, Role.COACH)
        for learner in ("U0M1", "U0M2", "U0M3"):
            factories.pair(uow.session, coach, factories.member(uow.session, pgy2, learner))
        uow.commit()
    return pairs


def coached_now(db: Database) -> int:
    """How many learners the coach guides now, across cohorts."""
    with db.reading() as reading:
        return (
            reading.session.scalar(
                select(func.count(Partnership.id))
                .join(Member, Member.id == Partnership.first_member_id)
                .where(Member.slack_user_id == COACH, Partnership.status != PartnershipStatus.ENDED)
            )
            or 0
        )


def test_only_as_many_pairs_carry_on_as_their_coach_has_room_for_and_the_facilitator_is_told_the_rest(
    db: Database,
) -> None:
    pairs = coach_taken_elsewhere(db)

    saved = moved_to(db, NEW_END)

    assert coached_now(db) == 4  # before: 6, for a coach who offers 4
    assert states(db, pairs) == {"U0L1": RUNNING, "U0L2": COMPLETED, "U0L3": COMPLETED}
    answer = settings_saved("pgy1", saved.kept_completed)
    assert answer.startswith("Saved the settings of `pgy1`.")
    assert KEPT.format(coach="<@U0COACH>", second="<@U0L2>", third="<@U0L3>") in answer


def test_a_pair_its_learner_had_paused_gives_way_to_one_that_was_running(db: Database) -> None:
    pairs = coach_taken_elsewhere(db, paused=("U0L1",))

    saved = moved_to(db, NEW_END)

    assert states(db, pairs) == {"U0L1": COMPLETED, "U0L2": RUNNING, "U0L3": COMPLETED}
    assert [(kept.guide, kept.learners) for kept in saved.kept_completed] == [(COACH, ("U0L1", "U0L3"))]


def test_a_cohort_file_moving_the_end_later_says_which_pairs_stay_completed_for_want_of_room(
    db: Database,
) -> None:
    pairs = coach_taken_elsewhere(db)
    text = (
        f"cohort:\n  slug: pgy1\n  name: PGY-1\n  pairing: coach_learner\n  facilitators: [{FAC}]\n"
        f"  starts_on: {STARTS_ON}\n  ends_on: {NEW_END}\n"
    )
    parsed = parse_cohort_file(text, "cohort.yml")

    report = import_cohort(db.unit_of_work(), "T0001", parsed, as_given(parsed), now=NOW)

    assert coached_now(db) == 4
    assert states(db, pairs) == {"U0L1": RUNNING, "U0L2": COMPLETED, "U0L3": COMPLETED}
    summary = describe(report, {COACH: "coach@hospital.org"}, dry_run=False)
    kept = KEPT.format(coach="U0COACH (coach@hospital.org)", second="U0L2", third="U0L3")
    assert f"  ! {kept}" in summary
    assert summary[-1] == "saved"
