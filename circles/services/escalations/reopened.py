"""The copies of alerts open again (their claim released) redrawn in place as each now stands, through the
outbox in the caller's transaction: a redraw still waiting from before draws what is no longer so, and
never goes."""

from __future__ import annotations

import logging
from collections.abc import Sequence
from datetime import datetime

from circles.domain.escalations import APP_ACTOR
from circles.messages import stored
from circles.persistence.db import Session
from circles.persistence.models import Escalation
from circles.queries.escalations.redraws import REOPENED, alert_key, supersede_redraws
from circles.queries.outbox.rows import NewMessage, add_new
from circles.services.escalations.notes import Decrypt
from circles.services.escalations.sending import ODD_ROW
from circles.services.escalations.view import EscalationView, MessageCopy, current_views

logger = logging.getLogger(__name__)


def redraw_reopened(
    session: Session, escalations: Sequence[Escalation], now: datetime, decrypt: Decrypt | None
) -> None:
    """The `chat.update` of each copy of these alerts, but a former facilitator's (withdrawn: it keeps
    nothing of the pair), keyed once per copy and sending: two passes record it once."""
    if not escalations:
        return
    supersede_redraws(session, {(escalation.workspace_id, escalation.id) for escalation in escalations})
    try:
        views = current_views(session, escalations, decrypt, APP_ACTOR)
    except ODD_ROW:  # one odd row among them: the others, one by one
        views = [view for e in escalations for view in _views(session, [e], decrypt)]
    by_id = {escalation.id: escalation for escalation in escalations}
    redraws: list[NewMessage] = []
    for view in views:
        escalation = by_id[view.escalation_id]
        try:
            redraws += [_redrawn(escalation, view, copy, now) for copy in view.copies if not copy.withdrawn]
        except ODD_ROW as error:  # open again, on the board; its copies are redrawn at the next press
            logger.warning("escalation %s open again, not redrawn: %s", escalation.id, type(error).__name__)
    add_new(session, redraws, now)


def _views(
    session: Session, escalations: Sequence[Escalation], decrypt: Decrypt | None
) -> list[EscalationView]:
    try:
        return current_views(session, escalations, decrypt, APP_ACTOR)
    except ODD_ROW as error:
        logger.warning("escalation %s open again, not redrawn: %s", escalations[0].id, type(error).__name__)
        return []


def _redrawn(escalation: Escalation, view: EscalationView, copy: MessageCopy, now: datetime) -> NewMessage:
    row = stored(view.card_for(copy))
    row["args"]["ts"] = copy.ts  # the message chat.update replaces
    key = alert_key(REOPENED, escalation.id, copy.channel, copy.ts, escalation.sendings)
    return NewMessage(escalation.workspace_id, key, "chat.update", copy.channel, row, now)
