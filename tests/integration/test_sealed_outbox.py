"""Private messages wait in the outbox sealed with the notes key: the raw column holds none of their words,
on SQLite and on PostgreSQL, while the app reads and sends them as written."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import timedelta

import pytest
from cryptography.fernet import Fernet
from sqlalchemy import select, text

from bot.dispatch import dispatch
from circles.domain.vocabulary import OutboxStatus
from circles.messages import SupportRequest
from circles.persistence.db import Database
from circles.persistence.models import Member, OutboxMessage
from circles.queries.outbox import claims
from circles.queries.outbox.deferral import supersede
from circles.services.escalations.open import open_escalations
from circles.services.outbox.enqueue import Outgoing
from circles.services.outbox.queue import claim_due
from circles.services.partnerships.changes import end_partnership
from circles.services.support.request import request_support
from standin import SlackStandIn
from tests import escalation_world as w
from tests import factories
from tests.dispatching import NOW, UNPACED, Stored, deps_for, given_up, plain, record, rows

KEY = Fernet.generate_key()
SUPPORT_WORDS = "Heliotrope: I cannot sleep before my shifts any more."
ENDING_WORDS = "Marmalade: I felt judged in our last session."
MARKERS = (w.SHARED_NOTE, w.OLD_NOTE, SUPPORT_WORDS, ENDING_WORDS, "Heliotrope", "Marmalade", "burden")


@pytest.fixture
def sealed(database_url: str) -> Iterator[Database]:
    """The test's own engine, given the notes key as `circles run` gives it (a kept engine stays unkeyed)."""
    opened = Database(database_url)
    opened.seal_private(KEY)
    yield opened
    opened.dispose()


@pytest.fixture
def standin() -> Iterator[SlackStandIn]:
    with SlackStandIn() as running:
        yield running


def raw_payloads(db: Database) -> list[str]:
    """The payload column as the database holds it, read as text without the model."""
    with db.engine.connect() as connection:
        return [str(payload) for (payload,) in connection.execute(text("SELECT payload FROM outbox"))]


def private_words_enqueued(db: Database) -> None:
    """An alert with shared notes, a support request in a member's words, and an ending with its reason.

    The ending is the coach's other pair's: ending the alerted pair would withdraw its alert (never sent).
    """
    with db.unit_of_work() as uow:
        world = w.build(uow.session)
        open_escalations(uow.session, [w.struggling(world.partnership_id)], w.at(), decrypt=w.unseal)
        people = {m.slack_user_id: m for m in uow.session.scalars(select(Member))}
        other_pair = factories.pair(uow.session, people["U0COACH"], people["U0OTHER"]).id
        uow.commit()
    request_support(db.unit_of_work(), "T0001", "U0LEARN", SUPPORT_WORDS, NOW, request_key="1.1.a")
    end_partnership(db.unit_of_work(), "T0001", "U0OTHER", other_pair, ENDING_WORDS, NOW, request_key="1.2.a")


def test_alerts_support_requests_and_ending_reasons_wait_without_their_words_in_the_column(
    sealed: Database,
) -> None:
    private_words_enqueued(sealed)
    stored = raw_payloads(sealed)
    assert len(stored) >= 5
    assert not [payload for payload in stored if any(word in payload for word in MARKERS)]
    with sealed.unit_of_work() as uow:
        found = list(uow.session.scalars(select(OutboxMessage)))
        private = [row.payload for row in found if row.payload.get("private")]
    assert {p["template"] for p in private} >= {"escalation", "support_request", "partnership_report"}
    words = repr([p["args"] for p in private])
    assert all(word in words for word in (w.SHARED_NOTE, SUPPORT_WORDS, ENDING_WORDS))


def test_the_kind_stays_in_clear_for_queries_that_pick_rows_by_it(sealed: Database) -> None:
    private_words_enqueued(sealed)
    with sealed.unit_of_work() as uow:
        picked = uow.session.scalars(
            select(OutboxMessage.payload).where(
                OutboxMessage.payload["template"].as_string() == "support_request"
            )
        ).all()
    assert [p["args"]["message"] for p in picked] == [SUPPORT_WORDS] * len(w.FACILITATORS)


def test_sealed_private_messages_are_sent_in_full_and_keep_no_words_after(
    sealed: Database, standin: SlackStandIn
) -> None:
    record(sealed, [Outgoing("support:1", "U0FAY", SupportRequest("PGY-1", "U0LEE", SUPPORT_WORDS))])
    summary = dispatch(deps_for(sealed, standin), NOW, options=UNPACED)
    assert (summary.sent, summary.failed) == (1, 0)
    [call] = standin.calls("chat.postMessage")
    assert call.args["channel"] == "U0FAY"
    assert SUPPORT_WORDS in str(call.args["blocks"])
    assert not [payload for payload in raw_payloads(sealed) if "Heliotrope" in payload]


