"""What a facilitator's escalation alert shows at each stage, and its resolve form."""

from __future__ import annotations

import json
from typing import Any

from bot import ids
from bot.messages import render
from bot.views.escalation import escalation_message
from bot.views.escalation_forms import replaced_preview, resolve_answer, resolve_modal
from bot.views.matching import preview_message
from circles.domain.match_vocabulary import RunStatus
from circles.messages import EscalationCard
from circles.services.matching.rounds import RoundPlan
from standin.forms import submitted_values


def card(**changes: Any) -> dict[str, Any]:
    base: dict[str, Any] = {
        "escalation_id": 41,
        "occasion": "opened",
        "for_admins": False,
        "cohort_name": "PGY-1",
        "slug": "pgy1",
        "kind": "coach_learner",
        "first": "U0COACH",
        "second": "U0LEARN",
        "partnership_status": "active",
        "state": "struggling",
        "reasons": ["no meeting reported for 24 days", "<!channel> rated it 1"],
        "trend": [["2026-10-19", "needs_attention"], ["2026-11-02", "struggling"]],
        "notes": [
            {"author": "U0LEARN", "at": "2026-10-19T12:00:00+00:00", "text": "We keep missing\n<@U0X>"}
        ],
        "status": "open",
        "claimed_by": None,
        "claimed_at": None,
        "snoozed_until": None,
        "snoozed_by": None,
        "resolved_at": None,
        "resolved_by": None,
        "outcome": None,
        "comment": "",
    }
    return {**base, **changes}


def shown(args: dict[str, Any]) -> str:
    message = render("escalation", args)
    return message.text + json.dumps(message.block_dicts(), ensure_ascii=False)


def blocks_of(args: dict[str, Any]) -> list[dict[str, Any]]:
    found: list[dict[str, Any]] = json.loads(
        json.dumps(escalation_message(EscalationCard.from_args(args)).block_dicts())
    )
    return found


def action_ids(args: dict[str, Any]) -> list[str]:
    return [e["action_id"] for b in blocks_of(args) if b["type"] == "actions" for e in b["elements"]]


def test_an_open_alert_shows_the_pair_why_the_trend_the_notes_and_every_action() -> None:
    text = shown(card())
    assert "<@U0COACH> and <@U0LEARN> (coach and learner) in *PGY-1*: health is *struggling*." in text
    assert "• no meeting reported for 24 days" in text
    assert "19 Oct needs attention → 2 Nov struggling" in text
    assert "<@U0LEARN>, 19 Oct:" in text
    assert "Nobody has said they will reach out yet." in text
    assert action_ids(card()) == [
        ids.ESCALATION_CLAIM,
        ids.ESCALATION_SNOOZE,
        ids.ESCALATION_RESOLVE_OPEN,
        ids.ESCALATION_PAUSE,
        ids.ESCALATION_REMATCH,
        ids.ESCALATION_END,
    ]


def test_what_people_wrote_cannot_ping_anyone_or_become_a_link() -> None:
    text = shown(card())
    assert "&lt;!channel&gt; rated it 1" in text
    assert "&lt;@U0X&gt;" in text
    assert "<!channel>" not in text
    assert "<@U0X>" not in text


def test_the_snooze_choices_carry_the_escalation_and_the_days() -> None:
    actions = next(b for b in blocks_of(card()) if b["type"] == "actions")
    select = next(e for e in actions["elements"] if e["action_id"] == ids.ESCALATION_SNOOZE)
    assert [o["value"] for o in select["options"]] == ["41:1", "41:3", "41:7", "41:14"]


def test_once_claimed_everyone_sees_who_reaches_out_and_when() -> None:
    args = card(status="claimed", claimed_by="U0FAC2", claimed_at="2026-11-03T10:00:00+00:00")
    text = shown(args)
    assert "<@U0FAC2> is reaching out, since <!date^1793700000^" in text
    assert ids.ESCALATION_CLAIM not in action_ids(args)


