"""conversations.* methods."""

from __future__ import annotations

import re

from . import defaults
from .api_common import ApiRequest, Handler, SlackError
from .state import Channel, JsonDict

_NAME_CHARS = re.compile(r"^[a-z0-9_\-\u00c0-\uffff]+$")  # Slack allows lower-case letters in any script
MAX_NAME = 80
MAX_MPIM_USERS = 8


def known_channel(req: ApiRequest) -> Channel:
    """The channel argument, which must name a conversation the stand-in knows."""
    channel_id = req.require("channel", "channel_not_found")
    channel = req.workspace.channels.get(channel_id)
    if channel is None:
        raise SlackError("channel_not_found")
    return channel


def _open_channel(req: ApiRequest, channel: Channel) -> Channel:
    if channel.is_archived:
        raise SlackError("is_archived")
    return channel


def open_conversation(req: ApiRequest) -> JsonDict:
    """conversations.open: an IM for one user, an MPIM for several."""
    users = req.id_list("users")
    if not users:
        if req.text("channel") is None:
            raise SlackError("users_list_not_supplied")
        return {"channel": {"id": known_channel(req).id}, "no_op": True, "already_open": True}
    if len(users) > MAX_MPIM_USERS:
        raise SlackError("too_many_users")
    for user in users:
        if user in req.workspace.refused_dms:
            raise SlackError(req.workspace.refused_dms[user])
    if not all(req.workspace.reaches(req.owner.team_id, user) for user in users):
        raise SlackError("user_not_found")  # someone of a workspace this token does not reach
    team = req.team
    if len(users) == 1:
        already = defaults.dm_channel_id(users[0]) in req.workspace.channels
        channel = req.workspace.im_with(team.id, users[0])
    else:
        channel, already = req.workspace.mpim_with(team.id, team.bot_user_id, users)
    body: JsonDict = channel.to_api() if req.flag("return_im") else {"id": channel.id}
    return {"no_op": bool(already), "already_open": bool(already), "channel": body}


def _check_name(name: str) -> None:
    if not name:
        raise SlackError("invalid_name_required")
    if len(name) > MAX_NAME:
        raise SlackError("invalid_name_maxlength")
    if not _NAME_CHARS.match(name):
        raise SlackError("invalid_name_specials")
    if not name.strip("-_"):
        raise SlackError("invalid_name_punctuation")


def create(req: ApiRequest) -> JsonDict:
    """conversations.create; names are unique per team, archived channels included."""
    name = req.text("name", "") or ""
    _check_name(name)
    team = req.team
    if any(c.name == name and c.team_id == team.id for c in req.workspace.channels.values()):
        raise SlackError("name_taken")
    channel = Channel(
        req.workspace.new_id("C"),
        team.id,
        name=name,
        is_private=req.flag("is_private"),
        creator=team.bot_user_id,
        members=[team.bot_user_id],
    )
    req.workspace.channels[channel.id] = channel
    return {"channel": channel.to_api()}


def list_conversations(req: ApiRequest) -> JsonDict:
    """conversations.list: like Slack, a bot sees private channels only when it is a member."""
    team = req.team
    types = set((req.text("types") or "public_channel").split(","))
    bot = team.bot_user_id
    found = []
    for channel in req.workspace.channels.values():
        if channel.team_id != team.id or channel.is_im or channel.is_mpim:
            continue
        if req.flag("exclude_archived") and channel.is_archived:
            continue
        kind = "private_channel" if channel.is_private else "public_channel"
        if kind in types and (not channel.is_private or bot in channel.members):
            found.append(channel.to_api())
    return {"channels": found, "response_metadata": {"next_cursor": ""}}


def invite(req: ApiRequest) -> JsonDict:
    """conversations.invite."""
    channel = _open_channel(req, known_channel(req))
    users = req.id_list("users")
    if not users:
        raise SlackError("no_user")
    if req.team.bot_user_id in users:
        raise SlackError("cant_invite_self")
    for user_id in users:
        user = req.workspace.users.get(user_id)
        if user is not None and user.deleted:
            raise SlackError("cant_invite")
    new = [u for u in users if u not in channel.members]
    if not new:
        raise SlackError("already_in_channel")
    channel.members.extend(new)
    return {"channel": channel.to_api()}


