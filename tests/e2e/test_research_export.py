"""The research export through the real app and the stand-in: consent by button, check-ins by button,
the `circles export` command as a process, and the facilitator's button that sends the ZIP to their DM."""

from __future__ import annotations

import csv
import io
import json
import logging
import subprocess
import zipfile
from collections.abc import Callable
from datetime import UTC, datetime, time, timedelta
from pathlib import Path
from typing import Any

import pytest
from slack_sdk import WebClient
from sqlalchemy import select, update

from bot import ids
from bot.messages import render
from circles.domain.research.pseudonyms import pseudonym
from circles.domain.vocabulary import Role
from circles.persistence.models import CheckIn, Cohort, Member, Profile
from circles.research_key import research_key
from standin import Call
from standin.defaults import dm_channel_id
from tests import factories
from tests.databases import migrated_sqlite_url
from tests.e2e.conftest import BOT_TOKEN, NOTES_KEY, RunningApp
from tests.e2e.harness import run_circles
from tests.e2e.test_surveys import on, surveys_to
from tests.e2e.test_tick import tick
from tests.integration.research.test_export_own_words import REFLECTION

FAY, ADA, LEE = "U0FAY0001", "U0ADA0001", "U0LEE0001"  # facilitator; coach (no consent); learner (consents)
NAMES = {FAY: "Fay Okafor", ADA: "Ada Lovelace", LEE: "Lee Marchetti"}
EMAILS = {user: f"{name.split()[0].lower()}@example.org" for user, name in NAMES.items()}
BELONGING = {"fit_in": 4, "myself": 3, "cared_for": 5, "connected": 4}
STARTED = datetime.now(UTC).date() - timedelta(days=1)


@pytest.fixture
def app(serve_app: Callable[..., RunningApp], tmp_path: Path) -> RunningApp:
    """Ada coaches Lee in pgy1, run by Fay; each has a check-in due last week, and the cohort, which
    started yesterday, asks its baseline survey: the tick sends each of them the invitation."""
    return started(serve_app(database_url=migrated_sqlite_url(tmp_path)), "belonging")


def started(running: RunningApp, survey: str, instruments: Path | None = None) -> RunningApp:
    """pgy1 as `app` says, asking `survey` (from the programme's `instruments` folder, if given) at its
    start; the tick has sent Ada and Lee its invitation."""
    due = datetime.now(UTC) - timedelta(days=7)
    with running.db.unit_of_work() as uow:
        session = uow.session
        ws = factories.workspace(session)
        co = factories.cohort(session, ws, "pgy1", "PGY-1", at=due - timedelta(days=30))
        co.timezone, co.prompt_local_time, co.starts_on = "UTC", time(9), STARTED
        co.survey_plan = {"baseline": [survey]}
        factories.facilitator(session, co, FAY)
        members = {
            user: factories.member(session, co, user, role, at=due - timedelta(days=21))
            for user, role in ((ADA, Role.COACH), (LEE, Role.LEARNER))
        }
        for user, name in NAMES.items():
            session.add(
                Profile(
                    workspace_id=ws.id,
                    slack_user_id=user,
                    display_name=name,
                    email=EMAILS[user],
                    timezone="UTC",
                    updated_at=due,
                )
            )
        pairing = factories.pair(session, members[ADA], members[LEE], started_at=due - timedelta(days=14))
        session.add_all([factories.checkin(pairing, m.id, due) for m in members.values()])
        uow.commit()
    for user, name in NAMES.items():
        running.standin.add_user(user, name=name, real_name=name, email=EMAILS[user], tz="UTC")
    if instruments is None:
        tick(running, on(STARTED, 9, 5))
    else:
        tick(running, on(STARTED, 9, 5), CIRCLES_INSTRUMENTS_DIR=str(instruments))
    assert [len(surveys_to(running, user)) for user in (ADA, LEE)] == [1, 1]
    return running


def press(
    app: RunningApp, user: str, action_id: str, value: str, answer: str = "response_url", **where: object
) -> list[Call]:
    """Press a button as this person; what answers it (by default, a private answer on the response_url)."""
    app.standin.clear()
    status, _ = app.post(app.signer.block_action(action_id, user_id=user, value=value, **where))  # type: ignore[arg-type]
    assert status == 200
    return app.standin.wait_for(answer, timeout=30)


