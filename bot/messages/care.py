"""The answer to a message someone typed in the app's DM."""

from __future__ import annotations

from bot.messages import renders
from bot.views.direct_answer import direct_answer_message
from circles.messages import DirectAnswer

renders(DirectAnswer)(direct_answer_message)
