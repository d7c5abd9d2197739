"""A coach's digest names a pair for no meeting reported by health's rule, on SQLite and PostgreSQL: a pair
can only report a meeting when a check-in asks, so one meeting at every check-in of a four-week rhythm is
not named in the last week of each cycle, while one answering that they did not meet still is."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from sqlalchemy import select

from circles.domain.health.rules import Rule
from circles.domain.nudges import Nudge, NudgeKind, next_nudge_at
from circles.persistence.db import Database
from circles.persistence.models import Member
from circles.queries.guide_pairs import pair_activity
from circles.services.health.recompute import recompute
from circles.services.nudges.digests import digest_now
from tests.integration.test_health_when_asked import PAIRED, asked_days, days, seeded, tick

MAY_25 = datetime(2026, 5, 25, 13, tzinfo=UTC)  # the third check-in: Monday 9:00 in New York
WITHIN = timedelta(days=3)  # the default answer window


def no_meeting(db: Database, now: datetime) -> list[Nudge]:
    """The coach's digest's items about pairs without a meeting reported, as it stands at `now`."""
    found = digest_now(db.unit_of_work(), "T0001", "U0COACH", now)
    return [nudge for section in found for nudge in section.nudges if nudge.kind is NudgeKind.NO_MEETING]


def health_says_no_meeting(db: Database, partnership_id: int, now: datetime) -> bool:
    with db.unit_of_work() as uow:
        [health] = recompute(uow.session, now, partnerships=[partnership_id], record=False)
        return any(reason.rule is Rule.NO_MEETING for reason in health.reasons)


def next_digest_due(db: Database, now: datetime) -> datetime | None:
    """When the coach's digest is next worth working out for their pair, by the pair alone."""
    with db.unit_of_work() as uow:
        coach = uow.session.scalars(select(Member.id).where(Member.slack_user_id == "U0COACH")).one()
        return next_nudge_at(pair_activity(uow.session, [coach], now)[coach], now, 21)


def test_a_coach_meeting_their_learner_at_every_check_in_of_a_four_week_rhythm_is_not_nudged_before_the_next(
    db: Database,
) -> None:
    seeded(db, every=4)
    named = {}
    for now in days(0, 95):
        tick(db, now)
        if found := no_meeting(db, now):
            named[now.date().isoformat()] = found

    assert asked_days(db) == ["2026-03-30", "2026-04-27", "2026-05-25"]
    assert named == {}  # 22 to 27 days after they met on 27 April, the digest used to name them
    # Awaiting the check-in of 25 May, the pair is looked at again when its answer window closes, no sooner.
    assert next_digest_due(db, PAIRED + timedelta(days=82)) == MAY_25 + WITHIN


def test_a_coach_whose_learner_answers_that_they_did_not_meet_is_nudged_when_health_sees_it(
    db: Database,
) -> None:
    pair = seeded(db, every=4)
    named, concerned = [], []
    for now in days(0, 95):
        tick(db, now, met=False)
        if no_meeting(db, now):
            named.append(now.date().isoformat())
        if health_says_no_meeting(db, pair, now):
            concerned.append(now.date().isoformat())

    assert named == concerned
    # Answered at the first check-in, on 30 March, that they had not met: the days since the first week count.
    assert named[0] == "2026-03-30"
    # 86 days since the pairing, less the two and a half before the cohort's first week.
    assert no_meeting(db, PAIRED + timedelta(days=86)) == [Nudge(NudgeKind.NO_MEETING, "U0LEARN", 83)]
