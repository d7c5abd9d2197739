"""Going away and coming back: one block of one's own, each partner told once when, never why."""

from __future__ import annotations

import json
import threading
from datetime import UTC, date, datetime, timedelta

import pytest
from sqlalchemy import select

from circles.domain.availability import AbsenceKind
from circles.domain.availability.going_away import AwayRequest
from circles.domain.vocabulary import PartnershipKind, Role
from circles.errors import InvalidAwayTime, NotAMember
from circles.persistence.db import Database
from circles.persistence.models import AwayBlock, Cohort, OutboxMessage, Partnership
from circles.services.availability.away import come_back, go_away
from tests import factories

NOW = datetime(2027, 1, 13, 15, tzinfo=UTC)  # 09:00 in Chicago


def seed(db: Database) -> None:
    """Lee (in Chicago) is coached by Ada in two cohorts, two pairs with one partner, and pairs with Kim."""
    with db.unit_of_work() as uow:
        ws = factories.workspace(uow.session)
        for slug in ("a", "b"):
            co = factories.cohort(uow.session, ws, slug)
            lee = factories.member(uow.session, co, "U0LEE", flush=False)
            factories.pair(
                uow.session,
                factories.member(uow.session, co, "U0ADA", Role.COACH, flush=False),
                lee,
                flush=False,
            )
        kim = factories.member(uow.session, co, "U0KIM", Role.PEER, flush=False)
        factories.pair(uow.session, kim, lee, kind=PartnershipKind.PEER, flush=False)
        factories.profile(uow.session, ws, "U0LEE", "America/Chicago", flush=False)
        for pair in uow.session.scalars(select(Partnership)):
            pair.health_due_at = NOW + timedelta(days=30)
        for cohort in uow.session.scalars(select(Cohort)):
            cohort.plan_due_at = NOW + timedelta(days=1)
        uow.commit()


def notices(db: Database) -> list[OutboxMessage]:
    with db.reading() as uow:
        return list(uow.session.scalars(select(OutboxMessage).order_by(OutboxMessage.id)))


def test_going_away_for_two_weeks_keeps_one_block_until_local_midnight_and_tells_the_partner_once(
    db: Database,
) -> None:
    seed(db)
    away = go_away(db.unit_of_work(), "T0001", "U0LEE", AwayRequest(weeks=2), NOW)
    assert away.back_on == date(2027, 1, 27)
    assert away.back_at == datetime(2027, 1, 27, 6, tzinfo=UTC)  # midnight in Chicago
    assert away.partners == 2
    with db.reading() as uow:
        [block] = uow.session.scalars(select(AwayBlock))
        assert (block.starts_at, block.ends_at, block.kind) == (NOW, away.back_at, AbsenceKind.AWAY)
        assert all(p.health_due_at == NOW for p in uow.session.scalars(select(Partnership)))
        assert all(c.plan_due_at is None for c in uow.session.scalars(select(Cohort)))
    told = notices(db)
    assert [n.channel for n in told] == ["U0ADA", "U0KIM"]  # Ada once, for both of her pairs
    assert {n.payload["template"] for n in told} == {"partner_away"}
    assert told[0].payload["args"] == {"away_user_id": "U0LEE", "until": "2027-01-27"}
    go_away(db.unit_of_work(), "T0001", "U0LEE", AwayRequest(weeks=2), NOW + timedelta(minutes=5))
    assert len(notices(db)) == 2  # said twice: still one block, one notice each
    with db.reading() as uow:
        assert len(uow.session.scalars(select(AwayBlock)).all()) == 1


def test_a_new_return_date_moves_the_block_and_the_partner_hears_the_new_date(db: Database) -> None:
    seed(db)
    go_away(db.unit_of_work(), "T0001", "U0LEE", AwayRequest(weeks=2), NOW)
    go_away(db.unit_of_work(), "T0001", "U0LEE", AwayRequest(until=date(2027, 2, 3)), NOW)
    with db.reading() as uow:
        [block] = uow.session.scalars(select(AwayBlock))
        assert block.ends_at == datetime(2027, 2, 3, 6, tzinfo=UTC)
    told = [(n.channel, n.payload["args"]["until"]) for n in notices(db)]
    assert told == [
        ("U0ADA", "2027-01-27"),
        ("U0KIM", "2027-01-27"),
        ("U0ADA", "2027-02-03"),
        ("U0KIM", "2027-02-03"),
    ]


