"""Every kind of outgoing message survives the outbox and fits Slack, from its smallest to its largest."""

from __future__ import annotations

import json

import pytest

from bot.messages import registered, render, render_payload
from circles.messages import KINDS, MalformedPayload, Payload, PlainNotice, SupportRequest, parse, stored
from circles.services.outbox.enqueue import Outgoing
from tests.message_extremes import LARGEST, SMALLEST
from tests.slack_limits import assert_within_limits


def through_the_outbox(payload: Payload) -> Payload:
    """What the dispatcher reads back from the payload's row (JSON, as the column keeps it)."""
    row = json.loads(json.dumps(stored(payload)))
    return parse(row["template"], row["args"])


def texts_in(payload: Payload) -> list[str]:
    """Every string of the stored arguments: what people or teams may have typed."""
    found: list[str] = []

    def walk(value: object) -> None:
        if isinstance(value, str):
            found.append(value)
        elif isinstance(value, dict):
            for item in value.values():
                walk(item)
        elif isinstance(value, list):
            for item in value:
                walk(item)

    walk(payload.to_args())
    return found


@pytest.mark.parametrize("payload", LARGEST + SMALLEST, ids=lambda p: type(p).__name__)
def test_a_message_read_back_from_its_row_is_the_one_recorded_and_fits_slack(payload: Payload) -> None:
    read = through_the_outbox(payload)
    assert read == payload
    message = render_payload(read)
    assert_within_limits(message, typed=texts_in(payload))
    message.block_dicts()  # slack_sdk's own checks, as the dispatcher runs them


def test_every_kind_is_driven_to_its_largest_and_its_smallest() -> None:
    assert {type(p) for p in LARGEST} == set(KINDS.values())
    assert {type(p) for p in SMALLEST} == set(KINDS.values())


def test_every_template_has_one_kind_and_every_kind_one_renderer() -> None:
    assert registered() == set(KINDS.values())
    assert all(name == kind.TEMPLATE for name, kind in KINDS.items())
    assert len(KINDS) == 25


def test_only_kinds_with_private_words_are_scrubbed_once_sent() -> None:
    private = {name for name, kind in KINDS.items() if kind.PRIVATE}
    assert private == {
        "escalation",
        "support_request",
        "support_unshown",
        "partnership_report",
        "workflow_note",
    }
    assert Outgoing("k", "U1", SupportRequest("c", "U2", "help")).private
    assert not Outgoing("k", "U1", PlainNotice("hi")).private


PAIR = {"escalation_id": 1, "first": "U1", "second": "U2"}
WELCOME = {
    "cohort_name": "c",
    "slug": "c",
    "role": "peer",
    "pairing": "peer",
    "prompt_weekday": 0,
    "checkin_every_weeks": 2,
}


@pytest.mark.parametrize(
    ("template", "args"),
    [
        ("plain", {"wrong": "words"}),
        ("plain", {"text": 42}),
        ("circle_alone", {"circle_name": "c", "cohort_name": "c", "made": "yes", "facilitated": False}),
        ("checkin", {"checkin_id": None, "cohort_name": "c", "partner_user_id": "U1"}),
        ("checkin", {"checkin_id": "12", "cohort_name": "c", "partner_user_id": "U1"}),
        ("checkin", {"checkin_id": True, "cohort_name": "c", "partner_user_id": "U1"}),
        ("partnership_changed", {"cohort_name": "c", "status": "vanished"}),
        ("request_closed", {"cohort_name": "c", "guide_user_id": "U1", "because": "bored"}),
        ("request_copy_closed", {"cohort_name": "c", "learner_user_id": 7}),
        ("support_request", {"cohort_name": "c", "member_user_id": "U1", "message": ["a", "list"]}),
        ("direct_answer", {"cohorts": {"slug": "c"}, "resources": ""}),
        ("direct_answer", {"cohorts": ["c"], "resources": ""}),
        ("coach_digest", {"member_id": 1, "sections": [{"cohort_name": "c", "nudges": [{"kind": "odd"}]}]}),
        ("circle_prompt", {"theme": "t", "text": "x", "cohort_name": "c", "week": "1"}),
        ("escalation", {"escalation_id": 1, "first": "U1"}),  # no second partner
        (
            "escalation",
            PAIR | {"trend": [["2026-13-45", "steady"]]},
        ),
        (
            "escalation",
            PAIR | {"trend": [["2026-10-01", "fine"]]},
        ),
        (
            "escalation",
            PAIR | {"notes": [{"author": "U1", "text": "x"}]},
        ),
        ("escalation", PAIR | {"claimed_at": "yesterday"}),
        ("escalation", PAIR | {"for_admins": "yes"}),
        ("escalation_withdrawn", {"cohort_name": ["c"]}),
        ("support_rerouted", {"cohort_name": "c", "to": "somewhere"}),
        ("support_rerouted", {"cohort_name": "c", "to": "admins", "holders": ["U1"]}),
        ("partner_away", {"away_user_id": "U1", "until": "soon"}),
        ("partner_away", {"away_user_id": "U1", "until": "2027-02-30"}),
        ("cohort_welcome", WELCOME | {"prompt_weekday": 7}),
        ("cohort_welcome", WELCOME | {"checkin_every_weeks": 0}),
        ("cohort_welcome", WELCOME | {"pairing": "trios"}),
        ("cohort_welcome", WELCOME | {"facilitators": ["U1"]}),
    ],
)
def test_a_row_that_does_not_fit_its_kind_is_refused_with_one_named_error(
    template: str, args: dict[str, object]
) -> None:
    with pytest.raises(MalformedPayload):
        render(template, args)


def test_a_refusal_names_the_argument_and_never_what_was_written() -> None:
    secret = "I am not coping with nights"
    with pytest.raises(MalformedPayload) as refused:
        parse("support_request", {"cohort_name": "c", "member_user_id": [secret], "message": secret})
    assert "support_request.member_user_id" in str(refused.value)
    assert "coping" not in str(refused.value)


def test_arguments_that_are_no_object_are_refused() -> None:
    args: object
    for args in ([], "text", None, 3.5):
        with pytest.raises(MalformedPayload):
            parse("plain", args)
