"""The unsent messages an erasure drops: those to the person as a member (check-ins, prompts, digests, their
notices and answers), and the posts quoting them (an alert about one of their pairs, a request for support
of theirs, the reason they gave for an ending). The notices to others naming them still go, naming nobody
(`erasure_names`).

Messages to them as a facilitator of a cohort they still run (archived, even), or as one of the workspace's
admins, still go: a member's request for support (that member was told it reached them), an alert's copy, an
ending's report, a workflow's note, a notice about a circle, a round's progress. They are the facilitators'
messages about others, not the person's own. They are told apart by kind (those only ever sent to
facilitators or admins), and their cohort by what each names: its slug or name in its arguments, or a circle
or a round in its key. One whose cohort cannot be told (sealed under a key this process lacks, say) goes with
the person's own."""

from __future__ import annotations

import re
from collections.abc import Collection, Sequence

from circles.messages import (
    EscalationCard,
    MalformedPayload,
    PartnershipReport,
    Payload,
    PlainNotice,
    SupportRequest,
    SupportUnshown,
    UnknownTemplate,
    WorkflowNote,
    parse,
)
from circles.persistence.db import Session
from circles.persistence.models import OutboxMessage
from circles.queries.outbox.deferral import supersede
from circles.queries.outbox.facilitated import Facilitated, facilitated_by
from circles.queries.outbox.rows import unsent_for_or_of
from circles.services.people.erasure_names import NAMING, unname
from circles.services.rounds.queue import ROUND

# The kinds of message that can quote a person to facilitators: their shared notes in an alert, their
# support request (or the notice that they asked, when it could not be shown), the reason they gave for
# ending a partnership.
QUOTING = frozenset(
    {EscalationCard.TEMPLATE, SupportRequest.TEMPLATE, SupportUnshown.TEMPLATE, PartnershipReport.TEMPLATE}
)
# The kinds only ever sent to a cohort's facilitators (or, when none of them may hear, to the admins).
FOR_FACILITATORS = QUOTING | {WorkflowNote.TEMPLATE, PlainNotice.TEMPLATE, ROUND}
# Those that name no cohort, but a circle (circle:<id>:…, a circle lost or short) or a round
# (round:<run>:progress) in their key.
KEYED = re.compile(r"(circle|round):(\d+):")
POST = "chat.postMessage"


def drop_unsent(session: Session, workspace_id: int, user_id: str, admins: Collection[str]) -> None:
    """Supersede, with their words dropped, the unsent messages to the person as a member and the new posts
    quoting them; the notices to others about a request of theirs, or a member's request for support about
    their partnership with them, still go, naming nobody.

    A redraw of an alert already in a facilitator's DM still goes: it takes the person's notes out of it
    (every alert about their pairs is resolved by then, and each copy sent redrawn as such).
    """
    rows = unsent_for_or_of(session, workspace_id, user_id, QUOTING | NAMING.keys())
    kept = _as_facilitator(session, workspace_id, user_id, [r for r in rows if r.channel == user_id], admins)
    dropped = {
        row.id
        for row in rows
        if (row.channel == user_id and row.id not in kept) or (row.method == POST and _quotes(row, user_id))
    }
    supersede(session, dropped)
    unname([row for row in rows if row.id not in dropped], user_id)  # a row dropped keeps no words to redraw


def _as_facilitator(
    session: Session, workspace_id: int, user_id: str, rows: Sequence[OutboxMessage], admins: Collection[str]
) -> set[int]:
    """The ids of these rows to the person that reach them as a facilitator of the cohort each belongs to,
    or as an admin; in a fixed number of statements however many."""
    theirs = {row.id: row for row in rows if _template(row) in FOR_FACILITATORS}
    if not theirs or user_id in admins:
        return set(theirs)
    keyed = {row_id: (found[1], found[2]) for row_id, row in theirs.items() if (found := _keyed(row))}
    circles = {int(number) for kind, number in keyed.values() if kind == "circle"}
    runs = {int(number) for kind, number in keyed.values() if kind == "round"}
    facilitated = facilitated_by(session, workspace_id, user_id, circles, runs)
    return {row_id for row_id, row in theirs.items() if _in(facilitated, row, keyed.get(row_id))}


def _in(facilitated: Facilitated, row: OutboxMessage, key: tuple[str, str] | None) -> bool:
    """Whether the row belongs to a cohort the person facilitates."""
    if key is not None:
        kind, number = key
        return int(number) in (facilitated.circles if kind == "circle" else facilitated.runs)
    payload = _payload(row)
    if isinstance(payload, EscalationCard | PartnershipReport):
        return payload.slug in facilitated.slugs
    # Cohorts' names may repeat in a workspace: one of the same name as one they run counts as theirs.
    if isinstance(payload, SupportRequest | SupportUnshown | WorkflowNote):
        return payload.cohort_name in facilitated.names
    return False


def _keyed(row: OutboxMessage) -> re.Match[str] | None:
    if _template(row) not in (PlainNotice.TEMPLATE, ROUND):
        return None
    return KEYED.match(row.idempotency_key)


def _template(row: OutboxMessage) -> str | None:
    stored = row.payload
    return str(stored.get("template")) if isinstance(stored, dict) else None


def _payload(row: OutboxMessage) -> Payload | None:
    stored = row.payload
    if not isinstance(stored, dict):
        return None
    try:
        return parse(str(stored.get("template")), stored.get("args"))
    except (MalformedPayload, UnknownTemplate):  # e.g. sealed under a key this process lacks: read as nothing
        return None


def _quotes(row: OutboxMessage, user_id: str) -> bool:
    """Whether a stored alert, support request or ending's report is about or by this person."""
    payload = _payload(row)
    if isinstance(payload, EscalationCard):
        return user_id in (payload.first, payload.second)
    if isinstance(payload, SupportRequest | SupportUnshown):
        return payload.member_user_id == user_id
    if isinstance(payload, PartnershipReport):
        return payload.by == user_id
    return False
