"""Pausing, resuming and ending a partnership: private and no-fault; facilitators told why."""

from __future__ import annotations

import json
import threading
from datetime import date, timedelta

import pytest
from sqlalchemy import select

from bot.messages import render
from circles.domain.vocabulary import EndReason, PartnershipStatus, Role
from circles.errors import PartnershipNotYours, PartnershipOver
from circles.persistence.db import Database
from circles.persistence.models import Cohort, OutboxMessage, Partnership
from circles.services.partnerships.changes import (
    complete_finished_cohorts,
    end_partnership,
    pause_partnership,
    resume_partnership,
)
from tests import factories
from tests.factories import NOW

REASON = "We never found a time that worked and I felt judged in our last session."


def pair(db: Database) -> int:
    with db.unit_of_work() as uow:
        ws = factories.workspace(uow.session)
        co = factories.cohort(uow.session, ws, "pgy1", "PGY-1")
        factories.facilitator(uow.session, co, "U0FAC")
        factories.member(uow.session, co, "U0COACH", Role.COACH)
        factories.member(uow.session, co, "U0LEARN", Role.LEARNER)
        factories.member(uow.session, co, "U0OTHER", Role.LEARNER)
        partnership_id = factories.partnership(uow.session, "U0COACH", "U0LEARN").id
        uow.commit()
    return partnership_id


def outbox(db: Database) -> dict[str, list[str]]:
    """Each recipient and the texts they will receive, rendered as Slack will show them."""
    with db.unit_of_work() as uow:
        rows = uow.session.scalars(select(OutboxMessage).order_by(OutboxMessage.id)).all()
        found: dict[str, list[str]] = {}
        for row in rows:
            message = render(row.payload["template"], row.payload["args"])
            found.setdefault(row.channel or "", []).append(message.text + json.dumps(message.block_dicts()))
    return found


def test_ending_tells_the_partner_only_that_it_ended_and_the_facilitators_who_and_why(db: Database) -> None:
    partnership_id = pair(db)
    change = end_partnership(
        db.unit_of_work(),
        "T0001",
        "U0LEARN",
        partnership_id,
        REASON,
        NOW,
        request_key=factories.request_key(),
    )
    assert change.status is PartnershipStatus.ENDED
    assert change.partner_user_id == "U0COACH"
    sent = outbox(db)
    assert set(sent) == {"U0COACH", "U0FAC"}  # nobody else, no channel
    [to_partner] = sent["U0COACH"]
    assert "has ended" in to_partner
    assert "never found a time" not in to_partner
    assert "U0LEARN" not in to_partner  # not who asked
    [to_facilitator] = sent["U0FAC"]
    assert "never found a time" in to_facilitator
    assert "<@U0LEARN> ended their partnership with <@U0COACH>" in to_facilitator
    with db.unit_of_work() as uow:
        row = uow.session.get_one(Partnership, partnership_id)
        assert (row.status, row.end_reason) == (PartnershipStatus.ENDED, EndReason.NO_FAULT)


def test_pausing_and_resuming_say_what_changed_without_who(db: Database) -> None:
    partnership_id = pair(db)
    pause_partnership(
        db.unit_of_work(), "T0001", "U0COACH", partnership_id, NOW, request_key=factories.request_key()
    )
    pause_partnership(
        db.unit_of_work(),
        "T0001",
        "U0COACH",
        partnership_id,
        NOW + timedelta(minutes=1),
        request_key=factories.request_key(),
    )
    resume_partnership(
        db.unit_of_work(),
        "T0001",
        "U0LEARN",
        partnership_id,
        NOW + timedelta(days=1),
        request_key=factories.request_key(),
    )
    sent = outbox(db)
    assert len(sent["U0LEARN"]) == 1  # pausing twice tells once
    assert "paused" in sent["U0LEARN"][0]
    assert "U0COACH" not in sent["U0LEARN"][0]
    assert "running again" in sent["U0COACH"][0]
    with db.unit_of_work() as uow:
        assert uow.session.get_one(Partnership, partnership_id).status is PartnershipStatus.ACTIVE


