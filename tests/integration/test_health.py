"""Recomputing health: few statements, history on change, and the board for facilitators only."""

from __future__ import annotations

import json
import logging
from datetime import datetime, timedelta
from typing import Any

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session

from circles.domain.vocabulary import PartnershipHealthState as State
from circles.domain.vocabulary import PartnershipStatus, Role
from circles.errors import CohortNotFound, NotAFacilitator
from circles.persistence.db import Database
from circles.persistence.models import Cohort, HealthRecord, Partnership
from circles.services.health.boards import board, boards_run_by
from circles.services.health.recompute import recompute
from tests import factories
from tests.databases import counted

T0 = factories.NOW
FACILITATOR, OTHER_FACILITATOR = "U0FAC", "U0OTHERFAC"


def pairs(session: Session, cohort: Cohort, count: int, prefix: str) -> list[Partnership]:
    """`count` coach–learner pairs, coach n and learner n of each, flushed: two INSERTs for them all."""
    people = [
        (
            factories.member(session, cohort, f"{prefix}C{n}", Role.COACH, flush=False),
            factories.member(session, cohort, f"{prefix}L{n}", Role.LEARNER, flush=False),
        )
        for n in range(count)
    ]
    session.flush()
    made = [factories.pair(session, coach, learner, flush=False) for coach, learner in people]
    session.flush()
    return made


def answer(
    session: Session,
    pair: Partnership,
    due: datetime,
    ratings: tuple[int | None, int | None],
    *,
    met: bool = True,
    note: bytes | None = None,
    flush: bool = True,
) -> None:
    """Both partners' check-ins due at `due`, answered three hours later (None: left unanswered)."""
    for member, rating in zip((pair.first_member_id, pair.second_member_id), ratings, strict=True):
        session.add(factories.checkin(pair, member, due, rating, met=met, note=note, shared=note is not None))
    if flush:
        session.flush()


def history(db: Database) -> list[HealthRecord]:
    with db.unit_of_work() as uow:
        return list(uow.session.scalars(select(HealthRecord).order_by(HealthRecord.id)))


@pytest.fixture
def cohort_ids(db: Database) -> dict[str, int]:
    """Two cohorts in one workspace: `small` with 3 pairs and `large` with 30, each answered twice."""
    with db.unit_of_work() as uow:
        ws = factories.workspace(uow.session)
        small, large = factories.cohort(uow.session, ws, "small"), factories.cohort(uow.session, ws, "large")
        factories.facilitator(uow.session, small, FACILITATOR, flush=False)
        factories.facilitator(uow.session, large, OTHER_FACILITATOR, flush=False)
        for cohort, count in ((small, 3), (large, 30)):
            for n, pair in enumerate(pairs(uow.session, cohort, count, cohort.slug[:2].upper())):
                answer(uow.session, pair, T0 + timedelta(days=1), (4, 4), flush=False)
                answer(uow.session, pair, T0 + timedelta(days=15), (4, (5, 2, 3)[n % 3]), flush=False)
        uow.commit()
        return {"small": small.id, "large": large.id}


def test_recompute_takes_the_same_few_statements_for_three_pairs_as_for_thirty(
    db: Database, cohort_ids: dict[str, int]
) -> None:
    now = T0 + timedelta(days=16)
    counts = {}
    for name in ("small", "large"):
        with counted(db) as statements, db.unit_of_work() as uow:
            results = recompute(uow.session, now, cohort_id=cohort_ids[name])
            uow.commit()
        counts[name] = (len(results), len(statements))
    assert counts["small"][0] == 3
    assert counts["large"][0] == 30
    assert counts["small"][1] == counts["large"][1] <= 8


def test_results_come_riskiest_first_with_the_pairs_slack_ids(
    db: Database, cohort_ids: dict[str, int]
) -> None:
    with db.unit_of_work() as uow:
        results = recompute(uow.session, T0 + timedelta(days=16), cohort_id=cohort_ids["small"])
    assert [r.state for r in results] == [State.NEEDS_ATTENTION, State.STEADY, State.THRIVING]
    assert results[0].reasons[0].text == "the learner rated it 2 of 5 at the latest check-in"
    assert (results[0].first_user_id, results[0].second_user_id) == ("SMC1", "SML1")


