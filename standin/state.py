"""The fake workspace the stand-in serves: teams, users, channels, messages, views and files."""

from __future__ import annotations

import itertools
import time
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

from . import defaults

JsonDict = dict[str, Any]


@dataclass
class Team:
    """A workspace the app is installed in."""

    id: str
    name: str
    domain: str
    # The Enterprise Grid organisation (E…) the workspace belongs to; an org-wide install's token is
    # owned by a Team whose id is the organisation's.
    enterprise_id: str | None = None

    @property
    def bot_user_id(self) -> str:
        """The app's bot user in this team."""
        return defaults.bot_user_id(self.id)

    @property
    def bot_id(self) -> str:
        """The app's bot id in this team."""
        return defaults.bot_id(self.id)

    def to_api(self) -> JsonDict:
        """The team object of team.info."""
        return {
            "id": self.id,
            "name": self.name,
            "url": f"https://{self.domain}.slack.com/",
            "domain": self.domain,
            "email_domain": "",
            "icon": {
                "image_default": True,
                "image_34": "https://a.slack-edge.com/80588/img/avatars-teams/ava_0001-34.png",
            },
            "avatar_base_url": "https://ca.slack-edge.com/",
            "is_verified": False,
        }


@dataclass
class User:
    """A member of the fake directory."""

    id: str
    team_id: str
    name: str
    real_name: str
    email: str | None
    tz: str = "America/Los_Angeles"
    is_admin: bool = False
    is_owner: bool = False
    deleted: bool = False
    is_bot: bool = False
    is_restricted: bool = False
    is_ultra_restricted: bool = False
    # Do Not Disturb: a period (Unix seconds, start and end) and a snooze's end, as dnd.teamInfo tells.
    dnd: tuple[float, float] | None = None
    snooze_until: float | None = None
    status_emoji: str = ""
    status_text: str = ""
    status_expiration: int = 0

    def dnd_info(self) -> JsonDict:
        """This user's entry in dnd.teamInfo."""
        start, end = self.dnd or (0.0, 0.0)
        info: JsonDict = {
            "dnd_enabled": self.dnd is not None,
            "next_dnd_start_ts": int(start),
            "next_dnd_end_ts": int(end),
        }
        if self.snooze_until is not None:
            info.update(snooze_enabled=True, snooze_endtime=int(self.snooze_until))
        return info

    def to_api(self) -> JsonDict:
        """The user object of users.info, with tz_offset computed for today like Slack does."""
        now = datetime.now(ZoneInfo(self.tz))
        offset = now.utcoffset()
        profile: JsonDict = {
            "real_name": self.real_name,
            "real_name_normalized": self.real_name,
            "display_name": self.name,
            "display_name_normalized": self.name,
            "first_name": self.real_name.split(" ")[0],
            "last_name": " ".join(self.real_name.split(" ")[1:]),
            "status_text": self.status_text,
            "status_emoji": self.status_emoji,
            "status_expiration": self.status_expiration,
            "avatar_hash": "g0000000000",
            "image_72": "https://secure.gravatar.com/avatar/0.jpg",
            "team": self.team_id,
        }
        if self.email is not None:
            profile["email"] = self.email
        return {
            "id": self.id,
            "team_id": self.team_id,
            "name": self.name,
            "deleted": self.deleted,
            "color": "9f69e7",
            "real_name": self.real_name,
            "tz": self.tz,
            "tz_label": now.tzname() or self.tz,
            "tz_offset": int(offset.total_seconds()) if offset is not None else 0,
            "profile": profile,
            "is_admin": self.is_admin,
            "is_owner": self.is_owner,
            "is_primary_owner": False,
            "is_restricted": self.is_restricted,
            "is_ultra_restricted": self.is_ultra_restricted,
            "is_bot": self.is_bot,
            "is_app_user": False,
            "updated": 1_700_000_000,
            "has_2fa": False,
        }


@dataclass
class Channel:
    """A conversation: public or private channel, IM or MPIM."""

    id: str
    team_id: str
    name: str = ""
    is_private: bool = False
    is_im: bool = False
    is_mpim: bool = False
    creator: str = ""
    members: list[str] = field(default_factory=list)
    is_archived: bool = False
    topic: str = ""
    purpose: str = ""
    created: int = field(default_factory=lambda: int(time.time()))

    def to_api(self, *, num_members: bool = False) -> JsonDict:
        """The conversation object of conversations.info / create."""
        if self.is_im:
            user = self.members[0] if self.members else ""
            return {
                "id": self.id,
                "created": self.created,
                "is_im": True,
                "is_org_shared": False,
                "user": user,
                "is_user_deleted": False,
                "priority": 0,
            }
        data: JsonDict = {
            "id": self.id,
            "name": self.name,
            "is_channel": not self.is_mpim,
            "is_group": False,
            "is_im": False,
            "is_mpim": self.is_mpim,
            "is_private": self.is_private or self.is_mpim,
            "created": self.created,
            "is_archived": self.is_archived,
            "is_general": False,
            "unlinked": 0,
            "name_normalized": self.name,
            "is_shared": False,
            "is_org_shared": False,
            "is_ext_shared": False,
            "is_pending_ext_shared": False,
            "pending_shared": [],
            "context_team_id": self.team_id,
            "updated": self.created * 1000,
            "creator": self.creator,
            "is_member": True,
            "topic": {"value": self.topic, "creator": self.creator if self.topic else "", "last_set": 0},
            "purpose": {
                "value": self.purpose,
                "creator": self.creator if self.purpose else "",
                "last_set": 0,
            },
            "previous_names": [],
        }
        if num_members:
            data["num_members"] = len(self.members)
        return data


