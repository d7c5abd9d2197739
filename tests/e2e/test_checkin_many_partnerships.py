"""Check-ins of people with several partnerships, through the real endpoint: a coach of five learners whose
pairs went different ways (one paused, one ended, one whose learner left, one in another cohort
with another cadence) and a learner with a coach and a mentor."""

from __future__ import annotations

import json

from sqlalchemy import select

from bot import ids
from circles.domain.vocabulary import EndReason, MemberStatus, PartnershipKind, PartnershipStatus, Role
from circles.persistence.models import CheckIn, Partnership
from tests import factories
from tests.e2e.conftest import RunningApp
from tests.e2e.test_checkin_forms_shapes import submit_form
from tests.e2e.test_checkins import Posted, click, form_values, has_buttons, post_checkin, shown, stored


def programme(running: RunningApp) -> dict[str, int]:
    """Ada coaches Lee (who also has Mo as mentor), Pia (paused), Ed (ended) and Gil (who left)
    in PGY-1 spring, and Ola in Peers, which checks in every four weeks. Returns each pair's id by the
    learner's or mentor's Slack id."""
    with running.db.unit_of_work() as uow:
        s = uow.session
        ws = factories.workspace(s)
        spring, peers = factories.cohort(s, ws), factories.cohort(s, ws, "peers", "Peers")
        peers.checkin_every_weeks = 4
        for co in (spring, peers):
            factories.facilitator(s, co, "U0FAY")
        ada = {co.id: factories.member(s, co, "U0ADA", Role.COACH) for co in (spring, peers)}
        mo = factories.member(s, spring, "U0MO", Role.MENTOR)
        pairs, learners = {}, {}
        for user, co, status in [
            ("U0LEE", spring, PartnershipStatus.ACTIVE),
            ("U0PIA", spring, PartnershipStatus.PAUSED),
            ("U0ED", spring, PartnershipStatus.ENDED),
            ("U0GIL", spring, PartnershipStatus.ENDED),
            ("U0OLA", peers, PartnershipStatus.ACTIVE),
        ]:
            gone = MemberStatus.LEFT if user == "U0GIL" else MemberStatus.ACTIVE
            learners[user] = factories.member(s, co, user, status=gone)
            ending = {"U0ED": EndReason.COMPLETED, "U0GIL": EndReason.MEMBER_LEFT}.get(user)
            pairs[user] = factories.pair(s, ada[co.id], learners[user], status=status, end_reason=ending).id
        pairs["U0MO"] = factories.pair(s, mo, learners["U0LEE"], kind=PartnershipKind.MENTOR_LEARNER).id
        uow.commit()
        return pairs


Button = tuple[str, str]  # a choice's button: its action id and value


def chooser(running: RunningApp, user_id: str) -> dict[str, Button]:
    """`/circles checkin` for someone with several partnerships: the ephemeral choice it offers, as the
    button behind each partner."""
    running.post(running.signer.slash_command("checkin", user_id=user_id))
    [answer] = running.standin.wait_for("response_url")
    assert answer.args["response_type"] == "ephemeral"
    running.standin.clear()
    offered = {}
    for block in answer.args["blocks"]:
        if "accessory" in block:
            partner = block["text"]["text"].split(">")[0].removeprefix("<@")
            offered[partner] = (block["accessory"]["action_id"], block["accessory"]["value"])
    return offered


def chosen(running: RunningApp, user_id: str, button: Button) -> int:
    """Press a choice's button: the check-in id of the form it opens."""
    click_from_chooser(running, user_id, button)
    [opened] = running.standin.wait_for("views.open")
    running.standin.clear()
    return int(json.loads(opened.args["view"]["private_metadata"])["checkin"])


def checkins_of(running: RunningApp, pair_id: int) -> list[CheckIn]:
    with running.db.unit_of_work() as uow:
        return list(uow.session.scalars(select(CheckIn).where(CheckIn.partnership_id == pair_id)))


def test_the_coachs_checkin_offers_only_the_pairs_still_running_in_each_cohort(running: RunningApp) -> None:
    pairs = programme(running)
    offered = chooser(running, "U0ADA")
    assert sorted(offered) == ["U0LEE", "U0OLA"]
    for user in ("U0PIA", "U0ED", "U0GIL"):
        assert checkins_of(running, pairs[user]) == []  # nothing opened about a pair that does not run
    again = chooser(running, "U0ADA")
    assert again == offered  # asking twice offers the same ones
    assert checkins_of(running, pairs["U0LEE"]) == []  # the choice opens nothing: a press does


