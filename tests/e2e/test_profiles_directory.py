"""Profiles, the directory and coach requests through the real HTTP endpoint and the Slack stand-in."""

from __future__ import annotations

import json
import time
from collections.abc import Callable
from typing import Any, TypeVar

import pytest
from sqlalchemy import select

from bot import ids
from circles.domain.requests import RequestStatus
from circles.domain.vocabulary import PairingMode, PartnershipKind, Role
from circles.persistence.models import CoachRequest, Partnership, Profile
from circles.services.matching.constraints import own_blocks
from standin import Call
from standin.forms import submitted_values
from tests import factories
from tests.e2e.conftest import RunningApp

T = TypeVar("T")
COHORT = "pgy1-spring"


def seed(running: RunningApp, team_id: str = "T0001", **people: Role) -> None:
    """A cohort with these people; coaches and mentors have written a profile and have room for two. It
    pairs learners with coaches when it has a coach or mentor, as one must for its learners to ask them."""
    offers = {
        "U0ADA": ("giving feedback, cardiology", "Feedback on case presentations"),
        "U0BEN": ("surgery, research", "Research methods"),
    }
    with running.db.unit_of_work() as uow:
        ws = factories.workspace(uow.session, team_id)
        co = factories.cohort(uow.session, ws, COHORT, "PGY-1 spring")
        if any(role.guides for role in people.values()):
            co.pairing_mode = PairingMode.COACH_LEARNER
        for user_id, role in people.items():
            factories.member(uow.session, co, user_id, role)
            if role.guides:
                profile = factories.profile(uow.session, ws, user_id, timezone="America/Chicago")
                profile.skills, profile.offers = offers.get(user_id, ("", ""))
                profile.capacity, profile.email = 2, f"{user_id.lower()}@hospital.example"
                profile.display_name = user_id[3:].title()
        uow.commit()
    for user_id in people:
        running.standin.add_user(user_id, tz="Europe/London")


def eventually(check: Callable[[], T | None], timeout: float = 5.0) -> T:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        found = check()
        if found:
            return found
        time.sleep(0.05)
    raise AssertionError("the change never happened")


def shown(call: Call) -> str:
    return json.dumps(call.args, ensure_ascii=False)


def command(running: RunningApp, text: str, user_id: str, **extra: Any) -> Call:
    """Type `/circles text`; returns its answer. The log is cleared first: an answer to something earlier
    would stand in for this one, and the test go on before the command was done."""
    running.standin.clear()
    status, body = running.post(running.signer.slash_command(text, user_id=user_id, **extra))
    assert (status, body) == (200, b"")
    [answer] = running.standin.wait_for("response_url")
    running.standin.clear()
    return answer


def click(running: RunningApp, action_id: str, user_id: str, value: str, **extra: Any) -> None:
    request = running.signer.block_action(action_id, user_id=user_id, value=value, **extra)
    status, _ = running.post(request)
    assert status == 200


def profile(running: RunningApp, user_id: str) -> Profile | None:
    with running.db.unit_of_work() as uow:
        query = select(Profile).where(Profile.slack_user_id == user_id)
        return uow.session.scalars(query).one_or_none()


def requests(running: RunningApp) -> list[CoachRequest]:
    with running.db.unit_of_work() as uow:
        return list(uow.session.scalars(select(CoachRequest).order_by(CoachRequest.id)))


def partnerships(running: RunningApp) -> list[Partnership]:
    with running.db.unit_of_work() as uow:
        return list(uow.session.scalars(select(Partnership)))


def form_values(**fields: str) -> dict[str, Any]:
    blocks = {"interests": ids.PROFILE_INTERESTS, "aspirations": ids.PROFILE_ASPIRATIONS}
    blocks |= {"department": ids.PROFILE_DEPARTMENT, "capacity": ids.PROFILE_CAPACITY}
    return {
        blocks[name]: {
            ids.PROFILE_INPUT: {
                "type": "number_input" if name == "capacity" else "plain_text_input",
                "value": value,
            }
        }
        for name, value in fields.items()
    }


