"""One row telling which notes key this database's sealed data belongs to (circles.notes_check)."""

from __future__ import annotations

from sqlalchemy import CheckConstraint, LargeBinary, SmallInteger
from sqlalchemy.orm import Mapped, mapped_column

from circles.persistence.base import Base


class NotesKeyCheck(Base):
    """Not scoped to a workspace: one notes key seals the whole database.

    `token` is a fixed text sealed with the current notes key: a process whose keys cannot open it would
    seal what the others cannot open, or fail what they sealed, so it is refused at start. The one row
    (id 1) is the guarantee that concurrent first starts agree on one key.
    """

    __tablename__ = "notes_key_check"
    __table_args__ = (CheckConstraint("id = 1", name="one_row"),)

    id: Mapped[int] = mapped_column(SmallInteger, primary_key=True, autoincrement=False)
    token: Mapped[bytes] = mapped_column(LargeBinary)
    # Whether notes sealed before CIRCLES_NOTES_KEY existed (with the key derived from the signing secret)
    # were found when the row was made: then every process that opens notes needs SLACK_SIGNING_SECRET.
    derived: Mapped[bool] = mapped_column(default=False)
    # The research key (circles.research_key), sealed like `token`: made once from the key of its day and
    # sealed again at a rotation, so that pseudonyms outlive the notes key they were first keyed by.
    research: Mapped[bytes | None] = mapped_column(LargeBinary, default=None)
