"""What could not be done in a round, as its facilitator reads it: one line per circle, pair or person not
added, and, when Slack refused channels for the whole workspace, what can be changed."""

from __future__ import annotations

from bot.creation_refusals import CHANNELS_REFUSED
from bot.views.text import mrkdwn, person
from circles.domain.match_vocabulary import StepKind
from circles.services.rounds.queue import NO_CONVERSATION
from circles.services.rounds.steps import Problem
from circles.services.rounds.uninvited import NEWCOMER_NOT_ADDED, NOBODY_INVITED, TOO_FEW_ADDED

# A welcome not posted for what a line before it says already: nobody, or no newcomer, was let in.
FOLLOWS_FROM_ITS_INVITATION = frozenset({NOBODY_INVITED, NEWCOMER_NOT_ADDED})
GROUP_DMS = (
    "set the cohort to meet in group DMs in `/circles cohort config {slug}`, "
    "then `/circles match {slug}` again."
)
# What each refusal means, and who can change it; any other code of CHANNELS_REFUSED reads as the last.
REFUSED_WORDS = {
    "restricted_action": (
        "Slack refused to create channels in this workspace (a workspace setting): a workspace admin can "
        "allow it, or "
    ),
    "missing_scope": (
        "Slack refused to create channels: Circles was installed without the permission to create private "
        "channels (groups:write). A workspace admin can install it again to grant it, or "
    ),
    "team_access_not_granted": (
        "Slack refused to create channels: Circles' installation for the organisation is not granted this "
        "workspace. An organisation admin can grant it, or "
    ),
}
REFUSED_OTHERWISE = (
    "Slack refused to create channels in this workspace ({code}): a workspace admin can allow it, or "
)


def problem_lines(problems: list[Problem]) -> list[str]:
    """One line per step that could not be done or person not invited; Slack's error code, escaped. A
    circle whose conversation was never made has that one line: its invitation and welcome follow from it
    (a round Slack refuses channels in would otherwise list three lines a circle), and a welcome not posted
    as nobody, or no newcomer, was let in follows from the line of its invitation."""
    never_made = {p.circle for p in problems if p.kind is StepKind.CIRCLE_CONVERSATION and not _one_person(p)}
    return [
        _problem_line(problem)
        for problem in problems
        if not (problem.error == NO_CONVERSATION and _of_circle(problem) in never_made)
        and problem.error not in FOLLOWS_FROM_ITS_INVITATION
    ]


def refused_everywhere(problems: list[Problem]) -> str | None:
    """Slack's code when it refused a circle's channel for the whole workspace (CHANNELS_REFUSED)."""
    return next(
        (
            p.error
            for p in problems
            if p.kind is StepKind.CIRCLE_CONVERSATION and not p.users and p.error in CHANNELS_REFUSED
        ),
        None,
    )


def refused_advice(code: str, slug: str) -> str:
    """What the facilitator can have changed when Slack refuses the workspace's channels."""
    opening = REFUSED_WORDS.get(code) or REFUSED_OTHERWISE.format(code=mrkdwn(code))
    return opening + GROUP_DMS.format(slug=slug)


def _of_circle(problem: Problem) -> str | None:
    """The circle a problem is about, by name; None for a pair's."""
    return None if problem.kind in (StepKind.PAIR_CONVERSATION, StepKind.PAIR_KICKOFF) else problem.circle


def _one_person(problem: Problem) -> bool:
    """Someone left out of a circle's group DM that was opened with the others."""
    return problem.kind is StepKind.CIRCLE_CONVERSATION and bool(problem.users)


def _problem_line(problem: Problem) -> str:
    why = f"({mrkdwn(problem.error)})"
    where = f"*{mrkdwn(problem.circle)}*"
    people = " and ".join(person(user) for user in problem.users)
    if _one_person(problem):  # a group DM opened without them
        return f"• {people} could not be added to {where} {why}"
    if problem.kind is StepKind.CIRCLE_CONVERSATION:
        return f"• {where}: its conversation could not be created {why}"
    if problem.kind is StepKind.CIRCLE_INVITE:
        if problem.users:
            return f"• {people} could not be added to {where} {why}"
        return f"• {where}: nobody could be invited {why}"
    if problem.kind is StepKind.CIRCLE_KICKOFF and problem.error == TOO_FEW_ADDED:
        return f"• {where}: closed, as fewer than two of its people could be added to its channel"
    if problem.kind is StepKind.CIRCLE_KICKOFF:
        return f"• {where}: the welcome message could not be posted {why}"
    if problem.kind is StepKind.PAIR_CONVERSATION:
        return f"• {people}: their conversation could not be opened {why}"
    return f"• {people}: the welcome message could not be posted {why}"
