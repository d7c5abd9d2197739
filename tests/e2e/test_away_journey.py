"""A member goes away for two weeks with `/circles away 2 weeks`, over the real HTTP app, and the
scheduled passes (`circles tick --now`) that follow: nothing reaches them while away, their partner is
told until when, their silence raises no escalation while a present partner's silence does, and their
check-ins resume on the day they are back, one at a time."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, date, datetime, time, timedelta

from bot import ids
from circles.domain.vocabulary import PairingMode, Role
from tests import factories
from tests.e2e.conftest import RunningApp
from tests.e2e.days import today_with_room
from tests.e2e.test_tick import tick


def on(day: date, hour: int, minute: int = 0) -> str:
    return datetime.combine(day, time(hour, minute), tzinfo=UTC).isoformat().replace("+00:00", "Z")


def seed(app: RunningApp, today: date) -> None:
    """Cal coaches Nia and Ola; check-ins weekly on today's weekday at 09:00 UTC; one missed one matters."""
    for user in ("U0FAC", "U0CAL", "U0NIA", "U0OLA"):
        app.standin.add_user(user, tz="UTC")
    with app.db.unit_of_work() as uow:
        ws = factories.workspace(uow.session)
        co = factories.cohort(uow.session, ws, "pgy1", "PGY-1")
        co.pairing_mode, co.timezone, co.prompt_local_time = PairingMode.COACH_LEARNER, "UTC", time(9)
        co.prompt_weekday, co.starts_on, co.checkin_every_weeks = today.weekday(), today - timedelta(14), 1
        co.health_thresholds = {"missed_checkins": 1, "attention_checkins_before_escalation": 1}
        factories.facilitator(uow.session, co, "U0FAC")
        factories.member(uow.session, co, "U0CAL", Role.COACH)
        for learner in ("U0NIA", "U0OLA"):
            factories.member(uow.session, co, learner, Role.LEARNER)
            started = datetime.combine(today - timedelta(14), time(9), tzinfo=UTC)
            factories.partnership(uow.session, "U0CAL", learner).started_at = started
        for user in ("U0CAL", "U0NIA", "U0OLA"):
            factories.profile(uow.session, ws, user, "UTC")
        uow.commit()


def checkins_to(app: RunningApp, user: str) -> int:
    calls = app.standin.calls("chat.postMessage")
    return sum(1 for c in calls if c.args["channel"] == user and ids.CHECKIN_RATE in str(c.args))


def about(app: RunningApp, channel: str, user: str) -> list[str]:
    """What was posted to `channel` that names `user`."""
    calls = app.standin.calls("chat.postMessage")
    return [str(c.args) for c in calls if c.args["channel"] == channel and user in str(c.args)]


def test_two_weeks_away_sends_nothing_raises_nothing_and_check_ins_resume_on_return(
    serve_app: Callable[..., RunningApp],
) -> None:
    app = serve_app()
    # Read here, not at import: "away 2 weeks" counts from the app's today, and a date read before
    # midnight and a command taken after it put Nia back a day later than the test expects.
    today = today_with_room()
    seed(app, today)
    status, body = app.post(app.signer.slash_command("away 2 weeks", user_id="U0NIA"))
    assert (status, body) == (200, b"")
    [answer] = app.standin.wait_for("response_url", timeout=10)
    back = today + timedelta(days=14)
    assert "You're away until" in answer.args["text"]

    tick(app, on(today + timedelta(7), 9, 5))  # a check-in day while Nia is away
    assert checkins_to(app, "U0NIA") == 0
    assert (checkins_to(app, "U0CAL"), checkins_to(app, "U0OLA")) == (1, 1)  # Ola's pair only
    [notice] = about(app, "U0CAL", "is away until")
    assert "U0NIA" in notice
    assert back.strftime("%-d %B") in notice or back.isoformat() in notice

    tick(app, on(today + timedelta(11), 9, 5))  # both answer windows have closed unanswered
    assert about(app, "U0FAC", "U0OLA"), "a present partner's silence reaches the facilitator"
    assert about(app, "U0FAC", "U0NIA") == []
    assert checkins_to(app, "U0NIA") == 0

    tick(app, on(back, 9, 5))  # back: the regular check-in of that day, and no backlog
    tick(app, on(back, 12))
    assert checkins_to(app, "U0NIA") == 1
    assert about(app, "U0FAC", "U0NIA") == []