def request_coach(running: RunningApp, learner: str, coach: str) -> Call:
    """Click "Request as my coach" under `/circles coaches`; returns the learner's private answer."""
    click(running, ids.DIRECTORY_REQUEST, learner, f"{COHORT}:{coach}", channel_id="C0GENERAL01")
    [answer] = running.standin.wait_for(
        "response_url", predicate=lambda c: c.path.endswith("directory_request")
    )
    return answer


def direct_messages(running: RunningApp, user_id: str, count: int = 1) -> list[Call]:
    opened = running.standin.wait_for("conversations.open", predicate=lambda c: c.args["users"] == user_id)
    channel = opened[0].response["channel"]["id"]
    return running.standin.wait_for(
        "chat.postMessage", count, predicate=lambda c: c.args["channel"] == channel
    )


def test_profile_opens_the_form_with_the_trigger_and_coaches_are_also_asked_their_capacity(
    running: RunningApp,
) -> None:
    seed(running, U0LEARN=Role.LEARNER, U0ADA=Role.COACH)
    running.post(running.signer.slash_command("profile", user_id="U0LEARN", trigger_id="1.2.learner"))
    running.post(running.signer.slash_command("profile", user_id="U0ADA", trigger_id="1.2.coach"))
    opened = {c.args["trigger_id"]: c.args["view"] for c in running.standin.wait_for("views.open", 2)}
    learner_blocks = [b.get("block_id") for b in opened["1.2.learner"]["blocks"]]
    assert opened["1.2.learner"]["callback_id"] == ids.PROFILE_VIEW
    assert ids.PROFILE_ASPIRATIONS in learner_blocks
    assert ids.PROFILE_CAPACITY not in learner_blocks
    assert ids.PROFILE_CAPACITY in [b.get("block_id") for b in opened["1.2.coach"]["blocks"]]
    assert "Feedback on case presentations" in json.dumps(opened["1.2.coach"])  # filled with what was there


def test_someone_in_no_cohort_is_told_how_to_join_instead_of_getting_a_form(running: RunningApp) -> None:
    running.post(running.signer.slash_command("profile", user_id="U0NEW", trigger_id="1.2.new"))
    [opened] = running.standin.wait_for("views.open")
    assert "submit" not in opened.args["view"]
    assert "/circles join &lt;cohort&gt;" in shown(opened)


def test_a_submitted_profile_is_saved_with_the_time_zone_from_slack(running: RunningApp) -> None:
    seed(running, U0LEARN=Role.LEARNER)
    values = form_values(
        interests="Wellbeing, running", aspirations="Cardiology fellowship", department="Medicine"
    )
    status, body = running.post(
        running.signer.view_submission(ids.PROFILE_VIEW, user_id="U0LEARN", values=values)
    )
    assert (status, body) == (200, b"")  # the form closes at once; saving follows
    saved = eventually(lambda: profile(running, "U0LEARN"))
    assert (saved.interests, saved.aspirations, saved.department) == (
        "Wellbeing, running",
        "Cardiology fellowship",
        "Medicine",
    )
    assert saved.timezone == "Europe/London"
    assert running.standin.calls("users.info")


def test_a_capacity_out_of_range_is_shown_inline_and_nothing_is_saved(running: RunningApp) -> None:
    seed(running, U0ADA=Role.COACH)
    values = form_values(interests="Teaching", capacity="25")
    status, body = running.post(
        running.signer.view_submission(ids.PROFILE_VIEW, user_id="U0ADA", values=values)
    )
    assert status == 200
    answer = json.loads(body)
    assert answer["response_action"] == "errors"
    assert answer["errors"] == {ids.PROFILE_CAPACITY: "Choose a whole number from 0 to 20."}
    running.settled()
    unchanged = profile(running, "U0ADA")
    assert unchanged is not None
    assert (unchanged.capacity, unchanged.interests) == (2, "")


