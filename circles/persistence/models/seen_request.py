"""Requests already taken in, remembered until a replay of them could no longer be accepted."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import String
from sqlalchemy.orm import Mapped, mapped_column

from circles.persistence.base import Base


class SeenRequest(Base):
    """Not scoped to a workspace: a request is remembered before anyone knows whose it is."""

    __tablename__ = "seen_requests"

    # The primary key is the guarantee: two replicas taking in the same request cannot both insert it.
    key: Mapped[str] = mapped_column(String(160), primary_key=True)
    expires_at: Mapped[datetime] = mapped_column(index=True)
