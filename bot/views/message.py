"""A message as Slack takes it: fallback text plus blocks."""

from __future__ import annotations

from dataclasses import dataclass

from slack_sdk.models.blocks import Block


@dataclass(frozen=True)
class Message:
    """Fallback text plus blocks, ready for respond() or chat.postEphemeral."""

    text: str
    blocks: list[Block]

    def block_dicts(self) -> list[dict[str, object]]:
        return [block.to_dict() for block in self.blocks]
