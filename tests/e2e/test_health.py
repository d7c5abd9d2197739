"""`/circles health` and the home tab's health summary over HTTP: facilitators only, never in a channel."""

from __future__ import annotations

import json
from collections.abc import Callable
from datetime import UTC, datetime, timedelta

import pytest

from circles.domain.vocabulary import PairingMode, Role
from circles.persistence.models import CheckIn
from standin import Call
from tests import factories
from tests.e2e.conftest import RunningApp

FACILITATOR, MEMBER = "U0FAC", "U0L1"
PAIRS = {"U0C1": "U0L1", "U0C2": "U0L2", "U0C3": "U0L3"}
# Health is for facilitators only: answering takes no more than the private answer itself and a
# look-up of who is asking; nothing reaches a channel, a DM or anyone else's screen.
PRIVATE_METHODS = {"response_url", "users.info"}


@pytest.fixture
def app(serve_app: Callable[..., RunningApp]) -> RunningApp:
    running = serve_app()
    seed(running)
    return running


def seed(app: RunningApp) -> None:
    """A coaching cohort: one pair struggling, one that never reported a meeting, one thriving."""
    due = datetime.now(UTC) - timedelta(days=5)
    ratings = {
        "U0C1": ((2, "I feel unheard"), (1, None)),
        "U0C2": ((4, None), None),
        "U0C3": ((5, None), (5, None)),
    }
    with app.db.unit_of_work() as uow:
        ws = factories.workspace(uow.session)
        cohort = factories.cohort(uow.session, ws, "pgy1", "PGY-1 residents")
        cohort.pairing_mode = PairingMode.COACH_LEARNER
        factories.facilitator(uow.session, cohort, FACILITATOR)
        for coach, learner in PAIRS.items():
            factories.member(uow.session, cohort, coach, Role.COACH)
            factories.member(uow.session, cohort, learner, Role.LEARNER)
            pair = factories.partnership(uow.session, coach, learner)
            pair.started_at = due - timedelta(days=30)
            for member, answer in zip(
                (pair.first_member_id, pair.second_member_id), ratings[coach], strict=True
            ):
                uow.session.add(
                    CheckIn(
                        workspace_id=ws.id,
                        partnership_id=pair.id,
                        member_id=member,
                        due_at=due,
                        answered_at=due + timedelta(hours=2) if answer else None,
                        rating=answer[0] if answer else None,
                        met=coach == "U0C3" if answer else None,
                        note_encrypted=answer[1].encode() if answer and answer[1] else None,
                        note_shared=bool(answer and answer[1]),
                    )
                )
        uow.commit()
    for user in (FACILITATOR, *PAIRS, *PAIRS.values()):
        app.standin.add_user(user)


def command(app: RunningApp, text: str, user_id: str) -> Call:
    app.standin.clear()
    status, body = app.post(app.signer.slash_command(text, user_id=user_id))
    assert (status, body) == (200, b"")
    [answer] = app.standin.wait_for("response_url", timeout=10)
    return answer


def assert_nothing_posted(app: RunningApp, *, home_of: str | None = None) -> None:
    app.settled()  # anything sent after the answer has arrived by now
    calls = [call for call in app.standin.calls() if not (home_of and call.method == "views.publish")]
    assert {call.method for call in calls} <= PRIVATE_METHODS, [call.summary() for call in calls]
    assert all(call.args["user_id"] == home_of for call in app.standin.calls("views.publish"))


def test_a_facilitator_sees_the_board_privately_riskiest_first(app: RunningApp) -> None:
    answer = command(app, "health pgy1", FACILITATOR)
    assert answer.args["response_type"] == "ephemeral"
    text = json.dumps(answer.args["blocks"], ensure_ascii=False)
    assert "Partnership health: PGY-1 residents" in text
    summary = (
        ":red_circle: 1 struggling · :large_orange_circle: 1 need attention · :large_green_circle: 1 thriving"
    )
    assert f"{summary} — 3 partnerships, riskiest first." in text
    struggling = text.index(":red_circle: *Struggling* — <@U0C1> (coach) with <@U0L1> (learner)")
    assert "• Both partners rated it low at their latest check-ins (2 and 1 of 5)" in text
    assert "• No meeting reported since they were paired 35 days ago" in text
    assert text.index(":large_green_circle: *Thriving* — <@U0C3> (coach) with <@U0L3> (learner)") > struggling
    assert "I feel unheard" not in json.dumps(answer.args)
    assert_nothing_posted(app)


def test_a_member_is_refused_and_learns_nothing_of_the_board(app: RunningApp) -> None:
    answer = command(app, "health pgy1", MEMBER)
    assert answer.args["response_type"] == "ephemeral"
    said = json.dumps(answer.args, ensure_ascii=False)
    assert "Only the facilitators of `pgy1` can do that." in said
    for secret in ("Struggling", "U0C2", "rated it", "meeting"):
        assert secret not in said
    assert_nothing_posted(app)


def test_without_a_cohort_the_command_says_how_to_use_it(app: RunningApp) -> None:
    answer = command(app, "health", FACILITATOR)
    assert "/circles health &lt;cohort&gt;" in answer.args["text"]


def test_an_unknown_cohort_gets_a_kind_answer(app: RunningApp) -> None:
    answer = command(app, "health pgy2", FACILITATOR)
    assert "I can't find a cohort called `pgy2`. Did you mean `pgy1`?" in answer.args["text"]


def test_the_home_tab_shows_the_facilitator_a_summary_and_members_nothing_of_it(app: RunningApp) -> None:
    app.standin.clear()
    app.post(app.signer.app_home_opened(FACILITATOR))
    [published] = app.standin.wait_for("views.publish", timeout=10)
    home = json.dumps(published.args["view"], ensure_ascii=False)
    assert "*Partnership health:* :red_circle: 1 struggling · :large_orange_circle: 1 need attention" in home
    assert "<@U0C1> (coach) with <@U0L1> (learner): Both partners rated it low" in home
    assert_nothing_posted(app, home_of=FACILITATOR)
    app.standin.clear()
    app.post(app.signer.app_home_opened(MEMBER))
    [published] = app.standin.wait_for("views.publish", timeout=10)
    home = json.dumps(published.args["view"], ensure_ascii=False)
    assert "Partnership health" not in home
    assert "struggling" not in home.lower()
    assert_nothing_posted(app, home_of=MEMBER)
