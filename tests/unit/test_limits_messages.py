"""Every outbox template, rendered with the largest arguments the app writes, stays within Slack's limits."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st

from bot.messages import registered, render
from bot.views.text import mrkdwn
from circles.domain.care import WELLBEING_RESOURCES_MAX
from circles.domain.cohort_file import MAX_FACILITATORS
from circles.domain.cohort_rules import ROLES_BY_MODE
from circles.domain.escalations import COMMENT_LIMIT
from circles.domain.workflow_steps import STEP_TEXT_MAX
from circles.services.escalations.notes import NOTE_LIMIT, RECENT_NOTES
from circles.services.partnerships.changes import REASON_LIMIT
from prompts.tracks import FOLLOW_UP_LIMIT, PROMPT_LIMIT, THEME_LIMIT
from prompts.tracks import slack_length as track_length
from tests.slack_extremes import (
    CIRCLE_NAME,
    COHORTS_PER_FACILITATOR,
    PARTNERS_PER_COACH,
    SUPPORT,
    cohort_names,
    slugs,
    text_of,
    typed_texts,
    up_to,
    user_ids,
)
from tests.slack_limits import assert_within_limits

FEW = settings(max_examples=15, deadline=None)
USERS = user_ids(60)
TESTED = {
    "plain",
    "circle_alone",
    "partnership_changed",
    "partnership_report",
    "request_closed",
    "request_copy_closed",
    "coach_digest",
    "circle_prompt",
    "circle_prompt_catch_up",
    "pair_prompt",
    "coach_idea",
    "checkin",
    "support_request",
    "support_rerouted",
    "support_unshown",
    "support_not_shown",
    "escalation",
    "escalation_withdrawn",
    "direct_answer",
    "partner_away",
    "partner_back",
    "survey_invite",
    "survey_reminder",
    "workflow_note",
    "cohort_welcome",
}


def test_every_registered_template_is_driven_to_its_extremes_here() -> None:
    assert {kind.TEMPLATE for kind in registered()} == TESTED


@FEW
@given(name=cohort_names, message=st.none() | typed_texts, from_checkin=st.booleans())
def test_a_support_request_of_the_longest_message_fits(
    name: str, message: str | None, from_checkin: bool
) -> None:
    args = {"cohort_name": name, "member_user_id": USERS[0], "message": message}
    args["partner_user_id"] = USERS[1] if from_checkin else None
    assert_within_limits(render("support_request", args), typed=[name, message or ""])


@FEW
@given(
    name=cohort_names, to=st.sampled_from(["facilitators", "admins", "nobody"]), holders=st.integers(0, 60)
)
def test_a_members_notice_that_their_request_went_elsewhere_fits(name: str, to: str, holders: int) -> None:
    args = {"cohort_name": name, "to": to, "holders": [{"user_id": user} for user in USERS[:holders]]}
    assert_within_limits(render("support_rerouted", args), typed=[name])


@FEW
@given(name=cohort_names, from_checkin=st.booleans())
def test_the_notices_of_a_support_request_that_could_not_be_shown_fit(name: str, from_checkin: bool) -> None:
    args = {
        "cohort_name": name,
        "member_user_id": USERS[0],
        "partner_user_id": USERS[1] if from_checkin else None,
    }
    assert_within_limits(render("support_unshown", args), typed=[name])
    assert_within_limits(render("support_not_shown", {"cohort_name": name}), typed=[name])


def test_a_support_request_of_the_most_ampersands_is_shown_whole_over_several_sections() -> None:
    message = render(
        "support_request", {"cohort_name": "c", "member_user_id": "U1", "message": "&" * SUPPORT}
    )
    assert_within_limits(message)
    sections: list[dict[str, Any]] = [block.to_dict() for block in message.blocks[1:-1]]
    quoted = [section["text"]["text"] for section in sections]
    assert len(quoted) > 1
    assert all(part.startswith(">") and part[1:].replace("&amp;", "") == "" for part in quoted)
    assert sum(part.count("&amp;") for part in quoted) == SUPPORT


@FEW
@given(name=cohort_names, text=up_to(STEP_TEXT_MAX))
@example(name="c", text="&\n" * (STEP_TEXT_MAX // 2))
def test_a_workflows_note_to_a_facilitator_fits(name: str, text: str) -> None:
    note = render("workflow_note", {"cohort_name": name, "text": text})
    assert_within_limits(note, typed=[name, text])


@FEW
@given(name=cohort_names, status=st.sampled_from(["ended", "paused", "active"]), reason=up_to(REASON_LIMIT))
def test_partnership_notices_and_reports_fit(name: str, status: str, reason: str) -> None:
    assert_within_limits(render("partnership_changed", {"cohort_name": name, "status": status}), typed=[name])
    report = {"cohort_name": name, "slug": "s" * 40, "status": status, "by": USERS[0], "partner": USERS[1]}
    assert_within_limits(render("partnership_report", report | {"reason": reason}), typed=[name, reason])


@FEW
@given(name=cohort_names, because=st.sampled_from(["guide_gone", "learner_paused"]))
def test_a_learners_notice_that_their_request_closed_fits(name: str, because: str) -> None:
    notice = {"cohort_name": name, "guide_user_id": USERS[0], "because": because}
    assert_within_limits(render("request_closed", notice), typed=[name])


@FEW
@given(name=cohort_names)
def test_a_coachs_copy_of_a_request_that_closed_fits(name: str) -> None:
    closed = {"cohort_name": name, "learner_user_id": USERS[0], "ts": "1767225600.000100"}
    assert_within_limits(render("request_copy_closed", closed), typed=[name])


@FEW
@given(circle=up_to(CIRCLE_NAME), name=cohort_names, made=st.booleans(), facilitated=st.booleans())
def test_the_notice_that_nobody_else_is_left_in_a_circle_fits(
    circle: str, name: str, made: bool, facilitated: bool
) -> None:
    alone = {"circle_name": circle, "cohort_name": name, "made": made, "facilitated": facilitated}
    assert_within_limits(render("circle_alone", alone), typed=[circle, name])


@FEW
@given(name=cohort_names)
def test_a_former_facilitators_copy_of_an_alert_fits(name: str) -> None:
    withdrawn = {"cohort_name": name, "ts": "1767225600.000100"}
    assert_within_limits(render("escalation_withdrawn", withdrawn), typed=[name])


def within_track_limit(text: str, limit: int) -> str:
    """The longest start of the text a prompt track accepts within `limit` (escapes counted)."""
    while track_length(text) > limit:
        text = text[: len(text) - max(1, (track_length(text) - limit) // 5)]
    return text


@FEW
@given(name=cohort_names, theme=up_to(80), text=up_to(2600), follow_up=st.none() | up_to(500))
def test_prompts_and_coach_ideas_fit(name: str, theme: str, text: str, follow_up: str | None) -> None:
    theme = within_track_limit(theme, THEME_LIMIT)
    follow_up = within_track_limit(follow_up, FOLLOW_UP_LIMIT) if follow_up else None
    text = within_track_limit(text, PROMPT_LIMIT - track_length(follow_up or ""))
    args = {"prompt_id": "p", "theme": theme, "text": text, "follow_up": follow_up, "week": 52}
    args["cohort_name"] = name
    for template in ("circle_prompt", "circle_prompt_catch_up", "pair_prompt", "coach_idea"):
        assert_within_limits(render(template, args), typed=[name, theme, text, follow_up or ""])


@FEW
@given(name=cohort_names)
def test_a_checkin_fits(name: str) -> None:
    args = {"checkin_id": 10**12 - 1, "cohort_name": name, "partner_user_id": USERS[0]}
    assert_within_limits(render("checkin", args), typed=[name])


@FEW
@given(text=up_to(3000))
def test_a_plain_notice_fits(text: str) -> None:
    assert_within_limits(render("plain", {"text": mrkdwn(text)}), typed=[text])


@FEW
@given(until=st.dates(), user=st.sampled_from(USERS))
def test_a_partners_away_and_back_notices_fit_for_any_date(until: date, user: str) -> None:
    assert_within_limits(render("partner_away", {"away_user_id": user, "until": until.isoformat()}))
    assert_within_limits(render("partner_back", {"back_user_id": user}))


def escalation_args(
    name: str, notes: list[str], comment: str, reasons: list[str], **more: Any
) -> dict[str, Any]:
    return {
        "escalation_id": 10**12 - 1,
        "occasion": "reminder12",
        "cohort_name": name,
        "slug": "s" * 40,
        "kind": "coach_learner",
        "first": USERS[0],
        "second": USERS[1],
        "partnership_status": "active",
        "state": "struggling",
        "reasons": reasons,
        "trend": [[f"2027-01-{day:02d}", "needs_attention"] for day in range(1, 29)],
        "notes": [
            {"author": USERS[n % 2], "at": "2027-01-05T09:00:00+00:00", "text": t}
            for n, t in enumerate(notes)
        ],
        "status": "open",
        "claimed_by": None,
        "comment": comment,
        **more,
    }


@FEW
@given(
    name=cohort_names,
    notes=st.lists(up_to(NOTE_LIMIT), max_size=RECENT_NOTES),
    comment=up_to(COMMENT_LIMIT),
    reasons=st.lists(up_to(300), min_size=1, max_size=20),
    stage=st.sampled_from(["open", "claimed", "snoozed", "resolved", "admins"]),
)
def test_an_escalation_card_fits_at_every_stage(
    name: str, notes: list[str], comment: str, reasons: list[str], stage: str
) -> None:
    stages: dict[str, dict[str, Any]] = {
        "open": {},
        "claimed": {"claimed_by": USERS[2], "claimed_at": "2027-01-06T09:00:00+00:00"},
        "snoozed": {"status": "snoozed", "snoozed_by": USERS[2], "snoozed_until": "2027-01-09T09:00:00"},
        "resolved": {"status": "resolved", "resolved_by": USERS[2], "resolved_at": "2027-01-09T09:00:00"},
        "admins": {"for_admins": True, "occasion": "admins"},
    }
    more = stages[stage]
    args = escalation_args(name, notes, comment, reasons, outcome="rematched", **more)
    assert_within_limits(render("escalation", args), typed=[name, comment, *notes, *reasons])


def digest(partners: int, cohorts: int = 1) -> dict[str, Any]:
    """One person's digest: `partners` partners in each of `cohorts` cohorts, each with two reminders."""
    sections = []
    for _ in range(cohorts):
        items: list[dict[str, Any]] = []
        for user in USERS[:partners]:
            items += [{"kind": "no_meeting", "partner": user, "count": 120}]
            items += [{"kind": "checkin_waiting", "partner": user, "count": 10}]
        items.append({"kind": "request_waiting", "partner": None, "count": 20})
        sections.append({"cohort_name": "n" * 255, "nudges": items})
    return {"member_id": 10**12 - 1, "working_days": "0123456", "sections": sections}


