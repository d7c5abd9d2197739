"""A coach's or mentor's daily digest: what to act on in every cohort (ideas come as coach_idea)."""

from __future__ import annotations

from bot.messages import renders
from bot.views.digest import digest_message
from bot.views.message import Message
from circles.messages import CoachDigest


@renders(CoachDigest)
def coach_digest(digest: CoachDigest) -> Message:
    return digest_message(digest.sections, digest.member_id, digest.working_days)
