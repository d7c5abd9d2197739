"""A note the key cannot open shows as unavailable, counted and never quoted; no other fault is hidden."""

from __future__ import annotations

import logging

import pytest
from cryptography.fernet import Fernet
from sqlalchemy import select

from circles.notes import NoteCipher
from circles.persistence.db import Database
from circles.persistence.models import CheckIn
from circles.services.checkins.notes import NOTE_UNAVAILABLE, shared_note
from circles.services.escalations.open import open_escalations, shared_notes
from tests import escalation_world as w
from tests.escalation_world import FACILITATORS, OLD_NOTE, SHARED_NOTE, World

NOW_KEY, OLD_KEY = NoteCipher(Fernet.generate_key()), NoteCipher(Fernet.generate_key())


def test_a_fault_other_than_an_unreadable_note_is_not_hidden(db: Database, world: World) -> None:
    def broken(token: bytes) -> str:
        raise RuntimeError("a bug, not a lost key")

    with db.unit_of_work() as uow, pytest.raises(RuntimeError):
        shared_notes(uow.session, world.partnership_id, broken)


def reseal(db: Database, world: World, keys: dict[str, NoteCipher]) -> dict[str, int]:
    """Store each of the world's shared notes again, encrypted under the key given for its text."""
    ids: dict[str, int] = {}
    with db.unit_of_work() as uow:
        for checkin in uow.session.scalars(select(CheckIn).where(CheckIn.note_shared.is_(True))):
            text = w.unseal(checkin.note_encrypted or b"")
            checkin.note_encrypted = keys[text].encrypt(text)
            ids[text] = checkin.id
        uow.commit()
    return ids


def logged(caplog: pytest.LogCaptureFixture) -> str:
    return "\n".join(record.getMessage() for record in caplog.records)


def test_a_note_under_an_earlier_key_shows_as_unavailable_and_is_counted_not_quoted(
    db: Database, world: World, caplog: pytest.LogCaptureFixture
) -> None:
    reseal(db, world, {OLD_NOTE: OLD_KEY, SHARED_NOTE: NOW_KEY})
    with caplog.at_level(logging.WARNING), db.unit_of_work() as uow:
        open_escalations(uow.session, [w.struggling(world.partnership_id)], w.at(), decrypt=NOW_KEY.decrypt)
        uow.commit()
        rows = w.outbox(uow.session)
    assert len(rows) == len(FACILITATORS)
    for row in rows:
        assert w.args_of(row)["notes_unavailable"] == 1
        shown = w.rendered(row)
        assert SHARED_NOTE in shown
        assert OLD_NOTE not in shown
        assert "Unavailable: 1 shared note could not be opened" in shown
    [warning] = [r for r in caplog.records if "could not be opened" in r.getMessage()]  # once per card
    assert warning.levelno == logging.WARNING
    assert warning.getMessage() == "1 shared check-in note(s) could not be opened; shown as unavailable"
    for secret in (OLD_NOTE, SHARED_NOTE, "U0LEARN", "U0COACH", *FACILITATORS):
        assert secret not in logged(caplog)


def test_a_shared_note_under_an_earlier_key_reads_as_unavailable_to_its_facilitator(
    db: Database, world: World, caplog: pytest.LogCaptureFixture
) -> None:
    ids = reseal(db, world, {OLD_NOTE: OLD_KEY, SHARED_NOTE: NOW_KEY})
    with caplog.at_level(logging.WARNING):
        assert (
            shared_note(db.unit_of_work(), "T0001", FACILITATORS[0], ids[SHARED_NOTE], NOW_KEY) == SHARED_NOTE
        )
        assert not caplog.records
        unavailable = shared_note(db.unit_of_work(), "T0001", FACILITATORS[0], ids[OLD_NOTE], NOW_KEY)
    assert unavailable == NOTE_UNAVAILABLE
    [warning] = caplog.records
    assert warning.levelno == logging.WARNING
    assert warning.getMessage() == "1 shared check-in note could not be opened; shown as unavailable"
    for secret in (OLD_NOTE, "U0LEARN", *FACILITATORS):
        assert secret not in logged(caplog)
