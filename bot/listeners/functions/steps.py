"""The three steps: check the workflow's inputs, make one service call, complete or fail the step.

Slack does not say who built or ran the workflow: who may use these steps is set in Slack, in the
permissions of the app's workflow steps (the README advises restricting them to the programme's people).
Each step still keeps every rule a person meets on their own (archived cohorts, the roles a cohort offers,
leaving and rejoining, check-ins only for running partnerships), and someone added is welcomed privately.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Mapping
from typing import Any

from slack_bolt import BoltContext
from slack_sdk import WebClient

from bot.listeners.actions.membership import keep_time_zone
from bot.listeners.functions import completion
from bot.listeners.functions.reach import deactivated
from bot.listeners.incoming import Incoming
from bot.slack_people import of_tenant
from bot.views.workflow_steps import joined_status, step_failure
from circles.domain.tenants import Tenant
from circles.domain.workflow_steps import (
    StepInputProblem,
    person_input,
    role_input,
    slug_input,
    text_input,
)
from circles.errors import CirclesError
from circles.services.people.membership import add_to_cohort as add_person
from circles.services.workflows.steps import ask_for_checkin as send_checkins
from circles.services.workflows.steps import cohort_facilitators
from circles.services.workflows.steps import message_facilitators as tell_facilitators

logger = logging.getLogger(__name__)

Outputs = dict[str, Any]


def add_to_cohort(incoming: Incoming) -> None:
    def work(inputs: Mapping[str, object]) -> Outputs:
        person, slug = member_input(incoming, inputs.get("person")), slug_input(inputs.get("cohort"))
        role = role_input(inputs.get("role"))
        joined = add_person(
            incoming.deps.db.unit_of_work(), incoming.team_id, slug, person, role, incoming.deps.clock()
        )
        if not joined.already:
            keep_time_zone(incoming, person)  # their check-ins follow their own zone, as after a join
        return {"status": joined_status(joined)}

    run_step(incoming, work)


def ask_for_checkin(incoming: Incoming) -> None:
    def work(inputs: Mapping[str, object]) -> Outputs:
        person = member_input(incoming, inputs.get("person"))
        sent = send_checkins(
            incoming.deps.db.unit_of_work(),
            incoming.team_id,
            person,
            incoming.deps.clock(),
            key=execution_id(incoming),
        )
        return {"checkins_sent": sent}

    run_step(incoming, work)


def message_facilitators(incoming: Incoming) -> None:
    def work(inputs: Mapping[str, object]) -> Outputs:
        slug, text = slug_input(inputs.get("cohort")), text_input(inputs.get("text"))
        facilitators = cohort_facilitators(incoming.deps.db.unit_of_work(), incoming.team_id, slug)
        told = tell_facilitators(
            incoming.deps.db.unit_of_work(),
            incoming.team_id,
            slug,
            text,
            incoming.deps.clock(),
            key=execution_id(incoming),
            gone=deactivated(incoming.client, facilitators),  # a deactivated account would never read it
        )
        return {"facilitators_told": told}

    run_step(incoming, work)


def run_step(incoming: Incoming, work: Callable[[Mapping[str, object]], Outputs]) -> None:
    """Complete the step with the work's outputs, or fail it with one line for the workflow's builder."""
    event = incoming.body.get("event")
    inputs = event.get("inputs") if isinstance(event, dict) else None
    client, execution = incoming.context.client, incoming.context.function_execution_id
    try:
        outputs = work(inputs if isinstance(inputs, dict) else {})
    except (StepInputProblem, CirclesError) as refused:
        completion.fail(client, execution or "", step_failure(refused))
        return
    except Exception as error:
        # Only the kind of failure is logged: the inputs may hold what the builder wrote.
        logger.error("a workflow step failed: %s", type(error).__name__)
        completion.fail(client, execution or "", step_failure(error))
        return
    completion.complete(client, execution or "", outputs)


def unfinished(context: BoltContext, error: Exception) -> None:
    """Fail a step whose run could not even begin (its database out of reach), so the workflow is told."""
    if context.function_execution_id:
        completion.fail(context.client, context.function_execution_id, step_failure(error))


def member_input(incoming: Incoming, value: object) -> str:
    """The person a step is about: a user of this workspace, not a bot and not deactivated."""
    return person_of(incoming.client, incoming.tenant, value)


def person_of(client: WebClient, tenant: Tenant, value: object) -> str:
    """An active human of the tenant: not someone Slack Connect shows from another organisation."""
    person = person_input(value)
    placed = of_tenant(client, person, tenant)
    if placed is None:
        raise StepInputProblem(
            "Slack could not say who that person is just now; run the workflow again soon."
        )
    if not placed:
        raise StepInputProblem("That person is not an active member of this workspace.")
    return person


def execution_id(incoming: Incoming) -> str:
    """Names this run of the step, for the outbox's idempotency keys."""
    event = incoming.body.get("event")
    found = event.get("function_execution_id") if isinstance(event, dict) else None
    return str(found)[:100] if found else incoming.key
