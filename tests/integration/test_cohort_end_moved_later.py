"""A facilitator moves a cohort's end later after its last day: the pairs it completed carry on, as its
circles do, but for a pair a partner left; a pair ended any other way stays ended. By the settings form or
a cohort file. On SQLite and PostgreSQL."""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta

from sqlalchemy import select

from circles.domain.vocabulary import EndReason, PairingMode, PartnershipStatus, Role
from circles.persistence.db import Database, UnitOfWork
from circles.persistence.models import Cohort, Partnership
from circles.services.cohorts.config import CohortConfig, cohort_config, configure_cohort
from circles.services.partnerships.changes import (
    complete_finished_cohorts,
    end_partnership,
    pause_partnership,
    resume_partnership,
)
from circles.services.people.membership import leave
from tests import factories
from tests.factories import NOW

FAC = "U0FAC"
OLD_END = NOW.date() - timedelta(days=10)
STARTS_ON = OLD_END - timedelta(weeks=8)
STARTED = datetime.combine(STARTS_ON, time(9), tzinfo=UTC)  # when everyone joined and was paired


def coached_pairs(db: Database, names: tuple[str, ...]) -> dict[str, int]:
    """PGY-1, coaches and learners, which ended on OLD_END after eight weeks, with a coach U0C<name> and
    learner U0L<name> who joined on its first day and were paired then, for each name; their pair ids by
    name."""
    with db.unit_of_work() as uow:
        cohort = factories.cohort(uow.session, factories.workspace(uow.session), "pgy1", "PGY-1", at=STARTED)
        cohort.starts_on, cohort.ends_on = STARTS_ON, OLD_END
        cohort.pairing_mode = PairingMode.COACH_LEARNER
        factories.facilitator(uow.session, cohort, FAC, at=STARTED)
        pairs = {
            name: factories.pair(
                uow.session,
                factories.member(uow.session, cohort, f"U0C{name}", Role.COACH, at=STARTED, flush=False),
                factories.member(uow.session, cohort, f"U0L{name}", at=STARTED, flush=False),
                started_at=STARTED,
            ).id
            for name in names
        }
        uow.commit()
    return pairs


def finished_cohort(db: Database) -> dict[str, int]:
    """Three pairs: one that ran to the end, one whose learner left after it, one ended early."""
    pairs = coached_pairs(db, ("ran", "left", "early"))
    early = NOW - timedelta(days=20)
    end_partnership(db.unit_of_work(), "T0001", "U0Cearly", pairs["early"], "", early, request_key="k")
    with db.unit_of_work() as uow:
        assert complete_finished_cohorts(uow.session, NOW - timedelta(days=5)) == 2
        uow.commit()
    leave(db.unit_of_work(), "T0001", "pgy1", "U0Lleft", NOW - timedelta(days=2))
    return pairs


def moved_to(
    db: Database, ends_on: date | None, now: datetime = NOW, uow: UnitOfWork | None = None
) -> CohortConfig:
    """The facilitator's settings form saved with this end (in `uow`, given); what the save answered."""
    form = cohort_config(db.unit_of_work(), "T0001", "pgy1", user_id=FAC, is_admin=False)
    return configure_cohort(
        uow or db.unit_of_work(),
        "T0001",
        "pgy1",
        form.settings.with_changes(ends_on=ends_on),
        form.facilitators,
        user_id=FAC,
        is_admin=False,
        now=now,
        opened_as=form.digest,
    )


def states(db: Database, pairs: dict[str, int]) -> dict[str, tuple[PartnershipStatus, EndReason | None]]:
    with db.reading() as reading:
        rows = {p.id: p for p in reading.session.scalars(select(Partnership))}
        return {name: (rows[pair].status, rows[pair].end_reason) for name, pair in pairs.items()}


def test_pairs_completed_at_the_old_end_carry_on_when_it_moves_later_but_not_those_ended_otherwise(
    db: Database,
) -> None:
    pairs = finished_cohort(db)

    moved_to(db, NOW.date() + timedelta(weeks=4))

    assert states(db, pairs) == {
        "ran": (PartnershipStatus.ACTIVE, None),  # before: completed for good, kept apart from then on
        "left": (PartnershipStatus.ENDED, EndReason.COMPLETED),  # the learner is gone
        "early": (PartnershipStatus.ENDED, EndReason.NO_FAULT),
    }


def test_an_end_moved_to_a_day_that_is_over_too_leaves_the_completed_pairs_completed(db: Database) -> None:
    pairs = finished_cohort(db)

    moved_to(db, OLD_END + timedelta(days=3))

    assert states(db, pairs)["ran"] == (PartnershipStatus.ENDED, EndReason.COMPLETED)
    with db.reading() as reading:
        assert reading.session.scalars(select(Cohort.ends_on)).one() == OLD_END + timedelta(days=3)


def test_a_pair_its_learner_had_paused_carries_on_paused_and_one_resumed_before_the_end_carries_on_active(
    db: Database,
) -> None:
    pairs = coached_pairs(db, ("paused", "resumed"))
    for name in ("paused", "resumed"):
        key = f"pause-{name}"
        pause_partnership(
            db.unit_of_work(), "T0001", f"U0L{name}", pairs[name], NOW - timedelta(days=20), request_key=key
        )
    resume_partnership(
        db.unit_of_work(), "T0001", "U0Lresumed", pairs["resumed"], NOW - timedelta(days=15), request_key="r"
    )
    with db.unit_of_work() as uow:
        assert complete_finished_cohorts(uow.session, NOW - timedelta(days=5)) == 2
        uow.commit()

    moved_to(db, NOW.date() + timedelta(weeks=4))

    assert states(db, pairs) == {
        "paused": (PartnershipStatus.PAUSED, None),  # before: active again, though nobody resumed it
        "resumed": (PartnershipStatus.ACTIVE, None),
    }
    with db.reading() as reading:
        paused = reading.session.get_one(Partnership, pairs["paused"])
        assert paused.pauses is not None
        assert paused.pauses[-1][1] is None  # its pause still runs, held against nobody
    resume_partnership(db.unit_of_work(), "T0001", "U0Lpaused", pairs["paused"], NOW, request_key="back")
    assert states(db, pairs)["paused"] == (PartnershipStatus.ACTIVE, None)
