"""`/circles match`: preview, confirm, creation in Slack, later rounds and interrupted runs, over HTTP."""

from __future__ import annotations

import json
import re
import time
from collections.abc import Callable
from itertools import combinations

import pytest
from sqlalchemy import select

from bot import ids
from bot.deps import Deps
from bot.dispatch import DispatchOptions, dispatch
from bot.pacing import Pacer, SlackLimits
from circles.domain.match_vocabulary import RunStatus, StepStatus
from circles.domain.vocabulary import MeetingPlace, OutboxStatus, PairingMode, Role
from circles.persistence.models import (
    Circle,
    CircleMembership,
    CreationStep,
    MatchRun,
    Member,
    OutboxMessage,
    Partnership,
)
from standin import Call
from tests import factories
from tests.e2e.conftest import RunningApp

FACILITATOR = "U0FAC"


def seed(
    app: RunningApp, people: dict[str, Role], mode: PairingMode, size: tuple[int, int], place: MeetingPlace
) -> None:
    with app.db.unit_of_work() as uow:
        ws = factories.workspace(uow.session)
        co = factories.cohort(uow.session, ws, "pgy1", "PGY-1")
        co.pairing_mode, co.meeting_place = mode, place
        co.circle_min_size, co.circle_max_size = size
        # The rows go in at the commit, a few INSERTs for all of them: nothing here reads their ids.
        factories.facilitator(uow.session, co, FACILITATOR, flush=False)
        for index, (user, role) in enumerate(people.items()):
            factories.member(uow.session, co, user, role, flush=False)
            profile = factories.profile(uow.session, ws, user, timezone="America/Chicago", flush=False)
            profile.department = ("Surgery", "Medicine", "Paediatrics")[index % 3]
            profile.interests = ("feedback teaching", "cardiology research", "wellbeing")[index % 3]
            if role.guides:
                profile.capacity, profile.skills = 2, "feedback cardiology"
        uow.commit()
    for user in (FACILITATOR, *people):
        app.standin.add_user(user)


@pytest.fixture
def app(serve_app: Callable[..., RunningApp]) -> RunningApp:
    return serve_app(sending=True)


def command(app: RunningApp, text: str) -> Call:
    app.standin.clear()
    app.post(app.signer.slash_command(text, user_id=FACILITATOR))
    [answer] = app.standin.wait_for("response_url", timeout=10)
    return answer


def until_done(app: RunningApp) -> None:
    app.standin.wait_for(
        "chat.update",
        timeout=20,
        predicate=lambda c: "Done:" in json.dumps(c.args) or "slow down" in json.dumps(c.args),
    )


def groups(app: RunningApp, round_number: int) -> list[set[str]]:
    with app.db.unit_of_work() as uow:
        rows = uow.session.execute(
            select(Circle.id, Member.slack_user_id)
            .join(CircleMembership, CircleMembership.circle_id == Circle.id)
            .join(Member, Member.id == CircleMembership.member_id)
            .where(Circle.round == round_number)
        ).all()
    found: dict[int, set[str]] = {}
    for circle_id, user in rows:
        found.setdefault(circle_id, set()).add(user)
    return list(found.values())


NINE = {f"U0P{i}": Role.PEER for i in range(1, 10)}
COACHING = {"U0C1": Role.COACH, "U0C2": Role.COACH, **{f"U0L{i}": Role.LEARNER for i in range(1, 7)}}


def test_preview_shows_circles_pairs_and_the_unmatched_and_creates_nothing(app: RunningApp) -> None:
    seed(app, COACHING, PairingMode.COACH_LEARNER, (3, 4), MeetingPlace.PRIVATE_CHANNEL)
    answer = command(app, "match pgy1 preview")
    text = json.dumps(answer.args, ensure_ascii=False)
    assert answer.args["response_type"] == "ephemeral"
    assert "circles" in text
    assert "4 pairs" in text  # two coaches with room for two each
    assert "Not matched this round" in text  # two learners wait for room
    assert "Conflicts: 0" in text
    assert ids.MATCH_CONFIRM in text
    assert app.standin.calls("conversations.create") == []
    with app.db.unit_of_work() as uow:
        assert uow.session.scalars(select(Circle)).all() == []


