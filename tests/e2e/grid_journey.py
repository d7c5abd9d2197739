"""An Enterprise Grid organisation of two workspaces and the people of one cohort in it, as the journey
through the real HTTP app needs them: who is where, and how each of them types, presses and answers."""

from __future__ import annotations

import json
from datetime import UTC, date, datetime, time, timedelta
from typing import Any

from sqlalchemy import select

from bot import ids
from circles.domain.match_vocabulary import RunStatus
from circles.persistence.models import Circle, CircleMembership, MatchRun, Member, Partnership
from standin import Call
from standin.forms import submitted_values
from tests.e2e.conftest import NOTES_KEY, SIGNING_SECRET
from tests.e2e.harness import ROOT, UNPACED_CIRCLES, run_circles
from tests.e2e.test_enterprise_grid import ORG, T1, T2, send_outbox
from tests.e2e.test_oauth import CLIENT_ID, CLIENT_SECRET, OAuthApp

FACILITATOR, STRANGER = "U0GFACIL", "U0GSTRANGE"
# A coach in T1; learners in both workspaces, who are each other's peers in the circles.
COACH, LEARNER_NORTH, PEER_NORTH = "U0GCOACH", "U0GLNORTH", "U0GPNORTH"  # in T1
LEARNER_SOUTH, PEER_SOUTH, PEER_SOUTH_2 = "U0GLSOUTH", "U0GPSOUTH", "U0GPSOUTH2"  # in T2
NORTH = (COACH, LEARNER_NORTH, PEER_NORTH)
SOUTH = (LEARNER_SOUTH, PEER_SOUTH, PEER_SOUTH_2)
# The app reads the real clock, so the round is matched now and then dated back to a week before
# yesterday: yesterday's check-ins are answered today, and the watch and the board see them as of now.
TODAY = datetime.now(UTC).date()
YESTERDAY, MATCHED = TODAY - timedelta(1), TODAY - timedelta(8)
LOW = "rated it low"  # the alert's reason, for the facilitator's eyes only


def at(day: date, hour: int, minute: int = 0) -> datetime:
    return datetime.combine(day, time(hour, minute), tzinfo=UTC)


def team_of(user: str) -> str:
    return T2 if user in SOUTH else T1


def say(app: OAuthApp, text: str, user: str, *, org: str = ORG, team: str | None = None) -> Call:
    """`/circles <text>` typed by user in their workspace; the private answer."""
    app.standin.clear()
    request = app.signer.slash_command(
        text, user_id=user, team_id=team or team_of(user), enterprise_id=org, is_enterprise_install=True
    )
    assert app.post(request) == (200, b"")
    [answer] = app.standin.wait_for("response_url", timeout=10)
    return answer


def press(app: OAuthApp, action: str, user: str, value: str, **extra: Any) -> None:
    request = app.signer.block_action(
        action,
        user_id=user,
        value=value,
        team_id=team_of(user),
        enterprise_id=ORG,
        is_enterprise_install=True,
        response_url=app.standin.response_url(user),
        **extra,
    )
    assert app.post(request)[0] == 200


def shown(call: Call) -> str:
    return json.dumps(call.args, ensure_ascii=False)


def join(app: OAuthApp, user: str, role: str) -> None:
    """`/circles join pgy1`, then the role's button if a choice is offered."""
    answer = shown(say(app, "join pgy1", user))
    if "You have joined" not in answer:
        assert ids.JOIN_AS_ROLE in answer
        app.standin.clear()
        press(app, f"{ids.JOIN_AS_ROLE}:{role}", user, f"pgy1:{role}")
        [joined] = app.standin.wait_for("response_url", timeout=10)
        answer = shown(joined)
    assert "You have joined *PGY-1 residents*" in answer


def circles_tick(app: OAuthApp, now: datetime) -> str:
    """`circles tick --now NOW` as an operator runs it for an app installed through OAuth; its printout."""
    settings = app.deps.settings
    result = run_circles(
        "tick",
        "--now",
        now.isoformat(),
        cwd=ROOT,
        timeout=120,
        cli=UNPACED_CIRCLES,
        SLACK_CLIENT_ID=CLIENT_ID,
        SLACK_CLIENT_SECRET=CLIENT_SECRET,
        SLACK_SIGNING_SECRET=SIGNING_SECRET,
        SLACK_API_URL=app.standin.api_url,
        DATABASE_URL=settings.database_url,
        CIRCLES_NOTES_KEY=NOTES_KEY,
    )
    assert result.returncode == 0, result.stderr
    assert "Traceback" not in result.stderr
    return result.stdout


