"""A coach whose Slack time zone moves gets one digest a day all the same: moving west (Sydney to Los
Angeles) never brings a second one half an hour after the first, and the next day's comes in their new
morning; moving east (Los Angeles to Sydney) never brings one six hours after the last, but later that
day. A night-shift coach's digest comes each night. Ticks every half hour, on SQLite and PostgreSQL."""

from __future__ import annotations

from dataclasses import replace
from datetime import datetime, time, timedelta

from bot.tick import run_tick
from circles.domain.availability import WorkPattern, parse_shift
from circles.domain.vocabulary import Role
from circles.persistence.db import Database
from circles.services.people.profiles.slack import SlackPerson, refresh_from_slack
from standin import SlackStandIn
from tests import factories
from tests.dispatching import UNPACED, deps_for
from tests.integration.test_planning import utc
from tests.integration.test_round_steps_ended_pairs import standin

__all__ = ["standin"]  # the fixture: Slack's stand-in

SENDING = replace(UNPACED, look_up_dnd=False)
SYDNEY, LOS_ANGELES = "Australia/Sydney", "America/Los_Angeles"  # in March 2026: UTC+11 and UTC-7


def coach_with_a_quiet_learner(
    db: Database, zone: str, *, at: time = time(9), days: str | None = None, shift: str | None = None
) -> None:
    """A coach in `zone` whose learner has reported no meeting for weeks: something to act on every day;
    their digest days and their shift as given."""
    with db.unit_of_work() as uow:
        ws = factories.workspace(uow.session)
        co = factories.cohort(uow.session, ws, "pgy1", "PGY-1")
        co.timezone, co.prompt_local_time = zone, at
        profile = factories.profile(uow.session, ws, "U0COACH", zone)
        profile.working_days = days
        profile.work_pattern = None if shift is None else WorkPattern(parse_shift(shift)).to_json()
        coach = factories.member(uow.session, co, "U0COACH", Role.COACH)
        learner = factories.member(uow.session, co, "U0LEARN", Role.LEARNER)
        factories.pair(uow.session, coach, learner, started_at=utc(2026, 1, 5))
        uow.commit()


def digests_sent(
    db: Database, standin: SlackStandIn, since: datetime, until: datetime, moves: dict[datetime, str]
) -> list[datetime]:
    """Tick every half hour from `since` to `until`, the coach's zone changing as `moves` says (through
    what Slack's user_change event calls); when each digest reached the coach."""
    deps, sent, now = deps_for(db, standin), [], since
    while now <= until:
        if now in moves:
            person = SlackPerson(timezone=moves[now], display_name=None, team_id=None)
            refresh_from_slack(db.unit_of_work(), team_id="T0001", user_id="U0COACH", slack=person, now=now)
        seen = len(standin.calls("chat.postMessage"))
        run_tick(deps, now, sending=SENDING)
        posted = standin.calls("chat.postMessage")[seen:]
        sent += [now for c in posted if c.args.get("channel") == "U0COACH" and "digest" in c.args["text"]]
        now += timedelta(minutes=30)
    return sent


def test_moving_west_brings_no_second_digest_and_the_next_day_comes_in_the_new_morning(
    db: Database, standin: SlackStandIn
) -> None:
    coach_with_a_quiet_learner(db, SYDNEY)
    moved = utc(2026, 3, 16, 23, 30)  # 16:30 on Monday in Los Angeles, inside its digest hours
    sent = digests_sent(db, standin, utc(2026, 3, 16, 21), utc(2026, 3, 18, 12), {moved: LOS_ANGELES})
    # 09:00 on Tuesday in Sydney, then 09:00 on Tuesday in Los Angeles; not Monday's there at 16:30 too.
    assert sent == [utc(2026, 3, 16, 22), utc(2026, 3, 17, 16)]


def test_moving_east_brings_no_digest_within_hours_of_the_last_but_one_later_that_day(
    db: Database, standin: SlackStandIn
) -> None:
    coach_with_a_quiet_learner(db, LOS_ANGELES)
    moved = utc(2026, 3, 16, 17)  # 10:00 on Monday in Los Angeles, 04:00 on Tuesday in Sydney
    sent = digests_sent(db, standin, utc(2026, 3, 16, 15), utc(2026, 3, 17, 23), {moved: SYDNEY})
    # 09:00 on Monday in Los Angeles; Tuesday's in Sydney at 15:00 there, twelve hours on, not at 09:00
    # (six hours on); Wednesday's at 09:00 there.
    assert sent == [utc(2026, 3, 16, 16), utc(2026, 3, 17, 4), utc(2026, 3, 17, 22)]


def test_a_night_shift_coach_gets_one_digest_each_night_however_the_zone_moves(
    db: Database, standin: SlackStandIn
) -> None:
    nights = "Sun-Thu 22:00-07:00"
    coach_with_a_quiet_learner(db, "Europe/London", at=time(22), days="01236", shift=nights)
    moved = utc(2026, 3, 16, 23)  # an hour after Monday night's, to New York: 19:00 there
    sent = digests_sent(db, standin, utc(2026, 3, 15, 21), utc(2026, 3, 18, 4), {moved: "America/New_York"})
    # Sunday and Monday at 22:00 in London; not Monday's at 22:00 in New York, four hours on; Tuesday's
    # at 22:00 in New York (EDT, UTC-4).
    assert sent == [utc(2026, 3, 15, 22), utc(2026, 3, 16, 22), utc(2026, 3, 18, 2)]
