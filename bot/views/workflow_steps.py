"""What Workflow Builder steps put into Slack: a workflow's note to facilitators, outputs and failures."""

from __future__ import annotations

from bot import ids
from bot.views.message import Message, words_for_facilitators
from bot.views.text import fit_mrkdwn, fit_plain, quote_sections
from circles.domain.workflow_steps import StepInputProblem
from circles.errors import (
    CirclesError,
    CohortNotFound,
    NoActivePartnership,
    NoFacilitators,
    RoleNotOffered,
    WorkspaceUnknown,
)
from circles.messages import WorkflowNote
from circles.services.people.membership import Joined

NAME_SHOWN = 300  # a cohort's name in the heading; the builder's words get their own section
FAILURE_MAX = 300  # one line in the workflow's activity: never what the builder or anyone typed


def workflow_note_message(note: WorkflowNote) -> Message:
    """The private message each facilitator of the cohort receives from a workflow."""
    cohort = fit_mrkdwn(note.cohort_name, NAME_SHOWN)
    why = (
        "Sent to you privately as a facilitator of this cohort by a workflow your "
        "workspace built in Workflow Builder."
    )
    heading = f"*From a workflow · {cohort}*"
    # Whole, over as many sections as it takes: the workflow's step was done, so its words reached them.
    blocks = words_for_facilitators(ids.WORKFLOW_NOTE_BLOCK, heading, quote_sections(note.text), why)
    return Message(text=f"A workflow wrote to the facilitators of {cohort}", blocks=blocks)


def joined_status(joined: Joined) -> str:
    """The "Add to a cohort" step's output: where the person stands now, in plain words."""
    name = fit_plain(joined.name, NAME_SHOWN)
    if joined.already:
        return f"Already in {name} as a {joined.role.value}; nothing changed."
    return f"Added to {name} as a {joined.role.value}."


def step_failure(error: Exception) -> str:
    """One line for the workflow's builder saying why the step could not be done."""
    if isinstance(error, StepInputProblem):
        return str(error)
    if isinstance(error, CohortNotFound):
        nearest = " or ".join(error.suggestions)
        hint = f" Did you mean {nearest}?" if nearest else " Check the short name with its facilitators."
        return f"No cohort with that short name is open in this workspace.{hint}"
    if isinstance(error, RoleNotOffered):
        return "This cohort takes " + ", ".join(error.offered) + " members, not that role."
    if isinstance(error, NoActivePartnership):
        return "The person has no running partnership, so there is no check-in to send."
    if isinstance(error, NoFacilitators):
        name = " ".join(error.name.split())  # one line, whatever the cohort's name holds
        return fit_plain(f"{name} has no facilitator yet, so nobody could be told.", FAILURE_MAX)
    if isinstance(error, WorkspaceUnknown):
        return "Circles has no cohorts in this workspace yet."
    if isinstance(error, CirclesError):
        return "Circles refused this step for that person or cohort."
    return "Circles could not finish this step; try the workflow again later."
