"""Only a note the key cannot open is left out of an alert: any other fault is not hidden."""

from __future__ import annotations

import pytest
from cryptography.fernet import Fernet

from circles.notes import NoteCipher
from circles.persistence.db import Database
from circles.services.escalations.open import shared_notes
from tests.escalation_world import World

NOW_KEY, OLD_KEY = NoteCipher(Fernet.generate_key()), NoteCipher(Fernet.generate_key())


def test_a_fault_other_than_an_unreadable_note_is_not_hidden(db: Database, world: World) -> None:
    def broken(token: bytes) -> str:
        raise RuntimeError("a bug, not a lost key")

    with db.unit_of_work() as uow, pytest.raises(RuntimeError):
        shared_notes(uow.session, world.partnership_id, broken)
