"""Hostile input over real HTTP: odd characters, odd forms and other people's buttons change nothing."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from bot import ids
from circles.notes import note_cipher
from tests.databases import postgres_database, sqlite_url
from tests.e2e.conftest import RunningApp
from tests.e2e.test_checkins import click, form_values, outbox, post_checkin, seed, stored

NUL_AND_OVERRIDE = "need\x00 help \u202eevil\u202c now\x07"
CLEANED = "need help evil now"


@pytest.fixture(params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
def on_each_database(
    request: pytest.FixtureRequest, serve_app: Callable[..., RunningApp], tmp_path: Path
) -> Iterator[RunningApp]:
    if request.param == "sqlite":
        yield serve_app(sqlite_url(tmp_path))
        return
    with postgres_database() as url:
        yield serve_app(url)


def test_a_support_message_with_a_nul_and_a_direction_override_reaches_the_facilitator_cleaned(
    on_each_database: RunningApp,
) -> None:
    app = on_each_database
    seed(app)
    app.post(app.signer.slash_command(f"support {NUL_AND_OVERRIDE}", user_id="U0LEE"))
    [answer] = app.standin.wait_for("response_url")
    assert "went wrong" not in str(answer.args)
    [dm] = outbox(app)
    assert (dm.channel, dm.payload["args"]["message"]) == ("U0FAY", CLEANED)


def test_a_checkin_note_with_a_nul_and_a_direction_override_is_stored_and_shared_cleaned(
    on_each_database: RunningApp,
) -> None:
    app = on_each_database
    posted = post_checkin(app, seed(app))
    click(app, posted, ids.CHECKIN_OPEN_SUPPORT, str(posted.checkin_id))
    [opened] = app.standin.wait_for("views.open")
    app.standin.clear()
    values = form_values("2", "no", "line one\n" + NUL_AND_OVERRIDE, share=True, support=True)
    submit = app.signer.view_submission(
        ids.CHECKIN_VIEW,
        user_id="U0LEE",
        values=values,
        private_metadata=opened.args["view"]["private_metadata"],
    )
    assert app.post(submit) == (200, b"")
    app.standin.wait_for("chat.update")
    row = stored(app, posted.checkin_id)
    assert row.note_encrypted is not None
    assert note_cipher(app.settings).decrypt(row.note_encrypted) == "line one\n" + CLEANED
    [to_facilitator] = outbox(app)
    assert to_facilitator.payload["args"]["message"] == "line one\n" + CLEANED