def answer_checkin(app: RunningApp, user: str, partner: str, rating: int) -> None:
    """The check-in as the dispatcher posts it in the person's DM, then a rating tapped there."""
    checkin_id = checkin_of(app, user)
    message = render(
        "checkin", {"checkin_id": checkin_id, "cohort_name": "PGY-1", "partner_user_id": partner}
    )
    posted = WebClient(token=BOT_TOKEN, base_url=app.standin.api_url).chat_postMessage(
        channel=user, text=message.text, blocks=message.block_dicts()
    )
    press(
        app,
        user,
        f"{ids.CHECKIN_RATE}_{rating}",
        f"{checkin_id}:{rating}",
        "chat.update",
        channel_id=posted["channel"],
        message=posted["message"],
    )


def checkin_of(app: RunningApp, user: str) -> int:
    with app.db.reading() as uow:
        query = (
            select(CheckIn.id)
            .join(Member, Member.id == CheckIn.member_id)
            .where(Member.slack_user_id == user)
        )
        return int(uow.session.scalars(query).one())


def answer_survey(
    app: RunningApp, user: str, answers: dict[str, int], shared_words: dict[str, str] | None = None
) -> None:
    """The invitation's Answer button in the person's DM, the form it opens, and the form sent back (with
    words for free-text items, each with its box ticked to share them for research)."""
    channel = dm_channel_id(user)
    [dm] = [m for m in app.standin.messages(channel) if ids.SURVEY_OPEN in json.dumps(m)]
    [button] = [e for b in dm["blocks"] if b["type"] == "actions" for e in b["elements"]]
    [opened] = press(
        app,
        user,
        ids.SURVEY_OPEN,
        button["value"],
        "views.open",
        channel_id=channel,
        message=dm,
        trigger_id=f"1.2.{user}",
    )
    view = opened.args["view"]
    values: dict[str, dict[str, Any]] = {
        f"{ids.SURVEY_ITEM}{item}": {
            ids.INPUT: {"type": "radio_buttons", "selected_option": {"value": str(n)}}
        }
        for item, n in answers.items()
    }
    for item, words in (shared_words or {}).items():
        values[f"{ids.SURVEY_ITEM}{item}"] = {ids.INPUT: {"type": "plain_text_input", "value": words}}
        values[f"{ids.SURVEY_RESEARCH}{item}"] = {
            ids.INPUT: {"type": "checkboxes", "selected_options": [{"value": "yes"}]}
        }
    app.standin.clear()
    submitted = app.signer.view_submission(
        ids.SURVEY_VIEW, user_id=user, values=values, private_metadata=view["private_metadata"]
    )
    assert app.post(submitted) == (200, b"")
    app.standin.wait_for("chat.update", timeout=30)  # the invitation now says it was answered


def lived(app: RunningApp) -> None:
    """Lee consents with the button, Ada does not; both answer their check-in and their baseline survey."""
    [agreed] = press(app, LEE, ids.CONSENT_GIVE, "pgy1", channel_id="D0LEE")
    assert "you agreed" in agreed.args["text"]
    answer_checkin(app, LEE, ADA, 4)
    answer_checkin(app, ADA, LEE, 2)
    answer_survey(app, LEE, BELONGING)
    answer_survey(app, ADA, {"fit_in": 2, "myself": 2, "cared_for": 1, "connected": 2})


def files_of(content: bytes) -> dict[str, str]:
    with zipfile.ZipFile(io.BytesIO(content)) as archive:
        return {name: archive.read(name).decode("utf-8") for name in archive.namelist()}


def rows(text: str) -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO(text)))


