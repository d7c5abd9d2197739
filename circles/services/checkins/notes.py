"""A member's check-in note, decrypted only for the facilitators of its cohort and only when shared."""

from __future__ import annotations

import logging

from circles.errors import CheckInNotYours
from circles.notes import NoteCipher, NoteUnreadable
from circles.persistence.db import UnitOfWork
from circles.persistence.models import CheckIn, Partnership
from circles.queries.cohorts import facilitator_ids
from circles.services.intake.workspaces import find_workspace

logger = logging.getLogger(__name__)

# What a facilitator reads in place of a shared note that no longer opens (the notes key changed).
NOTE_UNAVAILABLE = "(unavailable: this note could not be opened with the current notes key)"


def shared_note(
    uow: UnitOfWork, team_id: str, facilitator_user_id: str, checkin_id: int, cipher: NoteCipher
) -> str | None:
    """The note in plain words for a facilitator of the check-in's cohort; None when it was not shared.

    Anyone else is refused without learning whether the check-in or a note exists. A shared note that
    no longer opens reads as NOTE_UNAVAILABLE, and is counted in the log, never quoted.
    """
    with uow:
        session = uow.session
        workspace = find_workspace(session, team_id)
        checkin = session.get(CheckIn, checkin_id) if workspace is not None else None
        if workspace is None or checkin is None or checkin.workspace_id != workspace.id:
            raise CheckInNotYours()
        cohort_id = session.get_one(Partnership, checkin.partnership_id).cohort_id
        if facilitator_user_id not in facilitator_ids(session, cohort_id):
            raise CheckInNotYours()
        if not checkin.note_shared or checkin.note_encrypted is None:
            return None
        try:
            return cipher.decrypt(checkin.note_encrypted)
        except NoteUnreadable:
            logger.warning("1 shared check-in note could not be opened; shown as unavailable")
            return NOTE_UNAVAILABLE
