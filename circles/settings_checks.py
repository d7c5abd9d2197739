"""What each setting must look like: how the settings read what they are given, and the checks on it,
each refusal a ValueError with a line for a person to read."""

from __future__ import annotations

import base64
from pathlib import Path
from typing import Any

from pydantic import SecretStr
from sqlalchemy.engine import make_url
from sqlalchemy.exc import ArgumentError

from circles.domain import admins
from instruments.catalog import catalogue
from instruments.model import InstrumentError


def blank_is_unset(value: Any) -> Any:
    # `SLACK_APP_TOKEN=` in a .env file means "not set", not "set to nothing".
    if isinstance(value, str) and not value.strip():
        return None
    return value.strip() if isinstance(value, str) else value


def slack_credential(value: Any) -> Any:
    """A Slack token, secret or client ID as read (blank is unset); refused when it holds what none has: it
    would fail in the Authorization header of the first call to Slack, far from the setting at fault."""
    value = blank_is_unset(value)
    text = value.get_secret_value() if isinstance(value, SecretStr) else value
    if isinstance(text, str) and not all(" " <= character <= "~" for character in text):
        raise ValueError(
            "holds characters no Slack credential has (a placeholder left as it was?): paste the value "
            "itself from your Slack app's settings"
        )
    return value


def split_admins(value: Any) -> Any:
    if isinstance(value, str):
        return frozenset(part.strip() for part in value.split(",") if part.strip())
    return value


def admins_are_user_ids(value: frozenset[str]) -> frozenset[str]:
    for entry in sorted(value):
        if (problem := admins.entry_problem(entry)) is not None:
            raise ValueError(problem)
    return value


def admins_name_their_workspace(value: frozenset[str], several_workspaces: bool) -> frozenset[str]:
    """With several workspaces (OAuth), each person is named for the one they run Circles in."""
    unscoped = admins.plain(value)
    if several_workspaces and unscoped:
        named = ", ".join(repr(entry) for entry in unscoped)
        first = unscoped[0]
        raise ValueError(
            f"{named} {'names' if len(unscoped) == 1 else 'name'} no workspace, and with SLACK_CLIENT_ID set "
            f"Circles serves several: write each as T012AB3CD:{first} (the workspace's team ID, a colon, the "
            f"person) or E012AB3CD:{first} (an Enterprise Grid organisation installed org-wide)"
        )
    return value


def api_url_is_http(value: str) -> str:
    if not value.startswith(("https://", "http://")):
        raise ValueError("must start with https:// (e.g. https://slack.com/api/)")
    # slack_sdk joins method names onto the base URL, so it must end with a slash.
    return value if value.endswith("/") else value + "/"


def database_url_parses(value: str) -> str:
    try:
        url = make_url(value)
    except ArgumentError:
        raise ValueError("is not a database URL (e.g. sqlite:///circles.db)") from None
    except ValueError:  # a port that is not a number: often a password where the host should be, never shown
        raise ValueError(
            "has a port that is not a number, or no @ before the host "
            "(e.g. postgresql://USER:PASSWORD@HOST:5432/DB)"
        ) from None
    if "@" in (url.host or ""):  # an @ of the password: the rest of it would be taken for the host
        raise ValueError("has an @ in its user name or password: write each one there as %40")
    return value


def notes_key_is_fernet(value: Any) -> Any:
    """The notes key, or keys: the current one first, then earlier ones that only open what they sealed
    (a rotation, README.md), comma-separated; each must be a Fernet key, and none is ever echoed."""
    if isinstance(value, SecretStr):
        value = value.get_secret_value()
    if isinstance(value, str) and not value.strip():
        return None
    if not isinstance(value, str):
        return value
    keys = split_notes_keys(value)
    for place, key in enumerate(keys):
        if not is_fernet_key(key):
            which = "" if len(keys) == 1 else f"its {_ORDINALS.get(place, f'{place + 1}th')} key "
            raise ValueError(
                f"{which}must be a Fernet key: 32 random bytes, url-safe base64 (make one with "
                '`python -c "from cryptography.fernet import Fernet; print(Fernet.generate_key().decode())"`)'
                + (
                    "; the current key comes first, earlier ones after it, separated by commas"
                    if which
                    else ""
                )
            )
    return ",".join(dict.fromkeys(keys))  # a key named twice counts once


def split_notes_keys(value: str) -> list[str]:
    """The keys of CIRCLES_NOTES_KEY as written: current first, blanks between commas left out."""
    return [part.strip() for part in value.split(",") if part.strip()]


_ORDINALS = {0: "first (current)", 1: "second", 2: "third"}


def instruments_dir_loads(value: Any) -> Any:
    if isinstance(value, str) and not value.strip():
        return None
    if value is None:
        return None
    folder = Path(str(value).strip())
    try:
        catalogue(folder)  # every file read and checked at start, not on a facilitator's first form
    except InstrumentError as broken:
        raise ValueError(str(broken)) from None
    return folder


def is_fernet_key(value: str) -> bool:
    try:
        return len(base64.urlsafe_b64decode(value.encode("ascii"))) == 32 and len(value) == 44
    except (ValueError, UnicodeEncodeError):
        return False
