"""A night-shift coach whose digest hours run past midnight gets a digest that falls due after midnight that
night, inside their shift, under the key of the working day the night began on; once, never within 12 hours
of another, and the next night's still comes. Across a change of the clocks too. On SQLite and PostgreSQL."""

from __future__ import annotations

from datetime import datetime, time, timedelta

from circles.domain.availability import WorkPattern, parse_shift
from circles.domain.vocabulary import Role
from circles.persistence.db import Database
from circles.services.nudges.digests import plan_nudges
from circles.services.outbox.queue import claim_due, mark_sent
from tests import factories
from tests.integration.test_planning import utc

COACH, LONDON = "U0COACH", "Europe/London"
WITHOUT_MEETING = timedelta(days=21)  # the cohort's "days without a meeting" unless it sets them


def night_shift_coach(
    db: Database, shift: str, *, prompts: time, learner_quiet_from: datetime, days: str = "01236"
) -> None:
    """A London coach on `shift`, digest days `days` (Sunday to Thursday), in a cohort prompted at `prompts`,
    whose learner's days without a meeting reach the threshold at `learner_quiet_from`."""
    with db.unit_of_work() as uow:
        ws = factories.workspace(uow.session)
        co = factories.cohort(uow.session, ws)
        co.timezone, co.prompt_local_time = LONDON, prompts
        profile = factories.profile(uow.session, ws, COACH, LONDON)
        profile.working_days, profile.work_pattern = days, WorkPattern(parse_shift(shift)).to_json()
        coach = factories.member(uow.session, co, COACH, Role.COACH)
        learner = factories.member(uow.session, co, "U0LEARN")
        factories.pair(uow.session, coach, learner, started_at=learner_quiet_from - WITHOUT_MEETING)
        uow.commit()


def digests_sent(db: Database, since: datetime, until: datetime) -> list[tuple[datetime, str]]:
    """Plan and send every half hour from `since` to `until`: when each digest went, and its key."""
    sent, now = [], since
    while now <= until:
        with db.unit_of_work() as uow:
            plan_nudges(uow.session, now)
            uow.commit()
        for row in claim_due(db.unit_of_work(), now, limit=50, claim_for=timedelta(minutes=5)):
            mark_sent(db.unit_of_work(), row.id, {"channel": COACH, "ts": "1.0"}, now)
            sent.append((now, row.key))
        now += timedelta(minutes=30)
    return sent


def test_a_digest_due_after_midnight_comes_that_night_and_the_next_nights_still_comes(db: Database) -> None:
    tuesday_1am = utc(2026, 3, 17, 1)  # London is on GMT until the 29th
    night_shift_coach(db, "Sun-Thu 22:00-07:00", prompts=time(22), learner_quiet_from=tuesday_1am)

    sent = digests_sent(db, utc(2026, 3, 16, 21), utc(2026, 3, 18, 23))

    assert sent == [
        (tuesday_1am, f"digest:{COACH}:2026-03-16"),  # Monday night's: before, none until Tuesday 22:00
        (utc(2026, 3, 17, 22), f"digest:{COACH}:2026-03-17"),
        (utc(2026, 3, 18, 22), f"digest:{COACH}:2026-03-18"),
    ]


def test_a_digest_held_past_midnight_for_quiet_hours_goes_before_the_shift_ends_not_dropped(
    db: Database,
) -> None:
    # The cohort's nights leave 20:00-22:00 and 07:00-08:00 of this shift free: they hold inside it.
    night_shift_coach(db, "Sun-Thu 20:00-08:00", prompts=time(20), learner_quiet_from=utc(2026, 3, 17, 1))

    sent = digests_sent(db, utc(2026, 3, 16, 19), utc(2026, 3, 17, 21))

    assert sent == [
        (utc(2026, 3, 17, 7), f"digest:{COACH}:2026-03-16"),  # made at 01:00, held until 07:00
        (utc(2026, 3, 17, 20), f"digest:{COACH}:2026-03-17"),  # thirteen hours on
    ]


def test_a_digest_due_in_the_night_the_clocks_go_forward_comes_that_night_once(db: Database) -> None:
    sunday_3am_bst = utc(2026, 3, 29, 2)  # the clocks went from 01:00 GMT to 02:00 BST an hour before
    saturday_too = "012356"
    night_shift_coach(
        db, "Sat-Thu 22:00-07:00", prompts=time(22), learner_quiet_from=sunday_3am_bst, days=saturday_too
    )

    sent = digests_sent(db, utc(2026, 3, 28, 21), utc(2026, 3, 30, 22))

    assert sent == [
        (sunday_3am_bst, f"digest:{COACH}:2026-03-28"),  # Saturday night's
        (utc(2026, 3, 29, 21), f"digest:{COACH}:2026-03-29"),  # 22:00 BST on Sunday
        (utc(2026, 3, 30, 21), f"digest:{COACH}:2026-03-30"),
    ]


def test_a_digest_due_in_the_hour_the_clocks_go_back_over_comes_that_night_once(db: Database) -> None:
    second_130 = utc(2026, 10, 25, 1, 30)  # 01:30 GMT, an hour after 01:30 BST
    saturday_too = "012356"
    night_shift_coach(
        db, "Sat-Thu 22:00-07:00", prompts=time(22), learner_quiet_from=second_130, days=saturday_too
    )

    sent = digests_sent(db, utc(2026, 10, 24, 20), utc(2026, 10, 26, 23))

    assert sent == [
        (second_130, f"digest:{COACH}:2026-10-24"),  # Saturday night's, nine hours long
        (utc(2026, 10, 25, 22), f"digest:{COACH}:2026-10-25"),  # 22:00 GMT on Sunday
        (utc(2026, 10, 26, 22), f"digest:{COACH}:2026-10-26"),
    ]
