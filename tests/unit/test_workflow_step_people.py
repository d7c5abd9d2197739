"""Whom a Workflow Builder step takes as its person: only an active human of the workflow's own tenant."""

from __future__ import annotations

from typing import Any

import pytest

from bot.listeners.functions.steps import person_of
from bot.views.workflow_steps import step_failure
from circles.domain.tenants import Tenant, TenantKind
from circles.domain.workflow_steps import StepInputProblem
from tests.unit.test_admin_lookup import FakeSlack, client

TEAM = Tenant("T0HOME", TenantKind.TEAM)


def person(**fields: Any) -> dict[str, Any]:
    return {"id": "U0ANN", "team_id": "T0HOME", "deleted": False, "is_bot": False, **fields}


def refusal(slack: FakeSlack) -> str:
    with pytest.raises(StepInputProblem) as refused:
        person_of(client(slack), TEAM, "U0ANN")
    return step_failure(refused.value)


def test_someone_of_the_workspace_is_taken() -> None:
    assert person_of(client(FakeSlack({"U0ANN": person()})), TEAM, "U0ANN") == "U0ANN"


@pytest.mark.parametrize(
    "user",
    [person(team_id="T0ELSE"), person(is_stranger=True), person(deleted=True), person(is_bot=True)],
    ids=["another workspace over Slack Connect", "a stranger", "deactivated", "a bot"],
)
def test_someone_slack_shows_from_elsewhere_or_gone_is_refused(user: dict[str, Any]) -> None:
    assert refusal(FakeSlack({"U0ANN": user})) == "That person is not an active member of this workspace."


def test_when_slack_cannot_say_the_step_asks_to_try_again_without_guessing() -> None:
    told = refusal(FakeSlack({"U0ANN": person()}, failure="ratelimited"))
    assert told == "Slack could not say who that person is just now; run the workflow again soon."