def test_a_profile_card_shows_only_what_profiles_share(running: RunningApp) -> None:
    seed(running, U0LEARN=Role.LEARNER, U0ADA=Role.COACH)
    with running.db.unit_of_work() as uow:
        query = select(Profile).where(Profile.slack_user_id == "U0ADA")
        uow.session.scalars(query).one().interests = "<!channel> & friends"
        uow.commit()
    card = command(running, "profile <@U0ADA|ada>", "U0LEARN")
    text = shown(card)
    assert card.args["response_type"] == "ephemeral"
    assert "Feedback on case presentations" in text
    assert "coach in *PGY-1 spring*" in text
    assert "Europe/London" in text  # refreshed from Slack as it was shown
    assert "&lt;!channel&gt; &amp; friends" in text  # what people type is shown, never acted on
    assert "hospital.example" not in text  # no email
    assert "capacity" not in text.lower()


def test_a_name_slack_did_not_turn_into_a_mention_is_answered_with_how_to_pick_the_person(
    running: RunningApp,
) -> None:
    seed(running, U0LEARN=Role.LEARNER, U0ADA=Role.COACH)
    answer = shown(command(running, "profile @ada", "U0LEARN"))
    assert "`@ada`" in answer
    assert "pick them from the list" in answer
    assert running.standin.calls("users.info") == []  # nobody was looked up on a guess


def test_two_people_mentioned_show_the_first_card_and_say_so(running: RunningApp) -> None:
    seed(running, U0LEARN=Role.LEARNER, U0ADA=Role.COACH, U0BEN=Role.MENTOR)
    card = shown(command(running, "profile <@U0ADA|ada> <@U0BEN|ben>", "U0LEARN"))
    assert "<@U0ADA>" in card
    assert "one person at a time" in card


def test_the_directory_ranks_by_fit_to_the_topic_and_shows_the_room_left(running: RunningApp) -> None:
    seed(running, U0LEARN=Role.LEARNER, U0ADA=Role.COACH, U0BEN=Role.MENTOR)
    answer = command(running, "coaches feedback", "U0LEARN")
    blocks = answer.args["blocks"]
    assert "feedback" in blocks[0]["text"]["text"]
    entries = [b for b in blocks if b.get("accessory", {}).get("action_id") == ids.DIRECTORY_REQUEST]
    assert [e["accessory"]["value"] for e in entries] == [f"{COHORT}:U0ADA", f"{COHORT}:U0BEN"]
    assert "_matches: feedback_" in entries[0]["text"]["text"]
    assert "2 places left" in entries[0]["text"]["text"]
    assert entries[1]["accessory"]["text"]["text"] == "Request as my mentor"


def test_a_request_reaches_only_the_coach_who_accepts_and_both_hear_privately(running: RunningApp) -> None:
    seed(running, U0LEARN=Role.LEARNER, U0ADA=Role.COACH)
    answer = request_coach(running, "U0LEARN", "U0ADA")
    assert answer.args["response_type"] == "ephemeral"
    assert "asked <@U0ADA> privately" in shown(answer)
    [asked] = direct_messages(running, "U0ADA")
    [answer_block] = [b for b in asked.args["blocks"] if b.get("block_id") == ids.REQUEST_ANSWER_BLOCK]
    buttons = answer_block["elements"]
    assert [b["action_id"] for b in buttons] == [ids.REQUEST_ACCEPT, ids.REQUEST_DECLINE]
    assert all(c.args["channel"].startswith("D") for c in running.standin.calls("chat.postMessage"))

    running.standin.clear()
    click(running, ids.REQUEST_ACCEPT, "U0ADA", buttons[0]["value"], channel_id=asked.args["channel"])
    [told_learner] = direct_messages(running, "U0LEARN")
    assert "<@U0ADA> will be your coach" in shown(told_learner)
    [replaced] = running.standin.wait_for("response_url")
    assert replaced.args["replace_original"] is True  # the coach's request turns into their answer
    [pair] = partnerships(running)
    assert pair.kind is PartnershipKind.COACH_LEARNER
    assert [r.status for r in requests(running)] == [RequestStatus.ACCEPTED]


