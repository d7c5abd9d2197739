"""The OAuth states of installs started here: slack_sdk's store on our database, with two changes.

A state is taken by one DELETE, so two redirects racing with the same state cannot both pass; a database
failing then stops the install with a page saying so (bot.edge.install_flow). And states never used are
forgotten once expired: anyone may open /slack/install, and each visit issues one, which slack_sdk alone
would keep for ever. Forgetting runs when a state is issued, a minute apart at most.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable
from datetime import UTC, datetime

from slack_sdk.oauth.sqlalchemy_utils import normalize_datetime_for_db
from slack_sdk.oauth.state_store.sqlalchemy import SQLAlchemyOAuthStateStore
from sqlalchemy.engine import Engine
from sqlalchemy.exc import SQLAlchemyError

from bot.edge.install_flow import STORAGE, NotFinished

FORGET_EVERY_SECONDS = 60.0

logger = logging.getLogger(__name__)


class OAuthStates(SQLAlchemyOAuthStateStore):
    """slack_sdk's store, taking a state at once and forgetting expired ones (see above)."""

    def __init__(
        self, expiration_seconds: int, engine: Engine, clock: Callable[[], float] = time.time
    ) -> None:
        super().__init__(expiration_seconds=expiration_seconds, engine=engine, logger=logger)
        self._clock = clock
        self._forgotten_at: float | None = None

    def issue(self, *args: object, **kwargs: object) -> str:
        now = self._clock()
        if self._forgotten_at is None or now - self._forgotten_at >= FORGET_EVERY_SECONDS:
            self._forgotten_at = now
            with self.engine.begin() as connection:
                connection.execute(
                    self.oauth_states.delete().where(self.oauth_states.c.expire_at <= _at(now))
                )
        state: str = super().issue(*args, **kwargs)
        return state

    def consume(self, state: str) -> bool:
        columns = self.oauth_states.c
        try:
            with self.engine.begin() as connection:
                taken = connection.execute(
                    self.oauth_states.delete().where(
                        columns.state == state, columns.expire_at > _at(self._clock())
                    )
                )
        except SQLAlchemyError as error:  # the install stops with a page saying to try again
            raise NotFinished(STORAGE, error) from None
        return taken.rowcount == 1


def _at(instant: float) -> datetime:
    """An instant as slack_sdk stores expiries."""
    at = normalize_datetime_for_db(datetime.fromtimestamp(instant, tz=UTC))
    assert at is not None  # None only for None
    return at
