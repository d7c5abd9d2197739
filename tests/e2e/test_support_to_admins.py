"""`/circles support <message>` over the real app when the cohort's only facilitator is the member's coach:
the people who run Circles here hear it, the coach never does, and the member is told so naming nobody."""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import replace
from datetime import UTC, datetime

from sqlalchemy import delete, select

from bot.deps import build_deps
from bot.dispatch import DispatchOptions, dispatch
from bot.pacing import Pacer
from circles.persistence.models import Cohort, Facilitator
from tests import factories
from tests.e2e.conftest import RunningApp, coaching_pair

ADMIN = "U0ADM"
WORDS = "MARKER-it-is-about-my-coach"


def posted_to(app: RunningApp, user: str) -> list[str]:
    calls = app.standin.calls("chat.postMessage", lambda call: call.args.get("channel") == user)
    return [json.dumps(call.args) for call in calls]


def coached_by_the_only_facilitator(serve_app: Callable[..., RunningApp]) -> RunningApp:
    """The learner's coach is the only facilitator of their cohort, and an admin too."""
    app = serve_app(circles_admins=frozenset({ADMIN, "U0COACH"}))
    coaching_pair(app, users=(ADMIN,))
    with app.db.unit_of_work() as uow:
        uow.session.execute(delete(Facilitator))
        factories.facilitator(uow.session, uow.session.scalars(select(Cohort)).one(), "U0COACH")
        uow.commit()
    return app


def test_support_only_the_members_coach_could_facilitate_reaches_an_admin_and_never_the_coach(
    serve_app: Callable[..., RunningApp],
) -> None:
    app = coached_by_the_only_facilitator(serve_app)
    status, _ = app.post(app.signer.slash_command(f"support {WORDS}", user_id="U0LEARN"))
    assert status == 200
    [answer] = app.standin.wait_for("response_url")
    app.settled()
    said = json.dumps(answer.args)
    assert "the people who run Circles here" in said
    assert "no facilitator" not in said
    assert "contact whoever runs your programme" not in said
    assert ADMIN not in said
    assert "U0COACH" not in said
    deps = replace(build_deps(app.settings, app.db), pacer=Pacer.unpaced())
    dispatch(deps, datetime.now(UTC), options=DispatchOptions(look_up_dnd=False))
    [to_admin] = posted_to(app, ADMIN)
    assert WORDS in to_admin
    assert all(WORDS not in shown for shown in posted_to(app, "U0COACH"))