def test_a_decline_tells_the_learner_kindly_and_nobody_else(running: RunningApp) -> None:
    seed(running, U0LEARN=Role.LEARNER, U0ADA=Role.COACH)
    request_coach(running, "U0LEARN", "U0ADA")
    [asked] = direct_messages(running, "U0ADA")
    running.standin.clear()
    request_id = str(requests(running)[0].id)
    click(running, ids.REQUEST_DECLINE, "U0ADA", request_id, channel_id=asked.args["channel"])
    [told] = direct_messages(running, "U0LEARN")
    assert "not about you" in shown(told)
    assert partnerships(running) == []
    assert [c.args["channel"] for c in running.standin.calls("chat.postMessage")] == [told.args["channel"]]


def test_someone_else_clicking_accept_is_refused_and_nothing_changes(running: RunningApp) -> None:
    seed(running, U0LEARN=Role.LEARNER, U0ADA=Role.COACH, U0BEN=Role.MENTOR)
    request_coach(running, "U0LEARN", "U0ADA")
    running.standin.clear()
    request_id = str(requests(running)[0].id)
    click(running, ids.REQUEST_ACCEPT, "U0BEN", request_id, channel_id="C0GENERAL01")
    [refused] = running.standin.wait_for("response_url")
    assert "only they can answer it" in shown(refused)
    running.settled()
    assert partnerships(running) == []
    assert [r.status for r in requests(running)] == [RequestStatus.OPEN]
    assert running.standin.calls("chat.postMessage") == []


def test_a_second_request_in_the_same_cohort_is_refused(running: RunningApp) -> None:
    seed(running, U0LEARN=Role.LEARNER, U0ADA=Role.COACH, U0BEN=Role.MENTOR)
    request_coach(running, "U0LEARN", "U0ADA")
    running.standin.clear()
    refused = request_coach(running, "U0LEARN", "U0BEN")
    assert "already have a request waiting" in shown(refused)
    assert len(requests(running)) == 1
    assert running.standin.calls("chat.postMessage") == []


def test_another_workspace_neither_sees_the_directory_nor_answers_its_requests(running: RunningApp) -> None:
    seed(running, U0LEARN=Role.LEARNER, U0ADA=Role.COACH)
    running.standin.add_team("T0OTHER")
    request_coach(running, "U0LEARN", "U0ADA")
    running.standin.clear()
    request_id = str(requests(running)[0].id)
    click(running, ids.REQUEST_ACCEPT, "U0ADA", request_id, team_id="T0OTHER", channel_id="C0GENERAL01")
    [refused] = running.standin.wait_for("response_url")
    assert "only they can answer it" in shown(refused)
    running.standin.clear()
    elsewhere = command(running, "coaches", "U0LEARN", team_id="T0OTHER")
    assert "U0ADA" not in shown(elsewhere)
    assert "join one first" in shown(elsewhere)
    card = command(running, "profile <@U0ADA>", "U0LEARN", team_id="T0OTHER")
    assert "can't show that profile" in shown(card)
    assert partnerships(running) == []


def test_the_home_tab_opens_the_form_and_the_directory_and_a_request_from_there_is_confirmed_on_top(
    running: RunningApp,
) -> None:
    seed(running, U0LEARN=Role.LEARNER, U0ADA=Role.COACH)
    click(running, ids.HOME_EDIT_PROFILE, "U0LEARN", "", trigger_id="1.2.form", view={"type": "home"})
    click(running, ids.HOME_OPEN_DIRECTORY, "U0LEARN", "", trigger_id="1.2.list", view={"type": "home"})
    opened = {c.args["trigger_id"]: c.args["view"] for c in running.standin.wait_for("views.open", 2)}
    assert opened["1.2.form"]["callback_id"] == ids.PROFILE_VIEW
    assert f"{COHORT}:U0ADA" in json.dumps(opened["1.2.list"])
    directory = {"type": "modal", "blocks": opened["1.2.list"]["blocks"]}
    click(running, ids.DIRECTORY_REQUEST, "U0LEARN", f"{COHORT}:U0ADA", trigger_id="1.2.ask", view=directory)
    [pushed] = running.standin.wait_for("views.push")
    assert pushed.args["trigger_id"] == "1.2.ask"
    assert "asked <@U0ADA> privately" in shown(pushed)
    assert direct_messages(running, "U0ADA")


