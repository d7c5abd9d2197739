"""A long list in full on request: a modal of sections, page by page, each page within Slack's limits."""

from __future__ import annotations

from slack_sdk.models.blocks import (
    ActionsBlock,
    Block,
    ButtonElement,
)
from slack_sdk.models.views import View

from bot.views.message import context_line, text_section
from bot.views.text import fit_plain

PAGE_SECTIONS = 15  # sections a page: 45,000 characters at most, well within a modal's 100 blocks


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
    shown = texts[page * PAGE_SECTIONS : (page + 1) * PAGE_SECTIONS] or ["Nothing to show."]
    blocks: list[Block] = [text_section(text) for text in shown]
    note = footer if pages == 1 else f"Page {page + 1} of {pages}. {footer}"
    blocks.append(context_line(note))
    turns = [(page - 1, "← Previous", "previous"), (page + 1, "Next →", "next")]
    buttons = [
        ButtonElement(text=words, action_id=f"{turn}:{name}", value=f"{key}:{to}")
        for to, words, name in turns
        if 0 <= to < pages
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
