"""What listeners need from outside, built once at start-up and passed down."""

from __future__ import annotations

import threading
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime

from slack_sdk import WebClient
from slack_sdk.http_retry import RetryIntervalCalculator
from slack_sdk.oauth.installation_store import InstallationStore

from bot.acked_work import AckedWork
from bot.edge.once import TakeIn
from bot.pacing import Pacer
from bot.slack_people import AdminLookup
from circles.domain.admins import tenant_admins
from circles.notes import NotesKeyMissing, note_cipher, notes_keys
from circles.notes_check import check_notes_key
from circles.persistence.db import Database
from circles.settings import Mode, Settings


def utc_now() -> datetime:
    return datetime.now(UTC)


class Waker:
    """Ask for the outbox to be sent now rather than at the next tick; does nothing until attached, but for
    `news`, which a dispatch pass in flight asks so as to claim what was just recorded at once."""

    def __init__(self) -> None:
        self._wake: Callable[[], None] | None = None
        self._news = threading.Event()

    def attach(self, wake: Callable[[], None]) -> None:
        self._wake = wake

    def __call__(self) -> None:
        self._news.set()
        if self._wake is not None:
            self._wake()

    def news(self) -> bool:
        """Whether it was woken since last asked (cleared before the caller claims: nothing is missed)."""
        if not self._news.is_set():
            return False
        self._news.clear()
        return True


@dataclass(frozen=True)
class Deps:
    settings: Settings
    db: Database
    # The edge reads the clock; services take `now` as a value.
    clock: Callable[[], datetime] = field(default=utc_now)
    # Only in multi-workspace OAuth mode: where each workspace's bot token is kept.
    installation_store: InstallationStore | None = None
    admins: AdminLookup = field(default_factory=AdminLookup)
    pacer: Pacer = field(default_factory=Pacer)
    # How long the app's Slack client pauses before it tries a failed call again; None: slack_sdk's back-off.
    retry_pause: RetryIntervalCalculator | None = None
    waker: Waker = field(default_factory=Waker)
    # Set when the process stops: a dispatch pass in flight starts nothing more and hands back its claims.
    stopping: threading.Event = field(default_factory=threading.Event)
    # Where Bolt does the work after each ack, so that a stopping process can finish it (bot.server).
    acked_work: AckedWork = field(default_factory=AckedWork)
    take_in: TakeIn = field(init=False)  # built from `db`: each request is worked once

    def __post_init__(self) -> None:
        object.__setattr__(self, "take_in", TakeIn(self.db))
        if self.settings.circles_notes_key is not None:  # private outbox payloads wait sealed
            for key in reversed(notes_keys(self.settings)):  # the current one last: it seals, all open
                self.db.seal_private(key)

    def circles_admins(self, team_id: str) -> frozenset[str]:
        """The people CIRCLES_ADMINS names for this tenant (a T… workspace, or an org-wide install's E…):
        they hear what no facilitator of it may, and nobody named for another tenant does."""
        return tenant_admins(self.settings.circles_admins, team_id)

    def is_admin(self, client: WebClient, team_id: str, user_id: str) -> bool:
        """CIRCLES_ADMINS for this tenant, or a workspace admin or owner according to Slack."""
        return user_id in self.circles_admins(team_id) or self.admins.is_admin(client, team_id, user_id)


def note_decrypt(deps: Deps) -> Callable[[bytes], str] | None:
    """How alerts open the notes partners chose to share; None (alerts go without notes) with no key."""
    try:
        return note_cipher(deps.settings).decrypt
    except NotesKeyMissing:
        return None


def build_deps(settings: Settings, db: Database) -> Deps:
    """Bundle what listeners need; in OAuth mode that includes the installation store on our database.

    Raises SettingsError (one line) when the notes keys are not the database's (circles.notes_check):
    `circles run` and `circles tick` pass here before they serve, claim or send anything."""
    check_notes_key(db, settings)
    store = None
    if settings.mode is Mode.OAUTH:
        from bot.edge.rotation import installation_store

        store = installation_store(settings, db)
    return Deps(settings=settings, db=db, installation_store=store)
