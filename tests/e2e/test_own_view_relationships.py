"""A coach of sixty learners acts on one partner on the second page of their list, through the real HTTP
app and the stand-in: the list stays where they were."""

from __future__ import annotations

import json
from typing import Any

from sqlalchemy import select

from bot import ids
from circles.domain.vocabulary import PartnershipStatus
from circles.persistence.models import Member, Partnership
from tests.e2e.conftest import RunningApp
from tests.e2e.test_relationship_pages import ADDED, app, buttons, press, the_list
from tests.relationship_world import COACH
from tests.slack_limits import assert_within_limits

__all__ = ["app"]  # the fixture: a coach of sixty learners


def partnership_of(app: RunningApp, learner: str) -> Partnership:
    with app.db.unit_of_work() as uow:
        query = select(Partnership).join(Member, Member.id == Partnership.second_member_id)
        return uow.session.scalars(query.where(Member.slack_user_id == learner)).one()


def second_page(app: RunningApp) -> dict[str, Any]:
    first = the_list(app)
    [turn] = [b for b in buttons(first["blocks"]) if b["action_id"].startswith(ids.RELATIONSHIPS_PAGE)]
    press(app, first, "next", turn["value"])
    [updated] = app.standin.wait_for("views.update", timeout=10)
    page: dict[str, Any] = updated.response["view"]
    app.standin.clear()
    return page


def test_pausing_a_partner_on_the_second_page_shows_that_page_again_with_them_paused(app: RunningApp) -> None:
    page = second_page(app)
    last = ADDED[-1]  # the newest partnership: the last of the list
    chosen = str(partnership_of(app, last).id)
    assert f"<@{last}>" in json.dumps(page)
    app.post(app.signer.block_action(ids.PARTNERSHIP_PAUSE, user_id=COACH, value=chosen, view=page))
    [updated] = app.standin.wait_for("views.update", timeout=10)
    assert_within_limits(updated.args["view"])
    shown = updated.response["view"]
    assert "is paused" in json.dumps(shown)
    assert "Page 2 of 2." in json.dumps(shown)
    resumes = [b["value"] for b in buttons(shown["blocks"]) if b["action_id"] == ids.PARTNERSHIP_RESUME]
    assert chosen in resumes
    assert partnership_of(app, last).status is PartnershipStatus.PAUSED
