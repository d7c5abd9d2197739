"""The notes key check's one row, and whether a database holds anything sealed with a notes key."""

from __future__ import annotations

from collections.abc import Iterator

from sqlalchemy import exists, inspect, select, update
from sqlalchemy.orm import Session

from circles.persistence.models import CheckIn, NotesKeyCheck, OutboxMessage, SurveyAnswer
from circles.queries.inserts import insert_ignoring_duplicates, table_of

ONE = 1  # the row's id: the primary key and CHECK (id = 1) keep one row, whoever writes it first


def key_check(session: Session) -> NotesKeyCheck | None:
    return session.get(NotesKeyCheck, ONE)


def add_key_check(session: Session, token: bytes, research: bytes, *, derived: bool) -> None:
    """Write the row unless another process wrote it first (then theirs stands: read it again)."""
    statement = insert_ignoring_duplicates(session, table_of(NotesKeyCheck))
    session.execute(statement.values(id=ONE, token=token, research=research, derived=derived))


def reseal_key_check(session: Session, opened: bytes, token: bytes, research: bytes) -> None:
    """Replace the token opened with an earlier key, and the research key with it, by ones sealed with the
    current key; a process that resealed them meanwhile keeps its own."""
    session.execute(
        update(NotesKeyCheck)
        .where(NotesKeyCheck.id == ONE, NotesKeyCheck.token == opened)
        .values(token=token, research=research)
    )


def keep_research_key(session: Session, research: bytes) -> None:
    """Keep the research key, sealed, in a row written before it was kept; one kept meanwhile stands."""
    session.execute(
        update(NotesKeyCheck)
        .where(NotesKeyCheck.id == ONE, NotesKeyCheck.research.is_(None))
        .values(research=research)
    )


def sealed_notes(session: Session) -> Iterator[bytes]:
    """Every sealed note and survey answer's words, a batch at a time (read once, when the row is made)."""
    for column in (CheckIn.note_encrypted, SurveyAnswer.text_encrypted):
        rows = session.execute(
            select(column).where(column.is_not(None)).execution_options(yield_per=500)
        ).scalars()
        yield from (bytes(token) for token in rows if token is not None)


def holds_sealed_data(session: Session) -> bool:
    """Whether anything sealed with a notes key is stored: the check row, a note, survey words or a waiting
    private message. False for a database whose schema has no tables yet."""
    tables = set(inspect(session.connection()).get_table_names())
    sealed = {
        "checkins": exists().where(CheckIn.note_encrypted.is_not(None)),
        "survey_answers": exists().where(SurveyAnswer.text_encrypted.is_not(None)),
        "outbox": exists().where(OutboxMessage.payload["sealed"].as_string().is_not(None)),
        "notes_key_check": exists().where(NotesKeyCheck.id == ONE),
    }
    return any(session.scalar(select(found)) for table, found in sealed.items() if table in tables)
