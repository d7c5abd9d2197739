"""A facilitator who has left the workspace (Slack answers `user_disabled`): what was for them reaches
someone who can act, over the real app, once, and never the member's partner."""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import replace
from datetime import UTC, datetime

from sqlalchemy import delete, select

from bot.deps import Deps, build_deps
from bot.dispatch import DispatchOptions, dispatch
from bot.pacing import Pacer
from bot.tick import run_tick
from circles.domain.vocabulary import OutboxStatus
from circles.persistence.models import Escalation, Facilitator, OutboxMessage, Workspace
from circles.services.escalations.open import open_escalations
from tests import escalation_world as w
from tests import factories
from tests.e2e.conftest import RunningApp, coaching_pair
from tests.escalation_world import SHARED_NOTE

ADMIN = "U0ADM"
WORDS = "MARKER-my-rota-is-too-much"


def deps_of(app: RunningApp) -> Deps:
    return replace(build_deps(app.settings, app.db), pacer=Pacer.unpaced())


def posted_to(app: RunningApp, user: str) -> list[str]:
    """What each message the app posted to this person's DM showed, as one text each."""
    calls = app.standin.calls("chat.postMessage", lambda call: call.args.get("channel") == user)
    return [json.dumps(call.args) for call in calls]


def reachable_learner(app: RunningApp) -> None:
    """The learner keeps no quiet hours: their notice goes at once whatever the hour the test runs."""
    with app.db.unit_of_work() as uow:
        workspace = uow.session.scalars(select(Workspace)).one()
        factories.profile(uow.session, workspace, "U0LEARN", "UTC").quiet_hours = ""
        uow.commit()


def support_asked_of_a_facilitator_who_left(serve_app: Callable[..., RunningApp]) -> RunningApp:
    """The learner asks for support; their only facilitator has left the workspace, and their partner is
    an admin too."""
    app = serve_app(circles_admins=frozenset({ADMIN, "U0COACH"}))
    coaching_pair(app, users=(ADMIN,))
    reachable_learner(app)
    app.standin.refuse_dm("U0FAC", "user_disabled")
    assert app.post(app.signer.slash_command(f"support pgy1 {WORDS}", user_id="U0LEARN"))[0] == 200
    app.settled()
    return app


def test_a_support_request_to_a_facilitator_who_left_reaches_an_admin_once_and_not_the_partner(
    serve_app: Callable[..., RunningApp],
) -> None:
    app = support_asked_of_a_facilitator_who_left(serve_app)
    deps = deps_of(app)
    for _ in range(3):  # the pass that meets the refusal, the next one, and one more that finds nothing
        dispatch(deps, datetime.now(UTC), options=DispatchOptions(look_up_dnd=False))
    [to_admin] = posted_to(app, ADMIN)
    assert WORDS in to_admin
    assert all(WORDS not in shown for shown in posted_to(app, "U0COACH"))
    with app.db.unit_of_work() as uow:
        rows = uow.session.scalars(select(OutboxMessage).order_by(OutboxMessage.id)).all()
        assert [(row.channel, row.status, row.last_error) for row in rows] == [
            ("U0FAC", OutboxStatus.FAILED, "user_disabled"),
            (ADMIN, OutboxStatus.SENT, None),
            ("U0LEARN", OutboxStatus.SENT, None),  # the member's notice, below
        ]


def test_a_member_whose_facilitator_left_is_told_once_who_has_their_request_without_their_words(
    serve_app: Callable[..., RunningApp],
) -> None:
    app = support_asked_of_a_facilitator_who_left(serve_app)
    deps = deps_of(app)
    for _ in range(3):
        dispatch(deps, datetime.now(UTC), options=DispatchOptions(look_up_dnd=False))
    [told] = posted_to(app, "U0LEARN")
    assert f"<@{ADMIN}>" in told
    assert "administrators" in told
    assert WORDS not in told
    assert "<@U0COACH>" not in told
    assert "<@U0FAC>" not in told


def test_an_alert_whose_only_facilitator_left_reaches_the_admins_at_the_next_tick(
    serve_app: Callable[..., RunningApp],
) -> None:
    app = serve_app(circles_admins=frozenset({ADMIN}))
    with app.db.unit_of_work() as uow:
        world = w.build(uow.session)
        uow.session.execute(delete(Facilitator).where(Facilitator.cohort_id == world.cohort_id))
        uow.session.add(
            Facilitator(
                workspace_id=world.workspace_id,
                cohort_id=world.cohort_id,
                slack_user_id="U0GONE",
                added_at=w.at(),
            )
        )
        uow.commit()
    for user in ("U0GONE", ADMIN, "U0COACH", "U0LEARN"):
        app.standin.add_user(user)
    app.standin.refuse_dm("U0GONE", "user_disabled")
    deps = deps_of(app)
    now = datetime.now(UTC)
    with app.db.unit_of_work() as uow:  # the health step's concern, as the watch hands it over
        open_escalations(uow.session, [w.struggling(world.partnership_id)], now, decrypt=w.unseal)
        uow.commit()
    run_tick(deps, now)  # its follow-up is set two days on; the alert's DM is refused
    assert posted_to(app, ADMIN) == []
    run_tick(deps, datetime.now(UTC))  # the next tick: the admins, at once
    run_tick(deps, datetime.now(UTC))
    [to_admin] = posted_to(app, ADMIN)
    with app.db.unit_of_work() as uow:
        escalation_id = uow.session.scalars(select(Escalation.id)).one()
    assert f'"key": "escalation:{escalation_id}:{ADMIN}:admins1"' in to_admin
    assert SHARED_NOTE not in to_admin
