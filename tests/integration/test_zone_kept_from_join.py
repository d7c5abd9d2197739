"""What Slack says of someone who joins is kept on their profile, made for it when they have none: their own
time zone from the start. A profile made so is no profile of theirs, so the form still opens at a join; and
someone who left before Slack answered has nothing kept."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import select

from circles.domain.vocabulary import Role
from circles.persistence.db import Database
from circles.persistence.models import Profile
from circles.services.people.membership import join, leave
from circles.services.people.profiles import SlackPerson, keep_from_slack
from tests import factories
from tests.factories import NOW

LEE = "U0LEE"
CHICAGO = SlackPerson(timezone="America/Chicago", display_name="Lee", team_id="T0001")


def cohorts(db: Database) -> None:
    with db.unit_of_work() as uow:
        ws = factories.workspace(uow.session)
        factories.cohort(uow.session, ws, "pgy1", "PGY-1")
        factories.cohort(uow.session, ws, "pgy2", "PGY-2")
        uow.commit()


def profiles(db: Database) -> list[tuple[str | None, str | None, str]]:
    with db.reading() as reading:
        rows = reading.session.scalars(select(Profile).where(Profile.slack_user_id == LEE))
        return [(row.timezone, row.display_name, row.interests) for row in rows]


def test_a_newcomer_s_zone_is_kept_on_a_profile_made_for_it_and_their_next_join_still_asks_for_one(
    db: Database,
) -> None:
    cohorts(db)
    assert join(db.unit_of_work(), "T0001", "pgy1", LEE, Role.PEER, NOW).has_profile is False
    assert keep_from_slack(db.unit_of_work(), "T0001", LEE, slack=CHICAGO, now=NOW)
    assert profiles(db) == [("America/Chicago", "Lee", "")]
    later = NOW + timedelta(days=1)
    assert join(db.unit_of_work(), "T0001", "pgy2", LEE, Role.PEER, later).has_profile is False


def test_a_profile_of_their_own_keeps_what_they_wrote_and_takes_the_zone(db: Database) -> None:
    cohorts(db)
    join(db.unit_of_work(), "T0001", "pgy1", LEE, Role.PEER, NOW)
    keep_from_slack(db.unit_of_work(), "T0001", LEE, slack=CHICAGO, now=NOW)
    with db.unit_of_work() as uow:  # as their profile form saves it
        uow.session.scalars(select(Profile)).one().interests = "Night shifts"
        uow.commit()
    moved = SlackPerson(timezone="Europe/London", display_name=None, team_id=None)
    assert keep_from_slack(db.unit_of_work(), "T0001", LEE, slack=moved, now=NOW)
    assert profiles(db) == [("Europe/London", "Lee", "Night shifts")]
    assert join(db.unit_of_work(), "T0001", "pgy2", LEE, Role.PEER, NOW).has_profile is True


def test_someone_who_left_before_slack_answered_has_nothing_kept(db: Database) -> None:
    cohorts(db)
    join(db.unit_of_work(), "T0001", "pgy1", LEE, Role.PEER, NOW)
    leave(db.unit_of_work(), "T0001", "pgy1", LEE, NOW + timedelta(minutes=1))
    assert not keep_from_slack(db.unit_of_work(), "T0001", LEE, slack=CHICAGO, now=NOW)
    assert profiles(db) == []