@pytest.mark.parametrize(("partners", "cohorts"), [(1, 1), (12, 1), (PARTNERS_PER_COACH, 1), (25, 8)])
def test_a_coach_digest_fits_for_twenty_five_partners_in_several_cohorts(partners: int, cohorts: int) -> None:
    assert_within_limits(render("coach_digest", digest(partners, cohorts)))


def test_a_digest_recorded_before_digests_covered_every_cohort_still_fits() -> None:
    [section] = digest(PARTNERS_PER_COACH)["sections"]
    assert_within_limits(render("coach_digest", {"member_id": 1, **section}))


@FEW
@given(slug=slugs)
def test_the_longest_slug_fits_in_every_value_it_is_carried_in(slug: str) -> None:
    report = {"cohort_name": "c", "slug": slug, "status": "ended", "by": USERS[0], "partner": USERS[1]}
    assert_within_limits(render("partnership_report", report))


@FEW
@given(
    name=cohort_names,
    resources=st.lists(text_of(WELLBEING_RESOURCES_MAX), max_size=COHORTS_PER_FACILITATOR),
)
@example(name="<" * 255, resources=[f"{n}" + "&" * (WELLBEING_RESOURCES_MAX - 2) for n in range(50)])
def test_the_answer_to_a_typed_message_fits_for_fifty_cohorts_with_their_own_resources(
    name: str, resources: list[str]
) -> None:
    cohorts = [{"slug": f"c{n}", "name": name, "resources": wording} for n, wording in enumerate(resources)]
    answer = render("direct_answer", {"cohorts": cohorts, "resources": "Call the wellbeing line."})
    assert_within_limits(answer, typed=[name, *resources])


