"""Someone's Slack time zone changes while a check-in is planned ahead, from or to a zone the planner never
used (one this server does not know, a blank one, or none stored yet): the change is kept and the check-in
comes at 9:00 by the clock the planner now uses for them (their own zone when it is valid, else the
cohort's), once. On SQLite and PostgreSQL."""

from __future__ import annotations

from dataclasses import replace
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import select, update

from bot.tick import run_tick
from circles.persistence.db import Database
from circles.persistence.models import Profile
from circles.services.people.profiles.card import profile_card
from circles.services.people.profiles.edit import save_profile
from circles.services.people.profiles.fields import ProfileFields
from circles.services.people.profiles.slack import SlackPerson, refresh_from_slack
from standin import SlackStandIn
from tests.dispatching import UNPACED, deps_for
from tests.integration.test_planning import standard, utc
from tests.integration.test_round_steps_ended_pairs import standin

__all__ = ["standin"]  # the fixture: Slack's stand-in

SENDING = replace(UNPACED, look_up_dnd=False)
NEW_YORK, LOS_ANGELES = ZoneInfo("America/New_York"), ZoneInfo("America/Los_Angeles")


def learner_zone(db: Database, zone: str | None) -> None:
    with db.unit_of_work() as uow:
        uow.session.execute(update(Profile).where(Profile.slack_user_id == "U0LEARN").values(timezone=zone))
        uow.commit()


def check_ins_asked(
    db: Database, standin: SlackStandIn, start: datetime, moved: datetime, zone: str
) -> list[datetime]:
    """Tick every half hour on Monday 9 March 2026 from `start`; at `moved` Slack says the learner
    is in `zone`. When the learner was asked their check-in question."""
    deps, asked = deps_for(db, standin), []
    now = start
    while now <= utc(2026, 3, 9, 20):
        if now == moved:
            person = SlackPerson(timezone=zone, display_name=None, team_id=None)
            assert refresh_from_slack(
                db.unit_of_work(), team_id="T0001", user_id="U0LEARN", slack=person, now=now
            )
        seen = len(standin.calls("chat.postMessage"))
        run_tick(deps, now, sending=SENDING)
        posted = standin.calls("chat.postMessage")[seen:]
        asked += [
            now for c in posted if c.args.get("channel") == "U0LEARN" and "Check-in" in c.args.get("text", "")
        ]
        now += timedelta(minutes=30 if now >= moved else 15)
    return asked


def stored_zone(db: Database) -> str | None:
    with db.reading() as uow:
        return uow.session.scalars(select(Profile.timezone).where(Profile.slack_user_id == "U0LEARN")).one()


@pytest.mark.parametrize("sent", ["Mars/Olympus", "   "], ids=["unknown-zone", "blank-zone"])
def test_a_zone_this_server_does_not_know_keeps_the_change_and_the_check_in_comes_by_the_cohorts_clock(
    db: Database, standin: SlackStandIn, sent: str
) -> None:
    standard(db)  # a New York cohort, Mondays 9:00, its learner in London: asked at 9:00 there (9:00 UTC)
    # Half an hour before, Slack gives a zone no clock can be read in: the cohort's is used from then on.
    asked = check_ins_asked(db, standin, utc(2026, 3, 9, 8, 15), utc(2026, 3, 9, 8, 30), sent)

    assert stored_zone(db) == sent  # before: the whole change was rolled back, the refresh raised
    assert [at.astimezone(NEW_YORK).hour for at in asked] == [9]


@pytest.mark.parametrize("stored", [None, "Europe/Lundon"], ids=["no-zone-yet", "invalid-stored-zone"])
def test_a_first_valid_zone_from_slack_moves_a_check_in_planned_by_the_cohorts_clock_to_nine_there(
    db: Database, standin: SlackStandIn, stored: str | None
) -> None:
    standard(db)
    learner_zone(db, stored)  # planned by the New York cohort's clock: 9:00 there is 13:00 UTC
    # At 5:30 in Los Angeles, Slack says they are there: asked at 9:00 there, never at 6:00.
    asked = check_ins_asked(
        db, standin, utc(2026, 3, 9, 12, 15), utc(2026, 3, 9, 12, 30), "America/Los_Angeles"
    )

    assert stored_zone(db) == "America/Los_Angeles"
    assert [at.astimezone(LOS_ANGELES).hour for at in asked] == [9]


def test_a_profile_saved_or_a_card_opened_as_slack_gives_an_unknown_zone_is_saved_and_shown(
    db: Database, standin: SlackStandIn
) -> None:
    standard(db)
    now = utc(2026, 3, 9, 8, 15)
    run_tick(deps_for(db, standin), now, sending=SENDING)  # the learner's 9:00 check-in planned ahead
    mars = SlackPerson(timezone="Mars/Olympus", display_name=None, team_id=None)

    # The form's save and a coach opening the learner's card each keep what Slack says of them.
    given = ProfileFields(interests="Paediatrics")
    save_profile(db.unit_of_work(), "T0001", "U0LEARN", given, slack=mars, now=now)
    with db.reading() as uow:
        saved = uow.session.scalars(select(Profile).where(Profile.slack_user_id == "U0LEARN")).one()
        assert (saved.interests, saved.timezone) == ("Paediatrics", "Mars/Olympus")
    learner_zone(db, "Europe/London")
    card = profile_card(db.unit_of_work(), "T0001", "U0COACH", "U0LEARN", slack=mars, now=now)
    assert (card.fields.interests, card.timezone) == ("Paediatrics", "Mars/Olympus")