@dataclass
class UploadedFile:
    """A file going through the files.getUploadURLExternal flow."""

    id: str
    filename: str
    length: int
    user: str
    content: bytes | None = None
    title: str = ""
    channels: list[str] = field(default_factory=list)
    initial_comment: str | None = None
    completed: bool = False


@dataclass(frozen=True)
class TokenOwner:
    """Whom a token belongs to."""

    team_id: str
    user_id: str
    is_bot: bool = True


class Workspace:
    """All the state behind the API; the server serialises access with its lock."""

    def __init__(self, team_id: str, team_name: str, team_domain: str) -> None:
        self.default_team_id = team_id
        self.teams: dict[str, Team] = {}
        self.users: dict[str, User] = {}
        self.channels: dict[str, Channel] = {}
        self.messages: dict[str, list[JsonDict]] = {}  # channel id -> messages, oldest first
        self.views: dict[str, JsonDict] = {}
        self.home_views: dict[str, JsonDict] = {}
        self.files: dict[str, UploadedFile] = {}
        self.tokens: dict[str, TokenOwner] = {}
        self.refresh_tokens: dict[str, TokenOwner] = {}  # token rotation: refresh token -> owner
        self.refused_dms: dict[str, str] = {}  # user id -> the error Slack answers a DM to them with
        self._mpims: dict[frozenset[str], str] = {}
        self._serial = itertools.count(1)
        self._last_ts_us = 0
        self.add_team(team_id, team_name, team_domain)

    def add_team(self, team_id: str, name: str, domain: str, enterprise_id: str | None = None) -> Team:
        """Register a team (or an organisation, by its E… id), with its bot user in the directory."""
        team = self.teams[team_id] = Team(team_id, name, domain, enterprise_id)
        self.users[team.bot_user_id] = User(
            team.bot_user_id,
            team_id,
            "circles",
            defaults.APP_NAME,
            None,
            tz="America/Los_Angeles",
            is_bot=True,
        )
        return team

    def sees(self, owner_team_id: str, user_team_id: str) -> bool:
        """Whether a token of owner_team_id reaches people of user_team_id: its own team, or for an
        org-wide token every workspace of the organisation."""
        if owner_team_id == user_team_id:
            return True
        team = self.teams.get(user_team_id)
        return team is not None and team.enterprise_id == owner_team_id

    def reaches(self, owner_team_id: str, user_id: str) -> bool:
        """Whether a token of owner_team_id may open a conversation with this user: people the stand-in
        was never told of are taken on trust, as tests that need no users.info rely on."""
        user = self.users.get(user_id)
        return user is None or self.sees(owner_team_id, user.team_id)

    def dm_refusal(self, owner_team_id: str, user_id: str) -> str | None:
        """The error a DM to this user gets from a token of owner_team_id, or None when it goes through."""
        if user_id in self.refused_dms:
            return self.refused_dms[user_id]
        # Slack cannot find the DM of someone the token does not reach (another workspace or organisation).
        return None if self.reaches(owner_team_id, user_id) else "channel_not_found"

    def new_id(self, prefix: str) -> str:
        """A fresh Slack-looking id such as C0000000007."""
        return f"{prefix}{next(self._serial):010d}"

    def new_ts(self) -> str:
        """A message timestamp, strictly increasing like Slack's."""
        now_us = int(time.time() * 1_000_000)
        self._last_ts_us = max(now_us, self._last_ts_us + 1)
        return f"{self._last_ts_us // 1_000_000}.{self._last_ts_us % 1_000_000:06d}"

    def team_for(self, token: str | None) -> TokenOwner:
        """Whom a token belongs to; unknown tokens act as the default team's bot."""
        if token is not None and token in self.tokens:
            return self.tokens[token]
        return TokenOwner(self.default_team_id, defaults.bot_user_id(self.default_team_id))

    def im_with(self, team_id: str, user_id: str) -> Channel:
        """The bot's IM with a user, created on first use."""
        channel_id = defaults.dm_channel_id(user_id)
        if channel_id not in self.channels:
            self.channels[channel_id] = Channel(channel_id, team_id, is_im=True, members=[user_id])
        return self.channels[channel_id]

    def mpim_with(self, team_id: str, bot_user_id: str, user_ids: list[str]) -> tuple[Channel, bool]:
        """The group DM between the bot and users, and whether it already existed."""
        key = frozenset(user_ids)
        existing = self._mpims.get(key)
        if existing is not None:
            return self.channels[existing], True
        channel_id = self.new_id("G")
        name = "mpdm-" + "--".join(sorted(user_ids)).lower() + "-1"
        channel = Channel(channel_id, team_id, name=name, is_mpim=True, members=[bot_user_id, *user_ids])
        self.channels[channel_id] = channel
        self._mpims[key] = channel_id
        return channel, False

    def find_message(self, channel: str, ts: str) -> JsonDict | None:
        """The stored message with that ts in channel."""
        return next((m for m in self.messages.get(channel, []) if m["ts"] == ts), None)