def assert_only_lee(app: RunningApp, files: dict[str, str]) -> None:
    """Lee's pseudonym only; nobody's Slack ID, name or email in any file; every column in the codebook."""
    with app.db.reading() as uow:
        cohort_id = uow.session.query(Cohort.id).scalar()
    key = research_key(app.settings)
    lee, ada = (pseudonym(key, cohort_id, user) for user in (LEE, ADA))
    assert [row["person_id"] for row in rows(files["people.csv"])] == [lee]
    [checkin] = rows(files["checkins.csv"])
    assert (checkin["person_id"], checkin["answered"], checkin["rating"]) == (lee, "true", "4")
    [pair] = rows(files["partnerships.csv"])
    assert (pair["person_a"], pair["person_b"]) == ("not_consented", lee)
    [survey] = rows(files["survey_answers.csv"])
    assert (survey["person_id"], survey["belonging_fit_in"], survey["belonging_total"]) == (lee, "4", "4.000")
    everything = "\n".join(files.values()).lower()
    assert ada.lower() not in everything
    for user in NAMES:
        assert user.lower() not in everything
        assert EMAILS[user] not in everything
        assert not any(part.lower() in everything for part in NAMES[user].split())
    described = {(row["table"], row["variable"]) for row in rows(files["codebook.csv"])}
    for name, text in files.items():
        if name.endswith(".csv"):
            header = next(csv.reader(io.StringIO(text)))
            assert {(name[:-4], column) for column in header} <= described, name


def circles_export(app: RunningApp, folder: Path, *args: str) -> subprocess.CompletedProcess[str]:
    """`circles export pgy1 …` as a person runs it, on the app's database with the app's notes key."""
    url = str(app.settings.database_url)
    return run_circles("export", "pgy1", *args, cwd=folder, DATABASE_URL=url, CIRCLES_NOTES_KEY=NOTES_KEY)


def test_the_cli_exports_the_consenting_member_only_and_nothing_that_names_anyone(
    app: RunningApp, tmp_path: Path
) -> None:
    lived(app)
    result = circles_export(app, tmp_path, "--research", "--out", "pgy1.zip")
    assert result.returncode == 0, result.stderr
    assert "8 tables; people included: 1, left out without consent: 1" in result.stdout
    assert_only_lee(app, files_of((tmp_path / "pgy1.zip").read_bytes()))

    again = circles_export(app, tmp_path, "--research", "--out", "pgy1.zip")
    assert again.returncode == 2
    assert "--force" in again.stderr
    plain = circles_export(app, tmp_path, "--out", "other.zip")
    assert plain.returncode == 2
    assert "only research exports exist" in plain.stderr
    assert not (tmp_path / "other.zip").exists()


def test_the_report_button_sends_the_zip_to_the_facilitators_dm_only(app: RunningApp) -> None:
    lived(app)
    app.standin.clear()
    app.post(app.signer.slash_command("report pgy1", user_id=FAY))
    app.standin.wait_for("response_url", count=2, timeout=30)  # "preparing…", then "it is in your DM"
    [summary] = [c for c in app.standin.calls("chat.postMessage") if "blocks" in c.args]
    buttons = [e for b in summary.args["blocks"] if b["type"] == "actions" for e in b["elements"]]
    assert [(b["action_id"], b["value"]) for b in buttons] == [(ids.RESEARCH_EXPORT, "pgy1")]
    dm = summary.args["channel"]

    [refused] = press(app, LEE, ids.RESEARCH_EXPORT, "pgy1", channel_id="D0LEE")
    assert "Only the facilitators" in refused.args["text"]
    app.settled()
    assert app.standin.calls("files.completeUploadExternal") == []

    [told] = press(app, FAY, ids.RESEARCH_EXPORT, "pgy1", channel_id=dm)
    assert "in your direct messages" in told.args["text"]
    [completed] = app.standin.wait_for("files.completeUploadExternal", timeout=30)
    assert completed.args["channel_id"] == dm
    upload = app.standin.uploaded_files()[-1]
    assert upload.filename.endswith(".zip")
    assert upload.content is not None
    assert_only_lee(app, files_of(upload.content))


def test_the_export_suppresses_what_fewer_than_five_people_share_but_keeps_their_answers(
    app: RunningApp, tmp_path: Path
) -> None:
    lived(app)
    result = circles_export(app, tmp_path, "--research", "--out", "pgy1.zip")
    assert result.returncode == 0, result.stderr
    files = files_of((tmp_path / "pgy1.zip").read_bytes())
    [lee] = rows(files["people.csv"])  # the only consenting learner: her role and weeks would name her
    assert (lee["role"], lee["joined_week"], lee["left_week"], lee["status"]) == ("suppressed",) * 4
    [pair] = rows(files["partnerships.csv"])  # coach_learner would give her role back
    assert (pair["kind"], pair["started_week"], pair["ended_week"]) == ("suppressed",) * 3
    [checkin] = rows(files["checkins.csv"])
    assert (checkin["week"], checkin["rating"], checkin["answered"]) == ("suppressed", "4", "true")
    [survey] = rows(files["survey_answers.csv"])
    assert (survey["phase"], survey["belonging_fit_in"]) == ("suppressed", "4")
    package = json.loads(files["datapackage.json"])
    [people] = [r for r in package["resources"] if r["name"] == "people"]
    [role] = [f for f in people["schema"]["fields"] if f["name"] == "role"]
    assert "suppressed" in role["constraints"]["enum"]


