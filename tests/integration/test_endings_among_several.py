"""A coach with several learners hears that one partnership changed and how many did not: never whose."""

from __future__ import annotations

import json

from sqlalchemy import select

from bot.messages import render
from circles.domain.vocabulary import EndReason, PartnershipStatus, Role
from circles.persistence.db import Database
from circles.persistence.models import OutboxMessage, Partnership
from circles.services.partnerships.changes import (
    change_for_facilitator,
    end_partnership,
    pause_partnership,
)
from circles.services.people.membership import leave
from tests import factories
from tests.factories import NOW

LEARNERS = ("U0LEARN1", "U0LEARN2", "U0LEARN3", "U0LEARN4")


def coach_of_four(db: Database) -> dict[str, int]:
    """A coach with four learners in one cohort, and a peer pair in another: learner → partnership id."""
    with db.unit_of_work() as uow:
        ws = factories.workspace(uow.session)
        co = factories.cohort(uow.session, ws, "pgy1", "PGY-1")
        factories.facilitator(uow.session, co, "U0FAC")
        coach = factories.member(uow.session, co, "U0COACH", Role.COACH)
        pairs = {
            user: factories.pair(
                uow.session, coach, factories.member(uow.session, co, user, Role.LEARNER, flush=False)
            ).id
            for user in LEARNERS
        }
        peers = factories.cohort(uow.session, ws, "peers", "Peer circle")
        me, peer = (factories.member(uow.session, peers, u, Role.PEER) for u in ("U0COACH", "U0PEER"))
        factories.pair(uow.session, me, peer)
        uow.commit()
    return pairs


def told(db: Database, user: str) -> list[str]:
    with db.unit_of_work() as uow:
        rows = uow.session.scalars(
            select(OutboxMessage).where(OutboxMessage.channel == user).order_by(OutboxMessage.id)
        )
        found = []
        for row in rows:
            message = render(row.payload["template"], row.payload["args"])
            found.append(message.text + json.dumps(message.block_dicts()))
        return found


def one_ended_by_a_learner_one_by_a_facilitator(db: Database, pairs: dict[str, int]) -> None:
    """The fourth learner ends their partnership; a facilitator ends the first learner's."""
    end_partnership(db.unit_of_work(), "T0001", "U0LEARN4", pairs["U0LEARN4"], "", NOW, request_key="a")
    with db.unit_of_work() as uow:
        pair = uow.session.get_one(Partnership, pairs["U0LEARN1"])
        ended, reason = PartnershipStatus.ENDED, EndReason.FACILITATOR
        change_for_facilitator(uow.session, pair, ended, reason, NOW, request_key="b")
        uow.commit()


def test_a_learner_ending_tells_their_coach_that_one_of_four_ended_and_three_are_unchanged(
    db: Database,
) -> None:
    pairs = coach_of_four(db)
    end_partnership(db.unit_of_work(), "T0001", "U0LEARN2", pairs["U0LEARN2"], "", NOW, request_key="k")
    [notice] = told(db, "U0COACH")
    assert "One of your partnerships in *PGY-1* has ended" in notice
    assert "Your 3 other partnerships there are unchanged" in notice  # the peer pair elsewhere not counted
    assert "/circles status" in notice
    for learner in LEARNERS:
        assert learner not in notice  # not who, and not which by name


def test_a_coach_pausing_one_tells_only_that_learner_whose_notice_has_no_others(db: Database) -> None:
    pairs = coach_of_four(db)
    pause_partnership(db.unit_of_work(), "T0001", "U0COACH", pairs["U0LEARN1"], NOW, request_key="k")
    [notice] = told(db, "U0LEARN1")
    assert "Your partnership in *PGY-1* is paused for now" in notice
    assert "other partnership" not in notice
    assert told(db, "U0COACH") == []


def test_a_facilitator_ending_one_tells_the_coach_how_many_are_unchanged(db: Database) -> None:
    pairs = coach_of_four(db)
    one_ended_by_a_learner_one_by_a_facilitator(db, pairs)
    notices = told(db, "U0COACH")
    assert "Your 2 other partnerships there are unchanged" in notices[-1]
    [to_learner] = told(db, "U0LEARN1")
    assert "Your partnership in *PGY-1* has ended" in to_learner
    assert "U0COACH" not in to_learner


def test_no_partner_notice_carries_who_or_why_even_in_the_key_slack_receives_as_metadata(
    db: Database,
) -> None:
    pairs = coach_of_four(db)
    one_ended_by_a_learner_one_by_a_facilitator(db, pairs)
    leave(db.unit_of_work(), "T0001", "pgy1", "U0LEARN2", NOW)
    with db.unit_of_work() as uow:
        keys = uow.session.scalars(
            select(OutboxMessage.idempotency_key).where(OutboxMessage.channel != "U0FAC")
        ).all()
    assert len(keys) == 4  # the coach three times, the facilitator's learner once
    for key in keys:
        assert "facilitator" not in key
        assert "left" not in key
        assert "U0LEARN2" not in key
        assert "U0LEARN4" not in key
