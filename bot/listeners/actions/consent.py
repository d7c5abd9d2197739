"""The research consent message's buttons: agree, or withdraw, in the cohort the button names."""

from __future__ import annotations

from bot.listeners.incoming import Incoming
from bot.views.consent import decided_message
from circles.services.research.consent import decide


def agree_clicked(incoming: Incoming) -> None:
    _decide(incoming, give=True)


def withdraw_clicked(incoming: Incoming) -> None:
    _decide(incoming, give=False)


def _decide(incoming: Incoming, *, give: bool) -> None:
    """The presser decides for themself only; a missing slug (hostile input) names no cohort of theirs."""
    decided = incoming.as_person(decide, incoming.action_value, give, incoming.deps.clock())
    incoming.reply(decided_message(decided))
