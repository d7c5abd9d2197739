"""Answering check-ins on SQLite and PostgreSQL: only one's own, once, the newest, notes encrypted at rest."""

from __future__ import annotations

from datetime import timedelta

import pytest
from cryptography.fernet import Fernet
from sqlalchemy import select, text
from sqlalchemy.orm import Session

from circles import errors
from circles.domain.checkins import NOTE_MAX_CHARS, CheckInAnswer
from circles.domain.vocabulary import PartnershipKind, PartnershipStatus, Role
from circles.notes import NoteCipher
from circles.persistence.db import Database
from circles.persistence.models import CheckIn, OutboxMessage, Partnership, Workspace
from circles.services.checkins.answers import answer
from circles.services.checkins.notes import shared_note
from circles.services.checkins.opening import open_checkin
from tests import factories
from tests.traces import everything_stored

NOW = factories.NOW
CIPHER = NoteCipher(Fernet.generate_key())
NOTE = "We keep missing each other; the rota makes it hard"


def seed(db: Database) -> tuple[int, int]:
    """Ada coaches Lee in a cohort run by Fay; one check-in each, due now. Returns (Lee's, Ada's) ids."""
    with db.unit_of_work() as uow:
        ws = factories.workspace(uow.session)
        co = factories.cohort(uow.session, ws)
        factories.facilitator(uow.session, co, "U0FAY")
        factories.member(uow.session, co, "U0ADA", Role.COACH)
        factories.member(uow.session, co, "U0LEE")
        pair = factories.partnership(uow.session, "U0ADA", "U0LEE")
        lee = checkin_row(uow.session, pair, second=True)
        ada = checkin_row(uow.session, pair, second=False)
        uow.commit()
        return lee, ada


def checkin_row(session: Session, pair: Partnership, *, second: bool, due: timedelta = timedelta()) -> int:
    member_id = pair.second_member_id if second else pair.first_member_id
    row = factories.checkin(pair, member_id, NOW + due)
    session.add(row)
    session.flush()
    return row.id


def answer_as(db: Database, user: str, checkin_id: int, given: CheckInAnswer, team: str = "T0001") -> object:
    return answer(db.unit_of_work(), team, user, checkin_id, given, NOW + timedelta(hours=1), cipher=CIPHER)


def stored(db: Database, checkin_id: int) -> CheckIn:
    with db.unit_of_work() as uow:
        return uow.session.get_one(CheckIn, checkin_id)


def outbox(db: Database) -> list[OutboxMessage]:
    with db.unit_of_work() as uow:
        return list(uow.session.scalars(select(OutboxMessage).order_by(OutboxMessage.id)))


def test_an_answer_is_stored_once_with_the_note_encrypted_and_not_shared_by_default(db: Database) -> None:
    lee, _ = seed(db)
    answer_as(db, "U0LEE", lee, CheckInAnswer(rating=2, met=False, note=NOTE))
    row = stored(db, lee)
    assert (row.rating, row.met, row.note_shared, row.wants_support) == (2, False, False, False)
    assert row.answered_at == NOW + timedelta(hours=1)
    assert row.note_encrypted is not None
    assert CIPHER.decrypt(row.note_encrypted) == NOTE
    with db.engine.connect() as connection:  # what the database itself holds, column by column
        raw = connection.execute(text("SELECT * FROM checkins WHERE id = :id"), {"id": lee}).one()
    assert all(NOTE.encode() not in bytes(v) for v in raw if isinstance(v, bytes | memoryview))
    assert all(NOTE not in v for v in raw if isinstance(v, str))
    assert outbox(db) == []  # nobody is told anything unless support was asked for


def test_a_second_answer_is_refused_and_the_first_one_stays(db: Database) -> None:
    lee, _ = seed(db)
    answer_as(db, "U0LEE", lee, CheckInAnswer(rating=4, met=True))
    with pytest.raises(errors.CheckInAlreadyAnswered):
        answer_as(db, "U0LEE", lee, CheckInAnswer(rating=1, met=False))
    assert (stored(db, lee).rating, stored(db, lee).met) == (4, True)


def test_nobody_answers_someone_elses_checkin_not_even_their_partner_or_another_workspace(
    db: Database,
) -> None:
    lee, ada = seed(db)
    with pytest.raises(errors.CheckInNotYours):
        answer_as(db, "U0ADA", lee, CheckInAnswer(rating=1))
    with pytest.raises(errors.CheckInNotYours):
        answer_as(db, "U0LEE", lee, CheckInAnswer(rating=1), team="T0OTHER")
    with pytest.raises(errors.CheckInNotYours):
        answer_as(db, "U0LEE", 999_999, CheckInAnswer(rating=1))
    assert stored(db, lee).answered_at is None
    answer_as(db, "U0ADA", ada, CheckInAnswer(rating=5))
    assert stored(db, lee).rating is None  # one partner's answer never lands on the other's check-in


