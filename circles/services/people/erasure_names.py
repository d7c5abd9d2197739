"""Messages to someone else that name a person being erased. One still to be sent is kept, since the other
person still needs it (a learner, that their request closed; a coach, that their copy of a request has
nothing left to press; a facilitator, their copy of an alert redrawn as resolved, or a member's request for
support about their partnership with the person), and names nobody instead.
One done with (sent, or never to be) that names them stays in the delivery record, naming nobody too: a
partner's check-in, a coach's digest, those notices of a request.

A stored row is sent as it was recorded (`bot/messages` renders its payload at send time), so a redraw queued
before the erasure (at a leave, say) would name the person unless it is changed here."""

from __future__ import annotations

from collections.abc import Collection, Iterable
from typing import Any

from circles.domain.digests import DIGEST_KEYS
from circles.messages import (
    UNNAMED,
    CheckinQuestion,
    CoachDigest,
    EscalationCard,
    RequestClosedNotice,
    RequestCopyClosed,
    SupportRequest,
    SupportUnshown,
)
from circles.persistence.db import Session
from circles.persistence.models import OutboxMessage
from circles.queries.outbox.naming import done_keyed
from circles.queries.ties import ties_of

# The kinds of message to another person still to be sent that name someone by their Slack ID, and the
# argument that does: a member's request for support (or the notice that they asked) names the partner of
# the partnership it is about.
NAMING = {
    RequestClosedNotice.TEMPLATE: "guide_user_id",
    RequestCopyClosed.TEMPLATE: "learner_user_id",
    SupportRequest.TEMPLATE: "partner_user_id",
    SupportUnshown.TEMPLATE: "partner_user_id",
}
# Those of a message done with: a partner's check-in names them too (a support request done with keeps no
# arguments: it is private, scrubbed once sent or given up).
NAMED_IN = {**NAMING, CheckinQuestion.TEMPLATE: "partner_user_id"}
ALERT_PARTNERS = ("first", "second")  # an alert's pair, by Slack ID
REQUEST_KEYS = "request:{}:"  # a request's notices: request:{request}:closed, request:{request}:copy-closed


def unname_done(session: Session, workspace_id: int, member_ids: Collection[int], user_id: str) -> None:
    """Name nobody in place of the person in the messages done with to others that named them, found by
    their keys, never by a walk of the workspace's outbox: each partner's check-ins (checkin:{pair}:…),
    each partner's digests (digest:{partner}:…), and the notices of each request they asked or were asked.
    A message sent to the person themselves (their own check-ins and digests name others) stays."""
    ties = ties_of(session, member_ids)
    prefixes = [
        *(f"{CheckinQuestion.TEMPLATE}:{pair}:" for pair in ties.pairs),
        *(f"{DIGEST_KEYS}{partner}:" for partner in ties.partners),
        *(REQUEST_KEYS.format(request) for request in ties.requests),
    ]
    unname(done_keyed(session, workspace_id, prefixes, not_to=user_id), user_id)


def unname(rows: Iterable[OutboxMessage], user_id: str) -> None:
    """Name nobody in place of the person in these rows (locked by the caller) that name them."""
    for row in rows:
        stored = row.payload
        if not isinstance(stored, dict) or row.channel == user_id:
            continue  # their own messages are dropped, not redrawn
        template, args = str(stored.get("template")), stored.get("args")
        if not isinstance(args, dict):
            continue
        unnamed = _unnamed(template, args, user_id)
        if unnamed is not None:
            row.payload = {**stored, "args": unnamed}


def _unnamed(template: str, args: dict[str, Any], user_id: str) -> dict[str, Any] | None:
    """The arguments with the person named nowhere; None when they name them nowhere."""
    if template == EscalationCard.TEMPLATE:
        return _unnamed_alert(args, user_id)
    if template == CoachDigest.TEMPLATE:
        return _unnamed_digest(args, user_id)
    field = NAMED_IN.get(template)
    return {**args, field: UNNAMED} if field is not None and args.get(field) == user_id else None


def _unnamed_alert(args: dict[str, Any], user_id: str) -> dict[str, Any] | None:
    """An alert's arguments with the person as one of its pair unnamed and their notes (their words) left
    out; None when it names them nowhere."""
    unnamed: dict[str, Any] = {field: UNNAMED for field in ALERT_PARTNERS if args.get(field) == user_id}
    notes = args.get("notes")
    if isinstance(notes, list):
        kept = [note for note in notes if not (isinstance(note, dict) and note.get("author") == user_id)]
        if len(kept) < len(notes):
            unnamed["notes"] = kept
    return {**args, **unnamed} if unnamed else None


def _unnamed_digest(args: dict[str, Any], user_id: str) -> dict[str, Any] | None:
    """A digest's arguments with the person unnamed as the partner of each nudge, in each cohort's section
    (or in the one cohort of a digest recorded before sections); None when it names them nowhere."""
    sections = args.get("sections")
    unnamed = (
        {**args, "sections": [_unnamed_nudges(s, user_id) for s in sections]}
        if isinstance(sections, list)
        else _unnamed_nudges(args, user_id)
    )
    return unnamed if unnamed != args else None


def _unnamed_nudges(section: Any, user_id: str) -> Any:
    nudges = section.get("nudges") if isinstance(section, dict) else None
    if not isinstance(nudges, list):
        return section
    named = [isinstance(n, dict) and n.get("partner") == user_id for n in nudges]
    kept = [{**n, "partner": UNNAMED} if name else n for n, name in zip(nudges, named, strict=True)]
    return {**section, "nudges": kept} if any(named) else section
