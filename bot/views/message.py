"""A message as Slack takes it: fallback text plus blocks; and the two blocks most views are made of."""

from __future__ import annotations

from dataclasses import dataclass

from slack_sdk.models.blocks import Block, ContextBlock, MarkdownTextObject, SectionBlock


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
