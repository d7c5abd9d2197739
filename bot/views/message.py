"""A message as Slack takes it: fallback text plus blocks; and the pieces most views are made of."""

from __future__ import annotations

from dataclasses import dataclass

from slack_sdk.models.blocks import (
    Block,
    ButtonElement,
    ConfirmObject,
    ContextBlock,
    MarkdownTextObject,
    SectionBlock,
)


@dataclass(frozen=True)
class Message:
    """Fallback text plus blocks, ready for respond() or chat.postEphemeral."""

    text: str
    blocks: list[Block]

    def block_dicts(self) -> list[dict[str, object]]:
        return [block.to_dict() for block in self.blocks]


def text_section(text: str) -> SectionBlock:
    """A section of mrkdwn text (at most 3,000 characters: the caller fits it)."""
    return SectionBlock(text=MarkdownTextObject(text=text))


def context_line(text: str) -> ContextBlock:
    """A line of mrkdwn small print."""
    return ContextBlock(elements=[MarkdownTextObject(text=text)])


def words_for_facilitators(block_id: str, heading: str, words: str | list[str], why: str) -> list[Block]:
    """A facilitator's private message carrying someone's words: a heading, the words as given (already
    quoted or fitted by the caller; a list goes over one section each), and small print saying why they
    have it."""
    sections = [words] if isinstance(words, str) else words
    return [
        SectionBlock(block_id=block_id, text=MarkdownTextObject(text=heading)),
        *(text_section(section) for section in sections),
        context_line(why),
    ]


def confirmed_button(
    words: str,
    action_id: str,
    value: str,
    title: str,
    text: str,
    style: str | None = None,
    *,
    confirm: str = "Yes",
    deny: str = "Not now",
) -> ButtonElement:
    """A button Slack asks about before it is pressed: title and text are the question."""
    question = ConfirmObject(title=title, text=text, confirm=confirm, deny=deny)
    return ButtonElement(text=words, action_id=action_id, value=value, style=style, confirm=question)
