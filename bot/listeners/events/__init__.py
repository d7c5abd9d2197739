"""Events Slack sends the app: every event manifest.yml subscribes to has a listener here."""

from __future__ import annotations

from slack_bolt import App

from bot.deps import Deps
from bot.listeners.events import app_home, direct_messages, lifecycle
from bot.listeners.incoming import ack_now, after_ack


def register(app: App, deps: Deps) -> None:
    app.event("app_home_opened")(ack=ack_now, lazy=[after_ack(app_home.publish_home, deps)])
    app.event("user_change")(ack=ack_now, lazy=[after_ack(lifecycle.user_changed, deps)])
    app.event("app_uninstalled")(ack=ack_now, lazy=[after_ack(lifecycle.app_uninstalled, deps)])
    app.event("tokens_revoked")(ack=ack_now, lazy=[after_ack(lifecycle.tokens_revoked, deps)])
    # Every message event is acknowledged (Slack retries, then gives up on, events it gets no 200 for);
    # only what a person typed in the app's DM is answered, and its text is never looked at.
    app.event("message")(ack=ack_now, lazy=[after_ack(direct_messages.message_typed, deps)])
