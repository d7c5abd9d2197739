"""Someone paired anew (a round, a re-match, a request accepted) with one of an alert's partners,
in any cohort of the workspace, is kept from that alert's pair from then on: the copies they hold of its
alerts, as a facilitator or an admin, claimed or not, resolved ones too, are redrawn withdrawn, with nothing
of the pair, by the watch that first looks at the new pair (it is due as it starts). A claim they held is
opened again by the follow-ups (`freed`), which find this redraw done."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from circles.persistence.db import Session
from circles.queries.escalations import alerts_beside_new_pairs
from circles.services.escalations.withdrawn import redraw_withdrawn


def withdraw_from_new_partners(session: Session, partnership_ids: Sequence[int], now: datetime) -> None:
    """Of these partnerships due for a look, the new ones: redraw as withdrawn every copy of an alert whose
    reader they put beside one of its partners. One statement per chunk when none has such an alert."""
    escalations = alerts_beside_new_pairs(session, partnership_ids)
    if escalations:
        redraw_withdrawn(session, escalations, now)
