"""The coach and mentor directory: the best fits in a message, everyone page by page in a modal."""

from __future__ import annotations

from slack_sdk.models.blocks import (
    ActionsBlock,
    Block,
    ButtonElement,
    MarkdownTextObject,
    SectionBlock,
)
from slack_sdk.models.views import View

from bot import ids
from bot.views.directory.requests import PRIVATE
from bot.views.message import Message, context_line
from bot.views.pages import pager_block_id, turned_to
from bot.views.text import clip_mrkdwn, counted, fit_mrkdwn, mrkdwn, quote_typed
from circles.domain.paging import Turn, window
from circles.services.people.directory import Basis, Directory, Entry

MAX_SHOWN = 15  # a message holds 50 blocks; fifteen people is already a long list to read
PAGE_ENTRIES = 40  # a page of the modal: a block each, well within its 100 with the intro and the turns
TOPIC_IN_VALUE = 500  # characters of the topic a button carries (a value holds 2,000)
TOPIC_MARK = "topic="
SNIPPET = 200  # characters of what someone offers, before "…"
PAUSED = "You are paused, so asking someone waits until you `/circles resume`."
GUIDED_NAMED = 5  # cohorts named in the note (200 characters each at most); the rest are counted
UNOPENED = "hasn't opened places yet"  # not said how many partners they take: matching offers none either
NONE_NEW = "not taking new partners for now"  # they chose 0
GUIDED = "You have a coach or mentor in {cohorts} already, so there is no button to ask someone else there."


def directory_message(directory: Directory, topic: str = "") -> Message:
    """Best fit first, with the words that matched and the room each person has left; "See all" opens
    everyone, page by page, when there are more than fit a message."""
    blocks: list[Block] = [
        SectionBlock(
            block_id=ids.DIRECTORY_INTRO_BLOCK, text=MarkdownTextObject(text=_intro(directory, topic))
        )
    ]
    blocks += [_entry(entry) for entry in directory.entries[:MAX_SHOWN]]
    total = len(directory.entries)
    if total > MAX_SHOWN:
        more = mrkdwn(
            f"Showing the {MAX_SHOWN} best fits of {total}. *See all {total}* lists everyone, page by page; "
            "`/circles coaches <topic>` puts the best fits for a topic first."
        )
        see_all = ButtonElement(
            text=f"See all {total}", action_id=ids.DIRECTORY_SEE_ALL, value=page_value(topic, 0)
        )
        blocks += [context_line(more), ActionsBlock(block_id=ids.DIRECTORY_MORE_BLOCK, elements=[see_all])]
    blocks += _notes(directory)
    return Message(text="Coaches and mentors in your cohorts", blocks=blocks)


def directory_modal(directory: Directory, topic: str = "", turn: Turn | int = 0) -> View:
    """Every coach and mentor of the directory, best fit first, PAGE_ENTRIES a page, each with its button.

    A page turned to starts right after the last person the page before showed, wherever the directory
    (read again) has them now: nobody is passed over when someone before them left or filled up meanwhile.
    """
    entries = directory.entries
    keys = [entry_key(entry) for entry in entries]
    shown = window(keys, PAGE_ENTRIES, turn if isinstance(turn, Turn) else Turn(turn))
    blocks: list[Block] = [
        SectionBlock(
            block_id=ids.DIRECTORY_INTRO_BLOCK, text=MarkdownTextObject(text=_intro(directory, topic))
        )
    ]
    blocks += [_entry(entry) for entry in entries[shown.start : shown.end]]
    if shown.pages > 1:
        page, pages, total = shown.number, shown.pages, len(entries)
        blocks.append(context_line(f"Page {page + 1} of {pages}: {shown.start + 1}–{shown.end} of {total}."))
        turns = [(page - 1, "← Previous", "previous"), (page + 1, "Next →", "next")]
        buttons = [
            ButtonElement(text=words, action_id=f"{ids.DIRECTORY_PAGE}:{name}", value=page_value(topic, to))
            for to, words, name in turns
            if 0 <= to < pages
        ]
        block_id = pager_block_id(ids.DIRECTORY_PAGES_BLOCK, keys[shown.start], keys[shown.end - 1])
        blocks.append(ActionsBlock(block_id=block_id, elements=buttons))
    blocks += _notes(directory)
    return View(
        type="modal", callback_id=ids.DIRECTORY_VIEW, title="Coaches & mentors", close="Close", blocks=blocks
    )


