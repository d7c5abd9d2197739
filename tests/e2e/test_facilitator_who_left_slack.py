"""A facilitator whose Slack account is deactivated, over the real app: Slack still takes messages to them
(nobody reads them), so once its `user_change` arrives a member's request for support goes to the people who
run Circles, and the member is told so, not the facilitator's name; once Slack shows the account active
again, the facilitator has the next one. An alert for a cohort whose facilitators all left reaches the
admins at once."""

from __future__ import annotations

import json
from collections.abc import Callable
from datetime import UTC, datetime
from typing import Any

from bot.dispatch import DispatchOptions, dispatch
from bot.tick import run_tick
from circles.services.escalations.open import open_escalations
from tests import escalation_world as w
from tests.e2e.conftest import RunningApp, coaching_pair
from tests.e2e.test_unreachable_facilitator import ADMIN, WORDS, deps_of, posted_to, reachable_learner


def account(user: str, deleted: bool) -> dict[str, Any]:
    """Slack's `user_change` for this person, their account deactivated or active."""
    person = {"id": user, "tz": "UTC", "profile": {"display_name": "fay"}, "deleted": deleted}
    return {"type": "user_change", "user": person}


def account_changed(app: RunningApp, user: str, deleted: bool) -> None:
    app.standin.workspace.users[user].deleted = deleted
    assert app.post(app.signer.event(account(user, deleted))) == (200, b"")
    app.settled()


def ask_for_support(app: RunningApp) -> str:
    """The learner's `/circles support`, sent on; what they were told."""
    before = len(app.standin.calls("response_url"))
    assert app.post(app.signer.slash_command(f"support pgy1 {WORDS}", user_id="U0LEARN"))[0] == 200
    app.settled()
    for _ in range(2):
        dispatch(deps_of(app), datetime.now(UTC), options=DispatchOptions(look_up_dnd=False))
    return " ".join(json.dumps(call.args) for call in app.standin.calls("response_url")[before:])


def test_a_request_for_support_reaches_the_admins_while_the_only_facilitator_is_deactivated(
    serve_app: Callable[..., RunningApp],
) -> None:
    app = serve_app(circles_admins=frozenset({ADMIN}))
    coaching_pair(app, users=(ADMIN,))
    reachable_learner(app)
    account_changed(app, "U0FAC", deleted=True)

    told = ask_for_support(app)
    assert posted_to(app, "U0FAC") == []
    [to_admin] = posted_to(app, ADMIN)
    assert WORDS in to_admin
    assert "people who run Circles" in told
    assert "U0FAC" not in told

    account_changed(app, "U0FAC", deleted=False)  # Slack brought the account back
    told = ask_for_support(app)
    [to_facilitator] = posted_to(app, "U0FAC")
    assert WORDS in to_facilitator
    assert "<@U0FAC>" in told
    assert len(posted_to(app, ADMIN)) == 1


def test_an_alert_reaches_the_admins_at_once_when_every_facilitator_is_deactivated(
    serve_app: Callable[..., RunningApp],
) -> None:
    app = serve_app(circles_admins=frozenset({ADMIN}))
    with app.db.unit_of_work() as uow:
        world = w.build(uow.session)
        uow.commit()
    for user in (*w.FACILITATORS, ADMIN, "U0COACH", "U0LEARN"):
        app.standin.add_user(user)
    for user in w.FACILITATORS:
        account_changed(app, user, deleted=True)
    with app.db.unit_of_work() as uow:  # the health step's concern, as the watch hands it over
        concern = w.struggling(world.partnership_id)
        open_escalations(uow.session, [concern], datetime.now(UTC), decrypt=w.unseal, admins=[ADMIN])
        uow.commit()
    run_tick(deps_of(app), datetime.now(UTC))
    assert [posted_to(app, user) for user in w.FACILITATORS] == [[], []]
    [to_admin] = posted_to(app, ADMIN)
    assert w.SHARED_NOTE not in to_admin
