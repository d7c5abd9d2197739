"""`circles tick --now …` as an operator runs it: prompts reach circles, check-ins reach partners, once."""

from __future__ import annotations

import subprocess
from collections.abc import Callable
from dataclasses import replace
from datetime import UTC, datetime, time

from sqlalchemy import select

from bot import ids
from bot.deps import build_deps
from bot.pacing import Pacer
from bot.scheduler import Sender, start_scheduler
from circles.domain.vocabulary import Role
from circles.messages import PlainNotice
from circles.persistence.models import CheckIn, Circle, CircleMembership, Cohort, Member
from circles.services.outbox.enqueue import Outgoing, enqueue
from tests import factories
from tests.e2e import processes
from tests.e2e.conftest import BOT_TOKEN, NOTES_KEY, SIGNING_SECRET, RunningApp
from tests.e2e.days import moved as moved_by
from tests.e2e.days import years_ahead
from tests.e2e.harness import CIRCLES, ROOT, UNPACED_CIRCLES, environment

# What the app is told over HTTP (a check-in's answer) it dates by the real clock, and the ticks must come
# after it: the programme is moved by whole 52-week years to start at least two weeks ahead, so that its
# weekdays, and Chicago's winter time, stay as they are.
WRITTEN_FOR = datetime(2027, 1, 4, 15, 0, tzinfo=UTC)
YEARS_ON = years_ahead(WRITTEN_FOR)
START = WRITTEN_FOR + YEARS_ON  # the cohort's first Monday, 09:00 in Chicago


def moved(written: str) -> str:
    """An instant of the programme as written (ISO 8601, UTC), as `--now` in the year it runs in."""
    return moved_by(written, YEARS_ON)


PEOPLE = {"U0COACH": Role.COACH, "U0LEARN": Role.LEARNER, "U0PEER": Role.LEARNER}


def seed(app: RunningApp) -> None:
    app.standin.add_channel("C0CIRCLE", "circle-pgy1-r1-1", is_private=True, members=list(PEOPLE))
    for user in PEOPLE:
        app.standin.add_user(user)
    with app.db.unit_of_work() as uow:
        ws = factories.workspace(uow.session)
        co = factories.cohort(uow.session, ws, "pgy1", "PGY-1")
        co.timezone, co.prompt_weekday, co.prompt_local_time = "America/Chicago", 0, time(9)
        co.starts_on, co.checkin_every_weeks = START.date(), 1
        factories.facilitator(uow.session, co, "U0FAC")
        for user, role in PEOPLE.items():
            factories.member(uow.session, co, user, role)
        factories.partnership(uow.session, "U0COACH", "U0LEARN").started_at = START
        circle = Circle(
            workspace_id=ws.id,
            cohort_id=co.id,
            round=1,
            name="circle-pgy1-r1-1",
            conversation_id="C0CIRCLE",
            created_at=factories.NOW,
        )
        uow.session.add(circle)
        uow.session.flush()
        for member in uow.session.scalars(select(Member)):
            uow.session.add(
                CircleMembership(
                    workspace_id=ws.id, circle_id=circle.id, member_id=member.id, joined_at=factories.NOW
                )
            )
        uow.commit()


def tick(app: RunningApp, now: str, *extra: str, paced: bool = False, **settings: str) -> str:
    """Run `circles tick --now NOW [extra…]` against the app's database and stand-in (with any other
    settings, e.g. CIRCLES_INSTRUMENTS_DIR); its printout.

    Unless `paced`, the command keeps to no rate limits but the stand-in's: what a pass sends is under
    test here, and waiting a second between messages to one person only slows the suite down (pacing
    is tested where it is the point, and by `test_ticks_send_circle_prompts_and_check_ins_once…`)."""
    result = ticked(app, now, *extra, paced=paced, **settings)
    assert result.returncode == 0, result.stderr
    assert "Traceback" not in result.stderr
    return result.stdout


