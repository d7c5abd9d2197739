"""A PostgreSQL server that stops answering (a partition, a hang) holds one probe's thread, never the
requests: each /healthz answers 503 within its wait, and healthy again once the server answers. Its
connections give up on a silent server through libpq's own timeouts. PostgreSQL only."""

from __future__ import annotations

import threading
import time
from collections.abc import Iterator
from typing import Any

import pytest
from sqlalchemy import event, text

from bot.health import HealthProbe
from circles.persistence.db import Database, make_engine
from tests.databases import migrated_postgres
from tests.frozen_proxy import FrozenProxy

pytestmark = pytest.mark.postgres


@pytest.fixture
def through_proxy() -> Iterator[tuple[Database, FrozenProxy]]:
    with migrated_postgres() as url:
        proxy = FrozenProxy(url)
        db = Database(proxy.url())
        try:
            yield db, proxy
        finally:
            proxy.close()
            db.dispose()


def probing_threads() -> int:
    return sum(thread.name == "healthz-probe" and thread.is_alive() for thread in threading.enumerate())


def test_a_silent_database_makes_each_probe_answer_503_in_time_and_holds_one_thread(
    through_proxy: tuple[Database, FrozenProxy],
) -> None:
    db, proxy = through_proxy
    probe = HealthProbe(db, wait=0.5)
    assert probe.check().ok

    proxy.freeze()
    answers: list[tuple[bool, str, float]] = []

    def ask() -> None:
        began = time.monotonic()
        health = probe.check()
        answers.append((health.ok, health.reason, time.monotonic() - began))

    askers = [threading.Thread(target=ask) for _ in range(6)]
    for asker in askers:
        asker.start()
    for asker in askers:
        asker.join(timeout=5)
    assert [(ok, reason) for ok, reason, _ in answers] == [(False, "database not answering")] * 6
    assert max(took for _, _, took in answers) < 2
    assert probing_threads() == 1  # the one probe still waiting on the server, not one per request

    proxy.thaw()
    deadline = time.monotonic() + 10
    while not probe.check().ok:
        assert time.monotonic() < deadline, "never healthy again once the server answered"


def connect_args_of(url: str) -> dict[str, Any]:
    engine = make_engine(url)
    seen: dict[str, Any] = {}

    @event.listens_for(engine, "do_connect")
    def keep(_dialect: Any, _record: Any, _args: Any, params: dict[str, Any]) -> None:
        seen.update(params)

    with engine.connect() as connection:
        connection.execute(text("SELECT 1"))
    engine.dispose()
    return seen


def test_connections_give_up_on_a_silent_server_unless_the_url_says_otherwise() -> None:
    with migrated_postgres() as url:
        default = connect_args_of(url)
        assert (default["connect_timeout"], default["keepalives"], default["tcp_user_timeout"]) == (
            10,
            1,
            30000,
        )
        chosen = connect_args_of(url + "?connect_timeout=3")
        assert chosen["connect_timeout"] == "3"
        assert chosen["keepalives_idle"] == 10