def test_history_gets_a_row_when_the_state_or_reasons_change_and_not_otherwise(db: Database) -> None:
    with db.unit_of_work() as uow:
        ws = factories.workspace(uow.session)
        cohort = factories.cohort(uow.session, ws)
        [pair] = pairs(uow.session, cohort, 1, "P")
        answer(uow.session, pair, T0 + timedelta(days=1), (5, 5))
        uow.commit()

    def run(at: datetime) -> Any:
        with db.unit_of_work() as uow:
            [result] = recompute(uow.session, at)
            uow.commit()
            return result

    first = run(T0 + timedelta(days=2))
    assert (first.state, first.changed, len(history(db))) == (State.THRIVING, True, 1)
    again = run(T0 + timedelta(days=3))  # the meeting is a day older: same rules, no new row
    assert (again.state, again.changed, len(history(db))) == (State.THRIVING, False, 1)
    quiet = run(T0 + timedelta(days=30))
    assert (quiet.state, quiet.changed, len(history(db))) == (State.NEEDS_ATTENTION, True, 2)
    assert quiet.reasons[0].text == "no meeting reported for 28 days"
    later = run(T0 + timedelta(days=31))  # 29 days now: the words change, the rule that fired does not
    assert (later.changed, len(history(db))) == (False, 2)
    assert [(point.state, point.since) for point in later.trend] == [
        (State.NEEDS_ATTENTION, T0 + timedelta(days=30)),
        (State.THRIVING, T0 + timedelta(days=2)),
    ]
    stored = history(db)[-1]
    assert stored.reasons == [
        {"rule": "no_meeting", "who": "pair", "text": "no meeting reported for 28 days"}
    ]
    assert stored.signals["days_without_meeting"] == 28
    assert stored.cohort_id == cohort.id


def test_only_active_partnerships_of_live_cohorts_in_scope_are_recomputed(
    db: Database, cohort_ids: dict[str, int]
) -> None:
    with db.unit_of_work() as uow:
        ended = uow.session.scalars(
            select(Partnership).where(Partnership.cohort_id == cohort_ids["small"])
        ).first()
        assert ended is not None
        ended.status = PartnershipStatus.ENDED
        other = factories.workspace(uow.session, "T0002")
        archived = factories.cohort(uow.session, other, "gone")
        pairs(uow.session, archived, 2, "GO")
        archived.archived_at = T0
        uow.commit()
    now = T0 + timedelta(days=16)
    with db.unit_of_work() as uow:
        assert len(recompute(uow.session, now, cohort_id=cohort_ids["small"])) == 2
        assert len(recompute(uow.session, now)) == 32
        assert recompute(uow.session, now, workspace_id=other.id) == []


def test_each_cohort_uses_its_own_thresholds(db: Database, cohort_ids: dict[str, int]) -> None:
    with db.unit_of_work() as uow:
        small = uow.session.get_one(Cohort, cohort_ids["small"])
        small.health_thresholds = {"low_rating": 3}
        uow.commit()
    with db.unit_of_work() as uow:
        results = recompute(uow.session, T0 + timedelta(days=16))
    rated_three = {r.cohort_id: r.state for r in results if r.signals.second.latest_rating == 3}
    assert rated_three == {cohort_ids["small"]: State.NEEDS_ATTENTION, cohort_ids["large"]: State.STEADY}


