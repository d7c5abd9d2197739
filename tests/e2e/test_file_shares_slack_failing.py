"""A file shared in a facilitator's DM (the research ZIP, the report's chart) is shared once: Slack may
answer its completion with a server error after it shared the file, so that completion is never asked
again and the person is told to look in their DM before asking again, never that nothing was changed. A
double click on "Research export" is one ask: one ZIP, and the second press hears it is on its way."""

from __future__ import annotations

import json
import logging
from collections.abc import Callable
from http.client import RemoteDisconnected
from pathlib import Path

import pytest
from slack_sdk.errors import SlackApiError

from bot import ids
from bot.errors import FILE_UNANSWERED
from bot.slack_client import web_client
from standin.server import SlackStandIn
from tests.databases import migrated_sqlite_url
from tests.e2e.conftest import BOT_TOKEN, QUICK_RETRY, RunningApp, app_settings
from tests.e2e.test_form_opening_slack_5xx import apps_client, dropping  # noqa: F401 - a fixture
from tests.e2e.test_research_export import FAY, lived, started

COMPLETE = "files.completeUploadExternal"


@pytest.fixture
def app(serve_app: Callable[..., RunningApp], tmp_path: Path) -> RunningApp:
    """pgy1 as the research export's tests make it, lived: Fay facilitates, Lee consented, both answered."""
    running = started(serve_app(database_url=migrated_sqlite_url(tmp_path)), "belonging")
    lived(running)
    return running


@pytest.fixture
def log(caplog: pytest.LogCaptureFixture) -> pytest.LogCaptureFixture:
    caplog.set_level(logging.INFO)
    return caplog


def shared(app: RunningApp, ending: str) -> list[str]:
    """The channels of every completed upload whose name ends so."""
    files = [f for f in app.standin.uploaded_files() if f.completed and f.filename.endswith(ending)]
    return [channel for f in files for channel in f.channels]


def told_to_look_first(text: str, log: pytest.LogCaptureFixture) -> None:
    assert text == FILE_UNANSWERED
    assert "nothing was changed" not in text
    assert not [r for r in log.records if r.exc_info or r.levelno >= logging.ERROR]


def summary_in_dm(app: RunningApp) -> dict[str, object]:
    """`/circles report pgy1` as Fay: the summary in her DM, with its "Research export" button."""
    app.standin.clear()
    app.post(app.signer.slash_command("report pgy1", user_id=FAY))
    app.standin.wait_for("response_url", count=2, timeout=30)  # "preparing…", then "it is in your DM"
    app.settled()
    [summary] = [c for c in app.standin.calls("chat.postMessage") if "blocks" in c.args]
    channel = str(summary.args["channel"])
    [message] = [m for m in app.standin.messages(channel) if ids.RESEARCH_EXPORT in json.dumps(m)]
    return {"channel_id": channel, "message": message}


@pytest.mark.parametrize("status", [500, 503])
def test_a_server_error_after_the_zip_was_shared_is_not_asked_again_and_says_look_in_the_dm(
    app: RunningApp, log: pytest.LogCaptureFixture, status: int
) -> None:
    app.standin.clear()
    app.standin.fail(COMPLETE, status=status, done=True, times=None)

    app.post(app.signer.block_action(ids.RESEARCH_EXPORT, user_id=FAY, value="pgy1", channel_id="D0FAY"))

    [told] = app.standin.wait_for("response_url", timeout=30)
    app.settled()
    assert len(shared(app, ".zip")) == 1
    assert [c.status for c in app.standin.calls(COMPLETE)] == [status]
    told_to_look_first(told.args["text"], log)
    assert "Slack did not answer while sharing a research export" in log.text
    assert "pgy1-research" not in log.text  # what was shared, never the file's name


def test_a_server_error_after_the_reports_chart_was_shared_says_look_in_the_dm(
    app: RunningApp, log: pytest.LogCaptureFixture
) -> None:
    app.standin.clear()
    app.standin.fail(COMPLETE, status=500, done=True, times=None)

    app.post(app.signer.slash_command("report pgy1", user_id=FAY))

    [_, told] = app.standin.wait_for("response_url", count=2, timeout=30)  # "preparing…", then this
    app.settled()
    assert len(shared(app, ".png")) == 1
    assert [c.status for c in app.standin.calls(COMPLETE)] == [500]
    told_to_look_first(told.args["text"], log)


def test_a_rate_limited_completion_shared_nothing_and_is_still_waited_out(app: RunningApp) -> None:
    app.standin.clear()
    app.standin.fail(COMPLETE, status=429, retry_after=1)

    app.post(app.signer.block_action(ids.RESEARCH_EXPORT, user_id=FAY, value="pgy1", channel_id="D0FAY"))

    [told] = app.standin.wait_for("response_url", timeout=30)
    app.settled()
    assert "in your direct messages" in told.args["text"]
    assert [c.status for c in app.standin.calls(COMPLETE)] == [429, 200]
    assert len(shared(app, ".zip")) == 1


def test_a_double_click_on_research_export_shares_one_zip_and_says_the_second_is_on_its_way(
    app: RunningApp,
) -> None:
    where = summary_in_dm(app)
    app.standin.clear()
    app.standin.hold(COMPLETE)  # the first press's ZIP is still on its way when the second comes

    for trigger in ("1.1.first", "1.1.second"):
        pressed = app.signer.block_action(
            ids.RESEARCH_EXPORT,
            user_id=FAY,
            value="pgy1",
            trigger_id=trigger,
            **where,  # type: ignore[arg-type]
        )
        assert app.post(pressed)[0] == 200

    app.standin.wait_answering(COMPLETE, timeout=30)
    [second] = app.standin.wait_for("response_url", timeout=30)
    assert "already on its way" in second.args["text"]
    app.standin.release(COMPLETE)
    [_, first] = app.standin.wait_for("response_url", count=2, timeout=30)
    app.settled()
    assert "in your direct messages" in first.args["text"]
    assert shared(app, ".zip") == [where["channel_id"]]
    assert len(app.standin.calls(COMPLETE)) == 1


def test_the_apps_client_never_asks_again_to_share_a_file_after_a_server_error(
    standin: SlackStandIn, tmp_path: Path
) -> None:
    client = web_client(app_settings(standin, f"sqlite:///{tmp_path}/c.db"), BOT_TOKEN, QUICK_RETRY)
    standin.fail(COMPLETE, status=503, done=True, times=None)

    with pytest.raises(SlackApiError):
        client.files_upload_v2(channel="D0FAY", content=b"zip", filename="pgy1.zip")

    assert [call.status for call in standin.calls(COMPLETE)] == [503]
    assert [f.channels for f in standin.uploaded_files() if f.completed] == [["D0FAY"]]


def test_the_apps_client_never_asks_again_to_share_a_file_after_a_dropped_connection(
    dropping: tuple[str, list[str]],  # noqa: F811 - the fixture
) -> None:
    url, asked = dropping
    client = apps_client(url)

    with pytest.raises(RemoteDisconnected):
        client.files_completeUploadExternal(files=[{"id": "F0ZIP"}], channel_id="D0FAY")

    assert asked == ["/api/files.completeUploadExternal"]