def test_a_superseded_checkin_is_refused_pointing_at_the_newer_one(db: Database) -> None:
    lee, _ = seed(db)
    with db.unit_of_work() as uow:
        pair = uow.session.scalars(select(Partnership)).one()
        # Asked by the time Lee answers the older one (an hour on): one not asked yet replaces nothing.
        newer = checkin_row(uow.session, pair, second=True, due=timedelta(minutes=30))
        uow.commit()
    with pytest.raises(errors.CheckInSuperseded) as refused:
        answer_as(db, "U0LEE", lee, CheckInAnswer(rating=3))
    assert refused.value.newer_answered is False
    answer(db.unit_of_work(), "T0001", "U0LEE", newer, CheckInAnswer(rating=3), NOW, cipher=CIPHER)
    with pytest.raises(errors.CheckInSuperseded) as again:
        answer_as(db, "U0LEE", lee, CheckInAnswer(rating=3))
    assert again.value.newer_answered is True
    assert stored(db, lee).answered_at is None


@pytest.mark.parametrize("status", [PartnershipStatus.PAUSED, PartnershipStatus.ENDED])
def test_a_checkin_of_a_paused_or_ended_partnership_takes_no_answer(
    db: Database, status: PartnershipStatus
) -> None:
    lee, _ = seed(db)
    with db.unit_of_work() as uow:
        uow.session.scalars(select(Partnership)).one().status = status
        uow.commit()
    with pytest.raises(errors.CheckInClosed):
        answer_as(db, "U0LEE", lee, CheckInAnswer(rating=3))


@pytest.mark.parametrize(
    ("given", "field"),
    [(CheckInAnswer(rating=0), "rating"), (CheckInAnswer(rating=6), "rating"),
     (CheckInAnswer(rating=3, note="x" * (NOTE_MAX_CHARS + 1)), "note")],
)  # fmt: skip
def test_ratings_outside_1_to_5_and_overlong_notes_are_refused(
    db: Database, given: CheckInAnswer, field: str
) -> None:
    lee, _ = seed(db)
    with pytest.raises(errors.InvalidCheckIn) as refused:
        answer_as(db, "U0LEE", lee, given)
    assert list(refused.value.problems) == [field]
    assert stored(db, lee).answered_at is None


def test_without_a_key_the_note_is_not_stored_and_the_rest_of_the_answer_is(db: Database) -> None:
    lee, ada = seed(db)
    given = CheckInAnswer(2, met=False, note=NOTE, wants_support=True)
    answered = answer(db.unit_of_work(), "T0001", "U0LEE", lee, given, NOW, cipher=None)
    assert not answered.note_saved
    row = stored(db, lee)
    assert (row.rating, row.met, row.wants_support, row.answered_at is not None) == (2, False, True, True)
    assert (row.note_encrypted, row.note_shared) == (None, False)
    assert answered.support is not None
    assert answered.support.facilitators == ["U0FAY"]
    with db.unit_of_work() as uow:
        [request] = uow.session.scalars(select(OutboxMessage)).all()
        assert (request.channel, request.payload["args"]["message"]) == ("U0FAY", None)  # not shared
        assert NOTE not in everything_stored(uow.session.connection())
    plain = answer(db.unit_of_work(), "T0001", "U0ADA", ada, CheckInAnswer(3), NOW, cipher=None)
    assert plain.note_saved  # no note, no key needed
    assert stored(db, ada).rating == 3


def test_without_a_key_a_shared_note_still_reaches_the_facilitators_with_the_support_request(
    db: Database,
) -> None:
    lee, _ = seed(db)
    given = CheckInAnswer(1, note=NOTE, share_note=True, wants_support=True)
    answered = answer(db.unit_of_work(), "T0001", "U0LEE", lee, given, NOW, cipher=None)
    assert not answered.note_saved
    assert stored(db, lee).note_encrypted is None
    with db.unit_of_work() as uow:
        [request] = uow.session.scalars(select(OutboxMessage)).all()
        assert (request.channel, request.payload["args"]["message"]) == ("U0FAY", NOTE)
        assert request.payload["private"] is True  # scrubbed once it is sent
        assert NOTE in everything_stored(uow.session.connection())  # there, and only there, until sent


