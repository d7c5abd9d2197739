"""Enterprise Grid from start to finish: a cohort of two workspaces of one organisation is created, joined,
matched in group DMs, prompted, checked in and escalated, all with the organisation's one token."""

from __future__ import annotations

import json
from datetime import UTC, date, datetime, time, timedelta
from typing import Any

import pytest
from sqlalchemy import select

from bot import ids
from bot.dispatch import DispatchOptions
from bot.pacing import SlackLimits
from bot.tick import run_tick
from circles.persistence.models import (
    Circle,
    CircleMembership,
    Escalation,
    Member,
    Partnership,
    Profile,
    Workspace,
)
from standin import Call
from standin.forms import submitted_values
from tests import factories
from tests.e2e.test_enterprise_grid import ORG, OTHER_ORG, T1, T2, T3, install_org, members, send_outbox
from tests.e2e.test_oauth import OAuthApp, oauth_app  # noqa: F401 - the fixture is used by name

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


def tick(app: OAuthApp, now: datetime) -> None:
    run_tick(app.deps, now, sending=DispatchOptions(limits=SlackLimits.none(), look_up_dnd=False))


def as_shown(app: OAuthApp, posted: Call) -> dict[str, Any]:
    """A posted message as it now stands in its conversation."""
    channel, ts = posted.response["channel"], posted.response["ts"]
    [message] = [m for m in app.standin.messages(channel) if m["ts"] == ts]
    return message


def org_token(app: OAuthApp) -> str:
    [installation] = app.rows("slack_installations")
    token: str = installation.bot_token
    return token


@pytest.fixture
def grid(oauth_app: OAuthApp) -> OAuthApp:  # noqa: F811 - the fixture imported above
    """The organisation installed org-wide; pgy1 created by a T1 admin and joined from T1 and T2."""
    install_org(oauth_app, ORG, {T1: [FACILITATOR, *NORTH], T2: list(SOUTH)})
    oauth_app.standin.workspace.users[FACILITATOR].is_admin = True
    created = shown(say(oauth_app, "cohort create pgy1 PGY-1 residents", FACILITATOR))
    assert "pgy1" in created
    configure(oauth_app)
    for user in (*NORTH, *SOUTH):
        join(oauth_app, user, "coach" if user == COACH else "learner")
    with oauth_app.db.unit_of_work() as uow:  # as the coach's profile form saves it
        tenant = uow.session.scalars(select(Workspace).where(Workspace.team_id == ORG)).one()
        profile = uow.session.scalars(select(Profile).where(Profile.slack_user_id == COACH)).first()
        (profile or factories.profile(uow.session, tenant, COACH)).capacity = 2
        uow.commit()
    return oauth_app


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
    for _ in range(5):  # creation goes step by step through the outbox
        send_outbox(app)
    with app.db.unit_of_work() as uow:
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


def test_a_cohort_of_two_workspaces_is_matched_prompted_checked_in_and_escalated(grid: OAuthApp) -> None:
    assert set(members(grid)) == {*NORTH, *SOUTH}
    match(grid)
    token = org_token(grid)
    circles, pairs = spanning(grid)
    assert len(circles) == 2
    pair = next(p for p in pairs if {team_of(user) for user in p} == {T1, T2})  # the coach and a T2 learner
    (learner,) = pair - {COACH}
    opened = grid.standin.calls("conversations.open")
    assert all(call.token == token for call in grid.standin.calls())
    group_dms = {frozenset(call.args["users"].split(",")) for call in opened}
    assert group_dms == {frozenset(group) for group in (*circles, *pairs)}  # one group DM each, nothing else
    assert any({team_of(user) for user in group} == {T1, T2} for group in circles)
    assert grid.standin.calls("conversations.create") == []

    with grid.db.reading() as reading:
        circle_dms = {c.conversation_id for c in reading.session.scalars(select(Circle))}
    grid.standin.clear()
    tick(grid, at(YESTERDAY, 9, 5))  # a week on: the circle prompt and the first check-ins
    posts = grid.standin.calls("chat.postMessage")
    assert all(call.token == token and call.response["ok"] for call in posts)
    prompted = {c.args["channel"] for c in posts if "This week's reflection" in c.args.get("text", "")}
    assert prompted == circle_dms
    checked = [c.args["channel"] for c in posts if ids.CHECKIN_RATE in shown(c)]
    partners = partners_of(pairs, COACH)
    assert sorted(checked) == sorted([*[COACH] * len(partners), *partners])  # the coach, once per partner
    assert {team_of(user) for user in checked} == {T1, T2}

    grid.standin.clear()
    for user in pair:
        answer_low(grid, posts, user, pair)
    grid.standin.wait_for("chat.update", count=2, timeout=10)
    grid.standin.clear()
    tick(grid, datetime.now(UTC))  # the watch sees two ratings of 1
    with grid.db.reading() as reading:
        assert len(reading.session.scalars(select(Escalation)).all()) == 1
    [card] = grid.standin.calls("chat.postMessage")
    assert (card.args["channel"], card.token) == (FACILITATOR, token)
    assert "A partnership may need you" in shown(card)
    assert f"<@{COACH}> and <@{learner}>" in shown(card)
    assert LOW in shown(card)
    assert all(c.args.get("channel") in (FACILITATOR, None) for c in grid.standin.calls())  # nobody else
    acts_on_the_card(grid, card, learner)
    board = shown(say(grid, "health pgy1", FACILITATOR))
    assert f"*Struggling* — <@{COACH}> (coach) with <@{learner}> (learner)" in board

    outsider_asks(grid)


def acts_on_the_card(app: OAuthApp, card: Call, learner: str) -> None:
    """The facilitator reaches out from T1; the learner of T2, forging the same button, is refused."""
    dm, shown_card = card.response["channel"], as_shown(app, card)
    with app.db.reading() as reading:
        number = str(reading.session.scalars(select(Escalation.id)).one())
    app.standin.clear()
    for user in (FACILITATOR, learner):
        press(app, ids.ESCALATION_CLAIM, user, number, channel_id=dm, message=shown_card)
    answers = app.standin.wait_for("response_url", count=2, timeout=10)
    told = {call.path.rsplit("/", 1)[-1]: shown(call) for call in answers}
    assert "Only the cohort's facilitators can act on this alert" in told[learner]
    assert "Only the cohort's facilitators" not in told[FACILITATOR]
    app.standin.wait_for("chat.update", timeout=10)
    with app.db.reading() as reading:
        assert reading.session.scalars(select(Escalation.claimed_by)).one() == FACILITATOR
    for call in app.standin.calls():
        target = call.path.rsplit("/", 1)[-1] if call.method == "response_url" else call.args.get("channel")
        if target not in (FACILITATOR, dm):
            assert LOW not in shown(call), call.summary()  # the reasons stay with the facilitator


def outsider_asks(app: OAuthApp) -> None:
    """People of another organisation find nothing of the cohort, its members or its alert."""
    install_org(app, OTHER_ORG, {T3: [STRANGER]})
    app.standin.workspace.users[STRANGER].is_admin = True
    answer = shown(say(app, "join pgy1", STRANGER, org=OTHER_ORG, team=T3))
    assert "find a cohort called `pgy1`" in answer
    board = shown(say(app, "health pgy1", STRANGER, org=OTHER_ORG, team=T3))
    assert "Partnership health" not in board
    assert not any(secret in board for secret in ("PGY-1", COACH, *SOUTH))
    assert STRANGER not in members(app)


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