def test_shared_words_naming_a_colleague_are_withheld_and_both_surfaces_say_how_many(
    serve_app: Callable[..., RunningApp], tmp_path: Path
) -> None:
    """Lee's words name her coach: the export is still made, her cell reads "withheld", and the CLI's line
    and the file's comment in Slack count the withheld answers without a word of them."""
    folder = tmp_path / "instruments"
    folder.mkdir()
    (folder / "reflection.yml").write_text(REFLECTION, encoding="utf-8")
    running = serve_app(database_url=migrated_sqlite_url(tmp_path), circles_instruments_dir=folder)
    app = started(running, "reflection", folder)
    press(app, LEE, ids.CONSENT_GIVE, "pgy1", channel_id="D0LEE")
    answer_survey(app, LEE, {"helped": 5}, {"words": "Ada stayed late on my worst night, thank you"})

    result = run_circles(
        *("export", "pgy1", "--research", "--out", "pgy1.zip"),
        cwd=tmp_path,
        DATABASE_URL=str(app.settings.database_url),
        CIRCLES_NOTES_KEY=NOTES_KEY,
        CIRCLES_INSTRUMENTS_DIR=str(folder),
    )
    assert result.returncode == 0, result.stderr
    line = result.stdout.strip()
    assert "people included: 1, left out without consent: 1" in line
    assert "answers' words withheld: 1" in line
    assert "worst night" not in line + result.stderr
    files = files_of((tmp_path / "pgy1.zip").read_bytes())
    [survey] = rows(files["survey_answers.csv"])
    assert (survey["reflection_helped"], survey["reflection_words"]) == ("5", "withheld")
    assert "worst night" not in "\n".join(files.values())

    app.standin.clear()
    press(app, FAY, ids.RESEARCH_EXPORT, "pgy1", channel_id="D0FAY")
    app.standin.wait_for("files.completeUploadExternal", timeout=30)
    comment = app.standin.uploaded_files()[-1].initial_comment or ""
    assert "1 answer's words were withheld" in comment
    assert "worst night" not in comment
    assert "Ada" not in comment


def test_an_export_stopped_by_a_value_identifying_someone_says_which_column_to_change_and_logs_no_trace(
    app: RunningApp, caplog: pytest.LogCaptureFixture
) -> None:
    lived(app)
    with app.db.unit_of_work() as uow:  # the facilitators' statement version holds someone's email
        uow.session.execute(update(Cohort).values(research_statement_version="draft-from-fay@example.org"))
        uow.commit()
    with caplog.at_level(logging.INFO):
        [told] = press(app, FAY, ids.RESEARCH_EXPORT, "pgy1", channel_id="D0FAY")
    assert told.args["response_type"] == "ephemeral"
    text = told.args["text"]
    assert "Nothing was exported" in text
    assert "`README.txt`" in text  # the file that would have carried it
    assert "an email address" in text
    assert "fay@example.org" not in text
    app.settled()
    assert app.standin.calls("files.completeUploadExternal") == []
    assert not [r for r in caplog.records if r.exc_info is not None]
    assert "fay@example.org" not in caplog.text


def test_a_press_refused_and_pressed_again_at_once_is_refused_again_not_said_to_be_on_its_way(
    app: RunningApp,
) -> None:
    lived(app)
    for _ in range(2):  # within the seconds a double click's second press is "already on its way"
        [refused] = press(app, LEE, ids.RESEARCH_EXPORT, "pgy1", channel_id="D0LEE")
        assert "Only the facilitators" in refused.args["text"]
    app.settled()
    assert app.standin.calls("files.completeUploadExternal") == []
