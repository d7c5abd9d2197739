"""Starting without CIRCLES_NOTES_KEY, as the README's Socket Mode steps do: documented, and nothing lost."""

from __future__ import annotations

import stat
from collections.abc import Callable
from pathlib import Path

import pytest
from sqlalchemy import select

from bot import ids
from bot.views.checkin_form import FormOrigin, checkin_modal
from circles.notes import NoteCipher
from circles.notes_key import KEY_FILE_NAME
from circles.persistence.db import Database
from circles.persistence.models import CheckIn
from circles.services.checkins.answers import OpenCheckIn
from standin import SignedRequest, Signer, SlackStandIn
from standin.forms import submitted_values
from standin.socket_mode import SocketModeStandIn
from tests import factories
from tests.databases import migrated_postgres, migrated_sqlite_url
from tests.e2e import processes
from tests.e2e.conftest import BOT_TOKEN, SIGNING_SECRET, RunningApp
from tests.e2e.harness import CIRCLES, circles_run_logged, environment, free_port

APP_TOKEN = "xapp-1-A0CIRCLES1-1000-e2e-app-token"
NOTE = "The rota keeps cancelling our sessions and I feel stuck"


def seed(folder: Path) -> int:
    """Ada coaches Lee in a cohort run by Fay, in the database `circles run` uses; Lee's check-in id."""
    db = Database(f"sqlite:///{folder / 'circles.db'}")
    try:
        with db.unit_of_work() as uow:
            checkin_id = factories.coached_checkin(uow.session)
            uow.commit()
            return checkin_id
    finally:
        db.dispose()


def stored(folder: Path, checkin_id: int) -> CheckIn:
    db = Database(f"sqlite:///{folder / 'circles.db'}")
    try:
        with db.unit_of_work() as uow:
            return uow.session.scalars(select(CheckIn).where(CheckIn.id == checkin_id)).one()
    finally:
        db.dispose()


def full_answer(signer: Signer, checkin_id: int, **changes: object) -> SignedRequest:
    """Lee's check-in form, submitted: a low rating, no meeting, a note shared, and a call for support."""
    view = checkin_modal(
        OpenCheckIn(checkin_id, "pgy1-spring", "PGY-1 spring", "U0ADA"), FormOrigin(checkin_id)
    )
    answers = {
        ids.CHECKIN_RATING: "2",
        ids.CHECKIN_MET: "no",
        ids.CHECKIN_NOTE: NOTE,
        ids.CHECKIN_SHARE: None,
        ids.CHECKIN_SUPPORT: None,
    } | changes
    values = submitted_values(view.to_dict(), answers)
    for ticked in (ids.CHECKIN_SHARE, ids.CHECKIN_SUPPORT):
        if answers[ticked]:
            values[ticked][ids.CHECKIN_INPUT] = {"type": "checkboxes", "selected_options": [{"value": "yes"}]}
    return signer.view_submission(
        ids.CHECKIN_VIEW, user_id="U0LEE", values=values, private_metadata=FormOrigin(checkin_id).encode()
    )


def test_a_socket_mode_start_without_a_notes_key_makes_one_says_so_and_loses_nothing(
    standin: SlackStandIn, tmp_path: Path
) -> None:
    for user in ("U0LEE", "U0ADA", "U0FAY"):
        standin.add_user(user)
    with SocketModeStandIn() as socket:
        standin.socket_mode_url = socket.url
        settings = {
            "SLACK_BOT_TOKEN": BOT_TOKEN,
            "SLACK_APP_TOKEN": APP_TOKEN,
            "SLACK_API_URL": standin.api_url,
        }
        migrated_sqlite_url(tmp_path)  # made once for the run: the notes key is under test, not migrating
        with circles_run_logged(tmp_path, **settings) as first:
            socket.wait_connected()
            key_path = tmp_path / KEY_FILE_NAME
            assert "NOTICE: CIRCLES_NOTES_KEY is not set" in first.output()
            assert str(key_path) in first.output()
            assert stat.S_IMODE(key_path.stat().st_mode) == 0o600
            checkin_id = seed(tmp_path)
            standin.clear()
            submitted = full_answer(
                Signer("unused", standin=standin),
                checkin_id,
                **{
                    ids.CHECKIN_SHARE: True,
                    ids.CHECKIN_SUPPORT: True,
                },
            )
            socket.wait_for_ack(socket.deliver(submitted))
            posted = standin.wait_for("chat.postMessage", count=2, timeout=10)
        assert sorted(call.args["channel"] for call in posted) == ["U0FAY", "U0LEE"]
        [request] = [call for call in posted if call.args["channel"] == "U0FAY"]
        assert "<@U0LEE> asked for support" in str(request.args["blocks"])
        row = stored(tmp_path, checkin_id)
        assert (row.rating, row.met, row.wants_support, row.note_shared) == (2, False, True, True)
        assert row.note_encrypted is not None
        assert NoteCipher(key_path.read_bytes().strip()).decrypt(row.note_encrypted) == NOTE
        with circles_run_logged(tmp_path, **settings) as again:  # the next start uses the same key
            socket.wait_connected(count=2)
            assert "NOTICE" not in again.output()
        assert NoteCipher(key_path.read_bytes().strip()).decrypt(row.note_encrypted) == NOTE


