"""A coach's or mentor's daily digest: what to act on in every cohort (ideas come as coach_idea)."""

from __future__ import annotations

from typing import Any

from bot.messages import template
from bot.views.digest import digest_message, nudges_from
from bot.views.message import Message
from circles.domain.digests import working_days


@template("coach_digest")
def coach_digest(args: dict[str, Any]) -> Message:
    """Args: member_id (int), working_days (str of weekday digits), sections (cohort_name, nudges)."""
    days = working_days(args.get("working_days"))
    return digest_message(nudges_from(args), int(args["member_id"]), days)
