"""Slack's token rotation, once for every process: the installation store the app and the dispatcher read.

A rotating bot token expires (every 12 hours) and is refreshed with its refresh token, which then stops
working. Replicas that find the same token due for refresh at once take turns under a lock in the database:
the first refreshes and saves, the others read what it saved. A refresh Slack refuses for good
(invalid_refresh_token) leaves the tenant as an uninstall does: its tokens forgotten, it marked removed, and
its messages waiting, unsent, until it is installed again. A refresh that fails otherwise says nothing of
the tenant: see bot.edge.refresh_failures.

Finding a token only reads, through a reading connection: on SQLite it never takes or waits for the write
lock, so a request or a dispatch pass is not queued behind a writer for its token; only a refresh writes.
"""

from __future__ import annotations

import contextlib
import logging
import time
from collections.abc import Callable
from datetime import UTC, datetime
from typing import Any

from slack_sdk import WebClient
from slack_sdk.errors import SlackTokenRotationError
from slack_sdk.oauth.installation_store import Bot, Installation, InstallationStore
from slack_sdk.oauth.installation_store.sqlalchemy import SQLAlchemyInstallationStore
from slack_sdk.oauth.sqlalchemy_utils import normalize_datetime_for_db
from slack_sdk.oauth.token_rotation import TokenRotator
from sqlalchemy import select
from sqlalchemy.exc import SQLAlchemyError

from bot.edge.refresh_failures import FailedRefreshes
from circles.persistence.db import READ_ONLY_OPTIONS, Database
from circles.persistence.locks import held
from circles.services.intake.workspaces import mark_uninstalled
from circles.settings import Settings

# Bolt's default too: a rotating token this close to expiry is refreshed before it is used.
ROTATE_MINUTES_BEFORE_EXPIRY = 120
REFUSED = "invalid_refresh_token"

logger = logging.getLogger(__name__)


class RefreshRefused(SlackTokenRotationError):
    """Slack refused the stored refresh token: only installing the app again gives a new one."""


