"""Back earlier than said (`/circles back`, or a rota imported with `replace` that ends a running block now):
what was held for the person while they were away reaches them on the day they are back, never at the
return they had given, and a check-in held then ends in one catch-up, never the backlog. On SQLite and
PostgreSQL, through the real pass (planning, then sending to Slack's stand-in) every six hours."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import replace
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import select

from bot.dispatch import dispatch
from bot.tick import run_tick
from circles.domain.availability.going_away import AwayRequest
from circles.domain.rotations import assign_people, find_people, read_rotations
from circles.domain.vocabulary import OutboxStatus
from circles.persistence.db import Database
from circles.persistence.models import OutboxMessage, Profile, Workspace
from circles.services.availability.away import come_back, go_away
from circles.services.availability.rotations import import_rotations, rotation_cohort
from standin import SlackStandIn
from tests import factories
from tests.dispatching import UNPACED, deps_for
from tests.integration.test_planning import standard, utc
from tests.integration.test_survey_absences import NIA
from tests.integration.test_survey_planning import START, surveyed_cohort

SENDING = replace(UNPACED, look_up_dnd=False)  # nobody is in Do Not Disturb in the stand-in
SIX_HOURS = timedelta(hours=6)
LEARNER = "U0LEARN"  # in London, coached by U0COACH; the cohort's check-ins are on Mondays at 9:00
PLANNED = utc(2026, 3, 9, 8, 10)  # the pass that writes Monday's check-in, due at 9:00
GONE = utc(2026, 3, 9, 8, 30)  # away (or on a rotation) from before the check-in went
BACK = utc(2026, 3, 19, 14)  # a Thursday: back six days before the return given, 25 March
END = utc(2026, 3, 27, 12)
Step = Callable[[datetime], object]


@pytest.fixture
def standin() -> Iterator[SlackStandIn]:
    with SlackStandIn() as running:
        yield running


def live(
    db: Database, standin: SlackStandIn, to: str, moments: list[datetime], at: dict[datetime, Step]
) -> list[tuple[date, str]]:
    """A pass at each moment, after what happens then (`at`); the (UTC day, text) of every message `to`
    received."""
    deps, received = deps_for(db, standin), []
    for now in moments:
        seen = len(standin.calls("chat.postMessage"))
        if (step := at.get(now)) is not None:
            step(now)
        run_tick(deps, now, sending=SENDING)
        posted = standin.calls("chat.postMessage")[seen:]
        received += [(now.date(), c.args.get("text", "")) for c in posted if c.args.get("channel") == to]
    return received


def woken(db: Database, standin: SlackStandIn, step: Step) -> Step:
    """The step, then a sending pass at once, as a listener wakes the sender after a command."""

    def then_send(now: datetime) -> None:
        step(now)
        dispatch(deps_for(db, standin), now, options=SENDING)

    return then_send


def every_six_hours(start: datetime, end: datetime) -> list[datetime]:
    return [start + n * SIX_HOURS for n in range(int((end - start) / SIX_HOURS) + 1)]


def checkins(received: list[tuple[date, str]]) -> list[date]:
    return [day for day, text in received if text.startswith("Check-in")]


def status_of(db: Database, key: str) -> OutboxStatus:
    with db.reading() as uow:
        query = select(OutboxMessage.status).where(OutboxMessage.idempotency_key == key)
        return uow.session.scalars(query).one()


def test_back_three_days_into_four_weeks_away_the_baseline_survey_comes_that_day(
    db: Database, standin: SlackStandIn
) -> None:
    surveyed_cohort(db, 1)
    go_away(db.unit_of_work(), "T0001", NIA, AwayRequest(weeks=4), START - timedelta(days=1))
    back = START + timedelta(days=3)
    said_back = woken(db, standin, lambda now: come_back(db.unit_of_work(), "T0001", NIA, now))

    received = live(db, standin, NIA, every_six_hours(START, START + timedelta(days=20)), {back: said_back})

    invitations = [day for day, text in received if "Belonging" in text]
    assert invitations[:1] == [back.date()]  # not on 29 March, past its 14 days: the baseline is not lost


def away_over_a_check_in(
    db: Database, standin: SlackStandIn, away: Step, back: Step
) -> tuple[list[date], str]:
    """The standard cohort: the learner goes away (`away`) after Monday 9 March's check-in was written and
    comes back on the 19th (`back`); the days a check-in question reached them, to the 27th, and the key of
    the one of 9 March."""
    _, _, pair, _, learner = standard(db)
    before = [PLANNED, GONE, GONE + timedelta(minutes=30)]
    moments = before + every_six_hours(utc(2026, 3, 9, 12), END) + [BACK]
    days = checkins(live(db, standin, LEARNER, sorted(moments), {GONE: away, BACK: back}))
    return days, f"checkin:{pair.id}:{learner.id}:2026-03-09"


@pytest.mark.parametrize("sender_woken", [False, True], ids=["next-pass", "sender-woken"])
def test_back_early_the_check_in_held_while_away_ends_in_one_catch_up_and_never_comes_later(
    db: Database, standin: SlackStandIn, sender_woken: bool
) -> None:
    def away(now: datetime) -> None:
        go_away(db.unit_of_work(), "T0001", LEARNER, AwayRequest(until=date(2026, 3, 25)), now)

    def back(now: datetime) -> None:
        come_back(db.unit_of_work(), "T0001", LEARNER, now)

    days, held = away_over_a_check_in(db, standin, away, woken(db, standin, back) if sender_woken else back)

    # One catch-up the day they are back, the regular check-in on Monday 23rd, and nothing on the 25th.
    assert days == [date(2026, 3, 19), date(2026, 3, 23)]
    if not sender_woken:  # the catch-up went, and the question held since 9 March never does
        assert status_of(db, held) is OutboxStatus.SUPERSEDED


def rota(*rows: str) -> bytes:
    return ("email,start,end,kind\n" + "".join(f"{row}\n" for row in rows)).encode()


def imported(db: Database, data: bytes, now: datetime, *, replacing: bool) -> None:
    cohort = rotation_cohort(db.reading(), "T0001", "pgy1")
    rotations = read_rotations(data, "rota.csv", ZoneInfo(cohort.timezone))
    found, refused = find_people(rotations.emails(), cohort.members, None)
    blocks, problems = assign_people(rotations, found, refused)
    assert problems == []
    import_rotations(db.unit_of_work(), cohort, blocks, now=now, replace=replacing)


def test_a_rota_replaced_that_ends_a_running_rotation_releases_what_was_held_with_one_catch_up(
    db: Database, standin: SlackStandIn
) -> None:
    lee, peer = (
        "lee@hospital.org,2026-03-09,2026-03-24,rotation",
        "p0@hospital.org,2026-03-09,2026-03-24,leave",
    )

    def on_rotation(now: datetime) -> None:
        with db.unit_of_work() as uow:
            uow.session.scalars(
                select(Profile).where(Profile.slack_user_id == LEARNER)
            ).one().email = "lee@hospital.org"
            workspace = uow.session.scalars(select(Workspace)).one()
            factories.profile(uow.session, workspace, "U0PEER0").email = "p0@hospital.org"
            uow.commit()
        imported(db, rota(lee, peer), now, replacing=False)

    def rota_corrected(now: datetime) -> None:  # the learner's row is gone: their running rotation ends now
        imported(db, rota(peer), now, replacing=True)

    days, held = away_over_a_check_in(db, standin, on_rotation, rota_corrected)

    assert days == [date(2026, 3, 19), date(2026, 3, 23)]
    assert status_of(db, held) is OutboxStatus.SUPERSEDED