def test_a_note_reaches_a_facilitator_of_the_cohort_only_when_shared(db: Database) -> None:
    lee, ada = seed(db)
    answer_as(db, "U0LEE", lee, CheckInAnswer(rating=2, note=NOTE, share_note=True))
    answer_as(db, "U0ADA", ada, CheckInAnswer(rating=4, note="Kept to myself"))
    assert shared_note(db.unit_of_work(), "T0001", "U0FAY", lee, CIPHER) == NOTE
    assert shared_note(db.unit_of_work(), "T0001", "U0FAY", ada, CIPHER) is None
    for someone in ("U0ADA", "U0LEE", "U0STRANGER"):  # the partner, the author, anyone else: not here
        with pytest.raises(errors.CheckInNotYours):
            shared_note(db.unit_of_work(), "T0001", someone, lee, CIPHER)


def test_a_facilitator_of_another_cohort_never_reads_a_shared_note(db: Database) -> None:
    lee, _ = seed(db)
    with db.unit_of_work() as uow:
        ws = factories.workspace(uow.session, "T0002")
        factories.facilitator(uow.session, factories.cohort(uow.session, ws, "other"), "U0FAY")
        uow.commit()
    answer_as(db, "U0LEE", lee, CheckInAnswer(rating=2, note=NOTE, share_note=True))
    with pytest.raises(errors.CheckInNotYours):
        shared_note(db.unit_of_work(), "T0002", "U0FAY", lee, CIPHER)


def test_asking_for_support_in_a_checkin_tells_the_facilitators_only_with_the_note_only_if_shared(
    db: Database,
) -> None:
    lee, ada = seed(db)
    answer_as(db, "U0LEE", lee, CheckInAnswer(rating=1, note=NOTE, share_note=True, wants_support=True))
    answer_as(db, "U0ADA", ada, CheckInAnswer(rating=2, note="private", wants_support=True))
    sent = outbox(db)
    assert [m.channel for m in sent] == ["U0FAY", "U0FAY"]  # nothing to the partner, nothing to a channel
    lee_asks, ada_asks = (m.payload for m in sent)
    assert lee_asks["template"] == "support_request"
    assert lee_asks["args"] == {
        "cohort_name": "PGY-1 spring",
        "member_user_id": "U0LEE",
        "message": NOTE,
        "partner_user_id": "U0ADA",
    }
    assert ada_asks["args"]["message"] is None  # not shared: the note stays out of the message
    assert stored(db, lee).wants_support
    assert stored(db, ada).wants_support


def test_checkin_opens_the_newest_unanswered_one_or_a_new_one_due_now(db: Database) -> None:
    lee, _ = seed(db)
    [found] = open_checkin(db.unit_of_work(), "T0001", "U0LEE", NOW + timedelta(days=1))
    assert (found.checkin_id, found.partner_user_id, found.cohort_name) == (lee, "U0ADA", "PGY-1 spring")
    answer_as(db, "U0LEE", lee, CheckInAnswer(rating=3))
    later = NOW + timedelta(days=2)
    [fresh] = open_checkin(db.unit_of_work(), "T0001", "U0LEE", later)
    assert fresh.checkin_id != lee
    assert stored(db, fresh.checkin_id).due_at == later
    [same] = open_checkin(db.unit_of_work(), "T0001", "U0LEE", later)  # asking twice opens the same one
    assert same.checkin_id == fresh.checkin_id


def test_checkin_offers_one_per_active_partnership_and_none_without_one(db: Database) -> None:
    seed(db)
    with db.unit_of_work() as uow:
        ws = uow.session.scalars(select(Partnership)).one().workspace_id
        co = factories.cohort(uow.session, uow.session.get_one(Workspace, ws), "peers", "Peers")
        lee = factories.member(uow.session, co, "U0LEE", Role.PEER)
        sam = factories.member(uow.session, co, "U0SAM", Role.PEER)
        factories.member(uow.session, co, "U0SOLO", Role.PEER)
        factories.pair(uow.session, sam, lee, kind=PartnershipKind.PEER)
        uow.commit()
    both = open_checkin(db.unit_of_work(), "T0001", "U0LEE", NOW)
    assert sorted((c.cohort_name, c.partner_user_id) for c in both) == [
        ("PGY-1 spring", "U0ADA"),
        ("Peers", "U0SAM"),
    ]
    with pytest.raises(errors.NoActivePartnership):
        open_checkin(db.unit_of_work(), "T0001", "U0SOLO", NOW)  # in a cohort, but with no partner
    with pytest.raises(errors.NoActivePartnership):
        open_checkin(db.unit_of_work(), "T0002", "U0LEE", NOW)  # another workspace: nothing of this one
    with db.unit_of_work() as uow:
        for pair in uow.session.scalars(select(Partnership)):
            pair.status = PartnershipStatus.ENDED
        uow.commit()
    with pytest.raises(errors.NoActivePartnership):
        open_checkin(db.unit_of_work(), "T0001", "U0LEE", NOW)
