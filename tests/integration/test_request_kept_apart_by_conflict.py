"""A learner is not offered, and cannot become through a request, the partner of a coach matching would
never pair them with: a facilitator recorded a conflict (the coach assesses the learner), or either put the
other on their own "never match me with" list. The learner is told only that the coach is not available,
and a request made before the conflict was recorded closes when the coach answers it. On SQLite and
PostgreSQL."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from circles.domain.match_vocabulary import ConstraintKind
from circles.domain.requests import RequestStatus
from circles.domain.vocabulary import PairingMode, Role
from circles.errors import GuideNotAvailable, RequestLapsed
from circles.persistence.db import Database
from circles.persistence.models import CoachRequest, Cohort, Partnership, Workspace
from circles.services.matching.constraints import record_conflict, set_own_blocks
from circles.services.partnerships.requests import accept_request, request_guide
from circles.services.people.directory import directory
from tests import factories
from tests.factories import NOW

FAC, COACH, LEARNER = "U0FAC", "U0COACH", "U0LEARN"


def cohort(db: Database) -> None:
    with db.unit_of_work() as uow:
        workspace = factories.workspace(uow.session)
        co = factories.cohort(uow.session, workspace, "pgy1", "PGY-1")
        co.pairing_mode = PairingMode.COACH_LEARNER
        factories.facilitator(uow.session, co, FAC)
        factories.member(uow.session, co, COACH, Role.COACH, flush=False)
        factories.member(uow.session, co, LEARNER, Role.LEARNER, flush=False)
        factories.profile(uow.session, workspace, COACH, flush=False).capacity = 3
        uow.commit()


def kept_apart(db: Database, how: str) -> None:
    if how == "assesses":
        conflict = ConstraintKind.ASSESSES
        record_conflict(
            db.unit_of_work(), "T0001", "pgy1", COACH, LEARNER, conflict, user_id=FAC, is_admin=False, now=NOW
        )
    else:
        who, other = (COACH, LEARNER) if how == "coach-blocked" else (LEARNER, COACH)
        set_own_blocks(db.unit_of_work(), "T0001", who, [other], NOW)


WAYS = ["assesses", "coach-blocked", "learner-blocked"]


@pytest.mark.parametrize("how", WAYS)
def test_a_request_to_a_coach_kept_apart_from_the_learner_is_refused_as_not_available(
    db: Database, how: str
) -> None:
    cohort(db)
    kept_apart(db, how)

    with pytest.raises(GuideNotAvailable):  # before: sent, and the pair made when the coach accepted
        request_guide(db.unit_of_work(), "T0001", LEARNER, "pgy1", COACH, NOW)


@pytest.mark.parametrize("how", WAYS)
def test_a_request_made_before_the_conflict_closes_when_the_coach_answers_and_makes_no_pair(
    db: Database, how: str
) -> None:
    cohort(db)
    request_id = request_guide(db.unit_of_work(), "T0001", LEARNER, "pgy1", COACH, NOW).request_id
    kept_apart(db, how)

    with pytest.raises(RequestLapsed):
        accept_request(db.unit_of_work(), "T0001", COACH, request_id, NOW)
    with db.reading() as reading:
        assert reading.session.scalars(select(Partnership.id)).all() == []
        assert reading.session.get_one(CoachRequest, request_id).status is RequestStatus.WITHDRAWN


@pytest.mark.parametrize("how", WAYS)
def test_the_directory_offers_no_coach_the_learner_is_kept_apart_from(db: Database, how: str) -> None:
    cohort(db)
    with db.unit_of_work() as uow:
        co, workspace = uow.session.execute(select(Cohort, Workspace).join(Workspace)).one()
        factories.member(uow.session, co, "U0OTHER", Role.COACH, flush=False)
        factories.profile(uow.session, workspace, "U0OTHER", flush=False).capacity = 2
        uow.commit()
    kept_apart(db, how)

    listed = directory(db.unit_of_work(), "T0001", LEARNER, None, now=NOW).entries

    assert [entry.user_id for entry in listed] == ["U0OTHER"]  # before: the coach too, with a Request button
