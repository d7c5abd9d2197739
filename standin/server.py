"""SlackStandIn: a local HTTP server that answers like Slack's Web API, hooks and upload endpoints."""

from __future__ import annotations

import threading
from datetime import datetime
from typing import Self

from . import defaults
from .calls import Call, CallLog, Predicate
from .faults import Faults
from .lifecycle import Lifecycle
from .routes import StandInServer
from .state import Channel, JsonDict, Team, TokenOwner, UploadedFile, User, Workspace


class SlackStandIn(Lifecycle):
    """Slack's Web API, response_url hooks and file upload URLs, served from 127.0.0.1 on a free port."""

    def __init__(
        self,
        *,
        team_id: str = defaults.DEFAULT_TEAM_ID,
        team_name: str = defaults.DEFAULT_TEAM_NAME,
        team_domain: str = defaults.DEFAULT_TEAM_DOMAIN,
    ) -> None:
        self.workspace = Workspace(team_id, team_name, team_domain)
        self.log = CallLog()
        self.faults = Faults()
        self.valid_tokens: set[str] | None = None  # None: any token is accepted
        self.expired_tokens: set[str] = set()  # answered token_expired, as a rotating token past its time
        self.client_id: str | None = None  # checked by oauth.v2.access when set
        self.client_secret: str | None = None
        self.oauth_scope = (
            "chat:write,commands,im:write,users:read,users:read.email,channels:manage,groups:write"
        )
        self.oauth_authed_user_id = "U0INSTALLER"
        self.oauth_team_id: str | None = None  # None: installs go to the default team
        self.oauth_enterprise_id: str | None = None  # set: installs are org-wide in this organisation
        self.token_expires_in: int | None = None  # set: token rotation, tokens expire after this many seconds
        self.oauth_bot_token = True  # False: an install gives the installer a user token and no bot token
        self._socket_mode_url: str | None = None
        # Handlers mutate the workspace; one lock keeps concurrent requests from interleaving.
        self.lock = threading.Lock()
        self._server: StandInServer | None = None
        self._thread: threading.Thread | None = None

    # -- lifecycle ---------------------------------------------------------------------------------

    def start(self) -> Self:
        """Bind a free port on 127.0.0.1 and serve from a daemon thread."""
        if self._server is not None:
            raise RuntimeError("the stand-in is already running")
        self._server = StandInServer(self)
        serve = self._server.serve_until_stopped
        self._thread = threading.Thread(target=serve, name="slack-standin", daemon=True)
        self._thread.start()
        return self

    def stop(self) -> None:
        """Stop serving and release the port."""
        if self._server is None:
            return
        self.faults.release()  # answers still held back go, so that their threads end
        self._server.stop_serving()
        if self._thread is not None:
            self._thread.join(timeout=5)
        self._server.server_close()
        self._server = self._thread = None

    @property
    def base_url(self) -> str:
        """http://127.0.0.1:PORT"""
        if self._server is None:
            raise RuntimeError("start the stand-in first")
        return f"http://127.0.0.1:{self._server.server_address[1]}"

    @property
    def api_url(self) -> str:
        """The base_url for slack_sdk's WebClient (with the trailing slash it needs)."""
        return f"{self.base_url}/api/"

    def response_url(self, name: str = "x") -> str:
        """A URL standing in for a slash command's or action's response_url."""
        return f"{self.base_url}/response/{name}"

    @property
    def socket_mode_url(self) -> str:
        """What apps.connections.open answers; set it to a Socket Mode stand-in's URL."""
        return self._socket_mode_url or f"ws://127.0.0.1:{self.base_url.rsplit(':', 1)[1]}/link/?ticket=test"

    @socket_mode_url.setter
    def socket_mode_url(self, url: str) -> None:
        self._socket_mode_url = url

    # -- the fake workspace ------------------------------------------------------------------------

    @property
    def team_id(self) -> str:
        """The default team's id."""
        return self.workspace.default_team_id

    @property
    def team(self) -> Team:
        """The default team."""
        return self.workspace.teams[self.team_id]

    def add_team(
        self,
        team_id: str,
        *,
        name: str | None = None,
        domain: str | None = None,
        enterprise_id: str | None = None,
    ) -> Team:
        """Add another workspace (users and tokens can then belong to it), in an organisation when given."""
        with self.lock:
            return self.workspace.add_team(
                team_id, name or f"Team {team_id}", domain or team_id.lower(), enterprise_id
            )

    def add_organisation(self, enterprise_id: str, *, name: str | None = None) -> Team:
        """Add an Enterprise Grid organisation: an org-wide install's token belongs to it."""
        return self.add_team(enterprise_id, name=name or f"Org {enterprise_id}")

    def add_user(
        self,
        user_id: str,
        *,
        name: str | None = None,
        email: str | None = None,
        real_name: str | None = None,
        tz: str = "America/Los_Angeles",
        is_admin: bool = False,
        is_owner: bool = False,
        deleted: bool = False,
        is_bot: bool = False,
        is_restricted: bool = False,
        team_id: str | None = None,
    ) -> User:
        """Put a user in the directory users.info and users.lookupByEmail answer from."""
        name = name or user_id.lower()
        user = User(
            user_id,
            team_id or self.team_id,
            name,
            real_name or name.title(),
            email if email is not None else f"{name}@example.com",
            tz,
            is_admin,
            is_owner,
            deleted,
            is_bot,
            is_restricted,
        )
        with self.lock:
            self.workspace.users[user_id] = user
        return user

    def set_dnd(
        self, user_id: str, until: datetime | None, *, since: datetime | None = None, snooze: bool = False
    ) -> None:
        """Put a user in Do Not Disturb (from `since`, default a day before) or a snooze until `until`.

        None turns it off."""
        with self.lock:
            user = self.workspace.users[user_id]
            if snooze:
                user.snooze_until = None if until is None else until.timestamp()
            elif until is None:
                user.dnd = None
            else:
                start = since.timestamp() if since is not None else until.timestamp() - 86_400
                user.dnd = (start, until.timestamp())

    def add_channel(
        self,
        channel_id: str,
        name: str,
        *,
        is_private: bool = False,
        members: list[str] | None = None,
        team_id: str | None = None,
    ) -> Channel:
        """Seed a channel, with the bot as a member, as if it existed before the test."""
        team = self.workspace.teams[team_id or self.team_id]
        channel = Channel(
            channel_id,
            team.id,
            name=name,
            is_private=is_private,
            creator=team.bot_user_id,
            members=[team.bot_user_id, *(members or [])],
        )
        with self.lock:
            self.workspace.channels[channel_id] = channel
        return channel

    def add_token(self, token: str, *, team_id: str | None = None, user_id: str | None = None) -> None:
        """Make a token belong to a team (a bot token unless user_id names a user)."""
        team = team_id or self.team_id
        owner = TokenOwner(team, user_id or defaults.bot_user_id(team), is_bot=user_id is None)
        with self.lock:
            self.workspace.tokens[token] = owner
            if self.valid_tokens is not None:
                self.valid_tokens.add(token)

    def add_message(
        self, channel: str, *, text: str = "", blocks: list[JsonDict] | None = None, user: str | None = None
    ) -> str:
        """Seed a message (posted by the bot unless user is given) and return its ts."""
        with self.lock:
            ts = self.workspace.new_ts()
            message: JsonDict = {
                "type": "message",
                "ts": ts,
                "text": text,
                "team": self.team_id,
                "user": user or self.team.bot_user_id,
            }
            if user is None:
                message["bot_id"] = self.team.bot_id
            if blocks is not None:
                message["blocks"] = blocks
            self.workspace.messages.setdefault(channel, []).append(message)
        return ts

    def messages(self, channel: str) -> list[JsonDict]:
        """The channel's messages as they stand now (updates applied, deletions gone), oldest first."""
        with self.lock:
            return [dict(m) for m in self.workspace.messages.get(channel, [])]

    def home_view(self, user_id: str) -> JsonDict | None:
        """The App Home last published for a user."""
        with self.lock:
            return self.workspace.home_views.get(user_id)

    def uploaded_files(self) -> list[UploadedFile]:
        """Files that went through the upload flow, completed or not."""
        with self.lock:
            return list(self.workspace.files.values())

    # -- recording ---------------------------------------------------------------------------------

    def calls(self, method: str | None = None, predicate: Predicate | None = None) -> list[Call]:
        """Every call so far (of method), in the order they were answered."""
        return self.log.calls(method, predicate)

    def last(self, method: str | None = None) -> Call:
        """The latest call of method; AssertionError if there is none."""
        return self.log.last(method)

    def clear(self) -> None:
        """Forget recorded calls (the workspace and injected faults stay)."""
        self.log.clear()

    def wait_for(
        self, method: str | None, count: int = 1, timeout: float = 5.0, predicate: Predicate | None = None
    ) -> list[Call]:
        """Block until count matching calls have arrived; AssertionError listing the calls on timeout."""
        return self.log.wait_for(method, count, timeout, predicate)

    def wait_answering(
        self, method: str | None, count: int = 1, held: float = 0.0, timeout: float = 5.0
    ) -> None:
        """Block until count requests (of method, held back at least `held` seconds) are being answered."""
        self.log.wait_answering(method, count, held, timeout)

    def wait_quiet(self, quiet: float = 0.1, timeout: float = 10.0) -> None:
        """Block until no request is being answered and none has come for `quiet` seconds."""
        self.log.wait_quiet(quiet, timeout)

    # -- failure injection -------------------------------------------------------------------------

    def fail(
        self,
        method: str,
        *,
        status: int = 429,
        retry_after: int = 1,
        times: int | None = 1,
        after: int = 0,
        done: bool = False,
    ) -> None:
        """Answer method with HTTP status (429 carries Retry-After) for `times` calls (None: always), once
        `after` calls have been answered as usual (a failure midway through a listing's pages); `done`:
        each does its work first, then answers the error (a 5xx after Slack shared a file, say)."""
        self.faults.fail(method, status=status, retry_after=retry_after, times=times, after=after, done=done)

    def error(self, method: str, error: str, *, times: int | None = 1) -> None:
        """Answer method with HTTP 200 {"ok": false, "error": error} for `times` calls (None: always)."""
        self.faults.error(method, error, times=times)

    @property
    def latency(self) -> float:
        """Seconds every answer is held back."""
        return self.faults.latency

    @latency.setter
    def latency(self, seconds: float) -> None:
        self.faults.latency = seconds

    def set_latency(self, method: str, seconds: float) -> None:
        """Hold back answers to one method (added to the global latency)."""
        self.faults.set_latency(method, seconds)

    def hold(self, method: str, *, after: int = 0) -> None:
        """Keep back every answer to method, once `after` were answered as usual, until release().

        A request kept back counts as held for ever in wait_answering: wait for it with any `held`."""
        self.faults.hold(method, after=after)

    def release(self, method: str | None = None) -> None:
        """Let the answers hold() keeps back go (every method's when None), and keep back no more."""
        self.faults.release(method)

    def rate_limit(self, method: str, per_second: float, per_channel: bool = False) -> None:
        """Enforce a rate limit on method (429 + Retry-After beyond it), optionally per channel."""
        self.faults.rate_limit(method, per_second, per_channel=per_channel)

    def refuse_dm(self, user_id: str, error: str = "user_not_found") -> None:
        """Refuse every chat.postMessage to this user's DM and every conversations.open naming them."""
        with self.lock:
            self.workspace.refused_dms[user_id] = error

    def clear_faults(self) -> None:
        """Remove injected failures, latency, rate limits and refused DMs."""
        self.faults.clear()
        with self.lock:
            self.workspace.refused_dms.clear()
