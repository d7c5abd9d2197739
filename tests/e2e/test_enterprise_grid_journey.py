"""Enterprise Grid from start to finish: a cohort of two workspaces of one organisation is created, joined,
matched in group DMs, prompted, checked in and escalated, all with the organisation's one token."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import select

from bot import ids
from circles.persistence.models import Circle, Escalation, Member, Profile, Workspace
from standin import Call, SlackStandIn
from tests import factories
from tests.e2e.grid_journey import (
    COACH,
    FACILITATOR,
    LOW,
    NORTH,
    SOUTH,
    STRANGER,
    YESTERDAY,
    answer_low,
    as_shown,
    at,
    circles_tick,
    configure,
    join,
    match,
    org_token,
    partners_of,
    press,
    say,
    shown,
    spanning,
    team_of,
)
from tests.e2e.test_enterprise_grid import ORG, OTHER_ORG, T1, T2, T3, install_org, members
from tests.e2e.test_oauth import OAuthApp, served_oauth


@pytest.fixture
def grid(standin: SlackStandIn, any_database: str, monkeypatch: pytest.MonkeyPatch) -> Iterator[OAuthApp]:
    """The organisation installed org-wide; pgy1 created by a T1 admin and joined from T1 and T2."""
    with served_oauth(standin, any_database, monkeypatch) as oauth_app:
        yield settled_in(oauth_app)


def settled_in(oauth_app: OAuthApp) -> OAuthApp:
    """Install org-wide, create and set up pgy1, and have its six people join from their workspaces."""
    install_org(oauth_app, ORG, {T1: [FACILITATOR, *NORTH], T2: list(SOUTH)})
    oauth_app.standin.workspace.users[FACILITATOR].is_admin = True
    created = shown(say(oauth_app, "cohort create pgy1 PGY-1 residents", FACILITATOR))
    assert "pgy1" in created
    configure(oauth_app)
    for user in (*NORTH, *SOUTH):  # where the cohort is (a join keeps each one's zone): one tick reaches all
        oauth_app.standin.workspace.users[user].tz = "UTC"
    for user in (*NORTH, *SOUTH):
        join(oauth_app, user, "coach" if user == COACH else "learner")
    with oauth_app.db.unit_of_work() as uow:  # as the coach's profile form saves it
        tenant = uow.session.scalars(select(Workspace).where(Workspace.team_id == ORG)).one()
        profile = uow.session.scalars(select(Profile).where(Profile.slack_user_id == COACH)).first()
        (profile or factories.profile(uow.session, tenant, COACH)).capacity = 2
        # Muted, as the digest's own button does: the coach's digest (weekdays, eight hours from the cohort's
        # 09:00, in UTC here) would otherwise come with the tick that opens the alert whenever the test runs
        # in those hours, beside the one card that tick is to send.
        coach = uow.session.scalars(select(Member).where(Member.slack_user_id == COACH)).one()
        coach.nudges_muted_until = datetime.now(UTC) + timedelta(days=30)
        uow.commit()
    return oauth_app


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
    printed = circles_tick(grid, at(YESTERDAY, 9, 5))  # a week on: the circle prompt and the first check-ins
    assert "messages failed: 0" in printed
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
    assert "escalations opened: 1" in circles_tick(grid, datetime.now(UTC))  # the watch sees two 1s
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