def test_rows_written_before_sealing_still_send(database_url: str, standin: SlackStandIn) -> None:
    before = Database(database_url)  # a process of the earlier version: no key, payloads as they were
    try:
        words = {"cohort_name": "PGY-1", "member_user_id": "U0LEE", "message": SUPPORT_WORDS}
        record(before, [Stored("support:old", "U0FAY", "support_request", words)])
    finally:
        before.dispose()
    now = Database(database_url)
    now.seal_private(KEY)
    try:
        summary = dispatch(deps_for(now, standin), NOW, options=UNPACED)
        assert (summary.sent, summary.failed) == (1, 0)
        assert SUPPORT_WORDS in str([call.args for call in standin.calls("chat.postMessage")])
    finally:
        now.dispose()


def test_a_row_sealed_under_another_key_fails_alone_and_says_why(
    sealed: Database, database_url: str, standin: SlackStandIn
) -> None:
    record(sealed, [Outgoing("support:1", "U0FAY", SupportRequest("PGY-1", "U0LEE", SUPPORT_WORDS))])
    other = Database(database_url)
    other.seal_private(Fernet.generate_key())  # the notes key was changed since
    try:
        record(other, [plain("welcome:U0ANN", "U0ANN")])
        summary = dispatch(deps_for(other, standin), NOW, options=UNPACED)
        found = rows(other)
    finally:
        other.dispose()
    assert (summary.sent, summary.failed, summary.unbuildable) == (1, 1, 1)
    assert found["welcome:U0ANN"].status == OutboxStatus.SENT
    assert found["support:1"].status == OutboxStatus.FAILED
    assert found["support:1"].last_error == "unbuildable:sealed with another notes key"
    assert not [call for call in standin.calls("chat.postMessage") if call.args.get("channel") == "U0FAY"]


def support_waiting(db: Database) -> int:
    record(db, [Outgoing("support:1", "U0FAY", SupportRequest("PGY-1", "U0LEE", SUPPORT_WORDS))])
    with db.unit_of_work() as uow:
        return uow.session.scalars(select(OutboxMessage.id)).one()


def test_a_private_message_given_up_after_its_last_retry_keeps_no_words(sealed: Database) -> None:
    message_id = support_waiting(sealed)
    [claimed] = claim_due(sealed.unit_of_work(), NOW, limit=5, claim_for=timedelta(minutes=5))
    assert claimed.id == message_id
    given_up(sealed, claimed, "timeout", NOW, claimed.trail, max_attempts=1)
    assert rows(sealed)["support:1"].status == OutboxStatus.FAILED
    assert rows(sealed)["support:1"].payload == {"template": "support_request", "args": {}, "private": True}


def test_a_private_message_whose_claims_all_expired_keeps_no_words_once_given_up(sealed: Database) -> None:
    support_waiting(sealed)
    claim_due(sealed.unit_of_work(), NOW, limit=5, claim_for=timedelta(minutes=5), max_attempts=1)
    later = NOW + timedelta(minutes=10)
    assert (
        claim_due(sealed.unit_of_work(), later, limit=5, claim_for=timedelta(minutes=5), max_attempts=1) == []
    )
    found = rows(sealed)["support:1"]
    assert found.status == OutboxStatus.FAILED
    assert found.payload == {"template": "support_request", "args": {}, "private": True}


def test_a_superseded_private_message_keeps_no_words(sealed: Database) -> None:
    message_id = support_waiting(sealed)
    with sealed.unit_of_work() as uow:
        [replaced] = supersede(uow.session, [message_id])
        uow.commit()
    assert replaced["args"]["message"] == SUPPORT_WORDS  # what the caller reads of it, once
    found = rows(sealed)["support:1"]
    assert found.status == OutboxStatus.SUPERSEDED
    assert found.payload == {"template": "support_request", "args": {}, "private": True}


def test_without_a_notes_key_payloads_are_kept_as_written(db: Database) -> None:
    support_waiting(db)
    with db.unit_of_work() as uow:
        found = uow.session.scalars(select(OutboxMessage)).one()
    assert found.payload["args"]["message"] == SUPPORT_WORDS
    assert claims.scrubbed(found.payload) == {"template": "support_request", "args": {}, "private": True}
