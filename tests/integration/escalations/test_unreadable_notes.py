"""A shared note the notes key no longer opens is left out of the alert; the alert still goes."""

from __future__ import annotations

import logging

import pytest
from cryptography.fernet import Fernet
from sqlalchemy import select

from circles.notes import NoteCipher
from circles.persistence.db import Database
from circles.persistence.models import CheckIn
from circles.services.escalations import shared_notes
from tests import escalation_world as w
from tests.escalation_world import World

NOW_KEY, OLD_KEY = NoteCipher(Fernet.generate_key()), NoteCipher(Fernet.generate_key())


def test_a_note_under_a_key_since_lost_is_left_out_and_said_once_in_the_log(
    db: Database, world: World, caplog: pytest.LogCaptureFixture
) -> None:
    with db.unit_of_work() as uow:
        shared = list(
            uow.session.scalars(select(CheckIn).where(CheckIn.note_shared.is_(True)).order_by(CheckIn.id))
        )
        shared[0].note_encrypted = OLD_KEY.encrypt(w.OLD_NOTE)
        shared[1].note_encrypted = NOW_KEY.encrypt(w.SHARED_NOTE)
        uow.commit()
    caplog.set_level(logging.WARNING)
    with db.unit_of_work() as uow:
        notes = shared_notes(uow.session, world.partnership_id, NOW_KEY.decrypt)
    assert [note.text for note in notes] == [w.SHARED_NOTE]
    assert [r.getMessage() for r in caplog.records] == [
        "a shared check-in note could not be opened and was left out of an escalation"
    ]
    assert w.OLD_NOTE not in caplog.text


def test_a_fault_other_than_an_unreadable_note_is_not_hidden(db: Database, world: World) -> None:
    def broken(token: bytes) -> str:
        raise RuntimeError("a bug, not a lost key")

    with db.unit_of_work() as uow, pytest.raises(RuntimeError):
        shared_notes(uow.session, world.partnership_id, broken)