def test_coming_back_ends_the_block_and_tells_the_partner_and_a_second_time_changes_nothing(
    db: Database,
) -> None:
    seed(db)
    go_away(db.unit_of_work(), "T0001", "U0LEE", AwayRequest(weeks=2), NOW)
    later = NOW + timedelta(days=3)
    back = come_back(db.unit_of_work(), "T0001", "U0LEE", later)
    assert (back.was_away, back.partners) == (True, 2)
    with db.reading() as uow:
        [block] = uow.session.scalars(select(AwayBlock))
        assert block.ends_at == later
    assert [n.payload["template"] for n in notices(db)] == ["partner_away"] * 2 + ["partner_back"] * 2
    again = come_back(db.unit_of_work(), "T0001", "U0LEE", later + timedelta(hours=1))
    assert (again.was_away, again.partners) == (False, 0)
    assert len(notices(db)) == 4


def test_nothing_of_why_reaches_the_partner(db: Database) -> None:
    seed(db)
    go_away(db.unit_of_work(), "T0001", "U0LEE", AwayRequest(weeks=3), NOW)
    stored = json.dumps([n.payload for n in notices(db)])
    for word in ("leave", "rotation", "sick", "reason"):
        assert word not in stored


@pytest.mark.parametrize(
    "request_",
    [AwayRequest(weeks=0), AwayRequest(weeks=27), AwayRequest(until=date(2027, 1, 13)), AwayRequest()],
)
def test_times_out_of_range_are_refused_and_nothing_is_kept(db: Database, request_: AwayRequest) -> None:
    seed(db)
    with pytest.raises(InvalidAwayTime):
        go_away(db.unit_of_work(), "T0001", "U0LEE", request_, NOW)
    assert notices(db) == []


def test_someone_in_no_cohort_cannot_go_away(db: Database) -> None:
    seed(db)
    with pytest.raises(NotAMember):
        go_away(db.unit_of_work(), "T0001", "U0NOBODY", AwayRequest(weeks=1), NOW)


def test_two_requests_at_once_keep_one_block_and_tell_each_partner_once(db: Database) -> None:
    seed(db)
    start = threading.Barrier(2)

    def away(minutes: int) -> None:
        start.wait()
        go_away(db.unit_of_work(), "T0001", "U0LEE", AwayRequest(weeks=2), NOW + timedelta(minutes=minutes))

    threads = [threading.Thread(target=away, args=(n,)) for n in (0, 1)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    with db.reading() as uow:
        assert len(uow.session.scalars(select(AwayBlock)).all()) == 1
    assert sorted(str(n.channel) for n in notices(db)) == ["U0ADA", "U0KIM"]


def test_coming_back_during_a_rotation_tells_no_partner_and_says_until_when_the_rotation_runs(
    db: Database,
) -> None:
    seed(db)
    go_away(db.unit_of_work(), "T0001", "U0LEE", AwayRequest(weeks=1), NOW)
    with db.unit_of_work() as uow:
        ws = uow.session.scalars(select(Cohort.workspace_id)).first()
        rotation = (NOW - timedelta(days=1), datetime(2027, 2, 1, 6, tzinfo=UTC))  # to midnight in Chicago
        uow.session.add(
            AwayBlock(
                workspace_id=ws,
                slack_user_id="U0LEE",
                starts_at=rotation[0],
                ends_at=rotation[1],
                kind=AbsenceKind.ROTATION,
                created_by="U0FAC",
                created_at=NOW,
            )
        )
        uow.commit()
    back = come_back(db.unit_of_work(), "T0001", "U0LEE", NOW + timedelta(days=2))
    assert [n.payload["template"] for n in notices(db)] == ["partner_away"] * 2
    assert (back.was_away, back.partners, back.away_until) == (True, 0, date(2027, 2, 1))
    with db.reading() as uow:
        kinds = {b.kind: b.ends_at for b in uow.session.scalars(select(AwayBlock))}
        assert kinds == {AbsenceKind.AWAY: NOW + timedelta(days=2), AbsenceKind.ROTATION: rotation[1]}
