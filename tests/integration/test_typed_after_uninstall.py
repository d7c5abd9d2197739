"""A message typed to the app that Slack delivers after the app was removed (its retry, or a late delivery)
does not count as installing it again: the workspace's waiting messages keep waiting for a real reinstall."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import select

from circles.domain.vocabulary import Role
from circles.messages import PlainNotice
from circles.persistence.db import Database
from circles.persistence.models import OutboxMessage, Workspace
from circles.services.intake.workspaces import mark_uninstalled, record_installation
from circles.services.outbox.enqueue import Outgoing, enqueue
from circles.services.support.care import DIRECT_ANSWER_TEMPLATE, answer_typed_message
from tests import factories
from tests.factories import NOW


def removed_with_a_waiting_notice(db: Database) -> None:
    """Lee's workspace, with a notice for Lee waiting, from which the app was then removed."""
    with db.unit_of_work() as uow:
        ws = factories.workspace(uow.session)
        factories.member(uow.session, factories.cohort(uow.session, ws), "U0LEE", Role.LEARNER)
        enqueue(uow.session, ws.id, Outgoing("notice:1", "U0LEE", PlainNotice("Hello")), NOW, NOW)
        uow.commit()
    mark_uninstalled(db.unit_of_work(), "T0001", NOW)


def removed(db: Database) -> bool:
    with db.reading() as reading:
        return reading.session.scalars(select(Workspace.uninstalled_at)).one() is not None


def templates(db: Database) -> list[str]:
    with db.reading() as reading:
        rows = reading.session.scalars(select(OutboxMessage).order_by(OutboxMessage.id))
        return [row.payload["template"] for row in rows]


def test_a_message_typed_before_an_uninstall_and_delivered_after_it_leaves_the_workspace_removed(
    db: Database,
) -> None:
    removed_with_a_waiting_notice(db)
    assert answer_typed_message(db.unit_of_work(), "T0001", "U0LEE", NOW + timedelta(minutes=1)) is False
    assert removed(db)
    assert templates(db) == [PlainNotice.TEMPLATE]  # no answer the removed app could never send


def test_once_installed_again_a_typed_message_is_answered(db: Database) -> None:
    removed_with_a_waiting_notice(db)
    record_installation(db.unit_of_work(), "T0001", "Team", NOW + timedelta(days=1))
    assert answer_typed_message(db.unit_of_work(), "T0001", "U0LEE", NOW + timedelta(days=1)) is True
    assert not removed(db)
    assert templates(db) == [PlainNotice.TEMPLATE, DIRECT_ANSWER_TEMPLATE]


def test_a_workspace_never_seen_is_recorded_by_its_first_typed_message(db: Database) -> None:
    assert answer_typed_message(db.unit_of_work(), "T0NEW", "U0NEW", NOW) is True
    assert not removed(db)
    assert templates(db) == [DIRECT_ANSWER_TEMPLATE]