def test_an_http_start_without_a_notes_key_behaves_the_same(standin: SlackStandIn, tmp_path: Path) -> None:
    settings = {
        "SLACK_BOT_TOKEN": BOT_TOKEN,
        "SLACK_SIGNING_SECRET": SIGNING_SECRET,
        "SLACK_API_URL": standin.api_url,
    }
    migrated_sqlite_url(tmp_path)  # made once for the run: the notes key is under test, not migrating
    with circles_run_logged(tmp_path, **settings) as started:
        assert "NOTICE: CIRCLES_NOTES_KEY is not set" in started.output()
    assert (tmp_path / KEY_FILE_NAME).exists()


@pytest.mark.postgres
@pytest.mark.parametrize("command", ["run", "tick"])
def test_on_postgresql_without_a_notes_key_circles_refuses_to_start_with_one_line(
    command: str, standin: SlackStandIn, tmp_path: Path
) -> None:
    with migrated_postgres() as url:
        settings = {"DATABASE_URL": url, "SLACK_API_URL": standin.api_url, "PORT": str(free_port())}
        processes.run(
            [*CIRCLES, "db", "upgrade"],
            cwd=tmp_path,
            env=environment(**settings),
            check=True,
            capture_output=True,
            text=True,  # forked from the zygote (see processes.popen), not a new interpreter
        )
        result = processes.run(
            [*CIRCLES, command],
            cwd=tmp_path,
            env=environment(SLACK_BOT_TOKEN=BOT_TOKEN, SLACK_APP_TOKEN=APP_TOKEN, **settings),
            capture_output=True,
            text=True,
            timeout=60,
        )
    assert result.returncode == 2
    [line] = result.stderr.strip().splitlines()
    assert line.startswith("circles: CIRCLES_NOTES_KEY is not set: on postgresql every Circles process")
    assert not (tmp_path / KEY_FILE_NAME).exists()


def test_a_note_that_cannot_be_stored_loses_neither_the_answer_nor_the_support_request(
    serve_app: Callable[..., RunningApp],
) -> None:
    app = serve_app(circles_notes_key=None)  # a process that got no key at all
    for user in ("U0LEE", "U0FAY"):
        app.standin.add_user(user)
    with app.db.unit_of_work() as uow:
        checkin_id = factories.coached_checkin(uow.session)
        uow.commit()
    status, body = app.post(full_answer(app.signer, checkin_id, **{ids.CHECKIN_SUPPORT: True}))
    assert (status, body) == (200, b"")
    [told] = app.standin.wait_for("chat.postMessage", timeout=10)
    assert told.args["channel"] == "U0LEE"
    said = str(told.args["blocks"])
    assert "Your note was not saved" in said
    assert "Your other answers were saved" in said
    assert NOTE not in said
    with app.db.unit_of_work() as uow:
        answered = uow.session.get_one(CheckIn, checkin_id)
        assert (answered.rating, answered.met, answered.wants_support) == (2, False, True)
        assert answered.note_encrypted is None
        assert uow.session.scalars(select(CheckIn.id).where(CheckIn.wants_support.is_(True))).all() == [
            checkin_id
        ]
