"""A long list in full on request: a modal of sections, page by page, each page within Slack's limits."""

from __future__ import annotations

from dataclasses import replace
from itertools import accumulate

from slack_sdk.models.blocks import (
    ActionsBlock,
    Block,
    ButtonElement,
)
from slack_sdk.models.views import View

from bot.views.message import context_line, text_section
from bot.views.text import clip_mrkdwn, fit_plain, pack_lines, slack_length
from circles.domain.paging import Packing, Turn, Way, Window, packed_window

PAGE_SECTIONS = 15  # sections a page: 45,000 characters at most, well within a modal's 100 blocks
BLOCK_ID = 255  # characters of a block_id
SHOWN_MARK = "|"  # between the first and last entry a page showed, in its page buttons' block_id
COUNT_MARK = "*"  # after the last entry a page of packed lines showed: how many entries it showed
SECTION = 3000  # characters of a section's text
WAYS = {"next": Way.ON, "previous": Way.BACK, "prev": Way.BACK}  # the end of a page button's action_id


def page_count(texts: list[str]) -> int:
    return max(1, -(-len(texts) // PAGE_SECTIONS))


def paged_modal(
    *,
    title: str,
    callback_id: str,
    texts: list[str],
    page: int,
    footer: str,
    turn: str,
    key: str,
    block_id: str,
) -> View:
    """One page of section texts, read-only; its buttons `<turn>:previous` / `:next` carry "<key>:<page>"."""
    pages = page_count(texts)
    page = max(0, min(page, pages - 1))
    shown = texts[page * PAGE_SECTIONS : (page + 1) * PAGE_SECTIONS]
    note = footer if pages == 1 else f"Page {page + 1} of {pages}. {footer}"
    return page_view(
        title=title,
        callback_id=callback_id,
        texts=shown,
        at=Window(0, 0, page, pages),
        note=note,
        turn=turn,
        key=key,
        block_id=block_id,
    )


def packed_modal(
    *,
    title: str,
    callback_id: str,
    lines: list[str],
    keys: list[str],
    asked: Turn,
    noun: str,
    footer: str,
    turn: str,
    key: str,
    block_id: str,
) -> View:
    """As `paged_modal`, for lines packed into sections of SECTION characters, as many as fit a page, each
    keyed (lines keyed "", a heading, come before the others and are not counted): a page turned to starts
    right after the last line the page pressed on showed (its buttons' block_id names its first and last,
    and how many lines from one to the other), wherever the lines, read again, have it now."""
    texts = [clip_mrkdwn(line, SECTION) for line in lines]
    packing = Packing([slack_length(text) for text in texts], SECTION, PAGE_SECTIONS)
    at = packed_window(keys, packing, asked)
    numbers = list(accumulate(1 if key else 0 for key in keys))  # the place of each keyed line, from 1
    named = [place for place in range(at.start, at.end) if keys[place]]
    first, last = (named[0], named[-1]) if named else (0, -1)
    note = footer
    if at.pages > 1 and named:
        which = f"{noun} {numbers[first]}–{numbers[last]} of {numbers[-1]}"
        note = f"Page {at.number + 1} of {at.pages}: {which}. {footer}"
    ends = (keys[first], f"{keys[last]}{COUNT_MARK}{last - first + 1}") if named else ("", "")
    return page_view(
        title=title,
        callback_id=callback_id,
        texts=pack_lines(texts[at.start : at.end], SECTION),
        at=at,
        note=note,
        turn=turn,
        key=key,
        block_id=pager_block_id(block_id, *ends),
    )


def page_view(
    *,
    title: str,
    callback_id: str,
    texts: list[str],
    at: Window,
    note: str,
    turn: str,
    key: str,
    block_id: str,
) -> View:
    """Page `at.number` of `at.pages`: its sections, a note, and its buttons to the pages either side."""
    blocks: list[Block] = [text_section(text) for text in texts or ["Nothing to show."]]
    blocks.append(context_line(note))
    page = at.number
    turns = [(page - 1, "← Previous", "previous"), (page + 1, "Next →", "next")]
    buttons = [
        ButtonElement(text=words, action_id=f"{turn}:{name}", value=f"{key}:{to}")
        for to, words, name in turns
        if 0 <= to < at.pages
    ]
    if buttons:
        blocks.append(ActionsBlock(block_id=block_id, elements=buttons))
    return View(
        type="modal", callback_id=callback_id, title=fit_plain(title, 24), close="Close", blocks=blocks
    )


def turned_to(value: object) -> tuple[str, int] | None:
    """The key and page a page button carries; None for anything this app did not write."""
    key, _, page = str(value).rpartition(":")
    if not key or not page.isascii() or not page.isdigit() or len(page) > 6:
        return None
    return key, int(page)


def pager_block_id(block_id: str, first: str, last: str) -> str:
    """The block_id of a page's buttons, naming the entries the page shows first and last (keys with no
    SHOWN_MARK), so the next page starts right after the last one in the list as it is then. A block_id
    they would not fit in names none: the page numbers alone decide."""
    named = f"{block_id}:{first}{SHOWN_MARK}{last}"
    keys_fit = first and last and SHOWN_MARK not in first + last and len(named) <= BLOCK_ID
    return named if keys_fit else block_id


def turn_pressed(action: object, block_id: str, page: int) -> Turn:
    """The page a page button asks for, from the action Slack sent: `page` (read from its value), the way
    its action_id ends in, and the entries its block_id names (none in a button drawn before they were
    named, or one this app did not write: then the page numbers alone decide)."""
    action = action if isinstance(action, dict) else {}
    way = WAYS.get(str(action.get("action_id", "")).rpartition(":")[2], Way.AGAIN)
    first, last = shown_in(action.get("block_id"), block_id)
    return Turn(page, way, first, last)


def packed_turn(action: object, block_id: str, page: int) -> Turn:
    """As `turn_pressed`, for a page of `packed_modal`: its last entry is named with how many it showed; a
    block_id naming none, or not so, turns by the page number alone."""
    turn = turn_pressed(action, block_id, page)
    last, mark, shown = turn.last.rpartition(COUNT_MARK)
    if not (mark and last and shown.isascii() and shown.isdigit() and len(shown) <= 6):
        return Turn(page, turn.way)
    return replace(turn, last=last, shown=int(shown))


def shown_in(named: object, block_id: str) -> tuple[str, str]:
    """The entries a page showed first and last, as its buttons' block_id names them; ("", "") for none, and
    for a block_id this app did not write (a NUL, which PostgreSQL cannot compare with a slug, say)."""
    text = named if isinstance(named, str) and named.isprintable() and len(named) <= BLOCK_ID else ""
    keys = text.removeprefix(f"{block_id}:") if text.startswith(f"{block_id}:") else ""
    first, mark, last = keys.partition(SHOWN_MARK)
    return (first, last) if mark and first and last and SHOWN_MARK not in last else ("", "")