def test_confirm_creates_exactly_the_preview_in_slack_with_kickoffs(app: RunningApp) -> None:
    seed(app, COACHING, PairingMode.COACH_LEARNER, (3, 4), MeetingPlace.PRIVATE_CHANNEL)
    preview = command(app, "match pgy1 preview")
    run_id = next(e["value"] for b in preview.args["blocks"] if b["type"] == "actions" for e in b["elements"])
    app.standin.clear()
    app.post(
        app.signer.block_action(
            ids.MATCH_CONFIRM, user_id=FACILITATOR, value=run_id, response_url=app.standin.response_url("c")
        )
    )
    until_done(app)
    circles = groups(app, 1)
    created = app.standin.calls("conversations.create")
    assert len(created) == len(circles)
    assert all(call.args["is_private"] in (True, "true", "1") for call in created)
    invited = [set(call.args["users"].split(",")) for call in app.standin.calls("conversations.invite")]
    assert sorted(map(sorted, invited)) == sorted(map(sorted, circles))
    kickoffs = [
        c
        for c in app.standin.calls("chat.postMessage")
        if (c.args.get("metadata") or {}).get("event_type") == "circles_kickoff"
    ]
    with app.db.unit_of_work() as uow:
        pairs = uow.session.scalars(select(Partnership)).all()
        assert all(c.conversation_id for c in uow.session.scalars(select(Circle)))
        assert uow.session.scalars(select(MatchRun.status)).one() is RunStatus.COMPLETE
    assert len(kickoffs) == len(circles) + len(pairs)
    assert len(pairs) == 4
    assert (
        len(app.standin.calls("conversations.open")) == 4
    )  # a group DM per pair (the facilitator's DM aside)
    assert "This week's reflection" in json.dumps(kickoffs[0].args)


def test_confirm_pressed_again_once_the_round_is_ready_says_so_and_creates_nothing(app: RunningApp) -> None:
    seed(app, COACHING, PairingMode.COACH_LEARNER, (3, 4), MeetingPlace.PRIVATE_CHANNEL)
    preview = command(app, "match pgy1 preview")
    run_id = next(e["value"] for b in preview.args["blocks"] if b["type"] == "actions" for e in b["elements"])
    press = app.signer.block_action(
        ids.MATCH_CONFIRM, user_id=FACILITATOR, value=run_id, response_url=app.standin.response_url("c")
    )
    app.post(press)
    until_done(app)
    app.standin.clear()
    app.post(
        app.signer.block_action(
            ids.MATCH_CONFIRM, user_id=FACILITATOR, value=run_id, response_url=app.standin.response_url("c")
        )
    )
    [answer] = app.standin.wait_for("response_url", timeout=10)
    assert "was confirmed earlier and is ready" in answer.args["text"]
    assert "creating it now" not in answer.args["text"]
    assert not app.standin.calls("conversations.create")


def test_a_second_round_repeats_nobody(app: RunningApp) -> None:
    seed(app, NINE, PairingMode.NONE, (3, 3), MeetingPlace.GROUP_DM)
    command(app, "match pgy1")
    app.standin.wait_for("chat.update", timeout=20, predicate=lambda c: "Done:" in c.args.get("text", ""))
    app.standin.clear()
    command(app, "match pgy1")
    app.standin.wait_for("chat.update", timeout=20, predicate=lambda c: "Done:" in c.args.get("text", ""))
    first = {frozenset(p) for g in groups(app, 1) for p in combinations(sorted(g), 2)}
    second = {frozenset(p) for g in groups(app, 2) for p in combinations(sorted(g), 2)}
    assert len(groups(app, 2)) == 3
    assert first.isdisjoint(second)


@pytest.mark.parametrize("fault", ["ratelimited", "server_error"])
def test_an_interrupted_creation_carries_on_by_itself_without_creating_anything_twice(
    app: RunningApp, fault: str
) -> None:
    seed(app, NINE, PairingMode.NONE, (3, 3), MeetingPlace.PRIVATE_CHANNEL)
    if fault == "ratelimited":
        app.standin.fail("conversations.invite", status=429, retry_after=0, times=3)
    else:
        app.standin.error("conversations.invite", "internal_error", times=1)
    command(app, "match pgy1")
    until_done(app)
    assert_created_once(app)


