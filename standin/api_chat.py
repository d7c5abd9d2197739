"""chat.* methods."""

from __future__ import annotations

from . import defaults
from .api_common import ApiRequest, Handler, SlackError, check_blocks
from .state import JsonDict

MAX_TEXT = 40_000  # Slack truncates/refuses longer messages
MAX_MESSAGE_BLOCKS = 50


def resolve_channel(req: ApiRequest, name: str = "channel") -> str:
    """The channel id a message goes to: user ids mean the bot's DM, #names are looked up."""
    channel = req.require(name, "channel_not_found")
    ws = req.workspace
    if channel[0] in "UW":
        return ws.im_with(req.owner.team_id, channel).id
    if channel.startswith("#"):
        found = [c for c in ws.channels.values() if c.name == channel[1:] and c.team_id == req.owner.team_id]
        if not found:
            raise SlackError("channel_not_found")
        return found[0].id
    known = ws.channels.get(channel)
    if known is not None and known.is_archived:
        raise SlackError("is_archived")
    return channel


def _content(req: ApiRequest) -> JsonDict:
    """The text/blocks/attachments/metadata of a message, validated like Slack does."""
    text = req.text("text")
    blocks = check_blocks(req.json_arg("blocks"), MAX_MESSAGE_BLOCKS)
    attachments = req.json_arg("attachments")
    if not text and not blocks and not attachments:
        raise SlackError("no_text")
    if text is not None and len(text) > MAX_TEXT:
        raise SlackError("msg_too_long")
    content: JsonDict = {"text": text or ""}
    if blocks:
        content["blocks"] = blocks
    if attachments:
        content["attachments"] = attachments
    metadata = req.json_arg("metadata")
    if metadata:
        content["metadata"] = metadata
    return content


def bot_message(req: ApiRequest, ts: str, content: JsonDict) -> JsonDict:
    """A message as posted by the app's bot user."""
    team = req.team
    return {
        "user": team.bot_user_id,
        "type": "message",
        "ts": ts,
        "bot_id": team.bot_id,
        "app_id": defaults.APP_ID,
        **content,
        "team": team.id,
        "bot_profile": {
            "id": team.bot_id,
            "app_id": defaults.APP_ID,
            "name": defaults.APP_NAME,
            "icons": {"image_36": "https://a.slack-edge.com/80588/img/plugins/app/bot_36.png"},
            "deleted": False,
            "updated": 1_700_000_000,
            "team_id": team.id,
        },
    }


def _check_dm(req: ApiRequest) -> None:
    """A DM, named by the user or by its channel, to someone Slack cannot reach here is refused."""
    channel = req.text("channel") or ""
    user = channel if channel[:1] in ("U", "W") else None
    if channel[:1] == "D":
        user = next((u for u in req.workspace.users if defaults.dm_channel_id(u) == channel), None)
    refusal = req.workspace.dm_refusal(req.owner.team_id, user) if user else None
    if refusal is not None:
        raise SlackError(refusal)


def post_message(req: ApiRequest) -> JsonDict:
    """chat.postMessage."""
    _check_dm(req)
    channel = resolve_channel(req)
    content = _content(req)
    ts = req.workspace.new_ts()
    message = bot_message(req, ts, content)
    thread_ts = req.text("thread_ts")
    if thread_ts is not None:
        parent = req.workspace.find_message(channel, thread_ts)
        message.update(thread_ts=thread_ts, parent_user_id=parent["user"] if parent else req.team.bot_user_id)
        if parent is not None:
            parent["reply_count"] = parent.get("reply_count", 0) + 1
            parent["thread_ts"] = thread_ts
    req.workspace.messages.setdefault(channel, []).append(message)
    return {"channel": channel, "ts": ts, "message": message}


def post_ephemeral(req: ApiRequest) -> JsonDict:
    """chat.postEphemeral: nothing is stored, as nobody else can see it."""
    resolve_channel(req)
    req.require("user", "user_not_found")
    _content(req)
    return {"message_ts": req.workspace.new_ts()}


def _existing(req: ApiRequest, ts_field: str = "ts") -> tuple[str, JsonDict]:
    channel = resolve_channel(req)
    ts = req.require(ts_field, "message_not_found")
    message = req.workspace.find_message(channel, ts)
    if message is None:
        raise SlackError("message_not_found")
    return channel, message


def update(req: ApiRequest) -> JsonDict:
    """chat.update: replaces text/blocks of a message the bot posted."""
    channel, message = _existing(req)
    if message.get("bot_id") is None:
        raise SlackError("cant_update_message")
    content = _content(req)
    # The new content replaces the old one wholesale: blocks left out are gone, as on Slack.
    for key in ("blocks", "attachments"):
        message.pop(key, None)
    message.update(content)
    message["edited"] = {"user": req.team.bot_user_id, "ts": req.workspace.new_ts()}
    return {"channel": channel, "ts": message["ts"], "text": message["text"], "message": message}


def delete(req: ApiRequest) -> JsonDict:
    """chat.delete."""
    channel, message = _existing(req)
    req.workspace.messages[channel].remove(message)
    return {"channel": channel, "ts": message["ts"]}


def get_permalink(req: ApiRequest) -> JsonDict:
    """chat.getPermalink."""
    channel, message = _existing(req, "message_ts")
    digits = message["ts"].replace(".", "")
    return {
        "channel": channel,
        "permalink": f"https://{req.team.domain}.slack.com/archives/{channel}/p{digits}",
    }


HANDLERS: dict[str, Handler] = {
    "chat.postMessage": post_message,
    "chat.postEphemeral": post_ephemeral,
    "chat.update": update,
    "chat.delete": delete,
    "chat.getPermalink": get_permalink,
}
