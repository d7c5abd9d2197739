"""Wire every listener onto the Bolt app."""

from __future__ import annotations

from slack_bolt import App

from bot.deps import Deps
from bot.listeners import commands, events


def register(app: App, deps: Deps) -> None:
    commands.register(app, deps)
    events.register(app, deps)
