"""The research consent buttons, in a message or on Home: agree, or withdraw, in the cohort they name."""

from __future__ import annotations

from bot.listeners.incoming import Incoming
from bot.listeners.surfaces import Surface, redraw_home, surface_of
from bot.views.consent import decided_message, parse_consent_value
from circles.services.research.consent import decide


def agree_clicked(incoming: Incoming) -> None:
    _decide(incoming, give=True)


def withdraw_clicked(incoming: Incoming) -> None:
    _decide(incoming, give=False)


def _decide(incoming: Incoming, *, give: bool) -> None:
    """The presser decides for themself only; a missing slug (hostile input) names no cohort of theirs."""
    slug, read_version = parse_consent_value(incoming.action_value)
    decided = incoming.as_person(decide, slug, give, incoming.deps.clock(), read_version=read_version)
    home = surface_of(incoming) is Surface.HOME
    if home and redraw_home(incoming):
        return  # Home shows the decision standing now
    incoming.reply(decided_message(decided))
