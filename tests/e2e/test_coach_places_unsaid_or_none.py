"""A coach's places as learners and coaches meet them, through the real HTTP app and the Slack stand-in: one
who has not said how many partners they take is not called full in `/circles coaches`, and one who chose 0
keeps that choice, sees it on their form and is not asked for it again."""

from __future__ import annotations

from typing import Any

from sqlalchemy import select

from bot import ids
from circles.domain.vocabulary import PairingMode, Role
from circles.persistence.models import Cohort, Member, Workspace
from tests import factories
from tests.e2e.conftest import RunningApp
from tests.e2e.test_profiles_directory import COHORT, command, form_values, profile, request_coach, seed

UNSAID = "hasn't opened places yet"
NONE_NEW = "not taking new partners for now"


def listed(running: RunningApp, learner: str) -> dict[str, dict[str, Any]]:
    """`/circles coaches` as the learner sees it: each coach or mentor's entry by user id."""
    blocks = command(running, "coaches", learner).args["blocks"]
    entries = [b for b in blocks if b.get("type") == "section" and b["text"]["text"].startswith("*<@")]
    return {b["text"]["text"][3:].split(">", 1)[0]: b for b in entries}


def add_guide(running: RunningApp, user_id: str, slug: str = COHORT) -> None:
    """A coach in the cohort whose profile holds only what joining keeps (their time zone): no places said."""
    with running.db.unit_of_work() as uow:
        co = uow.session.scalars(select(Cohort).where(Cohort.slug == slug)).one()
        co.pairing_mode = PairingMode.COACH_LEARNER  # its learners may ask its coaches
        factories.member(uow.session, co, user_id, Role.COACH)
        factories.profile(uow.session, uow.session.get_one(Workspace, co.workspace_id), user_id, "UTC")
        uow.commit()
    running.standin.add_user(user_id, tz="Europe/London")


def choose_places(running: RunningApp, user_id: str, places: str) -> None:
    """The coach saves their profile form with this many places and nothing else."""
    request = running.signer.view_submission(
        ids.PROFILE_VIEW, user_id=user_id, values=form_values(capacity=places)
    )
    assert running.post(request) == (200, b"")
    running.settled()


def test_a_coach_who_has_not_said_how_many_partners_they_take_is_not_called_full(
    running: RunningApp,
) -> None:
    seed(running, U0LEARN=Role.LEARNER, U0A=Role.LEARNER, U0B=Role.LEARNER, U0ADA=Role.COACH)
    add_guide(running, "U0BEN")
    with running.db.unit_of_work() as uow:  # Ada takes the two partners she offered
        members = {m.slack_user_id: m for m in uow.session.scalars(select(Member))}
        for learner in ("U0A", "U0B"):
            factories.pair(uow.session, members["U0ADA"], members[learner])
        uow.commit()

    entries = listed(running, "U0LEARN")

    ada, ben = entries["U0ADA"]["text"]["text"], entries["U0BEN"]["text"]["text"]
    assert "no room right now" in ada
    assert UNSAID in ben
    assert "no room" not in ben
    # As matching offers nobody a place they never opened, there is nothing to ask yet.
    assert "accessory" not in entries["U0BEN"]
    assert "accessory" not in entries["U0ADA"]


def test_a_request_to_a_coach_who_has_not_opened_places_says_so_and_sends_nothing(
    running: RunningApp,
) -> None:
    seed(running, U0LEARN=Role.LEARNER)
    add_guide(running, "U0BEN")
    running.standin.clear()

    refused = str(request_coach(running, "U0LEARN", "U0BEN").args)  # a button from an older list

    assert "haven't opened places for partners yet" in refused
    assert "no room" not in refused
    assert "Nothing was sent" in refused
    running.settled()
    assert running.standin.calls("chat.postMessage") == []


def test_a_coach_who_chose_zero_finds_it_kept_on_the_form_and_learners_read_it_as_such(
    running: RunningApp,
) -> None:
    seed(running, U0LEARN=Role.LEARNER, U0ADA=Role.COACH)
    choose_places(running, "U0ADA", "0")
    saved = profile(running, "U0ADA")
    assert saved is not None
    assert saved.capacity == 0

    running.standin.clear()
    running.post(running.signer.slash_command("profile", user_id="U0ADA", trigger_id="1.2.again"))
    [reopened] = running.standin.wait_for("views.open")
    [field] = [b for b in reopened.args["view"]["blocks"] if b.get("block_id") == ids.PROFILE_CAPACITY]
    assert field["element"]["initial_value"] == "0"  # their answer, not a question asked again

    entry = listed(running, "U0LEARN")["U0ADA"]
    assert NONE_NEW in entry["text"]["text"]
    assert "accessory" not in entry


def test_a_coach_who_chose_zero_is_not_sent_the_profile_form_again_when_joining_another_cohort(
    running: RunningApp,
) -> None:
    seed(running, U0LEARN=Role.LEARNER)
    add_guide(running, "U0CARA")
    choose_places(running, "U0CARA", "0")  # all they said: no new partners for now
    with running.db.unit_of_work() as uow:
        ws = uow.session.scalars(select(Workspace)).one()
        factories.cohort(uow.session, ws, "autumn", "Autumn").pairing_mode = PairingMode.COACH_LEARNER
        uow.commit()
    running.standin.clear()

    press = running.signer.block_action(
        f"{ids.JOIN_AS_ROLE}:coach",
        user_id="U0CARA",
        value="autumn:coach",
        response_url=running.standin.response_url("join"),
    )
    assert running.post(press)[0] == 200
    [answer] = running.standin.wait_for("response_url")
    running.settled()

    assert "You have joined *Autumn* as a coach" in str(answer.args)
    assert running.standin.calls("views.open") == []
    saved = profile(running, "U0CARA")
    assert saved is not None
    assert saved.capacity == 0
