"""Events Slack sends the app: every event manifest.yml subscribes to has a listener here."""

from __future__ import annotations

import re

from slack_bolt import App

from bot.deps import Deps
from bot.listeners.events import app_home, direct_messages, lifecycle, mentions
from bot.listeners.incoming import ack_now, after_ack

# Every event but a workflow's step, whose unknown callback is better left unhandled (and logged as such).
ANY_OTHER_EVENT = re.compile(r"^(?!function_executed$).*$")


def register(app: App, deps: Deps) -> None:
    # Taken in, then handed to the Home publisher's own threads; nobody asked in words, so nobody is
    # told of a failure.
    home = after_ack(app_home.publish_home, deps, wanted=app_home.is_home, asked=False)
    app.event("app_home_opened")(ack=ack_now, lazy=[home])
    # Anyone's profile or status changed: nobody asked for anything, so nobody hears of a failure.
    changed = after_ack(lifecycle.user_changed, deps, asked=False)
    app.event("user_change")(ack=ack_now, lazy=[changed])
    app.event("app_uninstalled")(ack=ack_now, lazy=[after_ack(lifecycle.app_uninstalled, deps)])
    app.event("tokens_revoked")(ack=ack_now, lazy=[after_ack(lifecycle.tokens_revoked, deps)])
    app.event("team_access_revoked")(ack=ack_now, lazy=[after_ack(lifecycle.team_access_revoked, deps)])
    app.event("team_access_granted")(ack=ack_now, lazy=[after_ack(lifecycle.team_access_granted, deps)])
    # Only what a person typed in the app's DM is answered, and its text is never looked at.
    # A failure is answered from memory, a minute at a time, in words that ask nobody to type again.
    from_memory = direct_messages.AnswerFromMemory(deps.clock)
    typed = after_ack(direct_messages.message_typed, deps, direct_messages.is_typed, from_memory, asked=False)
    app.event("message")(ack=ack_now, lazy=[typed])
    # Naming the app in a channel or group DM is answered the same way, in the person's DM with the app:
    # never in the channel, and in the same minute as what they type there (the same answer's key).
    mentioned = after_ack(mentions.app_mentioned, deps, mentions.is_mention, from_memory, asked=False)
    app.event("app_mention")(ack=ack_now, lazy=[mentioned])


def acknowledge_the_rest(app: App) -> None:
    """Acknowledge, and do nothing about, any other event (of a subscription the manifest no longer has,
    say): Slack retries an event it gets no 200 for, and turns off a Request URL that keeps failing.
    Registered after every other listener."""
    app.event(ANY_OTHER_EVENT)(ack_now)
