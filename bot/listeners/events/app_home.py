"""Publish the home tab when someone opens it."""

from __future__ import annotations

from typing import Any

from slack_bolt import BoltContext
from slack_sdk import WebClient

from bot.deps import Deps
from bot.slack_people import is_workspace_admin
from bot.views.home import home_view
from circles.services.people import describe_caller


def publish_home(event: dict[str, Any], context: BoltContext, client: WebClient, deps: Deps) -> None:
    if event.get("tab") != "home":
        return  # the Messages tab needs nothing from us
    user_id = event["user"]
    caller = describe_caller(
        deps.db.unit_of_work(),
        team_id=context.team_id or "",
        user_id=user_id,
        is_workspace_admin=is_workspace_admin(client, user_id),
        circles_admins=deps.settings.circles_admins,
    )
    client.views_publish(user_id=user_id, view=home_view(caller))
