"""Two facilitators acting on one alert at the same moment, on two processes: one wins, the other is told.

Each press runs on its own engine, like another replica, and pauses just before it writes until the other has
read the alert too (or has had to wait for it). SQLite never gets here: its writers take turns from BEGIN.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from typing import Any

import pytest
from sqlalchemy import event, select

from circles.domain.escalations import Outcome
from circles.domain.vocabulary import EscalationStatus
from circles.errors import EscalationClosed
from circles.persistence.db import Database
from circles.persistence.models import Escalation, EscalationEvent
from circles.services.escalations.access import EscalationAct
from circles.services.escalations.follow_up import follow_up_unclaimed
from circles.services.escalations.resolve import resolve_escalation
from circles.services.escalations.snooze import snooze_escalation
from tests import escalation_world as w
from tests.databases import until_one_waits

Press = Callable[[EscalationAct], object]


def at_once(database_url: str, escalation_id: int, *presses: tuple[str, Press]) -> list[object]:
    """Each (facilitator, press) on its own engine at the same moment; what each gave or raised, in order."""
    arrived, everyone = [0], threading.Event()
    counting = threading.Lock()
    given: list[object] = [None] * len(presses)
    watcher = Database(database_url)

    def until_the_other_caught_up() -> None:
        """Return once every press is about to write, or one is seen waiting for a lock (at worst, 2 s on)."""
        with counting:
            arrived[0] += 1
            if arrived[0] == len(presses):
                everyone.set()
        until_one_waits(watcher, 2, through=everyone)

    def press(position: int, user: str, act: Press) -> None:
        own = Database(database_url)
        paused = False

        def before_write(conn: Any, cursor: Any, statement: str, *args: Any) -> None:
            nonlocal paused
            if not paused and statement.lstrip().upper().startswith(("UPDATE", "INSERT")):
                paused = True
                until_the_other_caught_up()  # the other has read it too, or is waiting for it: go on

        event.listen(own.engine, "before_cursor_execute", before_write)
        try:
            now = w.at(1)
            acting = EscalationAct(
                own.unit_of_work(), "T0001", user, escalation_id, is_admin=False, now=now, decrypt=w.unseal
            )
            given[position] = act(acting)
        except Exception as error:  # what this facilitator would be told
            given[position] = error
        finally:
            own.dispose()

    threads = [
        threading.Thread(target=press, args=(position, user, act))
        for position, (user, act) in enumerate(presses)
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    watcher.dispose()
    return given


def resolving(outcome: Outcome) -> Press:
    return lambda act: resolve_escalation(act, outcome, "")


def snoozing(days: int) -> Press:
    return lambda act: snooze_escalation(act, days)


def trail(db: Database) -> list[str]:
    with db.unit_of_work() as uow:
        return list(uow.session.scalars(select(EscalationEvent.action).order_by(EscalationEvent.id)))


def stored(db: Database, escalation_id: int) -> Escalation:
    with db.unit_of_work() as uow:
        return uow.session.get_one(Escalation, escalation_id)


pytestmark = [
    pytest.mark.postgres,
    pytest.mark.parametrize("database_url", ["postgresql"], indirect=True),
]


def test_two_facilitators_resolving_at_once_close_it_once_and_the_second_is_told_it_is_closed(
    database_url: str, db: Database, escalation_id: int
) -> None:
    given = at_once(
        database_url,
        escalation_id,
        ("U0FAC1", resolving(Outcome.RECONNECTED)),
        ("U0FAC2", resolving(Outcome.NO_ACTION)),
    )

    assert sorted(type(g).__name__ for g in given) == ["EscalationClosed", "EscalationView"]
    assert trail(db).count("resolved") == 1
    resolution = stored(db, escalation_id)
    winner = 0 if not isinstance(given[0], EscalationClosed) else 1
    assert resolution.outcome == (Outcome.RECONNECTED, Outcome.NO_ACTION)[winner].value


def test_a_snooze_pressed_as_another_resolves_never_brings_the_resolved_alert_back(
    database_url: str, db: Database, escalation_id: int
) -> None:
    at_once(
        database_url,
        escalation_id,
        ("U0FAC1", resolving(Outcome.RECONNECTED)),
        ("U0FAC2", snoozing(1)),
    )

    resolved = stored(db, escalation_id)
    assert (resolved.status, resolved.outcome, resolved.snoozed_until) == (
        EscalationStatus.RESOLVED,
        "reconnected",
        None,
    )
    with db.unit_of_work() as uow:
        assert follow_up_unclaimed(uow.session, w.at(3), ["U0ADMIN"], decrypt=w.unseal) == 0
        uow.commit()
    assert "resurfaced" not in trail(db)