def test_a_learner_with_a_coach_and_a_mentor_answers_each_apart_and_neither_sees_it(
    running: RunningApp,
) -> None:
    pairs = programme(running)
    offered = chooser(running, "U0LEE")
    assert sorted(offered) == ["U0ADA", "U0MO"]
    click_from_chooser(running, "U0LEE", offered["U0MO"])
    [opened] = running.standin.wait_for("views.open")
    assert "<@U0MO>" in shown(opened)
    assert "<@U0ADA>" not in shown(opened)
    metadata = json.loads(opened.args["view"]["private_metadata"])
    submit_form(running, metadata["checkin"], form_values("2", "no", "Mo keeps cancelling", False, False))
    [confirmed] = running.standin.wait_for("chat.postMessage")
    assert confirmed.args["channel"] == "U0LEE"
    running.settled()
    assert [row.rating for row in checkins_of(running, pairs["U0MO"])] == [2]
    assert checkins_of(running, pairs["U0LEE"]) == []  # Ada's pair, not chosen, has nothing waiting
    assert all(c.args.get("channel") == "U0LEE" for c in running.standin.calls("chat.postMessage"))


def click_from_chooser(running: RunningApp, user_id: str, button: Button) -> None:
    """A "Check in" button of the ephemeral choice: its answers go to the response_url, no message to edit."""
    action_id, value = button
    request = running.signer.block_action(
        action_id,
        user_id=user_id,
        value=value,
        response_url=running.signer.default_response_url(action_id),
        trigger_id="1.2.chosen",
    )
    assert running.post(request)[0] == 200


def test_a_choice_pressed_after_its_pair_ended_says_so_and_opens_nothing(running: RunningApp) -> None:
    pairs = programme(running)
    offered = chooser(running, "U0ADA")
    with running.db.unit_of_work() as uow:
        uow.session.get_one(Partnership, pairs["U0LEE"]).status = PartnershipStatus.ENDED
        uow.commit()
    click_from_chooser(running, "U0ADA", offered["U0LEE"])
    [refused] = running.standin.wait_for("response_url")
    assert refused.args["response_type"] == "ephemeral"
    assert "paused or has ended" in shown(refused)
    running.settled()
    assert running.standin.calls("views.open") == []


def test_a_rating_tapped_on_an_old_dm_after_the_pair_was_paused_is_refused_and_the_dm_closed(
    running: RunningApp,
) -> None:
    pairs = programme(running)
    offered, adas = chooser(running, "U0LEE"), chooser(running, "U0ADA")
    adas_about_lee = chosen(running, "U0ADA", adas["U0LEE"])
    posted: Posted = post_checkin(running, chosen(running, "U0LEE", offered["U0ADA"]))
    with running.db.unit_of_work() as uow:
        uow.session.get_one(Partnership, pairs["U0LEE"]).status = PartnershipStatus.PAUSED
        uow.commit()
    click(running, posted, f"{ids.CHECKIN_RATE}_1", f"{posted.checkin_id}:1")
    [refused] = running.standin.wait_for("response_url")
    assert refused.args["response_type"] == "ephemeral"
    assert "Nothing was saved" in shown(refused)
    running.standin.wait_for("chat.update")
    assert not has_buttons(running.standin.messages(posted.channel)[0])
    assert stored(running, posted.checkin_id).answered_at is None
    # Ada's check-in about Lee, pressed from Lee's DM (a forged value), is refused as not Lee's to answer.
    click(running, posted, f"{ids.CHECKIN_RATE}_5", f"{adas_about_lee}:5")
    assert "I can't open that check-in" in shown(running.standin.wait_for("response_url", 2)[-1])
    running.settled()
    assert stored(running, adas_about_lee).answered_at is None


def test_the_full_form_pressed_on_a_stale_copy_after_answering_keeps_the_answer_shown(
    running: RunningApp,
) -> None:
    """Lee taps 4 on the phone; the laptop still shows the buttons and Lee presses "Answer in full" there:
    the refusal is Lee's alone, and the DM keeps showing the answer given rather than a bare "closed"."""
    programme(running)
    posted = post_checkin(running, chosen(running, "U0LEE", chooser(running, "U0LEE")["U0ADA"]))
    click(running, posted, f"{ids.CHECKIN_RATE}_4", f"{posted.checkin_id}:4")
    running.standin.wait_for("chat.update")
    running.standin.clear()
    click(running, posted, ids.CHECKIN_OPEN, str(posted.checkin_id))  # the laptop's stale copy
    [refused] = running.standin.wait_for("response_url")
    assert refused.args["response_type"] == "ephemeral"
    assert "already answered this check-in" in shown(refused)
    running.settled()
    assert running.standin.calls("views.open") == []
    [now_shown] = running.standin.messages(posted.channel)
    assert "answered, thank you" in shown(now_shown)
    assert "*4 of 5*" in shown(now_shown)
    assert stored(running, posted.checkin_id).rating == 4
