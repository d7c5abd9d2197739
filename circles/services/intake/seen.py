"""Take each request in once: the first to record its keys wins, a replay finds them already there."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from circles.persistence.db import UnitOfWork
from circles.queries import seen_requests


def first_sighting(uow: UnitOfWork, keys: Sequence[tuple[str, datetime]]) -> bool:
    """Remember every key until its expiry; say whether none of them had been seen before.

    The primary key decides, so two replicas taking in the same request at once cannot both win.
    """
    with uow:
        new = seen_requests.remember_new(uow.session, keys)
        uow.commit()
        return new == len(keys)


def forget_expired(uow: UnitOfWork, now: datetime) -> int:
    """Delete what can no longer be replayed; returns how many rows went."""
    with uow:
        gone = seen_requests.forget_expired(uow.session, now)
        uow.commit()
        return gone


def forget_sighting(uow: UnitOfWork, key: str) -> None:
    """Forget one key now (an ask that came to nothing may be made again at once)."""
    with uow:
        seen_requests.forget(uow.session, key)
        uow.commit()