def own_profile_form(running: RunningApp) -> dict[str, Any]:
    """The profile form `/circles profile` opens for U0LEARN, the one member of a cohort."""
    with running.db.unit_of_work() as uow:
        co = factories.cohort(uow.session, factories.workspace(uow.session))
        factories.member(uow.session, co, "U0LEARN")
        uow.commit()
    running.post(running.signer.slash_command("profile", user_id="U0LEARN"))
    [opened] = running.standin.wait_for("views.open")
    return dict(opened.args["view"])


def test_the_private_never_match_list_is_saved_from_the_profile_form_and_shown_again(
    running: RunningApp,
) -> None:
    values = submitted_values(own_profile_form(running), {ids.PROFILE_AVOID: ["U0MANAGER"]})
    running.post(running.signer.view_submission(ids.PROFILE_VIEW, user_id="U0LEARN", values=values))
    running.standin.wait_for("users.info")
    eventually(lambda: own_blocks(running.db.unit_of_work(), "T0001", "U0LEARN") or None)
    running.standin.clear()
    running.post(running.signer.slash_command("profile", user_id="U0LEARN"))
    [again] = running.standin.wait_for("views.open")
    avoid = next(b for b in again.args["view"]["blocks"] if b.get("block_id") == ids.PROFILE_AVOID)
    assert avoid["element"]["initial_users"] == ["U0MANAGER"]
    assert running.standin.calls("chat.postMessage") == []  # nobody on the list is told


@pytest.mark.parametrize("sent", ["U" + "X" * 40, "U0A\x00B", "x" * 5000, "C0CHANNEL"])
def test_a_never_match_entry_no_user_picker_sends_is_shown_on_the_form_and_nothing_is_saved(
    running: RunningApp, sent: str
) -> None:
    values = submitted_values(own_profile_form(running), {ids.PROFILE_AVOID: ["U0MANAGER", sent]})
    values[ids.PROFILE_INTERESTS] = {ids.INPUT: {"type": "plain_text_input", "value": "birdwatching"}}
    status, body = running.post(
        running.signer.view_submission(ids.PROFILE_VIEW, user_id="U0LEARN", values=values)
    )
    assert status == 200
    assert json.loads(body) == {
        "response_action": "errors",
        "errors": {ids.PROFILE_AVOID: "Choose people from the list."},
    }
    running.settled()
    assert own_blocks(running.db.unit_of_work(), "T0001", "U0LEARN") == []
    with running.db.unit_of_work() as uow:
        assert uow.session.scalars(select(Profile.interests)).all() in ([], [None], [""])
    assert running.standin.calls("chat.postMessage") == []  # no "something went wrong" either


@pytest.mark.parametrize("step", ["pause", f"leave {COHORT}"])
def test_accepting_a_learner_who_paused_or_left_since_asking_turns_the_request_into_why_it_closed(
    running: RunningApp, step: str
) -> None:
    seed(running, U0LEARN=Role.LEARNER, U0ADA=Role.COACH)
    request_coach(running, "U0LEARN", "U0ADA")
    [asked] = direct_messages(running, "U0ADA")
    running.standin.clear()
    command(running, step, "U0LEARN")

    request_id = str(requests(running)[0].id)
    click(running, ids.REQUEST_ACCEPT, "U0ADA", request_id, channel_id=asked.args["channel"])
    [answered] = running.standin.wait_for("response_url")
    assert answered.args["replace_original"] is True  # the Accept and Decline buttons go with it
    assert "no longer looking for a partner" in shown(answered)
    assert "answered or withdrawn" not in shown(answered)
    running.settled()
    assert partnerships(running) == []
    assert [r.status for r in requests(running)] == [RequestStatus.WITHDRAWN]
    assert running.standin.calls("chat.postMessage") == []  # the learner is told nothing
