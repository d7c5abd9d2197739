"""A resolved alert always says where the partnership stands, however long the facilitator's comment."""

from __future__ import annotations

import pytest

from bot import ids
from bot.views.escalation import escalation_message
from circles.domain.escalations import COMMENT_LIMIT
from circles.messages import EscalationCard
from tests.slack_limits import assert_within_limits
from tests.unit.test_escalation_views import blocks_of, card


@pytest.mark.parametrize(
    ("status", "line"), [("paused", "The partnership is paused."), ("ended", "The partnership has ended.")]
)
@pytest.mark.parametrize("comment", ["&" * COMMENT_LIMIT, "<\n" * (COMMENT_LIMIT // 2)])
def test_the_partnerships_state_shows_above_the_longest_comment_the_form_takes(
    status: str, line: str, comment: str
) -> None:
    args = card(
        status="resolved",
        resolved_by="U0FAC1",
        resolved_at="2026-11-04T10:00:00+00:00",
        outcome="reconnected",
        comment=comment,
        notes=[],
        partnership_status=status,
    )
    [section] = [b for b in blocks_of(args) if b.get("block_id") == ids.ESCALATION_STATUS_BLOCK]
    shown = section["text"]["text"]
    assert line in shown.split("\n>", 1)[0]  # on the first line, not inside the quoted comment
    assert shown.startswith("Resolved by <@U0FAC1>")
    assert_within_limits(escalation_message(EscalationCard.from_args(args)), typed=[comment])
