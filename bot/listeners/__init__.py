"""Wire every listener onto the Bolt app, one folder per kind of request Slack sends.

`commands/` (the `/circles` slash command and its subcommands), `actions/` (buttons and menus),
`views/` (modal submissions), `events/` (Events API) and `functions/` (Workflow Builder steps): inside
each, one module per capability.
The modules beside them (incoming, modals, surfaces) are what every folder shares.
"""

from __future__ import annotations

from slack_bolt import App

from bot.deps import Deps
from bot.listeners import actions, commands, events, functions, views


def register(app: App, deps: Deps) -> None:
    commands.register(app, deps)
    actions.register(app, deps)
    views.register(app, deps)
    events.register(app, deps)
    functions.register(app, deps)
    events.acknowledge_the_rest(app)  # last: Bolt gives an event to the first listener that matches it