def test_notes_never_reach_the_reasons_the_history_or_the_board(db: Database) -> None:
    with db.unit_of_work() as uow:
        ws = factories.workspace(uow.session)
        cohort = factories.cohort(uow.session, ws)
        factories.facilitator(uow.session, cohort, FACILITATOR)
        [pair] = pairs(uow.session, cohort, 1, "P")
        answer(uow.session, pair, T0 + timedelta(days=1), (4, 2), note=b"I feel unheard by my coach")
        uow.commit()
    shown = board(db.unit_of_work(), "T0001", FACILITATOR, "pgy1-spring", T0 + timedelta(days=2))
    with db.unit_of_work() as uow:  # the board writes nothing: the watch records the history
        recompute(uow.session, T0 + timedelta(days=2))
        uow.commit()
    stored = history(db)
    text = json.dumps([[r.text for r in row.reasons] for row in shown.rows]) + json.dumps(
        [(s.reasons, s.signals) for s in stored]
    )
    assert "unheard" not in text
    assert "note" not in json.dumps(stored[0].signals)


def test_the_board_is_for_the_cohorts_facilitators_and_admins_only(
    db: Database, cohort_ids: dict[str, int]
) -> None:
    with db.unit_of_work() as uow:
        factories.member(uow.session, uow.session.get_one(Cohort, cohort_ids["small"]), "U0MEMBER")
        uow.commit()
    now = T0 + timedelta(days=16)
    shown = board(db.unit_of_work(), "T0001", FACILITATOR, "small", now)
    assert (shown.slug, len(shown.rows), shown.counts[State.THRIVING]) == ("small", 3, 1)
    for outsider in ("U0MEMBER", OTHER_FACILITATOR, "U0STRANGER"):
        with pytest.raises(NotAFacilitator):
            board(db.unit_of_work(), "T0001", outsider, "small", now)
    assert len(board(db.unit_of_work(), "T0001", "U0ADMIN", "small", now, is_admin=True).rows) == 3


def test_a_refused_request_computes_and_stores_nothing(db: Database, cohort_ids: dict[str, int]) -> None:
    with pytest.raises(NotAFacilitator):
        board(db.unit_of_work(), "T0001", OTHER_FACILITATOR, "small", T0 + timedelta(days=16))
    assert history(db) == []


def test_another_workspace_sees_nothing_of_this_one(db: Database, cohort_ids: dict[str, int]) -> None:
    with db.unit_of_work() as uow:
        other = factories.workspace(uow.session, "T0002")
        same_slug = factories.cohort(uow.session, other, "small")
        factories.facilitator(uow.session, same_slug, FACILITATOR)
        pairs(uow.session, same_slug, 1, "XX")
        uow.commit()
    now = T0 + timedelta(days=16)
    theirs = board(db.unit_of_work(), "T0002", FACILITATOR, "small", now)
    assert [(row.first_user_id, row.workspace_id) for row in theirs.rows] == [("XXC0", other.id)]
    with pytest.raises(CohortNotFound):
        board(db.unit_of_work(), "T0003", FACILITATOR, "small", now)
    with pytest.raises(NotAFacilitator):
        board(db.unit_of_work(), "T0002", OTHER_FACILITATOR, "small", now)


def test_the_home_tab_gets_a_board_for_each_cohort_the_person_runs_and_none_for_others(
    db: Database, cohort_ids: dict[str, int]
) -> None:
    now = T0 + timedelta(days=16)
    assert [b.slug for b in boards_run_by(db.unit_of_work(), "T0001", FACILITATOR, now)] == ["small"]
    assert [b.slug for b in boards_run_by(db.unit_of_work(), "T0001", OTHER_FACILITATOR, now)] == ["large"]
    assert boards_run_by(db.unit_of_work(), "T0001", "U0MEMBER", now) == []
    assert boards_run_by(db.unit_of_work(), "T0009", FACILITATOR, now) == []


def test_health_leaves_nothing_in_the_logs_at_info_level(
    db: Database, cohort_ids: dict[str, int], caplog: pytest.LogCaptureFixture
) -> None:
    with caplog.at_level(logging.INFO):
        board(db.unit_of_work(), "T0001", FACILITATOR, "small", T0 + timedelta(days=16))
        with db.unit_of_work() as uow:
            recompute(uow.session, T0 + timedelta(days=17))
    assert [record.getMessage() for record in caplog.records if record.levelno >= logging.INFO] == []
