"""auth, apps, team and files methods."""

from __future__ import annotations

import mimetypes
import time

from .api_chat import bot_message, resolve_channel
from .api_common import ApiRequest, Handler, SlackError, missing, paged
from .state import JsonDict, UploadedFile


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
    org = team.id.startswith("E")  # an org-wide install's token belongs to its organisation
    body["is_enterprise_install"] = org
    if org or team.enterprise_id:
        body["enterprise_id"] = team.id if org else team.enterprise_id
    return body


def auth_teams_list(req: ApiRequest) -> JsonDict:
    """auth.teams.list: the workspaces of an org-wide install's organisation (a workspace token: its own),
    paged."""
    owner = req.owner.team_id
    teams = [req.team]
    if owner.startswith("E"):  # an org-wide install's token belongs to its organisation
        teams = sorted(
            (t for t in req.workspace.teams.values() if t.enterprise_id == owner), key=lambda t: t.id
        )
    page, metadata = paged(req, [team.id for team in teams], default_limit=100)
    return {"teams": [{"id": t.id, "name": t.name} for t in teams[page]], "response_metadata": metadata}


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
    "auth.teams.list": auth_teams_list,
    "apps.connections.open": apps_connections_open,
    "team.info": team_info,
    "files.getUploadURLExternal": get_upload_url,
    "files.completeUploadExternal": complete_upload,
    "files.upload": files_upload,
}
