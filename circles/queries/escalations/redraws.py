"""The outbox keys of an alert's messages, by family, and the redraws of its copies that an action on it
makes out of date.

Every copy of an alert is posted under `escalation:<id>:<person>:<occasion>` (`COPY`); each occasion that
redraws copies in place (`chat.update`) keys its rows under its own family, `<family>:<id>:…`, once per copy
and occasion. A redraw waits in the outbox for its turn, and draws the alert as it stood when queued: once
the alert changes (claimed, snoozed, paused, resolved, open again), one still waiting would put the old
state back over the new one (an alert resolved by a press, drawn open again with its buttons by a redraw
the tick queued a moment before). Each change supersedes them here, set-based; the change draws every copy
as it now stands itself. A withdrawn copy's redraw shows nothing of the alert's state, so it stays.
"""

from __future__ import annotations

from collections.abc import Collection

from sqlalchemy.orm import Session

from circles.queries.outbox.copies import waiting_under
from circles.queries.outbox.deferral import supersede

COPY = "escalation"  # a copy posted to its person: `escalation:<id>:<person>:<occasion>`
REOPENED = "escalation-away"  # open again, its claim released: `…:<id>:<channel>:<ts>:<sendings>`
ENDED = "escalation-ended"  # resolved as ended by the app: `…:<id>:<channel>:<ts>`
LANDED = "escalation-landed"  # a copy that reached Slack once resolved, redrawn so: `…:<id>:<channel>:<ts>`
RESTORED = "escalation-restored"  # drawn in full again for one put back: `…:<id>:<reader>:<channel>:<ts>:<n>`
WITHDRAWN = "escalation-withdrawn"  # with nothing of the pair: `…:<id>:<channel>:<ts>[:<restored>]`

# The redraws that draw the alert as it stood: out of date once it changes.
AS_IT_STOOD = (REOPENED, ENDED, LANDED, RESTORED)

Alert = tuple[int, int]  # (workspace id, escalation id)


def alert_key(family: str, escalation_id: int, *parts: object) -> str:
    """The key of one of an alert's messages: its family, the alert, then what makes it one of a kind."""
    return ":".join([family, str(escalation_id), *map(str, parts)])


def under(family: str, escalation_id: int) -> str:
    """What the keys of one family of an alert's messages start with."""
    return f"{family}:{escalation_id}:"


def supersede_redraws(
    session: Session, alerts: Collection[Alert], *, copies: bool = False, redraws: bool = True
) -> None:
    """Supersede every redraw of these alerts' copies still waiting to go, of each family in `AS_IT_STOOD`
    (unless not `redraws`: a change whose own redraws are queued behind them, in each conversation's order),
    and with `copies` every copy still waiting to be posted too: in one statement per few hundred alerts,
    and one more when any was waiting. A row a sender is claiming at this moment is left to it."""
    families = (*(AS_IT_STOOD if redraws else ()), *((COPY,) if copies else ()))
    prefixes = {(workspace_id, under(family, alert)) for workspace_id, alert in alerts for family in families}
    if prefixes:
        supersede(session, waiting_under(session, prefixes))
