"""Publish the home tab when someone opens it."""

from __future__ import annotations

from bot.listeners.incoming import Incoming
from bot.views.home import home_view
from circles.services.people import describe_caller


def publish_home(incoming: Incoming) -> None:
    event = incoming.body["event"]
    if event.get("tab") != "home":
        return  # the Messages tab needs nothing from us
    user_id = event["user"]
    admins = incoming.deps.settings.circles_admins
    caller = describe_caller(
        incoming.deps.db.unit_of_work(),
        team_id=incoming.team_id,
        user_id=user_id,
        is_workspace_admin=user_id in admins
        or incoming.deps.admins.is_admin(incoming.client, incoming.team_id, user_id),
        circles_admins=admins,
    )
    incoming.client.views_publish(user_id=user_id, view=home_view(caller))
