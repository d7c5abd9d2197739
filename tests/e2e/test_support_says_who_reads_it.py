"""Over real HTTP, a member is told who will read their words before they write them: the form of a learner
whose only facilitator is their own coach says the people who run Circles will, and they do; the answer to
what someone types never says a cohort has no facilitator when it has one who may not hear them."""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import replace
from datetime import UTC, datetime, timedelta

from sqlalchemy import delete, select

from bot import ids
from bot.deps import build_deps
from bot.dispatch import DispatchOptions, dispatch
from bot.pacing import Pacer
from circles.domain.vocabulary import Role
from circles.persistence.models import AwayBlock, Cohort, Facilitator
from tests import factories
from tests.e2e.conftest import RunningApp, coaching_pair
from tests.e2e.test_support_form import opened_form, submit
from tests.e2e.test_typed_messages import typed

ADMIN = "U0ADM"
WORDS = "It is about my coach and my rota"
RUNNERS = "the people who run Circles in this workspace"


def test_the_form_of_a_learner_coached_by_the_only_facilitator_says_the_admins_read_it_and_they_do(
    serve_app: Callable[..., RunningApp],
) -> None:
    app = serve_app(circles_admins=frozenset({ADMIN}))
    coaching_pair(app, users=(ADMIN,))
    with app.db.unit_of_work() as uow:  # the learner's coach is the cohort's only facilitator
        uow.session.execute(delete(Facilitator))
        factories.facilitator(uow.session, uow.session.scalars(select(Cohort)).one(), "U0COACH")
        uow.commit()
    assert app.post(app.signer.slash_command("support", user_id="U0LEARN"))[0] == 200
    view = opened_form(app)
    first = view["blocks"][0]["text"]["text"]
    assert first.startswith(
        f"No facilitator of *PGY-1* can take your message, so it goes privately to {RUNNERS}"
    )
    assert "Only the facilitators see" not in json.dumps(view)
    assert "U0COACH" not in first
    submit(app, view, "U0LEARN", **{ids.SUPPORT_MESSAGE: WORDS})
    app.settled()
    dispatch(
        replace(build_deps(app.settings, app.db), pacer=Pacer.unpaced()),
        datetime.now(UTC),
        options=DispatchOptions(look_up_dnd=False),
    )
    posted = app.standin.calls("chat.postMessage")
    assert any(WORDS in json.dumps(c.args) for c in posted if c.args.get("channel") == ADMIN)
    assert not any(WORDS in json.dumps(c.args) for c in posted if c.args.get("channel") == "U0COACH")


def test_the_answer_to_someone_whose_only_facilitator_is_away_says_none_can_take_it_not_that_there_is_none(
    serve_app: Callable[..., RunningApp],
) -> None:
    app = serve_app(sending=True)
    now = datetime.now(UTC)
    with app.db.unit_of_work() as uow:
        ws = factories.workspace(uow.session)
        co = factories.cohort(uow.session, ws, "pgy1", "PGY-1")
        factories.facilitator(uow.session, co, "U0FAY")
        factories.member(uow.session, co, "U0LEE", Role.LEARNER)
        away = AwayBlock(
            workspace_id=ws.id,
            slack_user_id="U0FAY",
            starts_at=now - timedelta(days=1),
            ends_at=now + timedelta(days=6),
            kind="away",
            cohort_id=None,
            created_by="U0FAY",
            created_at=now,
        )
        uow.session.add(away)
        uow.commit()
    for user in ("U0LEE", "U0FAY"):
        app.standin.add_user(user)
    assert app.post(app.signer.event(typed(user="U0LEE"))) == (200, b"")
    [answer] = app.standin.wait_for("chat.postMessage", timeout=5)
    app.settled()
    shown = json.dumps(answer.args, ensure_ascii=False)
    assert "it has no facilitator" not in shown
    assert "for *PGY-1* yet: none of its facilitators can take one from you." in shown
    assert "away" not in shown  # nor why
