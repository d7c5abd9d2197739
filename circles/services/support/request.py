"""A member asks their cohort's facilitators for support: a private message to each facilitator, at once.

When none of them may hear it (the cohort has none yet, each is, or was, paired with the member, or each has
left Slack or is away now: `reachable_facilitators`), it goes to the admins instead (CIRCLES_ADMINS), never
to anyone paired with the member: nobody is left unheard. A request about a partnership is kept, as its
alerts are, from everyone ever paired with either partner. Who that is, is decided in `hearing`, which the
form and the answer to a typed message ask too, so that what a person is told before writing holds.
"""

from __future__ import annotations

from datetime import datetime

from circles.domain.cohort_rules import typed_slug
from circles.errors import (
    InvalidSupportMessage,
    NobodyMayHear,
    NoFacilitators,
    NotAMember,
    SupportNeedsACohort,
    SupportWhichCohort,
)
from circles.messages import SupportRequest
from circles.persistence.db import Session, UnitOfWork
from circles.persistence.models import Cohort, Member
from circles.queries.members import current_memberships
from circles.services.escalations.sending import Admins
from circles.services.intake.workspaces import find_workspace
from circles.services.outbox.enqueue import Outgoing, enqueue_many
from circles.services.support.hearing import Hearers
from circles.services.support.hearing import SupportSent as SupportSent  # where callers find it

# As much as Slack lets anyone type in one message: the facilitators get all of it, over several sections.
SUPPORT_MESSAGE_MAX = 4000


def refuse_unheard(sent: SupportSent) -> None:
    """Refuse (so nothing is recorded) a request that nobody could be told of."""
    if not sent.told:
        raise NobodyMayHear(sent.cohort_name) if sent.facilitated else NoFacilitators(sent.cohort_name)


def request_support(
    uow: UnitOfWork,
    team_id: str,
    user_id: str,
    message: str | None,
    now: datetime,
    cohort: str | None = None,
    *,
    request_key: str,
    admins: Admins = (),
) -> SupportSent:
    """Tell the facilitators of the person's cohort (the one named; with several, the message's first word).

    `request_key` names the request (Slack's trigger_id): the same request taken in twice sends nothing more.
    """
    with uow:
        session = uow.session
        rows = memberships_of(session, team_id, user_id)
        member, chosen, text = _pick(rows, cohort, message)
        if text is not None and len(text) > SUPPORT_MESSAGE_MAX:
            raise InvalidSupportMessage(SUPPORT_MESSAGE_MAX)
        # Each request is its own message; the same request taken in again is not new.
        key = f"support:{member.id}:{request_key}"
        sent = notify_facilitators(session, chosen, member, text, now, key=key, admins=admins)
        refuse_unheard(sent)
        uow.commit()
        return sent


def notify_facilitators(
    session: Session,
    cohort: Cohort,
    member: Member,
    message: str | None,
    now: datetime,
    *,
    key: str,
    partner_user_id: str | None = None,
    admins: Admins = (),
) -> SupportSent:
    """Record one direct message per facilitator of the cohort (or admin), in the caller's transaction.

    Only they receive anything: the member asked them, and the message is for them alone.
    `partner_user_id` is set when the request comes from a check-in about that partnership.
    """
    # A facilitator asking for support needs someone else; one who is, or was, paired with the member, in
    # this cohort or another, never learns that they asked (even as an admin): the request may be about
    # that very partnership. One about a partnership is kept from everyone ever paired with either partner.
    # Nor does one who left Slack or is away now have it: it would wait unread while the member is told
    # when to expect a reply.
    hearers = Hearers.of(session, cohort.workspace_id, member.slack_user_id, admins, partner_user_id)
    [sent] = hearers.in_cohorts(session, [cohort], now)
    request = SupportRequest(cohort.name, member.slack_user_id, message, partner_user_id)
    outgoing = [Outgoing(f"{key}:{user}", user, request) for user in sent.told]
    enqueue_many(session, cohort.workspace_id, outgoing, due_at=now, now=now)
    return sent


def memberships_of(session: Session, team_id: str, user_id: str) -> list[tuple[Member, Cohort]]:
    """The person's current memberships, by cohort name; refused when they have none to ask about."""
    workspace = find_workspace(session, team_id)
    found = current_memberships(session, workspace.id, user_id) if workspace else []
    if not found:
        raise SupportNeedsACohort()
    return found


def _pick(
    rows: list[tuple[Member, Cohort]], named: str | None, message: str | None
) -> tuple[Member, Cohort, str | None]:
    """The cohort meant, and the message without the cohort's name when it was given as the first word.

    Only someone in several cohorts starts with one's name: in one, every word is the message, even a
    first word that happens to be the cohort's name ("nights are hard" in `nights`), unless the name is
    all they typed."""
    by_slug = {cohort.slug: (member, cohort) for member, cohort in rows}
    text = (message or "").strip()
    if named is not None:
        if typed_slug(named) not in by_slug:
            raise NotAMember(named)
        return *by_slug[typed_slug(named)], text or None
    if len(rows) == 1:
        return *rows[0], (None if typed_slug(text) in by_slug else text or None)
    words = text.split(maxsplit=1)
    if words and typed_slug(words[0]) in by_slug:
        return *by_slug[typed_slug(words[0])], (words[1] if len(words) > 1 else None)
    raise SupportWhichCohort(sorted(by_slug))