@FEW
@given(
    name=cohort_names,
    slug=slugs,
    offered=st.sampled_from([(mode, role) for mode, roles in ROLES_BY_MODE.items() for role in roles]),
    facilitators=st.integers(0, MAX_FACILITATORS),
    weekday=st.integers(0, 6),
    every=st.integers(1, 12),
)
def test_the_welcome_of_someone_added_fits_for_any_cohort_and_a_hundred_facilitators(
    name: str, slug: str, offered: tuple[str, str], facilitators: int, weekday: int, every: int
) -> None:
    mode, role = offered
    hosts = [{"user_id": user} for user in user_ids(facilitators)]
    args = {"cohort_name": name, "slug": slug, "role": role, "pairing": mode, "prompt_weekday": weekday}
    welcome = render("cohort_welcome", args | {"checkin_every_weeks": every, "facilitators": hosts})
    assert_within_limits(welcome, typed=[name])


def test_an_ending_reason_is_quoted_line_by_line_so_none_of_it_reads_as_the_apps_own_words() -> None:
    reason = "We never found a time.\n*Facilitator note:* re-match both <@U0X>"
    args = {"cohort_name": "PGY-1", "slug": "pgy1", "status": "ended", "by": "U0A", "partner": "U0B"}
    shown = render("partnership_report", args | {"reason": reason}).block_dicts()[1]["text"]

    assert isinstance(shown, dict)
    # Before: "&gt;We never found a time." and the second line unquoted, like the app's own words.
    assert shown["text"] == (
        "*Their reason:*\n>We never found a time.\n>*Facilitator note:* re-match both &lt;@U0X&gt;"
    )
