"""Personal messages reach people in their window, through `circles tick --now`, the real HTTP app and the
stand-in: a night-shift member's check-in waits for their shift, an out-of-office status set in Slack holds
a coach's digest until it expires, and Do Not Disturb holds a check-in until it ends."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime, time, timedelta

from sqlalchemy import select

from bot import ids
from circles.domain.availability import WorkPattern, parse_shift
from circles.domain.vocabulary import Role
from circles.messages import CoachDigest
from circles.persistence.models import Member, Profile, Workspace
from circles.services.outbox.enqueue import Outgoing, enqueue
from tests import factories
from tests.dispatching import key_of
from tests.e2e.conftest import RunningApp
from tests.e2e.days import at
from tests.e2e.test_tick import tick


def monday_after_next() -> datetime:
    """09:00 UTC on the Monday after next: eight to fourteen days from now."""
    today = datetime.now(UTC).date()
    return datetime.combine(today + timedelta(days=14 - today.weekday()), time(9), tzinfo=UTC)


# The cohort's second Monday: the first check-ins, 09:00 UTC. In the weeks to come, never on fixed dates:
# what the app is told over HTTP (a status, a leave) it dates by the real clock, and the ticks must come
# after it. On a fixed date these tests began failing once the real clock had passed it.
WEEK_2 = monday_after_next()
NIGHT_SHIFT = WorkPattern(parse_shift("Sun-Thu 19:00-07:00")).to_json()


def seed(app: RunningApp, *, learner_pattern: dict[str, object] | None = None) -> None:
    """Cal coaches Nia in a cohort planned in UTC; both have profiles (Nia's with her working pattern)."""
    for user in ("U0CAL", "U0NIA"):
        app.standin.add_user(user, tz="UTC")
    with app.db.unit_of_work() as uow:
        ws = factories.workspace(uow.session)
        co = factories.cohort(uow.session, ws, "pgy1", "PGY-1")
        co.timezone, co.prompt_weekday, co.prompt_local_time = "UTC", 0, time(9)
        co.starts_on, co.checkin_every_weeks = (WEEK_2 - timedelta(days=7)).date(), 1
        factories.facilitator(uow.session, co, "U0FAC")
        factories.member(uow.session, co, "U0CAL", Role.COACH)
        factories.member(uow.session, co, "U0NIA", Role.LEARNER)
        factories.partnership(uow.session, "U0CAL", "U0NIA").started_at = WEEK_2 - timedelta(days=7)
        factories.profile(uow.session, ws, "U0CAL", "UTC")
        factories.profile(uow.session, ws, "U0NIA", "UTC").work_pattern = learner_pattern
        uow.commit()


def checkins_to(app: RunningApp, user: str) -> int:
    calls = app.standin.calls("chat.postMessage")
    return sum(1 for c in calls if c.args["channel"] == user and ids.CHECKIN_RATE in str(c.args))


def test_a_night_shift_members_check_in_arrives_in_their_shift_not_at_nine(
    serve_app: Callable[..., RunningApp],
) -> None:
    app = serve_app()
    seed(app, learner_pattern=NIGHT_SHIFT)

    tick(app, at(WEEK_2 + timedelta(minutes=5)))
    assert (checkins_to(app, "U0CAL"), checkins_to(app, "U0NIA")) == (1, 0)

    tick(app, at(WEEK_2 + timedelta(hours=5)))
    assert checkins_to(app, "U0NIA") == 0

    tick(app, at(WEEK_2.replace(hour=19, minute=2)))  # her shift began at 19:00
    assert (checkins_to(app, "U0CAL"), checkins_to(app, "U0NIA")) == (1, 1)
    tick(app, at(WEEK_2.replace(hour=20)))
    assert checkins_to(app, "U0NIA") == 1


def test_do_not_disturb_holds_a_check_in_until_it_ends(serve_app: Callable[..., RunningApp]) -> None:
    app = serve_app()
    seed(app)
    app.standin.set_dnd("U0CAL", WEEK_2 + timedelta(minutes=40))

    tick(app, at(WEEK_2 + timedelta(minutes=5)))
    assert (checkins_to(app, "U0CAL"), checkins_to(app, "U0NIA")) == (0, 1)
    assert len(app.standin.calls("dnd.teamInfo")) == 1

    tick(app, at(WEEK_2 + timedelta(minutes=20)))
    assert checkins_to(app, "U0CAL") == 0

    tick(app, at(WEEK_2 + timedelta(minutes=45)))
    assert checkins_to(app, "U0CAL") == 1


def test_an_out_of_office_status_set_in_slack_holds_digests_until_it_expires_then_sends_one(
    serve_app: Callable[..., RunningApp],
) -> None:
    app = serve_app()
    seed(app)
    back = WEEK_2 + timedelta(days=2)
    profile = {"status_emoji": ":palm_tree:", "status_text": "", "status_expiration": int(back.timestamp())}
    user = {"id": "U0CAL", "team_id": "T0001", "tz": "UTC", "profile": profile}
    assert app.post(app.signer.event({"type": "user_change", "user": user}))[0] == 200
    app.settled()
    with app.db.unit_of_work() as uow:
        stored = uow.session.scalars(select(Profile).where(Profile.slack_user_id == "U0CAL")).one()
        assert stored.status_away_until == back
        ws = uow.session.scalars(select(Workspace)).one()
        member_id = uow.session.scalars(select(Member.id).where(Member.slack_user_id == "U0CAL")).one()
        digest = CoachDigest(member_id, frozenset(range(7)), ())
        enqueue(
            uow.session, ws.id, Outgoing(f"digest:U0CAL:{WEEK_2.date()}", "U0CAL", digest), WEEK_2, WEEK_2
        )
        uow.commit()

    def digests() -> int:
        return sum(1 for c in app.standin.calls("chat.postMessage") if key_of(c).startswith("digest:"))

    tick(app, at(WEEK_2 + timedelta(minutes=5)))
    tick(app, at(WEEK_2 + timedelta(days=1)))
    assert digests() == 0

    tick(app, at(back + timedelta(minutes=5)))
    tick(app, at(back + timedelta(hours=1)))
    assert digests() == 1  # the newest: those it catches up on are superseded, not sent
    assert checkins_to(app, "U0CAL") == 1
