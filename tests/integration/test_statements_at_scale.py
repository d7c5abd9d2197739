"""Alerts and their cards ask the same few questions for a cohort with many struggling pairs as for one."""

from __future__ import annotations

from collections.abc import Callable

from circles.domain.vocabulary import PairingMode, Role
from circles.persistence.db import Database
from circles.services.cohorts.config import cohort_config, configure_cohort
from circles.services.escalations.open import open_escalations
from tests import escalation_world as w
from tests import factories
from tests.databases import counted

FACILITATORS = ("U0FAC1", "U0FAC2")
NEWCOMER = "U0NEWFAC"


def struggling_cohort(db: Database, team: str, pairs: int) -> list[int]:
    """A cohort of `team` whose `pairs` coach–learner pairs all struggle, each learner sharing a note."""
    with db.unit_of_work() as uow:
        session = uow.session
        co = factories.cohort(session, factories.workspace(session, team), "pgy1", "PGY-1")
        co.pairing_mode = PairingMode.COACH_LEARNER
        for user in FACILITATORS:
            factories.facilitator(session, co, user)
        made = []
        for n in range(pairs):
            coach = factories.member(session, co, f"{team}C{n}", Role.COACH, flush=False)
            learner = factories.member(session, co, f"{team}L{n}", flush=False)
            pair = factories.pair(session, coach, learner)
            due = w.at(days=-7)
            note = w.seal(f"{w.SHARED_NOTE} ({n})")
            session.add(factories.checkin(pair, learner.id, due, 1, note=note, shared=True))
            session.add(factories.checkin(pair, coach.id, due, 2))
            made.append(pair.id)
        uow.commit()
    return made


def statements(db: Database, work: Callable[[], object]) -> int:
    with counted(db) as seen:
        work()
    return len([s for s in seen if not s.startswith("PRAGMA")])  # SQLite's, once a connection


def open_all(db: Database, pairs: list[int]) -> Callable[[], object]:
    def opening() -> list[int]:
        with db.unit_of_work() as uow:
            opened = open_escalations(uow.session, [w.struggling(p) for p in pairs], w.at(), decrypt=w.unseal)
            uow.commit()
        return opened

    return opening


def alerts_to(db: Database, user: str) -> list[str]:
    with db.unit_of_work() as uow:
        return [w.rendered(row) for row in w.outbox(uow.session) if row.channel == user]


def test_alerts_for_twelve_struggling_pairs_are_opened_in_as_many_statements_as_for_two(db: Database) -> None:
    few, many = struggling_cohort(db, "T0001", 2), struggling_cohort(db, "T0002", 12)
    assert statements(db, open_all(db, many)) == statements(db, open_all(db, few))
    for facilitator in FACILITATORS:  # and each facilitator has every alert, with its pair's shared note
        shown = alerts_to(db, facilitator)
        assert len(shown) == 14
        assert all(w.REASON in text for text in shown)
        assert sorted(n for n in range(12) if any(f"({n})" in text for text in shown)) == list(range(12))


def add_newcomer(db: Database, team: str) -> Callable[[], object]:
    def saving() -> object:
        config = cohort_config(db.reading(), team, "pgy1", user_id="U0ADMIN", is_admin=True)
        return configure_cohort(
            db.unit_of_work(),
            team,
            "pgy1",
            config.settings,
            [*FACILITATORS, NEWCOMER],
            user_id="U0ADMIN",
            is_admin=True,
            now=w.at(days=1),
            decrypt=w.unseal,
        )

    return saving


def test_a_facilitator_added_to_a_cohort_with_twelve_open_alerts_is_handed_them_as_cheaply_as_two(
    db: Database,
) -> None:
    for team, pairs in (("T0001", 2), ("T0002", 12)):
        open_all(db, struggling_cohort(db, team, pairs))()
    assert statements(db, add_newcomer(db, "T0002")) == statements(db, add_newcomer(db, "T0001"))
    shown = alerts_to(db, NEWCOMER)
    assert len(shown) == 14
    assert all(w.SHARED_NOTE in text for text in shown)
