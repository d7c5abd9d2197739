"""auth, oauth, apps, team and files methods."""

from __future__ import annotations

import base64
import binascii
import mimetypes
import secrets
import time

from . import defaults
from .api_chat import bot_message, resolve_channel
from .api_common import ApiRequest, Handler, SlackError, missing
from .state import JsonDict, TokenOwner, UploadedFile


def auth_test(req: ApiRequest) -> JsonDict:
    """auth.test: who the token belongs to."""
    team, owner = req.team, req.owner
    user = req.workspace.users.get(owner.user_id)
    body: JsonDict = {
        "url": f"https://{team.domain}.slack.com/",
        "team": team.name,
        "user": user.name if user else "circles",
        "team_id": team.id,
        "user_id": owner.user_id,
    }
    if owner.is_bot:
        body["bot_id"] = team.bot_id
    body["is_enterprise_install"] = False
    return body


def _client_credentials(req: ApiRequest) -> tuple[str | None, str | None]:
    """client_id and client_secret from HTTP Basic auth (slack_sdk) or the form (other clients)."""
    header = req.headers.get("authorization", "")
    if header.startswith("Basic "):
        try:
            client_id, _, secret = base64.b64decode(header[6:]).decode().partition(":")
        except (binascii.Error, UnicodeDecodeError):
            raise SlackError("invalid_client_id") from None
        return client_id, secret
    return req.text("client_id"), req.text("client_secret")


def oauth_v2_access(req: ApiRequest) -> JsonDict:
    """oauth.v2.access: exchanges any code for a fresh bot token of the install team."""
    client_id, secret = _client_credentials(req)
    settings = req.settings
    if client_id is None or (settings.client_id is not None and client_id != settings.client_id):
        raise SlackError("invalid_client_id")
    if settings.client_secret is not None and secret != settings.client_secret:
        raise SlackError("bad_client_secret")
    if req.text("code") is None:
        raise SlackError("invalid_code")
    ws = req.workspace
    team_id = settings.oauth_team_id or ws.default_team_id
    team = ws.teams.get(team_id) or ws.add_team(team_id, f"Team {team_id}", team_id.lower())
    token = f"xoxb-{team.id[1:]}-{next_token_number(req)}-{secrets.token_hex(12)}"
    ws.tokens[token] = TokenOwner(team.id, team.bot_user_id)
    if settings.valid_tokens is not None:
        settings.valid_tokens.add(token)
    return {
        "app_id": defaults.APP_ID,
        "authed_user": {"id": settings.oauth_authed_user_id},
        "scope": settings.oauth_scope,
        "token_type": "bot",
        "access_token": token,
        "bot_user_id": team.bot_user_id,
        "team": {"id": team.id, "name": team.name},
        "enterprise": None,
        "is_enterprise_install": False,
    }


def next_token_number(req: ApiRequest) -> int:
    """A number that makes issued tokens look like Slack's and stay unique."""
    return 1000 + len(req.workspace.tokens)


def apps_connections_open(req: ApiRequest) -> JsonDict:
    """apps.connections.open: only app-level (xapp-) tokens may call it."""
    if req.token is not None and not req.token.startswith("xapp-"):
        raise SlackError("not_allowed_token_type")
    return {"url": req.settings.socket_mode_url}


def team_info(req: ApiRequest) -> JsonDict:
    """team.info."""
    team = req.workspace.teams.get(req.text("team") or req.owner.team_id)
    if team is None:
        raise SlackError("team_not_found")
    return {"team": team.to_api()}


def get_upload_url(req: ApiRequest) -> JsonDict:
    """files.getUploadURLExternal: hands out a URL on the stand-in that takes the bytes."""
    filename = req.require("filename")
    length = req.number("length", 0)
    if length <= 0:
        raise missing("length")
    file_id = req.workspace.new_id("F")
    req.workspace.files[file_id] = UploadedFile(file_id, filename, length, req.owner.user_id)
    return {"upload_url": f"{req.settings.base_url}/upload/v1/{file_id}", "file_id": file_id}


def _file_json(req: ApiRequest, upload: UploadedFile) -> JsonDict:
    mimetype = mimetypes.guess_type(upload.filename)[0] or "application/octet-stream"
    ext = upload.filename.rsplit(".", 1)[-1].lower() if "." in upload.filename else "binary"
    url = f"https://files.slack.com/files-pri/{req.team.id}-{upload.id}/{upload.filename}"
    now = int(time.time())
    return {
        "id": upload.id,
        "created": now,
        "timestamp": now,
        "name": upload.filename,
        "title": upload.title,
        "mimetype": mimetype,
        "filetype": ext,
        "pretty_type": ext.upper(),
        "user": upload.user,
        "user_team": req.team.id,
        "editable": False,
        "size": len(upload.content or b""),
        "mode": "hosted",
        "is_external": False,
        "external_type": "",
        "is_public": False,
        "public_url_shared": False,
        "display_as_bot": False,
        "username": "",
        "url_private": url,
        "url_private_download": url,
        "permalink": f"https://{req.team.domain}.slack.com/files/{upload.user}/{upload.id}/{upload.filename}",
        "comments_count": 0,
        "is_starred": False,
        "has_rich_preview": False,
        "file_access": "visible",
        # Slack shares the file asynchronously, so the answer never lists the shares yet.
        "shares": {},
        "channels": [],
        "groups": [],
        "ims": [],
    }


def complete_upload(req: ApiRequest) -> JsonDict:
    """files.completeUploadExternal: every file must have had its bytes uploaded."""
    entries = req.json_arg("files")
    if not isinstance(entries, list) or not entries:
        raise missing("files")
    uploads = []
    for entry in entries:
        upload = req.workspace.files.get(str(entry.get("id"))) if isinstance(entry, dict) else None
        if upload is None or upload.content is None or upload.completed:
            raise SlackError("file_not_found")
        upload.title = str(entry.get("title") or upload.filename)
        uploads.append(upload)
    channels = req.id_list("channels")
    if req.text("channel_id") is not None:
        channels.insert(0, resolve_channel(req, "channel_id"))
    files = []
    for upload in uploads:
        upload.completed, upload.channels = True, channels
        upload.initial_comment = req.text("initial_comment")
        files.append(_file_json(req, upload))
    for channel in channels:
        content = {"text": req.text("initial_comment", "") or "", "files": files, "upload": True}
        req.workspace.messages.setdefault(channel, []).append(
            bot_message(req, req.workspace.new_ts(), content)
        )
    return {"files": files}


def files_upload(req: ApiRequest) -> JsonDict:
    """files.upload was retired in favour of the external upload flow."""
    raise SlackError("method_deprecated")


HANDLERS: dict[str, Handler] = {
    "auth.test": auth_test,
    "oauth.v2.access": oauth_v2_access,
    "apps.connections.open": apps_connections_open,
    "team.info": team_info,
    "files.getUploadURLExternal": get_upload_url,
    "files.completeUploadExternal": complete_upload,
    "files.upload": files_upload,
}
