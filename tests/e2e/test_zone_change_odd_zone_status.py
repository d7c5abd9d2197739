"""Slack tells the app, in one `user_change`, that someone with a check-in planned ahead set an
out-of-office status and now has a time zone this server does not know: the status is kept, so the
check-in waits for them to be back, and nothing goes to the log as a failure. Through the real HTTP app,
`circles tick --now` and the stand-in."""

from __future__ import annotations

import logging
from datetime import timedelta

import pytest
from sqlalchemy import select

from circles.persistence.models import Profile
from tests.e2e.conftest import RunningApp
from tests.e2e.days import at
from tests.e2e.test_delivery_windows import WEEK_2, checkins_to, seed
from tests.e2e.test_tick import tick


def test_a_status_set_with_an_unknown_zone_is_kept_and_holds_a_check_in_planned_ahead(
    running: RunningApp, caplog: pytest.LogCaptureFixture
) -> None:
    seed(running)  # Cal coaches Nia, a cohort in UTC: their check-ins at 9:00 UTC on WEEK_2
    tick(running, at(WEEK_2 - timedelta(minutes=30)))  # both check-ins planned ahead
    back = WEEK_2 + timedelta(days=2)
    profile = {"status_emoji": ":palm_tree:", "status_text": "", "status_expiration": int(back.timestamp())}
    user = {"id": "U0NIA", "team_id": "T0001", "tz": "Mars/Olympus", "profile": profile}

    with caplog.at_level(logging.INFO):
        assert running.post(running.signer.event({"type": "user_change", "user": user}))[0] == 200
        running.settled()
    assert [r for r in caplog.records if r.name == "circles.errors"] == []
    with running.db.reading() as uow:
        stored = uow.session.scalars(select(Profile).where(Profile.slack_user_id == "U0NIA")).one()
        assert (stored.timezone, stored.status_away_until) == ("Mars/Olympus", back)

    # Before: the zone change raised, so the status after it was never kept and Nia was asked at 9:00.
    tick(running, at(WEEK_2 + timedelta(minutes=5)))
    assert (checkins_to(running, "U0CAL"), checkins_to(running, "U0NIA")) == (1, 0)