class RotatingStore(InstallationStore):
    """slack_sdk's store on our database, whose installations come back with a bot token fit to use.

    `inner` writes; `reader`, the same store on reading connections, finds (by default `inner` itself).
    """

    def __init__(
        self,
        settings: Settings,
        inner: SQLAlchemyInstallationStore,
        on_refused: Callable[[str], None],
        clock: Callable[[], float] = time.time,
        reader: SQLAlchemyInstallationStore | None = None,
    ) -> None:
        self._settings, self._inner, self._on_refused, self._clock = settings, inner, on_refused, clock
        self._reader = reader or inner
        self._failed = FailedRefreshes(clock)

    @property
    def logger(self) -> logging.Logger:
        return logger

    def save(self, installation: Installation) -> None:
        self._inner.save(installation)

    def organisation_of(self, team_id: str) -> str | None:
        """The Grid organisation a workspace's own install (not an org-wide one) was made in, when it was:
        Slack's answer names it, and the install is kept under it, where a lookup by the team alone does
        not find it."""
        table = self._reader.installations
        query = (
            select(table.c.enterprise_id)
            .where(
                table.c.client_id == self._reader.client_id,
                table.c.team_id == team_id,
                table.c.is_enterprise_install.is_not(True),
                table.c.enterprise_id.is_not(None),
            )
            .order_by(table.c.installed_at.desc())
            .limit(1)
        )
        with self._reader.engine.connect() as connection:
            found = connection.execute(query).scalar()
        return str(found) if found else None

    def save_bot(self, bot: Bot) -> None:
        self._inner.save_bot(bot)

    def find_installation(
        self,
        *,
        enterprise_id: str | None,
        team_id: str | None,
        user_id: str | None = None,
        is_enterprise_install: bool | None = False,
    ) -> Installation | None:
        where: dict[str, Any] = {
            "enterprise_id": enterprise_id,
            "team_id": team_id,
            "user_id": user_id,
            "is_enterprise_install": is_enterprise_install,
        }
        if user_id is not None:
            return None  # a person's own installation: the app asks for no user tokens, so nobody has one
        found = self._reader.find_installation(**where)
        if found is None or not self._due(found) or self._resting(found):
            return found
        with held(self._inner.engine, _refreshing(found)):
            # Another process may have refreshed it meanwhile.
            current = self._reader.find_installation(**where)
            if current is None or not self._due(current):
                return current
            self._refresh(current)
            return self._reader.find_installation(**where)  # as saved: what every process now reads

    def renew(
        self, *, enterprise_id: str | None, team_id: str | None, is_enterprise_install: bool, expired: str
    ) -> Installation | None:
        """The installation with a bot token in place of `expired`, which Slack answered token_expired to
        (its clock and ours disagree): refreshed now, unless another process already has. Slack is asked
        once whatever the number of processes; a token without a refresh token comes back as it was."""
        where: dict[str, Any] = {
            "enterprise_id": enterprise_id,
            "team_id": team_id,
            "is_enterprise_install": is_enterprise_install,
        }
        found = self._reader.find_installation(**where)
        if found is None:
            return None
        if found.bot_token == expired and found.bot_refresh_token is not None:
            found.bot_token_expires_at = int(self._clock())  # Slack says so: a failure resting is raised
            self._resting(found)
        with held(self._inner.engine, _refreshing(found)):
            current = self._reader.find_installation(**where)
            if current is None or current.bot_token != expired or current.bot_refresh_token is None:
                return current
            current.bot_token_expires_at = int(self._clock())  # Slack says so: due now
            self._refresh(current)
            return self._reader.find_installation(**where)

    def find_bot(
        self, *, enterprise_id: str | None, team_id: str | None, is_enterprise_install: bool | None = False
    ) -> Bot | None:
        installation = self.find_installation(
            enterprise_id=enterprise_id, team_id=team_id, is_enterprise_install=is_enterprise_install
        )
        return installation.to_bot() if installation is not None and installation.bot_token else None

    def delete_installation(
        self, *, enterprise_id: str | None, team_id: str | None, user_id: str | None = None
    ) -> None:
        self._inner.delete_installation(enterprise_id=enterprise_id, team_id=team_id, user_id=user_id)

    def delete_bot(self, *, enterprise_id: str | None, team_id: str | None) -> None:
        self._inner.delete_bot(enterprise_id=enterprise_id, team_id=team_id)

    def delete_all(self, *, enterprise_id: str | None, team_id: str | None) -> None:
        self._inner.delete_all(enterprise_id=enterprise_id, team_id=team_id)

    def forget(self, installation: Installation) -> None:
        """Delete the rows saving this installation wrote, and no others: an install that did not finish.
        Best effort: when the database fails again, what was saved has a working token anyway."""
        at = normalize_datetime_for_db(installation.to_dict()["installed_at"])
        with contextlib.suppress(SQLAlchemyError), self._inner.engine.begin() as connection:
            for table in (self._inner.installations, self._inner.bots):
                c = table.c
                mine = (c.enterprise_id == installation.enterprise_id, c.team_id == installation.team_id)
                connection.execute(
                    table.delete().where(c.client_id == self._inner.client_id, c.installed_at == at, *mine)
                )

    def _due(self, installation: Installation) -> bool:
        expires_at = installation.bot_token_expires_at
        soon = self._clock() + ROTATE_MINUTES_BEFORE_EXPIRY * 60
        return installation.bot_refresh_token is not None and expires_at is not None and expires_at <= soon

    def _refresh(self, installation: Installation) -> None:
        try:
            refreshed = self._rotator().perform_token_rotation(
                installation=installation, minutes_before_expiration=ROTATE_MINUTES_BEFORE_EXPIRY
            )
        except SlackTokenRotationError as error:
            if error.api_error.response.get("error") != REFUSED:
                self._failing(installation, error)
                return
            self._refused(installation)
            raise RefreshRefused(error.api_error) from None
        except OSError as error:  # no answer (a timeout, a dropped connection): an outage
            self._failing(installation, error)
            return
        self._failed.refreshed(_refreshing(installation))
        if refreshed is not None:
            self._inner.save(refreshed)

    def _resting(self, installation: Installation) -> bool:
        return self._failed.resting(_refreshing(installation), installation.bot_token_expires_at)

    def _failing(self, installation: Installation, error: Exception) -> None:
        expires_at = installation.bot_token_expires_at
        self._failed.failed(_refreshing(installation), _tenant(installation), expires_at, error)

    def _refused(self, installation: Installation) -> None:
        org = installation.is_enterprise_install is True
        tenant = _tenant(installation)
        self._inner.delete_all(enterprise_id=installation.enterprise_id, team_id=None if org else tenant)
        self._on_refused(tenant)
        logger.warning(
            "Slack refused to refresh the bot token of %s (%s): its messages wait until the app is installed "
            "again",
            tenant,
            REFUSED,
        )

    def _rotator(self) -> TokenRotator:
        secret = self._settings.slack_client_secret
        assert secret is not None  # OAuth mode, the only one with installations, has it
        return TokenRotator(
            client_id=self._settings.slack_client_id or "",
            client_secret=secret.get_secret_value(),
            client=WebClient(
                base_url=self._settings.slack_api_url,
                timeout=self._settings.slack_timeout_seconds,  # type: ignore[arg-type]
            ),
        )


def _tenant(installation: Installation) -> str:
    org = installation.is_enterprise_install is True
    return str(installation.enterprise_id if org else installation.team_id)


def _refreshing(installation: Installation) -> str:
    """The name of the lock a process holds while it refreshes this installation's token."""
    return f"circles:token-refresh:{installation.enterprise_id}:{installation.team_id}"


def installation_store(settings: Settings, db: Database) -> RotatingStore:
    """The store of OAuth mode on this database: a tenant whose refresh Slack refuses is marked removed."""

    def removed(tenant: str) -> None:
        mark_uninstalled(db.unit_of_work(), tenant, now=datetime.now(UTC))

    client_id = settings.slack_client_id or ""
    inner = SQLAlchemyInstallationStore(client_id=client_id, engine=db.engine)
    reading = db.engine.execution_options(**READ_ONLY_OPTIONS)
    reader = SQLAlchemyInstallationStore(client_id=client_id, engine=reading)
    return RotatingStore(settings, inner, on_refused=removed, reader=reader)
