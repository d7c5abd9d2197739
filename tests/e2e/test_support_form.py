"""The support form over real HTTP: `/circles support`, and the buttons "", "c:<slug>" and "p:<id>"."""

from __future__ import annotations

import json
from typing import Any

import pytest
from sqlalchemy import select

from bot import ids
from circles.domain.vocabulary import Role
from circles.persistence.models import OutboxMessage
from standin.forms import submitted_values
from tests import factories
from tests.e2e.conftest import RunningApp

OWN = "No patient details here, please."


@pytest.fixture
def app(running: RunningApp) -> RunningApp:
    for user in ("U0ADA", "U0LEE", "U0KIM", "U0SAM", "U0FAY", "U0GUS"):
        running.standin.add_user(user)
    return running


def seed(app: RunningApp) -> dict[str, int]:
    """Ada coaches Lee and Kim in PGY-1 (run by Fay); Lee and Sam are peers in Faculty (run by Gus)."""
    with app.db.unit_of_work() as uow:
        session = uow.session
        ws = factories.workspace(session)
        pgy1 = factories.cohort(session, ws, "pgy1", "PGY-1")
        pgy1.free_text_hint = OWN
        faculty = factories.cohort(session, ws, "faculty", "Faculty")
        factories.facilitator(session, pgy1, "U0FAY")
        factories.facilitator(session, faculty, "U0GUS")
        ada, lee, kim = (
            factories.member(session, pgy1, u, r)
            for u, r in (("U0ADA", Role.COACH), ("U0LEE", Role.LEARNER), ("U0KIM", Role.LEARNER))
        )
        lee2, sam = (factories.member(session, faculty, u, Role.PEER) for u in ("U0LEE", "U0SAM"))
        pairs = {}
        for name, first, second in (("ada_lee", ada, lee), ("ada_kim", ada, kim), ("lee_sam", lee2, sam)):
            pairs[name] = factories.pair(session, first, second).id
        uow.commit()
        return pairs


def opened_form(app: RunningApp) -> dict[str, Any]:
    [opened] = app.standin.wait_for("views.open", timeout=10)
    app.standin.clear()
    view: dict[str, Any] = opened.args["view"]
    assert view["callback_id"] == ids.SUPPORT_VIEW
    return view


def submit(app: RunningApp, view: dict[str, Any], user_id: str, **changes: Any) -> dict[str, Any]:
    request = app.signer.view_submission(
        ids.SUPPORT_VIEW,
        user_id=user_id,
        values=submitted_values(view, changes),
        private_metadata=view.get("private_metadata", ""),
    )
    status, body = app.post(request)
    assert status == 200
    answer: dict[str, Any] = json.loads(body)
    return answer


def requests(app: RunningApp) -> list[tuple[str | None, dict[str, Any], bool]]:
    with app.db.unit_of_work() as uow:
        rows = uow.session.scalars(select(OutboxMessage).order_by(OutboxMessage.id))
        return [(row.channel, row.payload["args"], row.payload.get("private", False)) for row in rows]


def click(app: RunningApp, value: str, user_id: str, *, in_home: bool = False) -> None:
    where: dict[str, Any] = {"view": {"type": "home", "blocks": []}} if in_home else {"channel_id": "D0DM"}
    request = app.signer.block_action(
        ids.SUPPORT_OPEN, user_id=user_id, value=value, trigger_id="1.2.support", **where
    )
    assert app.post(request) == (200, b"")


