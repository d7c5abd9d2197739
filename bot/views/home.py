"""The App Home tab: a member's cohorts and what comes next; for facilitators, the cohorts they run."""

from __future__ import annotations

from slack_sdk.models.blocks import (
    ActionsBlock,
    Block,
    ButtonElement,
    DividerBlock,
    HeaderBlock,
    MarkdownTextObject,
    SectionBlock,
)
from slack_sdk.models.views import View

from bot import ids
from bot.views.availability import availability_blocks
from bot.views.consent import home_research_blocks
from bot.views.health import home_summary
from bot.views.help import PRIVACY_LINE
from bot.views.message import context_line, text_section
from bot.views.pages import pager_block_id
from bot.views.relationships import NOT_IN_A_COHORT, VIEW_BLOCKS, cohort_blocks
from bot.views.text import mrkdwn
from circles.domain.paging import Window, window_from
from circles.domain.vocabulary import MemberStatus, Role
from circles.services.availability.pattern import Availability
from circles.services.health.boards import Board
from circles.services.people.status import CohortStatus, RunCohort
from circles.services.research.consent import CohortConsent

RUNS_PER_PAGE = 10  # two blocks each (the cohort and its health): a page leaves Home room for the rest
RUNS_BELOW = (
    "You are not a member of a cohort, so there are no circles or partners to show: "
    "the cohorts you run are below."
)
INTRO = (
    "Small circles and coaching or mentoring partnerships, with reflection prompts and check-ins "
    "on your cohort's rhythm. Type `/circles help` to see what you can do."
)


def home_view(
    statuses: list[CohortStatus],
    runs: list[RunCohort] | None = None,
    is_admin: bool = False,
    health: list[Board] | None = None,
    runs_page: int = 0,
    *,
    availability: Availability | None = None,
    research: list[CohortConsent] | None = None,
    runs_total: int | None = None,
    runs_start: int | None = None,
) -> View:
    """Everything a person needs at a glance; facilitator sections only for facilitators and admins.

    Home holds 100 blocks: the cohorts someone runs come RUNS_PER_PAGE at a time, and their own
    cohorts show as many partners as the rest of the room allows. `runs` holds every cohort the person
    runs, or, with `runs_total` (how many they run in all), only those of page `runs_page`, which starts
    after the first `runs_start` of them (a page turned to starts where the one before it ended).
    """
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
        *(availability_blocks(availability) if availability else []),
        DividerBlock(),
        SectionBlock(block_id=ids.HOME_COHORTS_BLOCK, text=MarkdownTextObject(text="*Your cohorts*")),
    ]
    running: list[Block] = []
    if runs or is_admin:
        boards = {board.slug: board for board in health or []}
        every = runs or []
        if runs_total is None:  # all of them: this page's are cut out here
            runs_total, runs_page = len(every), _within(runs_page, len(every))
            every = every[runs_page * RUNS_PER_PAGE : (runs_page + 1) * RUNS_PER_PAGE]
        start = _within(runs_page, runs_total) * RUNS_PER_PAGE if runs_start is None else runs_start
        shown = window_from(start, runs_total, RUNS_PER_PAGE)
        running = _facilitator_blocks(every, boards, shown, runs_total)
    footer = context_line(PRIVACY_LINE)
    consent = home_research_blocks(research or [])
    if statuses:
        blocks += cohort_blocks(statuses, VIEW_BLOCKS - len(blocks) - len(running) - len(consent) - 1)
    else:
        blocks.append(text_section(RUNS_BELOW if runs_total or runs else NOT_IN_A_COHORT))
    return View(type="home", blocks=[*blocks, *consent, *running, footer])


def _pages(total: int) -> int:
    return max(1, -(-total // RUNS_PER_PAGE))


def _within(page: int, total: int) -> int:
    """The page asked for, or the nearest there is."""
    return min(max(page, 0), _pages(total) - 1)


def _facilitator_blocks(
    runs: list[RunCohort], health: dict[str, Board], shown: Window, total: int
) -> list[Block]:
    """The cohorts of page `shown` of the `total` someone runs, each with its board, and the pager."""
    heading = "*Cohorts you run*" + (f" ({total})" if total > RUNS_PER_PAGE else "")
    blocks: list[Block] = [
        DividerBlock(),
        SectionBlock(block_id=ids.HOME_FACILITATES_BLOCK, text=MarkdownTextObject(text=heading)),
    ]
    if not total:
        blocks.append(
            SectionBlock(
                text=MarkdownTextObject(
                    text="None yet. Start one with `/circles cohort create &lt;slug&gt; &lt;name…&gt;`."
                )
            )
        )
    runs = runs[:RUNS_PER_PAGE]
    for run in runs:
        blocks.append(
            SectionBlock(
                text=MarkdownTextObject(text=f"*{mrkdwn(run.name)}* (`{run.slug}`)\n{head_counts(run)}"),
                accessory=ButtonElement(text="Settings", action_id=ids.HOME_CONFIGURE_COHORT, value=run.slug),
            )
        )
        if run.slug in health:  # only the cohort's facilitators get a board
            blocks.append(home_summary(health[run.slug]))
    if shown.pages > 1 and runs:
        blocks += _pager(total, shown, (runs[0].slug, runs[-1].slug))
    return blocks


def _pager(total: int, shown: Window, ends: tuple[str, str]) -> list[Block]:
    """Where this page is among all the cohorts someone runs, and buttons to the others; their block names
    the page's first and last cohort, so the next page starts right after the last wherever it is then."""
    after = total - shown.end
    words = f"Cohorts {shown.start + 1}–{shown.end} of {total}" + (f" …and {after} more." if after else ".")
    buttons = []
    if shown.number > 0:
        back = str(shown.number - 1)
        buttons.append(ButtonElement(text="‹ Previous", action_id=f"{ids.HOME_RUNS_PAGE}:prev", value=back))
    if shown.number < shown.pages - 1:
        on = str(shown.number + 1)
        buttons.append(ButtonElement(text="Next ›", action_id=f"{ids.HOME_RUNS_PAGE}:next", value=on))
    return [
        context_line(words),
        ActionsBlock(block_id=pager_block_id(ids.HOME_RUNS_PAGE_BLOCK, *ends), elements=buttons),
    ]


def head_counts(run: RunCohort) -> str:
    """Active members by role, then how many are paused or have left."""
    by_role = [
        f"{run.active(role)} {role.value if run.active(role) == 1 else role.plural}"
        for role in Role
        if run.active(role)
    ]
    paused = sum(n for (_, status), n in run.counts.items() if status is MemberStatus.PAUSED)
    left = sum(n for (_, status), n in run.counts.items() if status is MemberStatus.LEFT)
    active = ", ".join(by_role) if by_role else "no active members yet"
    return f"{active} · {paused} paused · {left} left"
