"""users.* and views.* methods."""

from __future__ import annotations

import time
from operator import attrgetter
from typing import Any

from . import defaults
from .api_common import ApiRequest, Handler, SlackError, check_blocks, missing, paged
from .state import JsonDict

MAX_VIEW_BLOCKS = 100
MAX_TITLE = 24  # modal titles longer than this are refused


def user_info(req: ApiRequest) -> JsonDict:
    """users.info: deleted users are still returned, flagged deleted."""
    user = req.workspace.users.get(req.require("user", "user_not_found"))
    if user is None or not req.workspace.sees(req.owner.team_id, user.team_id):
        raise SlackError("user_not_found")
    return {"user": user.to_api()}


def lookup_by_email(req: ApiRequest) -> JsonDict:
    """users.lookupByEmail: deactivated accounts are not found, as on Slack."""
    email = req.require("email", "users_not_found").lower()
    # The email first: a workspace of thousands is looked through once per call.
    for user in req.workspace.users.values():
        if user.email is None or user.email.lower() != email or user.deleted:
            continue
        if req.workspace.sees(req.owner.team_id, user.team_id):
            return {"user": user.to_api()}
    raise SlackError("users_not_found")


def _team_asked_about(req: ApiRequest) -> str | None:
    """The workspace a call is about: the token's own, or for an org-wide token the `team_id` it must name
    (None when that workspace is outside the organisation)."""
    team = req.owner.team_id
    if not team.startswith("E"):  # an org-wide install's token belongs to its organisation
        return team
    named = req.text("team_id")
    if named is None:
        raise SlackError("missing_argument")
    return named if req.workspace.sees(team, named) else None


def users_list(req: ApiRequest) -> JsonDict:
    """users.list, deactivated people and bots included, paged by `cursor` and `limit` (without a limit,
    one page holds everyone). An org-wide token must name the workspace to list (`team_id`), as on Slack;
    a workspace token's `team_id` is ignored."""
    team = _team_asked_about(req)
    if team is None:
        raise SlackError("team_access_not_granted")
    people = sorted([u for u in req.workspace.users.values() if u.team_id == team], key=attrgetter("id"))
    page, metadata = paged(req, [user.id for user in people], default_limit=None)
    members = [user.to_api() for user in people[page]]
    return {"members": members, "cache_ts": int(time.time()), "response_metadata": metadata}


def dnd_team_info(req: ApiRequest) -> JsonDict:
    """dnd.teamInfo: Do Not Disturb of up to 50 users of the token's team (unknown users are left out).

    An org-wide token must name the workspace the users belong to (`team_id`), as on Slack; only that
    workspace's people are answered for."""
    wanted = [u.strip() for u in (req.text("users") or "").split(",") if u.strip()]
    if len(wanted) > 50:
        raise SlackError("too_many_users")
    team = _team_asked_about(req)
    if team is None:
        return {"users": {}}  # a workspace outside the organisation: nobody the token may ask about
    users = req.workspace.users
    seen = [u for u in wanted if u in users and req.workspace.sees(team, users[u].team_id)]
    found = {u: users[u].dnd_info() for u in seen}
    return {"users": found}


def _view_arg(req: ApiRequest, kind: str | None) -> JsonDict:
    view = req.json_arg("view")
    if view is None:
        raise missing("view")
    if not isinstance(view, dict) or view.get("type") not in ("modal", "home"):
        raise SlackError(
            "invalid_arguments",
            response_metadata={"messages": ["[ERROR] invalid `type` [json-pointer:/view/type]"]},
        )
    if kind is not None and view["type"] != kind:
        raise SlackError("invalid_arguments")
    if view["type"] == "modal":
        title = view.get("title")
        if not isinstance(title, dict) or not title.get("text") or len(title["text"]) > MAX_TITLE:
            raise SlackError(
                "invalid_arguments",
                response_metadata={"messages": ["[ERROR] invalid title [json-pointer:/view/title]"]},
            )
    check_blocks(view.get("blocks"), MAX_VIEW_BLOCKS)
    return view


def _stored_view(
    req: ApiRequest, view: JsonDict, view_id: str, root: str | None, previous: str | None
) -> JsonDict:
    team = req.team
    stored: dict[str, Any] = {
        "id": view_id,
        "team_id": team.id,
        "type": view["type"],
        "title": view.get("title"),
        "close": view.get("close"),
        "submit": view.get("submit"),
        "blocks": view.get("blocks", []),
        "private_metadata": view.get("private_metadata", ""),
        "callback_id": view.get("callback_id", ""),
        "external_id": view.get("external_id", ""),
        "state": {"values": {}},
        "hash": f"{time.time():.6f}.{view_id[-8:].lower()}",
        "clear_on_close": bool(view.get("clear_on_close", False)),
        "notify_on_close": bool(view.get("notify_on_close", False)),
        "root_view_id": root or view_id,
        "previous_view_id": previous,
        "app_id": defaults.APP_ID,
        "app_installed_team_id": team.id,
        "bot_id": team.bot_id,
    }
    req.workspace.views[view_id] = stored
    return stored


def views_open(req: ApiRequest) -> JsonDict:
    """views.open."""
    req.require("trigger_id")
    view = _view_arg(req, "modal")
    return {"view": _stored_view(req, view, req.workspace.new_id("V"), None, None)}


def views_push(req: ApiRequest) -> JsonDict:
    """views.push."""
    req.require("trigger_id")
    view = _view_arg(req, "modal")
    return {"view": _stored_view(req, view, req.workspace.new_id("V"), None, None)}


def views_update(req: ApiRequest) -> JsonDict:
    """views.update by view_id or external_id; a stale hash is a hash_conflict."""
    view = _view_arg(req, None)
    view_id, external_id = req.text("view_id"), req.text("external_id")
    if view_id is None and external_id is None:
        raise missing("view_id")
    views = req.workspace.views
    if view_id is None:
        view_id = next((v["id"] for v in views.values() if v.get("external_id") == external_id), None)
        if view_id is None:
            raise SlackError("not_found")
    current = views.get(view_id)
    # Views opened outside the stand-in (ids in hand-built payloads) are accepted as they are.
    if current is not None and req.text("hash") not in (None, current["hash"]):
        raise SlackError("hash_conflict")
    root = current["root_view_id"] if current else None
    previous = current["previous_view_id"] if current else None
    return {"view": _stored_view(req, view, view_id, root, previous)}


def views_publish(req: ApiRequest) -> JsonDict:
    """views.publish: the user's App Home."""
    user_id = req.require("user_id")
    view = _view_arg(req, "home")
    current = req.workspace.home_views.get(user_id)
    if current is not None and req.text("hash") not in (None, current["hash"]):
        raise SlackError("hash_conflict")
    view_id = current["id"] if current else req.workspace.new_id("V")
    stored = req.workspace.home_views[user_id] = _stored_view(req, view, view_id, None, None)
    return {"view": stored}


HANDLERS: dict[str, Handler] = {
    "users.info": user_info,
    "users.lookupByEmail": lookup_by_email,
    "users.list": users_list,
    "dnd.teamInfo": dnd_team_info,
    "views.open": views_open,
    "views.push": views_push,
    "views.update": views_update,
    "views.publish": views_publish,
}
