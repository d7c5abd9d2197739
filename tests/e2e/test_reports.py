"""`/circles report` over HTTP: the summary and chart reach the asking facilitator's own DM, nobody else."""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Callable
from datetime import UTC, datetime, timedelta

import pytest

from circles.notes import note_cipher
from standin import Call
from tests import report_world as w
from tests.databases import sqlite_writer_tried
from tests.e2e.conftest import RunningApp

UPLOAD_METHODS = {"files.getUploadURLExternal", "file_upload", "files.completeUploadExternal"}


def five_weeks_ago() -> datetime:
    """The Monday five weeks before this one: the seeded cohort starts then (the app reads the real clock)."""
    today = datetime.now(UTC).replace(hour=0, minute=0, second=0, microsecond=0)
    return today - timedelta(days=today.weekday(), weeks=5)


@pytest.fixture
def app(serve_app: Callable[..., RunningApp]) -> RunningApp:
    """The seeded cohort, lived through the five weeks before this one (the app reads the real clock)."""
    running = serve_app()
    with running.db.unit_of_work() as uow:
        w.build(uow.session, five_weeks_ago(), sealer=note_cipher(running.settings).encrypt)
        uow.commit()
    for user in (w.FACILITATOR, w.OTHER_FACILITATOR, *w.PEOPLE):
        running.standin.add_user(user)
    return running


def command(app: RunningApp, text: str, user_id: str, answers: int) -> list[Call]:
    """Type `/circles <text>` and wait for that many private answers on the response_url."""
    app.standin.clear()
    status, body = app.post(app.signer.slash_command(text, user_id=user_id))
    assert (status, body) == (200, b"")
    return app.standin.wait_for("response_url", count=answers, timeout=30)


def dm_of(app: RunningApp, user_id: str) -> str:
    [opened] = app.standin.calls("conversations.open")
    assert opened.args["users"] == user_id
    channel: str = opened.response["channel"]["id"]
    return channel


def assert_only_this_dm(app: RunningApp, user_id: str, dm: str) -> None:
    """Every call the app made went to the asker: their answers, their DM, their lookup; nothing else."""
    app.settled()  # anything sent after the last answer has arrived by now
    for call in app.standin.calls():
        if call.method in ("response_url", "file_upload", "files.getUploadURLExternal"):
            continue  # answers on the asker's own response_url; bytes to a URL that names no one
        if call.method in ("users.info", "conversations.open"):
            assert call.args.get("user", call.args.get("users")) == user_id, call.summary()
        elif call.method == "chat.postMessage":
            assert call.args["channel"] == dm, call.summary()
        elif call.method == "files.completeUploadExternal":
            assert call.args["channel_id"] == dm, call.summary()
            assert "channels" not in call.args, call.summary()
        else:
            raise AssertionError(f"unexpected call: {call.summary()}")


def test_a_facilitator_gets_the_summary_and_the_chart_in_their_own_dm_only(app: RunningApp) -> None:
    preparing, delivered = command(app, "report pgy1", w.FACILITATOR, answers=2)
    assert preparing.args["response_type"] == "ephemeral"
    assert preparing.args["text"].startswith("Preparing the report for `pgy1`")
    assert "is in your direct messages with Circles" in delivered.args["text"]
    app.standin.wait_for("files.completeUploadExternal", timeout=10)
    dm = dm_of(app, w.FACILITATOR)
    assert dm == "D0FAC"  # the stand-in's IM between the app and U0FAC
    [posted] = app.standin.calls("chat.postMessage")
    summary = json.dumps(posted.args["blocks"], ensure_ascii=False)
    assert "*Members:* 6 joined, 5 still in (83%): 4 active, 1 paused, 1 left." in summary
    assert "*Escalations:* 3 opened, 3 taken up, 1 resolved; first response after 2 h (median)" in summary
    assert "*Circles:* 2 formed, 4 of their members still active; 4 prompts delivered" in summary
    for user in w.PEOPLE:
        assert user not in summary
    [upload] = app.standin.uploaded_files()
    assert upload.completed
    assert upload.channels == [dm]
    assert upload.filename == "pgy1-health-by-week.png"
    assert upload.content is not None
    assert upload.content.startswith(b"\x89PNG")
    assert app.standin.messages(dm)[-1]["files"][0]["id"] == upload.id
    assert_only_this_dm(app, w.FACILITATOR, dm)


def test_individual_rows_come_as_a_csv_file_in_the_same_dm_without_unshared_notes(app: RunningApp) -> None:
    command(app, "report pgy1 individual", w.FACILITATOR, answers=2)
    app.standin.wait_for("files.completeUploadExternal", count=2, timeout=10)
    dm = dm_of(app, w.FACILITATOR)
    chart, rows = app.standin.uploaded_files()
    assert (chart.channels, rows.channels) == ([dm], [dm])
    assert rows.filename == "pgy1-partnerships.csv"
    assert rows.content is not None
    table = list(csv.DictReader(io.StringIO(rows.content.decode())))
    assert (table[0]["first_user_id"], table[0]["second_user_id"]) == ("U0C1", "U0L1")
    assert w.SHARED_NOTE in table[0]["shared_notes"]
    assert w.PRIVATE_NOTE not in rows.content.decode()
    assert_only_this_dm(app, w.FACILITATOR, dm)


@pytest.mark.parametrize("user_id", [w.MEMBER, w.OTHER_FACILITATOR])
def test_a_member_or_another_cohorts_facilitator_is_refused_and_nothing_is_uploaded(
    app: RunningApp, user_id: str
) -> None:
    [refused] = command(app, "report pgy1", user_id, answers=1)  # no "Preparing…" first
    assert refused.args["response_type"] == "ephemeral"
    assert "Only the facilitators of `pgy1` can do that." in refused.args["text"]
    app.settled()
    assert app.standin.uploaded_files() == []
    methods = {call.method for call in app.standin.calls()}
    assert methods <= {"response_url", "users.info"}, methods
    assert not methods & UPLOAD_METHODS


def test_individual_rows_are_refused_to_a_member(app: RunningApp) -> None:
    [refused] = command(app, "report pgy1 individual", w.MEMBER, answers=1)
    assert "Only the facilitators of `pgy1` can do that." in refused.args["text"]
    app.settled()
    assert app.standin.uploaded_files() == []


@pytest.mark.parametrize("text", ["report", "report pgy1 everything", "report pgy1 individual extra"])
def test_malformed_text_gets_the_usage_and_nothing_else(app: RunningApp, text: str) -> None:
    [answer] = command(app, text, w.FACILITATOR, answers=1)
    assert "/circles report &lt;cohort&gt;" in answer.args["text"]
    app.settled()
    assert {call.method for call in app.standin.calls()} == {"response_url"}


def test_an_unknown_cohort_gets_a_kind_answer(app: RunningApp) -> None:
    [answer] = command(app, "report pgy2", w.FACILITATOR, answers=1)
    assert "I can't find a cohort called `pgy2`. Did you mean `pgy1`?" in answer.args["text"]


def test_check_ins_and_joins_are_not_held_up_while_a_facilitator_reads_a_report(app: RunningApp) -> None:
    """Another connection takes SQLite's write lock at once, in the middle of the report being built."""
    with sqlite_writer_tried(app.db, during="partnership_health") as outcomes:
        command(app, "report pgy1", w.FACILITATOR, answers=2)
    assert outcomes == ["wrote"]
