"""Events Slack sends the app (see manifest.yml: every subscribed event has a listener here)."""

from __future__ import annotations

from functools import partial

from slack_bolt import App

from bot.deps import Deps
from bot.listeners.events import app_home, lifecycle


def register(app: App, deps: Deps) -> None:
    app.event("app_home_opened")(partial(app_home.publish_home, deps=deps))
    app.event("user_change")(partial(lifecycle.user_changed, deps=deps))
    app.event("app_uninstalled")(partial(lifecycle.app_uninstalled, deps=deps))
    app.event("tokens_revoked")(partial(lifecycle.tokens_revoked, deps=deps))