def run_status(app: RunningApp) -> RunStatus | None:
    with app.db.unit_of_work() as uow:
        return uow.session.scalars(select(MatchRun.status)).first()


def assert_created_once(app: RunningApp) -> None:
    names = [c.name for c in app.standin.workspace.channels.values() if c.name.startswith("circle-pgy1")]
    assert sorted(names) == ["circle-pgy1-r1-1", "circle-pgy1-r1-2", "circle-pgy1-r1-3"]  # each exactly once
    with app.db.unit_of_work() as uow:
        assert {s for s in uow.session.scalars(select(CreationStep.status))} == {StepStatus.DONE}
        assert len(uow.session.scalars(select(Circle)).all()) == 3
        assert uow.session.scalars(select(MatchRun.status)).one() is RunStatus.COMPLETE


def test_matching_again_while_a_round_waits_to_be_created_revives_it_and_creates_nothing_twice(
    serve_app: Callable[..., RunningApp],
) -> None:
    app = serve_app()  # no dispatcher running: the round waits in the outbox, as when every worker is down
    seed(app, NINE, PairingMode.NONE, (3, 3), MeetingPlace.PRIVATE_CHANNEL)
    command(app, "match pgy1")
    deadline = time.monotonic() + 10
    while run_status(app) is not RunStatus.CONFIRMED and time.monotonic() < deadline:
        time.sleep(0.05)  # the preview is answered first, then the round is confirmed
    assert run_status(app) is RunStatus.CONFIRMED
    with app.db.unit_of_work() as uow:
        first = uow.session.scalars(select(OutboxMessage).order_by(OutboxMessage.id)).all()[1]
        first.status, first.attempts, first.last_error = OutboxStatus.FAILED, 8, "gave up after 8 attempts"
        uow.commit()
    answer = command(app, "match pgy1")
    assert "Finishing round 1" in json.dumps(answer.args)
    assert app.standin.calls("conversations.create") == []
    deps = Deps(settings=app.settings, db=app.db, pacer=Pacer.unpaced())
    dispatch(deps, deps.clock(), options=DispatchOptions(limits=SlackLimits.none()))
    until_done(app)
    assert_created_once(app)


def test_a_deactivated_member_is_reported_and_the_others_are_invited(app: RunningApp) -> None:
    seed(app, NINE, PairingMode.NONE, (3, 3), MeetingPlace.PRIVATE_CHANNEL)
    app.standin.add_user("U0P5", deleted=True)
    command(app, "match pgy1")
    app.standin.wait_for("chat.update", timeout=20, predicate=lambda c: "Done:" in c.args.get("text", ""))
    with app.db.unit_of_work() as uow:
        results = [
            s.result
            for s in uow.session.scalars(select(CreationStep))
            if s.result and "not_invited" in s.result
        ]
    assert [r["not_invited"] for r in results] == [{"U0P5": "cant_invite"}]
    [circle] = [name for name, users in circle_names(app).items() if "U0P5" in users]
    told = [c.args["text"] for c in app.standin.calls("chat.update") if "Done:" in c.args["text"]]
    assert f"<@U0P5> could not be added to *{circle}* (cant_invite)" in told[-1]


def circle_names(app: RunningApp) -> dict[str, set[str]]:
    with app.db.unit_of_work() as uow:
        rows = uow.session.execute(
            select(Circle.name, Member.slack_user_id)
            .join(CircleMembership, CircleMembership.circle_id == Circle.id)
            .join(Member, Member.id == CircleMembership.member_id)
        ).all()
    found: dict[str, set[str]] = {}
    for name, user in rows:
        found.setdefault(name, set()).add(user)
    return found


def test_the_facilitators_dm_shows_circles_becoming_ready_then_done(app: RunningApp) -> None:
    seed(app, NINE, PairingMode.NONE, (3, 3), MeetingPlace.GROUP_DM)
    # One circle's conversation at a time, slowly: each kind of call now goes at its own limit, so the
    # stand-in's limit (one a second) is what keeps them apart.
    app.standin.rate_limit("conversations.open", per_second=1)
    command(app, "match pgy1")
    until_done(app)
    [posted] = [c for c in app.standin.calls("chat.postMessage") if c.args["channel"] == FACILITATOR]
    updates = [c.args["text"] for c in app.standin.calls("chat.update")]
    assert posted.args["text"].startswith("Creating: round 1 of *PGY-1* — ")
    assert any(
        re.match(r"Creating: round 1 of \*PGY-1\* — [12] of 3 circles and pairs ready…", u) for u in updates
    )
    assert updates[-1] == "Done: round 1 of *PGY-1* — 3 of 3 circles and pairs ready."