def entry_key(entry: Entry) -> str:
    """Who an entry is, for a page button to name: one person in one cohort."""
    return f"{entry.user_id}:{entry.cohort_slug}"


def _notes(directory: Directory) -> list[Block]:
    """Below the list: who hears of a request, and why a paused learner, or one who has a coach or mentor
    in a cohort already, has no button to ask."""
    notes = [PRIVATE] if any(e.can_request and not e.full for e in directory.entries) else []
    notes += [PAUSED] if directory.paused and directory.entries else []
    guided = {e.cohort_slug: e.cohort_name for e in directory.entries if e.cohort_slug in directory.guided}
    if guided:
        names = [f"*{fit_mrkdwn(name, 200)}*" for name in guided.values()]
        more = len(names) - GUIDED_NAMED
        cohorts = ", ".join(names[:GUIDED_NAMED]) + (
            f" and {counted(more, 'more cohort')}" if more > 0 else ""
        )
        notes.append(GUIDED.format(cohorts=cohorts))
    return [context_line(" ".join(notes))] if notes else []


def page_value(topic: str, page: int) -> str:
    """What a directory button carries: the topic it was ranked for (its start) and the page to show."""
    return f"{topic[:TOPIC_IN_VALUE]}:{page}"


def page_asked(value: object) -> tuple[str, int] | None:
    """The topic and page a directory button carries; None for anything this app did not write."""
    turned = turned_to(f"{TOPIC_MARK}{value}")  # the mark keeps an empty topic a key
    return (turned[0].removeprefix(TOPIC_MARK), turned[1]) if turned else None


def _intro(directory: Directory, topic: str) -> str:
    if not directory.entries:
        return "There are no coaches or mentors in your cohorts yet. Your facilitator can tell you more."
    if directory.basis is Basis.TOPIC:
        return f"*Coaches and mentors for “{quote_typed(topic)}”*, best fit first."
    if directory.basis is Basis.PROFILE:
        return "*Coaches and mentors*, best fit for your aspirations and interests first."
    if directory.runs_only:  # no profile of their own to rank by: a topic can
        return mrkdwn(
            "*Coaches and mentors* in the cohorts you run. "
            "`/circles coaches <topic>` puts the best fit for a topic first."
        )
    return mrkdwn(
        "*Coaches and mentors* in your cohorts. Add your aspirations with `/circles profile`, "
        "or try `/circles coaches <topic>`, to see the best fit first."
    )


def _room(entry: Entry) -> str:
    """The room a coach or mentor has: not said yet is not full, and 0 is their choice, not a lack of room."""
    if entry.unopened:
        return UNOPENED
    if entry.offered == 0:
        return NONE_NEW
    return "no room right now" if entry.full else f"{counted(entry.remaining, 'place')} left"


def _entry(entry: Entry) -> SectionBlock:
    lines = [
        f"*<@{entry.user_id}>* · {entry.role.value} in {fit_mrkdwn(entry.cohort_name, 500)} · {_room(entry)}"
    ]
    offers = entry.offers or entry.skills
    if offers:
        lines.append(fit_mrkdwn(offers, SNIPPET))
    if entry.matches:
        lines.append(f"_matches: {fit_mrkdwn(', '.join(entry.matches), SNIPPET)}_")
    button = None
    if entry.can_request and not entry.full:
        button = ButtonElement(
            text=f"Request as my {entry.role.value}",
            action_id=ids.DIRECTORY_REQUEST,
            value=f"{entry.cohort_slug}:{entry.user_id}",
        )
    return SectionBlock(text=MarkdownTextObject(text=clip_mrkdwn("\n".join(lines), 3000)), accessory=button)
