"""Outbox rows as earlier versions of the app recorded them, copied from what their producers wrote."""

from __future__ import annotations

from typing import Any

from circles.domain.care import DEFAULT_WELLBEING_RESOURCES

PROMPT = {
    "prompt_id": "trust-first-days",
    "theme": "Building trust",
    "text": "Who made it easier to ask a question?",
    "follow_up": "What could you do for someone newer?",
    "cohort_name": "PGY-1 spring",
    "week": 1,
}
CARD = {
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
    "notes": [{"author": "U0LEARN", "at": "2026-10-19T12:00:00+00:00", "text": "We keep missing\n<@U0X>"}],
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
RESOLVED_CARD = CARD | {
    "status": "resolved",
    "notes": [],
    "claimed_by": "U0FAC2",
    "claimed_at": "2026-11-03T10:00:00+00:00",
    "snoozed_until": "2026-11-04T10:00:00+00:00",
    "snoozed_by": "U0FAC1",
    "resolved_at": "2026-11-05T10:00:00+00:00",
    "resolved_by": "U0FAC1",
    "outcome": "reconnected",
    "comment": "They found a <new> time",
}
DIGEST = {
    "member_id": 7,
    "working_days": "25",
    "sections": [
        {
            "cohort_name": "PGY-1",
            "nudges": [
                {"kind": "no_meeting", "partner": "U0L", "count": 30},
                {"kind": "checkin_waiting", "partner": "U0L", "count": 2},
                {"kind": "request_waiting", "partner": None, "count": 1},
            ],
        }
    ],
}

# Each in the shape today's producers write: read back, it is written again exactly so.
CURRENT: list[tuple[str, dict[str, Any]]] = [
    ("plain", {"text": "Your partnership is paused."}),
    (
        "circle_alone",
        {"circle_name": "circle-pgy1-2", "cohort_name": "PGY-1 <nights>", "made": True, "facilitated": True},
    ),
    (
        "circle_alone",
        {"circle_name": "c", "cohort_name": "PGY-1", "made": False, "facilitated": True, "refused": True},
    ),
    ("partnership_changed", {"cohort_name": "PGY-1 spring", "status": "ended"}),
    ("partnership_changed", {"cohort_name": "PGY-1 spring", "status": "paused", "others_running": 3}),
    (
        "partnership_report",
        {
            "cohort_name": "PGY-1 spring",
            "slug": "pgy1-spring",
            "status": "ended",
            "by": "U0LEE",
            "partner": "U0ADA",
            "reason": "Our rotas never overlap",
        },
    ),
    (
        "support_request",
        {
            "cohort_name": "PGY-1 spring",
            "member_user_id": "U0LEE",
            "message": "Could we talk about my rota and my coach?",
            "partner_user_id": None,
        },
    ),
    ("support_rerouted", {"cohort_name": "PGY-1 spring", "to": "admins", "holders": [{"user_id": "U0ADM"}]}),
    ("support_rerouted", {"cohort_name": "PGY-1 spring", "to": "nobody", "holders": []}),
    (
        "direct_answer",
        {
            "cohorts": [
                {
                    "slug": "pgy1-spring",
                    "name": "PGY-1 spring",
                    "resources": "Call the wellbeing team on extension 4000.",
                    "unheard": False,
                }
            ],
            "resources": DEFAULT_WELLBEING_RESOURCES,
            "runs": [],
            "more_runs": 0,
        },
    ),
    (
        "direct_answer",
        {
            "cohorts": [],
            "resources": DEFAULT_WELLBEING_RESOURCES,
            "runs": [{"slug": "pgy1-spring", "name": "PGY-1 spring"}],
            "more_runs": 2,
        },
    ),
    ("circle_prompt", PROMPT),
    ("pair_prompt", PROMPT | {"follow_up": None}),
    ("coach_idea", PROMPT | {"cohort_name": "Nights & weekends", "week": 5}),
    ("checkin", {"checkin_id": 42, "cohort_name": "PGY-1 <spring>", "partner_user_id": "U0ADA"}),
    ("coach_digest", DIGEST),
    ("escalation", CARD),
    ("escalation", RESOLVED_CARD),
    ("escalation", CARD | {"for_admins": True, "occasion": "admins1", "notes": [], "state": ""}),
]

# Shapes no producer writes any more, or rows with fewer arguments: they still render.
OLDER: list[tuple[str, dict[str, Any]]] = [
    (  # a digest from before digests covered every cohort
        "coach_digest",
        {
            "member_id": 3,
            "cohort_name": "PGY-1",
            "track": "default",
            "week": 4,
            "nudges": [{"kind": "no_meeting", "partner": "U0L", "count": 30}],
        },
    ),
    ("support_request", {"cohort_name": "PGY-1 spring", "member_user_id": "U0LEE", "message": "I <3 R&D"}),
    (
        "partnership_report",
        {"cohort_name": "c", "slug": "s", "status": "paused", "by": "U1", "partner": "U2"},
    ),
    ("escalation", {"escalation_id": 1, "cohort_name": "PGY-1", "first": "U1", "second": "U2"}),
    ("escalation", CARD | {"trend": [["2026-10-19T09:00:00+00:00", "steady"]]}),
    ("plain", {"text": "Week 3 prompt (moved)", "ts": "1700000000.000100"}),  # an edit names its message
]