def test_a_channel_left_by_an_earlier_crash_is_reused_and_a_stranger_channel_is_not(app: RunningApp) -> None:
    seed(app, NINE, PairingMode.NONE, (3, 3), MeetingPlace.PRIVATE_CHANNEL)
    app.standin.add_channel("C0OURS", "circle-pgy1-r1-1", is_private=True)  # the app is in it: ours
    stranger = app.standin.add_channel("C0THEIRS", "circle-pgy1-r1-2", is_private=True)
    stranger.members.remove(stranger.creator)  # someone else's channel, the app not in it
    command(app, "match pgy1")
    app.standin.wait_for("chat.update", timeout=20, predicate=lambda c: "Done:" in c.args.get("text", ""))
    with app.db.unit_of_work() as uow:
        channels = sorted(c.conversation_id or "" for c in uow.session.scalars(select(Circle)))
    assert "C0OURS" in channels
    assert "C0THEIRS" not in channels


def test_a_stale_preview_is_refused_and_a_fresh_one_offered(app: RunningApp) -> None:
    seed(app, NINE, PairingMode.NONE, (3, 3), MeetingPlace.GROUP_DM)
    preview = command(app, "match pgy1 preview")
    run_id = next(e["value"] for b in preview.args["blocks"] if b["type"] == "actions" for e in b["elements"])
    with app.db.unit_of_work() as uow:
        co_id = uow.session.scalars(select(Member.cohort_id)).first()
        assert co_id is not None
        from circles.persistence.models import Cohort

        factories.member(uow.session, uow.session.get_one(Cohort, co_id), "U0LATE", Role.PEER)
        uow.commit()
    app.standin.clear()
    app.post(
        app.signer.block_action(
            ids.MATCH_CONFIRM, user_id=FACILITATOR, value=run_id, response_url=app.standin.response_url("c")
        )
    )
    answers = app.standin.wait_for("response_url", count=2)
    assert "changed since" in json.dumps(answers[0].args)
    assert ids.MATCH_CONFIRM in json.dumps(answers[1].args)
    assert app.standin.calls("conversations.open") == []


def test_only_facilitators_match_and_confirm(app: RunningApp) -> None:
    seed(app, NINE, PairingMode.NONE, (3, 3), MeetingPlace.GROUP_DM)
    app.post(app.signer.slash_command("match pgy1 preview", user_id="U0P1"))
    [refused] = app.standin.wait_for("response_url")
    assert "Only the facilitators" in json.dumps(refused.args)
    preview = command(app, "match pgy1 preview")
    run_id = next(e["value"] for b in preview.args["blocks"] if b["type"] == "actions" for e in b["elements"])
    app.standin.clear()
    app.post(
        app.signer.block_action(
            ids.MATCH_CONFIRM, user_id="U0P1", value=run_id, response_url=app.standin.response_url("x")
        )
    )
    [answer] = app.standin.wait_for("response_url")
    assert "Only the facilitators" in json.dumps(answer.args)
    with app.db.unit_of_work() as uow:
        assert uow.session.scalars(select(Circle)).all() == []


def test_kickoffs_are_posted_when_slack_lets_the_app_read_no_history(app: RunningApp) -> None:
    seed(app, NINE, PairingMode.NONE, (3, 3), MeetingPlace.PRIVATE_CHANNEL)
    app.standin.error("conversations.history", "missing_scope", times=None)  # as Slack answers without scopes
    command(app, "match pgy1")
    app.standin.wait_for("chat.update", timeout=20, predicate=lambda c: "Done:" in c.args.get("text", ""))
    kickoffs = [
        c
        for c in app.standin.calls("chat.postMessage")
        if (c.args.get("metadata") or {}).get("event_type") == "circles_kickoff"
    ]
    assert len(kickoffs) == 3
