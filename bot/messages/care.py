"""The answer to a message someone typed in the app's DM."""

from __future__ import annotations

from bot.messages import renders
from bot.views.direct_answer import direct_answer_message
from bot.views.message import Message
from circles.messages import DirectAnswer


@renders(DirectAnswer)
def direct_answer(answer: DirectAnswer) -> Message:
    return direct_answer_message(answer)