def test_only_the_two_partners_can_change_it_and_an_ended_one_stays_ended(db: Database) -> None:
    partnership_id = pair(db)
    for stranger in ("U0OTHER", "U0FAC", "U0NOBODY"):
        with pytest.raises(PartnershipNotYours):
            end_partnership(
                db.unit_of_work(),
                "T0001",
                stranger,
                partnership_id,
                "",
                NOW,
                request_key=factories.request_key(),
            )
    with pytest.raises(PartnershipNotYours):
        pause_partnership(
            db.unit_of_work(), "T0002", "U0COACH", partnership_id, NOW, request_key=factories.request_key()
        )  # another workspace
    end_partnership(
        db.unit_of_work(), "T0001", "U0COACH", partnership_id, "", NOW, request_key=factories.request_key()
    )
    with pytest.raises(PartnershipOver):
        resume_partnership(
            db.unit_of_work(), "T0001", "U0LEARN", partnership_id, NOW, request_key=factories.request_key()
        )


def test_partnerships_running_when_the_cohort_ends_are_completed_not_ended_early(db: Database) -> None:
    partnership_id = pair(db)
    with db.unit_of_work() as uow:
        cohort = uow.session.get_one(Partnership, partnership_id).cohort_id
        uow.session.get_one(Cohort, cohort).ends_on = date(2026, 3, 1)
        uow.commit()
    with db.unit_of_work() as uow:
        assert complete_finished_cohorts(uow.session, NOW.replace(year=2026, month=3, day=1)) == 0
        # 1 March is over in every time zone at noon UTC on the 2nd: a partner far behind gets its check-in.
        assert complete_finished_cohorts(uow.session, NOW.replace(year=2026, month=3, day=2, hour=11)) == 0
        assert complete_finished_cohorts(uow.session, NOW.replace(year=2026, month=3, day=2, hour=12)) == 1
        uow.commit()
    with db.unit_of_work() as uow:
        row = uow.session.get_one(Partnership, partnership_id)
        assert (row.status, row.end_reason) == (PartnershipStatus.ENDED, EndReason.COMPLETED)


@pytest.mark.postgres
@pytest.mark.parametrize("database_url", ["postgresql"], indirect=True)
def test_two_clicks_on_pause_at_the_same_moment_tell_the_partner_once(
    database_url: str, db: Database
) -> None:
    # Two requests (two replicas) both find the partnership running; the row lock lets one change it.
    partnership_id = pair(db)
    together = threading.Barrier(2, timeout=30)

    def click(key: str) -> None:
        own = Database(database_url)
        try:
            together.wait()
            pause_partnership(own.unit_of_work(), "T0001", "U0COACH", partnership_id, NOW, request_key=key)
        finally:
            own.dispose()

    clicks = [threading.Thread(target=click, args=(f"trigger:{n}",)) for n in range(2)]
    for thread in clicks:
        thread.start()
    for thread in clicks:
        thread.join(timeout=60)
    told = outbox(db)
    assert len(told["U0LEARN"]) == 1
    assert len(told["U0FAC"]) == 1


def test_a_facilitator_who_is_the_other_partner_never_hears_who_ended_it_or_why(db: Database) -> None:
    partnership_id = pair(db)
    with db.unit_of_work() as uow:
        cohort = uow.session.scalars(select(Cohort)).one()
        factories.facilitator(uow.session, cohort, "U0COACH")  # also the learner's coach
        uow.commit()
    end_partnership(
        db.unit_of_work(),
        "T0001",
        "U0LEARN",
        partnership_id,
        REASON,
        NOW,
        request_key=factories.request_key(),
    )
    sent = outbox(db)
    [to_partner] = sent["U0COACH"]
    assert "never found a time" not in to_partner
    assert "U0LEARN" not in to_partner
    assert len(sent["U0FAC"]) == 1
