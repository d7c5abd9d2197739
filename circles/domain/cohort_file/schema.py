"""What a cohort file may hold: its limits, its keys, and where each setting is written in it."""

from __future__ import annotations

import re

from circles.domain.cohort_settings import PHASES, HealthThresholds

# What one file may hold: generous for a real programme (matching is held to 10,000 members; a member
# takes 150 to 250 bytes), and bounded, since each person named is one call to Slack.
MAX_BYTES = 5 * 1024 * 1024  # as a rotations file; the caller reads no more than this, before parsing
MAX_MEMBERS = 10_000  # and so entries in any one list
MAX_FACILITATORS = 100
MAX_DEPTH = 20  # a cohort file needs four levels; composing recurses, so [[[[…]]]] must stop early
# Each value read (a key, a setting, a phrase, a list) costs a few hundred bytes held while the file is
# checked. A member giving every field and a dozen phrases in each list takes 50; most take 5.
MAX_VALUES = 50 * MAX_MEMBERS
MAX_KEYS = 100  # in one `key: value` block: `cohort:` has 17 keys, a member 12
LISTED_PROBLEMS = 50  # problems said one by one; the rest are counted: the first lines are the ones to fix
USER_ID = re.compile(r"^[UW][A-Z0-9]{2,31}$")
EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")
TIME = re.compile(r"^([01]?\d|2[0-3]):([0-5]\d)$")
WHOLE = re.compile(r"^[-+]?\d+$")
# Characters per profile field, as the profile form allows (lists count as their comma-separated text).
TEXT_LIMITS = {"aspirations": 500, "department": 120, "seniority": 64, "availability": 300, "offers": 500}
LIST_LIMITS = {"interests": 500, "skills": 500}
CAPACITY_LIMITS = (0, 20)
MEMBER_KEYS = ("user", "email", "role", "status", *TEXT_LIMITS, *LIST_LIMITS, "capacity")
# Where each setting (and health threshold) is written in the file, for messages and change summaries.
SETTING_KEYS = {
    "name": "name",
    "circle_min_size": "circle_size.min",
    "circle_max_size": "circle_size.max",
    "pairing_mode": "pairing",
    "meeting_place": "meet_in",
    "prompt_weekday": "prompts.weekday",
    "prompt_local_time": "prompts.time",
    "prompt_track": "prompts.track",
    "checkin_every_weeks": "checkin_every_weeks",
    "match_look_back_rounds": "matching.look_back_rounds",
    "timezone": "timezone",
    "starts_on": "starts_on",
    "ends_on": "ends_on",
    **{name: f"health.{name}" for name in HealthThresholds().to_json()},
    "free_text_hint": "free_text_hint",
    "wellbeing_resources": "wellbeing_resources",
    "research_statement": "research_statement",
    **{f"survey_{phase}": f"surveys.{phase}" for phase in PHASES},
}
# Empty or left out: the default wording.
WORDINGS = ("free_text_hint", "wellbeing_resources", "research_statement")
SUB_KEYS = {
    "circle_size": ("min", "max"),
    "prompts": ("weekday", "time", "track"),
    "matching": ("look_back_rounds",),
    "health": tuple(HealthThresholds().to_json()),
    "surveys": PHASES,
}
WHO = {
    "user": "a Slack user ID (like U012AB3CD)",
    "email": "an email address",
    "facilitators": "a Slack user ID (like U012AB3CD) or an email address",
}
KEPT_UNLESS_WRITTEN = {"surveys": "survey_plan", "research_statement": "research_statement"}
COHORT_KEYS = ("slug", "facilitators", *dict.fromkeys(path.split(".")[0] for path in SETTING_KEYS.values()))
NULL = "tag:yaml.org,2002:null"
