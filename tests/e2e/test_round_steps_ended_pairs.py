"""A learner leaves, over HTTP, after a round was confirmed and before the dispatcher made their pair in
Slack: their former coach is never opened a conversation alone nor welcomed to it; the facilitator's
progress shows the pair as no longer needed and the round done."""

from __future__ import annotations

import time
from collections.abc import Callable

from sqlalchemy import select

from bot.deps import Deps
from bot.dispatch import DispatchOptions, dispatch
from bot.pacing import Pacer, SlackLimits
from circles.domain.match_vocabulary import RunStatus
from circles.domain.vocabulary import MeetingPlace, PairingMode, Role
from circles.persistence.models import Circle, Member, Partnership
from tests.e2e.conftest import RunningApp
from tests.e2e.test_matching import command, run_status, seed, until_done

PEOPLE = {"U0C1": Role.COACH, "U0C2": Role.COACH, **{f"U0L{i}": Role.LEARNER for i in range(1, 5)}}


def coaches(app: RunningApp) -> dict[str, str]:
    """Each paired learner's coach."""
    with app.db.unit_of_work() as uow:
        users = {m.id: m.slack_user_id for m in uow.session.scalars(select(Member))}
        pairs = uow.session.scalars(select(Partnership)).all()
        return {users[p.second_member_id]: users[p.first_member_id] for p in pairs}


def test_a_learner_who_leaves_before_their_pair_is_made_leaves_no_lonely_conversation_behind(
    serve_app: Callable[..., RunningApp],
) -> None:
    app = serve_app()  # no dispatcher yet: the round waits in the outbox while the learner leaves
    seed(app, PEOPLE, PairingMode.COACH_LEARNER, (3, 4), MeetingPlace.PRIVATE_CHANNEL)
    command(app, "match pgy1")
    deadline = time.monotonic() + 10
    while run_status(app) is not RunStatus.CONFIRMED and time.monotonic() < deadline:
        time.sleep(0.05)
    assert run_status(app) is RunStatus.CONFIRMED
    paired = coaches(app)
    learner = sorted(paired)[0]
    coach = paired[learner]
    app.standin.clear()
    assert app.post(app.signer.slash_command("leave pgy1", user_id=learner)) == (200, b"")
    app.standin.wait_for("response_url", timeout=10)
    app.settled()
    app.standin.clear()  # the leave itself looked whether the coach can be reached: no conversation made

    deps = Deps(settings=app.settings, db=app.db, pacer=Pacer.unpaced())
    dispatch(deps, deps.clock(), options=DispatchOptions(limits=SlackLimits.none()))
    until_done(app)

    opened = [set(c.args["users"].split(",")) for c in app.standin.calls("conversations.open")]
    assert {coach} not in opened
    assert not any(learner in people for people in opened)
    assert len(opened) == len(paired) - 1  # every other pair is made
    posts = app.standin.calls("chat.postMessage")
    kickoffs = [c for c in posts if (c.args.get("metadata") or {}).get("event_type") == "circles_kickoff"]
    with app.db.unit_of_work() as uow:
        circles = len(uow.session.scalars(select(Circle)).all())
    assert len(kickoffs) == circles + len(paired) - 1
    done = [c.args["text"] for c in app.standin.calls("chat.update") if "Done:" in c.args["text"]]
    ready = circles + len(paired) - 1
    assert f"{ready} of {ready + 1} circles and pairs ready, 1 no longer needed." in done[-1]
