"""The conflict form when the service, not the form, finds the mistake: someone outside the cohort comes
back on the form as it was filled in, with the reason under them, however many members the cohort has."""

from __future__ import annotations

import json
import logging
from collections.abc import Callable
from typing import Any
from urllib.parse import urlencode

import pytest
from sqlalchemy import select

from bot import ids
from circles.domain.match_vocabulary import ConstraintKind
from circles.persistence.models import Cohort, MatchConstraint
from standin import Call
from standin.forms import submitted_values
from standin.signed import FORM
from tests import factories
from tests.e2e.conftest import RunningApp, coaching_pair

MANY = 3_000  # a cohort whose member IDs could never ride in a form's private_metadata


@pytest.fixture
def app(serve_app: Callable[..., RunningApp]) -> RunningApp:
    running = serve_app()
    coaching_pair(running, users=("U0STRANGER",))
    return running


def open_form(app: RunningApp) -> dict[str, Any]:
    app.standin.clear()
    press = app.signer.block_action(
        ids.MATCH_CONFLICT_OPEN, user_id="U0FAC", value="pgy1", trigger_id="tc", channel_id="D0FAC"
    )
    app.post(press)
    [opened] = app.standin.wait_for("views.open", timeout=10)
    view: dict[str, Any] = opened.args["view"]
    return view


def submit(app: RunningApp, view: dict[str, Any], one: str, other: str, kind: str = "assesses") -> Any:
    chosen = {ids.MATCH_CONFLICT_ONE: one, ids.MATCH_CONFLICT_OTHER: other, ids.MATCH_CONFLICT_KIND: kind}
    app.standin.clear()
    request = app.signer.view_submission(
        ids.MATCH_CONFLICT_VIEW,
        user_id="U0FAC",
        values=submitted_values(view, chosen),
        private_metadata=view["private_metadata"],
    )
    status, body = app.post(request)
    assert status == 200
    app.settled()
    return json.loads(body or b"{}")


def form_shown(app: RunningApp) -> Call:
    [updated] = app.standin.calls("views.update")
    assert updated.args["view_id"] == "V0SUBMIT001"  # the submitted form itself, not a new one
    return updated


def conflicts(app: RunningApp) -> list[tuple[str, str, ConstraintKind]]:
    with app.db.unit_of_work() as uow:
        rows = uow.session.scalars(select(MatchConstraint)).all()
        return [(row.slack_user_id, row.other_user_id, row.kind) for row in rows]


def dms(app: RunningApp) -> list[str]:
    return [str(call.args.get("text")) for call in app.standin.calls("chat.postMessage")]


def test_someone_outside_the_cohort_comes_back_on_the_form_under_their_name(app: RunningApp) -> None:
    view = open_form(app)
    acked = submit(app, view, "U0LEARN", "U0STRANGER")

    assert acked["response_action"] == "update"  # "One moment…" while the cohort is asked, not closed
    again = form_shown(app).args["view"]
    assert again["callback_id"] == ids.MATCH_CONFLICT_VIEW
    assert again["private_metadata"] == "pgy1"
    blocks = again["blocks"]
    at = {block.get("block_id"): i for i, block in enumerate(blocks)}
    refusal = blocks[at[ids.MATCH_CONFLICT_OTHER] + 1]
    assert refusal["type"] == "context"
    said = refusal["elements"][0]["text"]
    assert "<@U0STRANGER> is not an active member of `pgy1`" in said
    assert "Choose someone who is in the cohort." in said
    assert blocks[at[ids.MATCH_CONFLICT_ONE] + 1].get("block_id") == ids.MATCH_CONFLICT_OTHER  # none under
    # As it was filled in: both people and the reason, so only the stranger needs changing.
    assert blocks[at[ids.MATCH_CONFLICT_ONE]]["element"]["initial_user"] == "U0LEARN"
    assert blocks[at[ids.MATCH_CONFLICT_OTHER]]["element"]["initial_user"] == "U0STRANGER"
    assert blocks[at[ids.MATCH_CONFLICT_KIND]]["element"]["initial_option"]["value"] == "assesses"
    assert dms(app) == []
    assert conflicts(app) == []

    submit(app, again, "U0LEARN", "U0COACH")
    recorded = json.dumps(form_shown(app).args["view"])
    assert "will never be put in the same circle or partnership" in recorded
    assert conflicts(app) == [("U0LEARN", "U0COACH", ConstraintKind.ASSESSES)]
    assert dms(app) == []


def test_a_stranger_chosen_first_is_shown_under_the_first_person(app: RunningApp) -> None:
    submit(app, open_form(app), "U0STRANGER", "U0LEARN")
    blocks = form_shown(app).args["view"]["blocks"]
    at = {block.get("block_id"): i for i, block in enumerate(blocks)}
    refusal = blocks[at[ids.MATCH_CONFLICT_ONE] + 1]
    assert "<@U0STRANGER> is not an active member" in refusal["elements"][0]["text"]
    assert conflicts(app) == []


def test_a_form_closed_meanwhile_hears_of_the_stranger_in_the_dm(app: RunningApp) -> None:
    view = open_form(app)
    app.standin.error("views.update", "not_found")
    submit(app, view, "U0LEARN", "U0STRANGER")
    [told] = dms(app)
    assert "<@U0STRANGER> is not an active member of `pgy1`" in told
    assert "Nothing was recorded" in told
    assert conflicts(app) == []


def test_a_cohort_of_three_thousand_checks_its_members_without_carrying_them(app: RunningApp) -> None:
    with app.db.unit_of_work() as uow:
        cohort = uow.session.scalars(select(Cohort)).one()
        for n in range(MANY):
            factories.member(uow.session, cohort, f"U{n:09d}", flush=False)
        uow.commit()
    view = open_form(app)
    assert view["private_metadata"] == "pgy1"

    submit(app, view, "U0LEARN", "U0STRANGER")
    assert "is not an active member" in json.dumps(form_shown(app).args["view"])
    submit(app, view, "U0LEARN", f"U{MANY - 1:09d}", "reports_to")
    assert conflicts(app) == [("U0LEARN", f"U{MANY - 1:09d}", ConstraintKind.REPORTS_TO)]


def test_a_form_sent_without_its_cohort_is_told_it_is_out_of_date_on_the_form(
    app: RunningApp, caplog: pytest.LogCaptureFixture
) -> None:
    """A submission whose view has no private_metadata at all (a forged or broken one): not a fault."""
    view = open_form(app)
    chosen = {ids.MATCH_CONFLICT_ONE: "U0LEARN", ids.MATCH_CONFLICT_OTHER: "U0COACH"}
    payload = app.signer.view_submission(
        ids.MATCH_CONFLICT_VIEW, user_id="U0FAC", values=submitted_values(view, chosen), private_metadata=""
    ).payload()
    del payload["view"]["private_metadata"]
    app.standin.clear()
    caplog.set_level(logging.INFO)
    status, _ = app.post(app.signer.sign(urlencode({"payload": json.dumps(payload)}).encode(), FORM))
    app.settled()

    assert status == 200
    answered = json.dumps(form_shown(app).args["view"])  # not left on "One moment…"
    assert "One moment" not in answered
    assert not [record for record in caplog.records if record.exc_info]
    assert conflicts(app) == []
    assert dms(app) == []
