"""Do Not Disturb is asked of Slack in batches before a claim, and held-back messages stay exactly once
across dispatchers; circle prompts wait for most of their members."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from datetime import timedelta

import pytest
from sqlalchemy import select

from bot.dispatch import dispatch
from circles.domain.availability import WorkPattern, parse_shift
from circles.domain.vocabulary import OutboxStatus
from circles.persistence.db import Database
from circles.persistence.models import Profile, Workspace
from circles.services.availability.signals import SlackStatus, record_status
from circles.services.outbox.queue import claim_due
from standin import SlackStandIn
from tests import factories
from tests.databases import migrated_postgres
from tests.dispatching import NOW, UNPACED, Stored, deps_for, posts, record, rows

NIGHT_SHIFT = WorkPattern(parse_shift("Sun-Thu 19:00-07:00")).to_json()


@pytest.fixture
def standin() -> Iterator[SlackStandIn]:
    with SlackStandIn() as running:
        yield running


def people(db: Database, users: list[str], *, pattern: dict[str, object] | None = None) -> None:
    """Profiles for these people in the dispatch tests' workspace (made by `record`)."""
    with db.unit_of_work() as uow:
        ws = uow.session.scalars(select(Workspace)).one()
        for user in users:
            factories.profile(uow.session, ws, user, "UTC", flush=False).work_pattern = pattern
        uow.commit()


def digest(user: str) -> Stored:
    return Stored(f"digest:{user}:2026-11-23", user, "coach_digest", {"member_id": 1, "sections": []})


def test_do_not_disturb_is_asked_in_batches_of_fifty_and_holds_those_in_it(
    db: Database, standin: SlackStandIn
) -> None:
    users = [f"U0P{i:03d}" for i in range(60)]
    for user in users:
        standin.add_user(user, tz="UTC")
    standin.set_dnd(users[0], NOW + timedelta(minutes=40))
    record(db, [digest(user) for user in users])
    people(db, users)

    summary = dispatch(deps_for(db, standin), NOW, options=UNPACED)

    looks = standin.calls("dnd.teamInfo")
    assert sorted(len(str(call.args["users"]).split(",")) for call in looks) == [10, 50]
    assert summary.sent == 59
    held = rows(db)[f"digest:{users[0]}:2026-11-23"]
    assert (held.status, held.due_at, held.deferred_from) == (
        OutboxStatus.PENDING,
        NOW + timedelta(minutes=40),
        NOW,
    )
    with db.unit_of_work() as uow:
        checked = {p.dnd_checked_at for p in uow.session.scalars(select(Profile))}
    assert all(at is not None and NOW <= at < NOW + timedelta(seconds=5) for at in checked)

    dispatch(deps_for(db, standin), NOW + timedelta(minutes=5), options=UNPACED)
    assert len(standin.calls("dnd.teamInfo")) == 2  # fresh for 15 minutes: not asked again


def test_a_failed_look_up_never_stops_sending(db: Database, standin: SlackStandIn) -> None:
    standin.add_user("U0ANN", tz="UTC")
    standin.error("dnd.teamInfo", "internal_error")
    record(db, [digest("U0ANN")])
    people(db, ["U0ANN"])

    summary = dispatch(deps_for(db, standin), NOW, options=UNPACED)

    assert summary.sent == 1
    assert posts(standin) == {"digest:U0ANN:2026-11-23": 1}


def test_a_circle_prompt_waits_until_most_of_its_members_are_on_shift(db: Database) -> None:
    with db.unit_of_work() as uow:
        ws = factories.workspace(uow.session)
        co = factories.cohort(uow.session, ws)
        members = [factories.member(uow.session, co, user) for user in ("U0A", "U0B", "U0C")]
        for user in ("U0A", "U0B"):
            factories.profile(uow.session, ws, user, "UTC").work_pattern = NIGHT_SHIFT
        circle = factories.circle(uow.session, co, members, "Harbour", "C0HARBOUR")
        uow.commit()
    key = f"circle_prompt:{circle.id}:2026-11-23"
    record(db, [Stored(key, "C0HARBOUR", "circle_prompt", {})])

    assert claim_due(db.unit_of_work(), NOW, limit=10, claim_for=timedelta(minutes=5)) == []
    assert rows(db)[key].due_at == NOW.replace(hour=19)
    [claimed] = claim_due(db.unit_of_work(), NOW.replace(hour=19), limit=10, claim_for=timedelta(minutes=5))
    assert claimed.key == key


@pytest.mark.postgres
def test_two_dispatchers_on_postgresql_release_a_held_back_row_once() -> None:
    with migrated_postgres() as url:
        db = Database(url)
        try:
            users = [f"U0Q{i:03d}" for i in range(40)]
            record(db, [digest(user) for user in users])
            people(db, users, pattern=NIGHT_SHIFT)
            for _ in range(2):  # both dispatchers look: every row is held back once
                claim_due(db.unit_of_work(), NOW, limit=25, claim_for=timedelta(minutes=5))
            evening = NOW.replace(hour=19)
            assert {row.due_at for row in rows(db).values()} == {evening}

            taken: list[list[str]] = [[], []]
            start = threading.Barrier(2)

            def claim_all(mine: list[str]) -> None:
                start.wait()
                while got := claim_due(db.unit_of_work(), evening, limit=7, claim_for=timedelta(minutes=5)):
                    mine.extend(row.key for row in got)

            threads = [threading.Thread(target=claim_all, args=(taken[i],)) for i in range(2)]
            for thread in threads:
                thread.start()
            for thread in threads:
                thread.join()
            both = taken[0] + taken[1]
            assert sorted(both) == sorted(f"digest:{user}:2026-11-23" for user in users)
        finally:
            db.dispose()


def test_an_away_status_is_kept_with_its_expiry_and_cleared_when_it_changes_back(db: Database) -> None:
    with db.unit_of_work() as uow:
        factories.profile(uow.session, factories.workspace(uow.session), "U0ANN", "UTC")
        uow.commit()
    back = NOW + timedelta(days=5)

    def stored() -> tuple[object, object]:
        with db.unit_of_work() as uow:
            found = uow.session.scalars(select(Profile)).one()
            return (found.status_away_since, found.status_away_until)

    flying = SlackStatus(":airplane:", "", int(back.timestamp()))
    assert record_status(db.unit_of_work(), "T0001", "U0ANN", flying, NOW)
    assert stored() == (NOW, back)
    record_status(db.unit_of_work(), "T0001", "U0ANN", SlackStatus(":palm_tree:", "On leave", 0), NOW)
    assert stored() == (None, None)  # no expiry: never read as an absence
    record_status(db.unit_of_work(), "T0001", "U0ANN", flying, NOW)
    record_status(db.unit_of_work(), "T0001", "U0ANN", SlackStatus(), NOW + timedelta(days=1))
    assert stored() == (None, None)
    assert not record_status(db.unit_of_work(), "T0001", "U0NOBODY", SlackStatus(), NOW)
