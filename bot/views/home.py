"""The App Home tab: a member's cohorts and what comes next; for facilitators, the cohorts they run."""

from __future__ import annotations

from slack_sdk.models.blocks import (
    ActionsBlock,
    Block,
    ButtonElement,
    ContextBlock,
    DividerBlock,
    HeaderBlock,
    MarkdownTextObject,
    SectionBlock,
)
from slack_sdk.models.views import View

from bot import ids
from bot.views.health import home_summary
from bot.views.help import PRIVACY_LINE
from bot.views.membership import describe
from bot.views.text import mrkdwn
from circles.domain.vocabulary import MemberStatus, Role
from circles.services.health import Board
from circles.services.status import CohortStatus, RunCohort

PLURALS = {Role.LEARNER: "learners", Role.COACH: "coaches", Role.MENTOR: "mentors", Role.PEER: "peers"}
INTRO = (
    "Small circles and coaching or mentoring partnerships, with reflection prompts and check-ins "
    "on your cohort's rhythm. Type `/circles help` to see what you can do."
)


def home_view(
    statuses: list[CohortStatus],
    runs: list[RunCohort] | None = None,
    is_admin: bool = False,
    health: list[Board] | None = None,
) -> View:
    """Everything a person needs at a glance; facilitator sections only for facilitators and admins."""
    blocks: list[Block] = [
        HeaderBlock(text="Circles"),
        SectionBlock(block_id=ids.HOME_HELP_BLOCK, text=MarkdownTextObject(text=INTRO)),
        ActionsBlock(
            block_id=ids.HOME_ACTIONS_BLOCK,
            elements=[
                ButtonElement(text="Edit my profile", action_id=ids.HOME_EDIT_PROFILE, value="profile"),
                ButtonElement(
                    text="Find a coach or mentor", action_id=ids.HOME_OPEN_DIRECTORY, value="directory"
                ),
            ],
        ),
        DividerBlock(),
        SectionBlock(block_id=ids.HOME_COHORTS_BLOCK, text=MarkdownTextObject(text="*Your cohorts*")),
    ]
    if not statuses:
        blocks.append(
            SectionBlock(
                text=MarkdownTextObject(
                    text="You are not in a cohort yet. Ask your facilitator for its name, then "
                    "`/circles join &lt;cohort&gt;`."
                )
            )
        )
    blocks += [SectionBlock(text=MarkdownTextObject(text=describe(status))) for status in statuses]
    if runs or is_admin:
        blocks += _facilitator_blocks(runs or [], {board.slug: board for board in health or []})
    blocks.append(ContextBlock(elements=[MarkdownTextObject(text=PRIVACY_LINE)]))
    return View(type="home", blocks=blocks)


def _facilitator_blocks(runs: list[RunCohort], health: dict[str, Board]) -> list[Block]:
    blocks: list[Block] = [
        DividerBlock(),
        SectionBlock(block_id=ids.HOME_FACILITATES_BLOCK, text=MarkdownTextObject(text="*Cohorts you run*")),
    ]
    if not runs:
        blocks.append(
            SectionBlock(
                text=MarkdownTextObject(
                    text="None yet. Start one with `/circles cohort create &lt;slug&gt; &lt;name…&gt;`."
                )
            )
        )
    for run in runs:
        blocks.append(
            SectionBlock(
                text=MarkdownTextObject(text=f"*{mrkdwn(run.name)}* (`{run.slug}`)\n{head_counts(run)}"),
                accessory=ButtonElement(text="Settings", action_id=ids.HOME_CONFIGURE_COHORT, value=run.slug),
            )
        )
        if run.slug in health:  # only the cohort's facilitators get a board
            blocks.append(home_summary(health[run.slug]))
    return blocks


def head_counts(run: RunCohort) -> str:
    """Active members by role, then how many are paused or have left."""
    by_role = [f"{run.active(role)} {PLURALS[role]}" for role in Role if run.active(role)]
    paused = sum(n for (_, status), n in run.counts.items() if status is MemberStatus.PAUSED)
    left = sum(n for (_, status), n in run.counts.items() if status is MemberStatus.LEFT)
    active = ", ".join(by_role) if by_role else "no active members yet"
    return f"{active} · {paused} paused · {left} left"