def test_circles_support_with_no_message_opens_the_form_and_it_reaches_the_chosen_cohorts_facilitators(
    app: RunningApp,
) -> None:
    pairs = seed(app)
    assert app.post(app.signer.slash_command("support", user_id="U0LEE"))[0] == 200
    view = opened_form(app)
    blocks = {b.get("block_id"): b for b in view["blocks"]}
    assert [o["value"] for o in blocks[ids.SUPPORT_COHORT]["element"]["options"]] == ["faculty", "pgy1"]
    answer = submit(
        app,
        view,
        "U0LEE",
        **{
            ids.SUPPORT_COHORT: "pgy1",
            ids.SUPPORT_PARTNERSHIP: str(pairs["ada_lee"]),
            ids.SUPPORT_MESSAGE: "I'm not coping",
        },
    )
    assert answer["response_action"] == "update"
    assert "the facilitators of *PGY-1*: <@U0FAY>" in json.dumps(answer["view"])
    assert requests(app) == [
        (
            "U0FAY",
            {
                "cohort_name": "PGY-1",
                "member_user_id": "U0LEE",
                "message": "I'm not coping",
                "partner_user_id": "U0ADA",
            },
            True,
        )
    ]
    assert app.standin.calls("chat.postMessage") == []  # nothing went anywhere else


def test_a_cohort_button_opens_the_form_for_that_cohort_with_its_hint(app: RunningApp) -> None:
    seed(app)
    click(app, "c:faculty", "U0LEE")
    view = opened_form(app)
    assert view["private_metadata"] == "c:faculty"
    blocks = {b.get("block_id"): b for b in view["blocks"]}
    assert ids.SUPPORT_COHORT not in blocks
    assert submit(app, view, "U0LEE", **{ids.SUPPORT_MESSAGE: None})["response_action"] == "update"
    click(app, "c:pgy1", "U0KIM")
    pgy1 = opened_form(app)
    [message] = [b for b in pgy1["blocks"] if b.get("block_id") == ids.SUPPORT_MESSAGE]
    assert message["hint"]["text"].endswith(OWN)
    assert [(channel, args["cohort_name"]) for channel, args, _ in requests(app)] == [("U0GUS", "Faculty")]


def test_a_partnership_button_is_for_its_partners_and_names_the_partner_to_the_facilitators(
    app: RunningApp,
) -> None:
    pairs = seed(app)
    click(app, f"p:{pairs['ada_kim']}", "U0KIM")
    view = opened_form(app)
    assert view["private_metadata"] == f"p:{pairs['ada_kim']}"
    assert "<@U0ADA>" in json.dumps(view["blocks"])
    submit(app, view, "U0KIM", **{ids.SUPPORT_MESSAGE: "We have not met for weeks"})
    [(channel, args, private)] = requests(app)
    assert (channel, args["partner_user_id"], args["member_user_id"], private) == (
        "U0FAY",
        "U0ADA",
        "U0KIM",
        True,
    )
    click(app, f"p:{pairs['ada_kim']}", "U0LEE")  # Lee is not in that partnership
    [refused] = app.standin.wait_for("response_url", timeout=10)
    assert refused.args["response_type"] == "ephemeral"
    assert "not one of yours" in json.dumps(refused.args)
    assert app.standin.calls("views.open") == []
    forged = submit(
        app, view, "U0LEE", **{ids.SUPPORT_MESSAGE: "Let me in"}
    )  # the same form, by someone else
    assert forged["response_action"] == "errors"
    assert len(requests(app)) == 1


@pytest.mark.parametrize("value", ["c:PGY1", "p:abc", "p:1:2", "z:1", "c:" + "a" * 300])
def test_a_value_the_app_never_wrote_is_refused_kindly_from_home_too(app: RunningApp, value: str) -> None:
    seed(app)
    click(app, value, "U0LEE", in_home=True)
    [told] = app.standin.wait_for("chat.postMessage", timeout=10)  # Home has no thread: the app's DM
    assert told.args["channel"] == "U0LEE"
    assert "out of date" in told.args["text"]
    assert app.standin.calls("views.open") == []
    assert requests(app) == []


def test_someone_in_no_cohort_is_told_how_to_reach_their_programme(app: RunningApp) -> None:
    click(app, "", "U0STRANGER")
    [told] = app.standin.wait_for("response_url", timeout=10)
    assert "contact whoever runs your programme" in json.dumps(told.args)
