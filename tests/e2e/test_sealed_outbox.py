"""A shared note waits in the outbox sealed, on SQLite and PostgreSQL, and still reaches the facilitator.

Lee answers a check-in through the real app with a shared note and a call for support; the health step
(played here) opens an alert that quotes the note. Before the dispatcher runs, the outbox column holds
the note nowhere; the dispatcher then sends both messages in full to Fay, and nothing of it stays.
"""

from __future__ import annotations

import json
import time
from collections.abc import Callable
from dataclasses import replace

from sqlalchemy import select, text

from bot import ids
from bot.deps import build_deps, note_decrypt
from bot.dispatch import DispatchOptions, dispatch
from bot.pacing import Pacer, SlackLimits
from circles.persistence.models import CheckIn, OutboxMessage
from circles.services.escalations.open import open_escalations
from tests import escalation_world as w
from tests import factories
from tests.e2e.conftest import RunningApp
from tests.e2e.test_notes_key import NOTE, full_answer


def raw_payloads(app: RunningApp) -> list[str]:
    with app.db.engine.connect() as connection:
        return [str(payload) for (payload,) in connection.execute(text("SELECT payload FROM outbox"))]


def waiting_for(app: RunningApp, template: str) -> None:
    deadline = time.monotonic() + 10
    while time.monotonic() < deadline:
        with app.db.unit_of_work() as uow:
            if any(p.get("template") == template for p in uow.session.scalars(select(OutboxMessage.payload))):
                return
        time.sleep(0.05)
    raise AssertionError(f"no {template} in the outbox")


def test_a_shared_note_waits_sealed_and_reaches_the_facilitator_in_full(
    serve_app: Callable[..., RunningApp], any_database: str
) -> None:
    app = serve_app(database_url=any_database)
    for user in ("U0LEE", "U0ADA", "U0FAY"):
        app.standin.add_user(user)
    with app.db.unit_of_work() as uow:
        checkin_id = factories.coached_checkin(uow.session)
        uow.commit()
    shared = {ids.CHECKIN_SHARE: True, ids.CHECKIN_SUPPORT: True}
    assert app.post(full_answer(app.signer, checkin_id, **shared)) == (200, b"")
    waiting_for(app, "support_request")
    deps = replace(build_deps(app.settings, app.db), pacer=Pacer.unpaced())
    with app.db.unit_of_work() as uow:
        answered = uow.session.get_one(CheckIn, checkin_id)
        open_escalations(
            uow.session, [w.struggling(answered.partnership_id)], w.at(), decrypt=note_decrypt(deps)
        )
        uow.commit()
    app.settled()
    app.standin.clear()

    waiting = raw_payloads(app)
    assert any('"escalation"' in payload or "'escalation'" in payload for payload in waiting)
    assert not [payload for payload in waiting if NOTE in payload or "rota" in payload]

    dispatch(deps, deps.clock(), options=DispatchOptions(limits=SlackLimits.none()))
    to_fay = [c for c in app.standin.calls("chat.postMessage") if c.args.get("channel") == "U0FAY"]
    assert len(to_fay) == 2  # the support request and the alert
    assert all(NOTE in json.dumps(call.args.get("blocks"), ensure_ascii=False) for call in to_fay)
    assert not [c for c in app.standin.calls("chat.postMessage") if c.args.get("channel") != "U0FAY"]
    assert not [payload for payload in raw_payloads(app) if NOTE in payload or "rota" in payload]
