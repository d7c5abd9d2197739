"""Whether a member takes part at an instant: the one rule every question about it asks.

A pause given an end date ends by itself at that date: nothing has to run for it to end, so the stored
status stays `paused` until the member next pauses or resumes, and every reader asks `status_now`.
"""

from __future__ import annotations

from datetime import datetime

from circles.domain.vocabulary import MemberStatus


def status_now(status: MemberStatus, paused_until: datetime | None, now: datetime) -> MemberStatus:
    """The member's status as it stands at `now`: while they have not left, a pause's end date decides
    (paused before it, active again from it); without one, the stored status."""
    if status is MemberStatus.LEFT or paused_until is None:
        return status
    return MemberStatus.ACTIVE if paused_until <= now else MemberStatus.PAUSED


def taking_part(status: MemberStatus, paused_until: datetime | None, now: datetime) -> bool:
    """Active at `now` (a dated pause that ran out included): asked, prompted, paired and counted as such."""
    return status_now(status, paused_until, now) is MemberStatus.ACTIVE