def kick(req: ApiRequest) -> JsonDict:
    """conversations.kick."""
    channel = known_channel(req)
    user = req.require("user", "user_not_found")
    if user not in channel.members:
        raise SlackError("not_in_channel")
    channel.members.remove(user)
    return {}


def info(req: ApiRequest) -> JsonDict:
    """conversations.info."""
    return {"channel": known_channel(req).to_api(num_members=req.flag("include_num_members"))}


def members(req: ApiRequest) -> JsonDict:
    """conversations.members (one page holds everyone)."""
    return {"members": list(known_channel(req).members), "response_metadata": {"next_cursor": ""}}


def _page(req: ApiRequest, messages: list[JsonDict]) -> JsonDict:
    limit = min(max(req.number("limit", 100), 1), 999)
    start = req.number("cursor", 0) if (req.text("cursor") or "").isdigit() else 0
    page = messages[start : start + limit]
    more = start + limit < len(messages)
    return {
        "messages": page,
        "has_more": more,
        "response_metadata": {"next_cursor": str(start + limit) if more else ""},
    }


def history(req: ApiRequest) -> JsonDict:
    """conversations.history: top-level messages, newest first."""
    channel_id = req.require("channel", "channel_not_found")
    ws = req.workspace
    if channel_id not in ws.channels and channel_id not in ws.messages:
        raise SlackError("channel_not_found")
    try:
        oldest, latest = float(req.text("oldest") or 0), float(req.text("latest") or "inf")
    except ValueError:
        raise SlackError("invalid_ts_oldest") from None
    inclusive = req.flag("inclusive")
    found = [
        m
        for m in reversed(ws.messages.get(channel_id, []))
        if m.get("thread_ts", m["ts"]) == m["ts"]
        and (oldest <= float(m["ts"]) <= latest if inclusive else oldest < float(m["ts"]) < latest)
    ]
    if not req.flag("include_all_metadata"):
        # Slack leaves message metadata out unless asked for it.
        found = [{k: v for k, v in m.items() if k != "metadata"} for m in found]
    return {**_page(req, found), "pin_count": 0, "channel_actions_ts": None, "channel_actions_count": 0}


def replies(req: ApiRequest) -> JsonDict:
    """conversations.replies: the parent then its replies, oldest first."""
    channel_id = req.require("channel", "channel_not_found")
    ts = req.require("ts", "thread_not_found")
    thread = [
        m for m in req.workspace.messages.get(channel_id, []) if m["ts"] == ts or m.get("thread_ts") == ts
    ]
    if not thread:
        raise SlackError("thread_not_found")
    return _page(req, thread)


def archive(req: ApiRequest) -> JsonDict:
    """conversations.archive."""
    channel = known_channel(req)
    if channel.is_archived:
        raise SlackError("already_archived")
    channel.is_archived = True
    return {}


def unarchive(req: ApiRequest) -> JsonDict:
    """conversations.unarchive."""
    channel = known_channel(req)
    if not channel.is_archived:
        raise SlackError("not_archived")
    channel.is_archived = False
    return {}


def set_purpose(req: ApiRequest) -> JsonDict:
    """conversations.setPurpose."""
    channel = _open_channel(req, known_channel(req))
    channel.purpose = req.text("purpose", "") or ""
    return {"channel": channel.to_api()}


def set_topic(req: ApiRequest) -> JsonDict:
    """conversations.setTopic."""
    channel = _open_channel(req, known_channel(req))
    channel.topic = req.text("topic", "") or ""
    return {"channel": channel.to_api()}


HANDLERS: dict[str, Handler] = {
    "conversations.open": open_conversation,
    "conversations.create": create,
    "conversations.list": list_conversations,
    "conversations.invite": invite,
    "conversations.kick": kick,
    "conversations.info": info,
    "conversations.members": members,
    "conversations.history": history,
    "conversations.replies": replies,
    "conversations.archive": archive,
    "conversations.unarchive": unarchive,
    "conversations.setPurpose": set_purpose,
    "conversations.setTopic": set_topic,
}