def ticked(
    app: RunningApp, now: str, *extra: str, paced: bool = False, **settings: str
) -> subprocess.CompletedProcess[str]:
    """`circles tick --now NOW [extra…]` run, whatever its end (settings given here win over the app's)."""
    given = {
        "SLACK_BOT_TOKEN": BOT_TOKEN,
        "SLACK_SIGNING_SECRET": SIGNING_SECRET,
        "CIRCLES_NOTES_KEY": NOTES_KEY,  # the app's: a tick with another is refused
        **settings,
    }
    return processes.run(
        [*(CIRCLES if paced else UNPACED_CIRCLES), "tick", "--now", now, *extra],
        cwd=ROOT,
        env=environment(SLACK_API_URL=app.standin.api_url, DATABASE_URL=app.settings.database_url, **given),
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


def posts(app: RunningApp) -> list[tuple[str, str]]:
    return [(c.args["channel"], c.args.get("text", "")) for c in app.standin.calls("chat.postMessage")]


def test_ticks_send_circle_prompts_and_check_ins_once_and_a_check_in_is_answered(
    serve_app: Callable[..., RunningApp],
) -> None:
    app = serve_app()
    seed(app)
    app.standin.clear()
    first = tick(app, moved("2027-01-04T15:05:00Z"), paced=True)  # Monday 09:05 in Chicago: week 1's prompt
    assert "messages sent: 1" in first
    assert [channel for channel, _ in posts(app)] == ["C0CIRCLE"]
    app.standin.clear()
    # The same week again: nothing twice.
    assert "messages sent: 0" in tick(app, moved("2027-01-04T16:00:00Z"))
    assert posts(app) == []
    tick(app, moved("2027-01-11T15:05:00Z"))  # week 2: a prompt, and the first check-in for each partner
    sent = posts(app)
    checkins = [
        c.args["channel"] for c in app.standin.calls("chat.postMessage") if ids.CHECKIN_RATE in str(c.args)
    ]
    assert sorted(checkins) == ["U0COACH", "U0LEARN"]
    assert [channel for channel, _ in sent if channel.startswith("C")] == ["C0CIRCLE"]
    assert all(channel != "U0PEER" for channel, _ in sent)  # no partnership, no check-in

    dm = next(c for c in app.standin.calls("chat.postMessage") if c.args["channel"] == "U0LEARN")
    [message] = [m for m in app.standin.messages(dm.response["channel"]) if m["ts"] == dm.response["ts"]]
    with app.db.unit_of_work() as uow:
        learner = uow.session.scalars(select(Member.id).where(Member.slack_user_id == "U0LEARN")).one()
        checkin = uow.session.scalars(select(CheckIn).where(CheckIn.member_id == learner)).one()
    app.standin.clear()
    app.post(
        app.signer.block_action(
            f"{ids.CHECKIN_RATE}_2",
            user_id="U0LEARN",
            value=f"{checkin.id}:2",
            channel_id=dm.response["channel"],
            message=message,
        )
    )
    app.standin.wait_for("chat.update", timeout=10)
    with app.db.unit_of_work() as uow:
        answered = uow.session.get_one(CheckIn, checkin.id)
    assert answered.rating == 2
    assert answered.answered_at is not None
    assert datetime.fromisoformat(moved("2027-01-11T15:00:00Z")) == answered.due_at.replace(
        tzinfo=answered.due_at.tzinfo
    )


def recorded_notice(app: RunningApp, text: str) -> int:
    """A notice to U0LEARN waiting in the outbox of a new workspace, whose id it returns."""
    with app.db.unit_of_work() as uow:
        workspace = factories.workspace(uow.session)
        enqueue(
            uow.session,
            workspace.id,
            Outgoing("notice:1", "U0LEARN", PlainNotice(text)),
            factories.NOW,
            factories.NOW,
        )
        uow.commit()
        return workspace.id


def test_what_a_listener_records_goes_out_at_once_when_the_scheduler_runs(
    serve_app: Callable[..., RunningApp],
) -> None:
    app = serve_app(circles_tick_seconds=3600)  # no tick during the test: only the wake sends
    deps = replace(build_deps(app.settings, app.db), pacer=Pacer.unpaced())
    scheduler = start_scheduler(deps)
    assert scheduler is not None
    try:
        workspace_id = recorded_notice(app, "Your partnership is paused.")
        app.standin.add_user("U0LEARN")
        app.standin.add_user("U0PARTNER")
        app.standin.clear()
        deps.waker()
        [sent] = app.standin.wait_for("chat.postMessage", timeout=10)
        for _ in range(30):  # many listeners finishing at once must not stop the scheduler
            deps.waker()
        with app.db.unit_of_work() as uow:
            # To someone else: a second message to the same person would wait a second, Slack's pace.
            later = Outgoing("notice:2", "U0PARTNER", PlainNotice("It is running again."))
            enqueue(uow.session, workspace_id, later, factories.NOW, factories.NOW)
            uow.commit()
        deps.waker()
        app.standin.wait_for("chat.postMessage", count=2, timeout=10)
        assert scheduler.running
    finally:
        scheduler.shutdown(wait=False)
    assert sent.args["channel"] == "U0LEARN"


def test_low_check_in_answers_lead_to_one_alert_per_facilitator_and_nothing_anywhere_else(
    serve_app: Callable[..., RunningApp],
) -> None:
    app = serve_app()
    seed(app)
    with app.db.unit_of_work() as uow:
        co = uow.session.scalars(select(Cohort)).one()
        factories.facilitator(uow.session, co, "U0FAC2")
        uow.commit()
    app.standin.add_user("U0FAC")
    app.standin.add_user("U0FAC2")
    tick(app, moved("2027-01-11T15:05:00Z"))  # the first check-ins go out
    checkins = [c for c in app.standin.calls("chat.postMessage") if ids.CHECKIN_RATE in str(c.args)]
    with app.db.unit_of_work() as uow:
        rows = {
            user: checkin_id
            for checkin_id, user in uow.session.execute(
                select(CheckIn.id, Member.slack_user_id).join(Member, Member.id == CheckIn.member_id)
            )
        }
    for call in checkins:  # both partners say it is going badly, each in their own DM
        user = call.args["channel"]
        [message] = [
            m for m in app.standin.messages(call.response["channel"]) if m["ts"] == call.response["ts"]
        ]
        app.post(
            app.signer.block_action(
                f"{ids.CHECKIN_RATE}_1",
                user_id=user,
                value=f"{rows[user]}:1",
                channel_id=call.response["channel"],
                message=message,
            )
        )
    app.standin.wait_for("chat.update", count=2, timeout=10)
    app.standin.clear()
    out = tick(app, moved("2027-01-11T21:05:00Z"))
    assert "escalations opened: 1" in out
    tick(app, moved("2027-01-12T03:05:00Z"))  # a later pass opens nothing more
    alerts = [
        c for c in app.standin.calls("chat.postMessage") if "escalation:" in str(c.args.get("metadata"))
    ]
    assert sorted(c.args["channel"] for c in alerts) == ["U0FAC", "U0FAC2"]
    for call in app.standin.calls():
        if call.method in (
            "chat.postMessage",
            "chat.update",
            "chat.postEphemeral",
            "files.completeUploadExternal",
        ):
            assert call.args.get("channel") in ("U0FAC", "U0FAC2"), call.summary()


def test_a_worker_sends_what_waited_in_the_outbox_as_it_starts_not_at_its_first_poll(
    serve_app: Callable[..., RunningApp],
) -> None:
    app = serve_app(circles_tick_seconds=3600)  # no tick during the test: only the sender sends
    recorded_notice(app, "Recorded while no worker ran.")
    app.standin.add_user("U0LEARN")
    app.standin.clear()
    deps = replace(build_deps(app.settings, app.db), pacer=Pacer.unpaced())
    # A worker's sender, looking at the outbox only every hour: what it sends within the test is what it
    # sent as it started.
    sender = Sender(deps, poll_seconds=3600)
    sender.start()
    try:
        [sent] = app.standin.wait_for("chat.postMessage", timeout=30)
    finally:
        sender.stop(wait=10)
    assert sent.args["channel"] == "U0LEARN"


def test_a_tick_with_a_token_slack_refuses_stops_before_anything_and_loses_nothing(
    serve_app: Callable[..., RunningApp],
) -> None:
    app = serve_app()
    seed(app)
    app.standin.clear()
    app.standin.valid_tokens = {BOT_TOKEN}  # Slack knows the app's token, not the one typed here
    result = ticked(app, moved("2027-01-04T15:05:00Z"), SLACK_BOT_TOKEN="xoxb-revoked-long-ago")
    assert result.returncode == 2
    assert result.stderr.strip().startswith("circles: SLACK_BOT_TOKEN was refused by Slack (invalid_auth)")
    assert "Traceback" not in result.stderr
    assert "xoxb-revoked-long-ago" not in result.stderr
    assert posts(app) == []
    # With the token copied again, the same pass sends the week's prompt: nothing was failed for good.
    assert "messages sent: 1" in tick(app, moved("2027-01-04T15:05:00Z"))
    assert [channel for channel, _ in posts(app)] == ["C0CIRCLE"]