def test_a_resolved_alert_says_how_it_ended_and_offers_no_actions() -> None:
    args = card(
        status="resolved",
        resolved_by="U0FAC1",
        resolved_at="2026-11-04T10:00:00+00:00",
        outcome="reconnected",
        comment="They found a <new> time",
        notes=[],
    )
    text = shown(args)
    assert "Resolved by <@U0FAC1>" in text
    assert ": they reconnected." in text
    assert ">They found a &lt;new&gt; time" in text
    assert action_ids(args) == []


def test_a_paused_or_ended_partnership_offers_only_what_still_makes_sense() -> None:
    assert ids.ESCALATION_PAUSE not in action_ids(card(partnership_status="paused"))
    assert "The partnership is paused." in shown(card(partnership_status="paused"))
    ended = action_ids(card(partnership_status="ended"))
    assert ids.ESCALATION_REMATCH in ended
    assert ids.ESCALATION_END not in ended
    assert ids.ESCALATION_PAUSE not in ended


def test_admins_copies_say_why_they_got_it_and_hold_no_notes() -> None:
    text = shown(card(for_admins=True, occasion="admins1", notes=[]))
    assert "No facilitator has picked this up yet" in text
    assert "Sent to you as an admin" in text
    assert "Notes the partners shared are for the cohort's facilitators" in text


def test_notes_that_did_not_open_show_as_unavailable_to_facilitators_only() -> None:
    text = shown(card(notes_unavailable=2))
    assert "<@U0LEARN>, 19 Oct:" in text
    assert "Unavailable: 2 shared notes could not be opened with the current notes key." in text
    alone = shown(card(notes=[], notes_unavailable=1))
    assert "What they chose to share with you" in alone
    assert "Unavailable: 1 shared note could not be opened with the current notes key." in alone
    admins = shown(card(for_admins=True, occasion="admins1", notes=[], notes_unavailable=1))
    assert "Unavailable" not in admins
    assert EscalationCard.from_args(card(notes_unavailable=2)).to_args() == card(notes_unavailable=2)
    assert "notes_unavailable" not in EscalationCard.from_args(card()).to_args()  # the shape it always had


def test_the_notification_text_names_nobody_and_gives_no_reason() -> None:
    text = escalation_message(EscalationCard.from_args(card())).text
    assert text == "A partnership in PGY-1 may need you."


def test_the_resolve_form_offers_the_outcomes_and_reads_the_answer() -> None:
    view = resolve_modal(41).to_dict()
    assert view["private_metadata"] == "41"
    values = submitted_values(view, {ids.ESCALATION_OUTCOME: "no_action", ids.ESCALATION_COMMENT: "All good"})
    assert resolve_answer(values) == ("no_action", "All good")
    assert resolve_answer({}) == ("", "")
    hostile = {
        ids.ESCALATION_OUTCOME: {ids.ESCALATION_INPUT: {"selected_option": "ended"}},
        ids.ESCALATION_COMMENT: 7,
    }
    assert resolve_answer(hostile) == ("", "")
    assert resolve_answer(["not", "a", "dict"]) == ("", "")


def test_a_replaced_re_match_preview_cannot_be_confirmed_but_can_be_asked_for_again() -> None:
    plan = {
        "rematch": {"member": 1, "user": "U0COACH"},
        "circles": [],
        "joins": [],
        "pairs": [],
        "unplaced": [],
        "notes": [],
        "repeats": 0,
        "conflicts": 0,
        "users": {"1": "U0COACH"},
    }
    preview = preview_message(RoundPlan(7, "pgy1", "PGY-1", 1, RunStatus.PREVIEWED, plan))
    replaced = json.dumps(replaced_preview(preview, "pgy1", "U0COACH", 0).block_dicts())
    assert ids.MATCH_CONFIRM not in replaced
    assert f'"action_id": "{ids.REMATCH_OFFER}:0"' in replaced
    assert '"value": "pgy1:U0COACH"' in replaced
