"""The migrated schema is the models' schema, on SQLite and PostgreSQL alike."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone

import pytest
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from circles.persistence import migrate
from circles.persistence.base import Base
from circles.persistence.db import Database
from circles.persistence.migrations_filter import include_object
from circles.persistence.models import CheckIn, OutboxMessage, Partnership
from tests import factories
from tests.factories import NOW


def test_upgrading_twice_is_harmless_and_reaches_head(from_empty: Database) -> None:
    migrate.upgrade(from_empty.engine)
    assert migrate.current_revision(from_empty.engine) == migrate.head_revision()
    assert migrate.is_up_to_date(from_empty.engine)


def test_migrations_create_exactly_what_the_models_describe(from_empty: Database) -> None:
    with from_empty.engine.connect() as connection:
        context = MigrationContext.configure(
            connection, opts={"include_object": include_object, "compare_type": True}
        )
        differences = compare_metadata(context, Base.metadata)
    assert differences == []


def test_instants_come_back_in_utc_whatever_zone_they_were_written_in(db: Database) -> None:
    written = datetime(2026, 3, 1, 9, 30, tzinfo=timezone(timedelta(hours=-6)))
    with db.unit_of_work() as uow:
        ws = factories.workspace(uow.session)
        uow.session.add(
            OutboxMessage(
                workspace_id=ws.id,
                idempotency_key="k1",
                method="chat.postMessage",
                payload={"text": "hi"},
                due_at=written,
                created_at=NOW,
            )
        )
        uow.commit()
    with db.unit_of_work() as uow:
        due_at = uow.session.scalars(select(OutboxMessage.due_at)).one()
    assert due_at == written
    assert due_at.utcoffset() == timedelta(0)
    assert due_at.hour == 15


def test_a_naive_datetime_is_refused_rather_than_guessed(db: Database) -> None:
    with db.unit_of_work() as uow:
        ws = factories.workspace(uow.session)
        uow.session.add(
            OutboxMessage(
                workspace_id=ws.id,
                idempotency_key="k1",
                method="chat.postMessage",
                payload={},
                due_at=datetime(2026, 3, 1, 9, 30),
                created_at=NOW,
            )
        )
        with pytest.raises(Exception, match="naive datetime"):
            uow.session.flush()


def test_the_same_outbox_key_cannot_be_written_twice_in_a_workspace(db: Database) -> None:
    with db.unit_of_work() as uow:
        ws = factories.workspace(uow.session)
        other = factories.workspace(uow.session, "T0002")
        for workspace_id in (ws.id, other.id):  # the same key in another workspace is fine
            uow.session.add(_message(workspace_id, "prompt:cohort1:2026-W45"))
        uow.commit()
    with db.unit_of_work() as uow:
        uow.session.add(_message(ws.id, "prompt:cohort1:2026-W45"))
        with pytest.raises(IntegrityError):
            uow.session.flush()


def test_a_partnership_needs_two_different_people_and_ratings_stay_within_one_to_five(db: Database) -> None:
    with db.unit_of_work() as uow:
        co = factories.cohort(uow.session, factories.workspace(uow.session))
        alice = factories.member(uow.session, co, "U0ALICE")
        bob = factories.member(uow.session, co, "U0BOB")
        uow.session.add(_pair(co.workspace_id, co.id, alice.id, alice.id))
        with pytest.raises(IntegrityError):
            uow.session.flush()
    with db.unit_of_work() as uow:
        co = factories.cohort(uow.session, factories.workspace(uow.session))
        alice = factories.member(uow.session, co, "U0ALICE")
        bob = factories.member(uow.session, co, "U0BOB")
        pair = _pair(co.workspace_id, co.id, alice.id, bob.id)
        uow.session.add(pair)
        uow.session.flush()
        uow.session.add(
            CheckIn(
                workspace_id=co.workspace_id, partnership_id=pair.id, member_id=alice.id, due_at=NOW, rating=6
            )
        )
        with pytest.raises(IntegrityError):
            uow.session.flush()


def test_deleting_a_workspace_deletes_everything_that_belongs_to_it(db: Database) -> None:
    with db.unit_of_work() as uow:
        ws = factories.workspace(uow.session)
        co = factories.cohort(uow.session, ws)
        factories.member(uow.session, co, "U0ALICE")
        factories.facilitator(uow.session, co, "U0FAC")
        uow.commit()
    with db.unit_of_work() as uow:
        uow.session.delete(uow.session.get(type(ws), ws.id))
        uow.commit()
    with db.unit_of_work() as uow:
        for table in Base.metadata.sorted_tables:
            assert uow.session.execute(select(table)).first() is None, table.name


def _message(workspace_id: int, key: str) -> OutboxMessage:
    return OutboxMessage(
        workspace_id=workspace_id,
        idempotency_key=key,
        method="chat.postMessage",
        payload={},
        due_at=NOW,
        created_at=NOW,
    )


def _pair(workspace_id: int, cohort_id: int, first: int, second: int) -> Partnership:
    from circles.domain.vocabulary import PartnershipKind

    return Partnership(
        workspace_id=workspace_id,
        cohort_id=cohort_id,
        kind=PartnershipKind.PEER,
        first_member_id=first,
        second_member_id=second,
        started_at=NOW,
    )
