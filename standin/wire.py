"""Decoding request bodies the way Slack's API does."""

from __future__ import annotations

import json
from email.parser import BytesParser
from email.policy import HTTP
from urllib.parse import parse_qsl

from .state import JsonDict

# Arguments whose form values are JSON documents (slack_sdk json.dumps them into the form).
JSON_FIELDS = frozenset(
    {"blocks", "attachments", "view", "files", "metadata", "unfurls", "user_auth_blocks", "outputs", "inputs"}
)


def parse_args(content_type: str, query: str, body: bytes) -> JsonDict:
    """Query string and body merged into one dict, JSON values decoded; ValueError if malformed."""
    args: JsonDict = dict(parse_qsl(query, keep_blank_values=True))
    media_type = content_type.split(";")[0].strip().lower()
    if media_type == "application/json":
        decoded = json.loads(body or b"{}")
        if not isinstance(decoded, dict):
            raise ValueError("a JSON body must be an object")
        return {**args, **decoded}
    if media_type == "multipart/form-data":
        args.update(_multipart(content_type, body))
    elif body:
        args.update(parse_qsl(body.decode("utf-8"), keep_blank_values=True, strict_parsing=True))
    return {k: _decode(k, v) for k, v in args.items()}


def _decode(name: str, value: object) -> object:
    if name in JSON_FIELDS and isinstance(value, str) and value[:1] in ("[", "{"):
        try:
            return json.loads(value)
        except ValueError:
            return value  # Slack answers invalid_blocks etc.; the handler sees the raw string
    return value


def _multipart(content_type: str, body: bytes) -> JsonDict:
    """Fields of a multipart body; file parts become {"filename", "size"}."""
    message = BytesParser(policy=HTTP).parsebytes(f"Content-Type: {content_type}\r\n\r\n".encode() + body)
    fields: JsonDict = {}
    for part in message.iter_parts():
        name = part.get_param("name", header="content-disposition")
        payload = part.get_payload(decode=True)
        if not isinstance(name, str) or not isinstance(payload, bytes):
            continue
        filename = part.get_filename()
        fields[name] = {"filename": filename, "size": len(payload)} if filename else payload.decode("utf-8")
    return fields


def bearer_token(headers: dict[str, str]) -> str | None:
    """The token of an Authorization: Bearer header."""
    value = headers.get("authorization", "")
    return (value[7:].strip() or None) if value.startswith("Bearer ") else None
