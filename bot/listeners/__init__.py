"""Wire every listener onto the Bolt app."""

from __future__ import annotations

from slack_bolt import App

from bot.deps import Deps
from bot.listeners import (
    checkins,
    cohort_config,
    commands,
    endings,
    escalations,
    events,
    health_list,
    match_conflicts,
    matching,
    membership,
    nudges,
    profiles,
    relationships,
    support,
)


def register(app: App, deps: Deps) -> None:
    commands.register(app, deps)
    events.register(app, deps)
    cohort_config.register(app, deps)
    membership.register(app, deps)
    matching.register(app, deps)
    match_conflicts.register(app, deps)
    endings.register(app, deps)
    relationships.register(app, deps)
    nudges.register(app, deps)
    profiles.register(app, deps)
    checkins.register(app, deps)
    escalations.register(app, deps)
    support.register(app, deps)
    health_list.register(app, deps)