def as_shown(app: OAuthApp, posted: Call) -> dict[str, Any]:
    """A posted message as it now stands in its conversation."""
    channel, ts = posted.response["channel"], posted.response["ts"]
    [message] = [m for m in app.standin.messages(channel) if m["ts"] == ts]
    return message


def org_token(app: OAuthApp) -> str:
    [installation] = app.rows("slack_installations")
    token: str = installation.bot_token
    return token


def configure(app: OAuthApp) -> None:
    """The facilitator sets pgy1 up in its settings form: coach and learner pairs, weekly from today."""
    app.standin.clear()
    config = app.signer.slash_command(
        "cohort config pgy1", user_id=FACILITATOR, team_id=T1, enterprise_id=ORG, is_enterprise_install=True
    )
    app.post(config)
    [opened] = app.standin.wait_for("views.open", timeout=10)
    view = opened.args["view"]
    changes = {
        "pairing_mode": "coach_learner",
        "circle_min_size": "3",
        "circle_max_size": "3",
        "timezone": "UTC",
        "prompt_weekday": str(YESTERDAY.weekday()),
        "prompt_local_time": "09:00",
        "checkin_every_weeks": "1",
        "starts_on": MATCHED.isoformat(),
    }
    app.standin.clear()
    submit = app.signer.view_submission(
        ids.COHORT_CONFIG_VIEW,
        user_id=FACILITATOR,
        team_id=T1,
        values=submitted_values(view, changes),
        private_metadata=view["private_metadata"],
        enterprise_id=ORG,
        is_enterprise_install=True,
    )
    assert app.post(submit)[0] == 200
    [told] = app.standin.wait_for("views.update", timeout=10)
    assert "Saved the settings" in json.dumps(told.args["view"])


def match(app: OAuthApp) -> None:
    """`/circles match pgy1 preview`, Confirm, then the round is created in Slack."""
    preview = say(app, "match pgy1 preview", FACILITATOR)
    run_id = next(e["value"] for b in preview.args["blocks"] if b["type"] == "actions" for e in b["elements"])
    app.standin.clear()
    press(app, ids.MATCH_CONFIRM, FACILITATOR, run_id)
    app.standin.wait_for("response_url", timeout=10)
    app.standin.clear()
    for _ in range(20):  # creation goes step by step through the outbox
        send_outbox(app)
        with app.db.reading() as reading:
            if reading.session.scalars(select(MatchRun.status)).one() is RunStatus.COMPLETE:
                break
    with app.db.unit_of_work() as uow:  # matched a week before yesterday (see MATCHED)
        for row in uow.session.scalars(select(Partnership)):
            row.started_at = row.health_due_at = at(MATCHED, 8)
        for circle in uow.session.scalars(select(Circle)):
            circle.created_at = at(MATCHED, 8)
        uow.commit()


def spanning(app: OAuthApp) -> tuple[list[set[str]], list[set[str]]]:
    """The round's circles and pairs, as sets of people."""
    with app.db.reading() as reading:
        session = reading.session
        user = {m.id: m.slack_user_id for m in session.scalars(select(Member))}
        circles: dict[int, set[str]] = {}
        for row in session.scalars(select(CircleMembership)):
            circles.setdefault(row.circle_id, set()).add(user[row.member_id])
        pairs = [
            {user[p.first_member_id], user[p.second_member_id]} for p in session.scalars(select(Partnership))
        ]
    return list(circles.values()), pairs


def partners_of(pairs: list[set[str]], guide: str) -> list[str]:
    return [user for pair in pairs if guide in pair for user in pair - {guide}]


def answer_low(app: OAuthApp, posts: list[Call], user: str, pair: set[str]) -> None:
    """Tap a rating of 1 on the check-in about this pair, in user's DM."""
    (partner,) = pair - {user}
    dm = next(c for c in posts if c.args["channel"] == user and f"<@{partner}>" in c.args.get("text", ""))
    message = as_shown(app, dm)
    buttons = [e for b in message["blocks"] if b["type"] == "actions" for e in b["elements"]]
    value = next(e["value"] for e in buttons if e["action_id"] == f"{ids.CHECKIN_RATE}_1")
    press(app, f"{ids.CHECKIN_RATE}_1", user, value, channel_id=dm.response["channel"], message=message)
