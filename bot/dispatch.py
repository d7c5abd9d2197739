"""One dispatch pass: claim due outbox rows, send them within Slack's limits, record how each one ended.

Delivery guarantee. Nothing is lost: a row leaves the outbox only as `sent` (Slack answered ok, or the
message was found already posted) or `failed` (a permanent error, or too many attempts). A dispatcher
that dies leaves its rows claimed; once the claim expires the next pass takes them again.

Nothing is posted twice when Slack's history can answer. Every chat.postMessage carries its outbox key
in the message metadata, and a row an earlier attempt may have posted (its claim expired with its
dispatcher, or the attempt ended in a timeout, a dropped connection or a server error) is first looked
for in its conversation; after a call nobody answered, once it has had as long again as the client waits
to land (bot.gateway.settle), so that a post Slack was still taking is found. A dispatcher starts no
call with less than `claim_margin` left on its claim and every call times out within seconds, so by the
time a claim has expired its requests have long been answered or dropped. When the history cannot
answer (the app may not read the conversation: Circles' manifest asks for no *:history scope), such a
row is posted again: at least once. That concerns only rows whose earlier attempt's fate is unknown,
never a row Slack refused or one recorded as sent.

Nothing is posted that stopped being true while it waited its turn. A claim holds its rows for minutes
and the pace can keep a row waiting tens of seconds, so each wave of rows about to be sent is locked and
put through the claim's checks again first, in one transaction (circles.services.outbox.turns): a row
superseded meanwhile (a leave and an erasure, an ending, a resolve) or no longer true (a facilitator taken
off, a pair ended) is not posted. A change committed once a call is on its way is seen when it lands
(circles.services.outbox.landed): the row stays superseded, and an alert's copy out of date is redrawn.

A personal message that can wait (a check-in, a session idea, a digest) is sent in its person's window:
before claiming, the pass asks Slack whose Do Not Disturb is on (bot.gateway.dnd), and the claim holds back
what should not go now (circles.services.outbox.deferral).
"""

from __future__ import annotations

import logging
from dataclasses import replace
from datetime import datetime, timedelta

from bot.creation import RoundSteps
from bot.deps import Deps
from bot.gateway import Clients, Gateway
from bot.gateway.options import DispatchOptions
from bot.gateway.run import UNAVAILABLE, DispatchPass
from bot.gateway.summary import DispatchSummary
from bot.pacing import Pacer
from circles.persistence.retry import again_if_dropped, database_unavailable
from circles.services.people.admins import admins_by_workspace

__all__ = ["DispatchOptions", "DispatchSummary", "dispatch"]

logger = logging.getLogger(__name__)


def dispatch(
    deps: Deps,
    now: datetime,
    *,
    options: DispatchOptions | None = None,
    pacer: Pacer | None = None,
    gateway: Gateway | None = None,
    wall: datetime | None = None,
) -> DispatchSummary:
    """Claim and send due rows until none is left (or the deadline passes) and say what happened.

    `now` is the instant the pass starts at, which decides what is due; waiting (rate limits, Retry-After,
    back-off) follows the pacer's clock and sleep, so tests give a pacer with a fake clock. Keep one pacer
    across passes (the default is deps.pacer) so that back-to-back passes share Slack's limits. Claims are
    counted on the wall clock (`wall`, default deps.clock()), even in a pass run at another `now` by hand:
    a sender beside it compares them with its own clock.
    """
    options = options or DispatchOptions()
    if options.grace is None:  # a planned occurrence past it is recorded missed, never sent late
        options = replace(options, grace=timedelta(hours=deps.settings.circles_grace_hours))
    clients = Clients(deps.settings, deps.installation_store)
    gateway = gateway or Gateway(clients, RoundSteps(deps.db))
    dnd = clients if options.look_up_dnd else None
    entries = deps.settings.circles_admins
    try:  # each workspace's own: nobody named for one hears what another's people could not receive
        admins = again_if_dropped(lambda: admins_by_workspace(deps.db.reading(), entries))
    except Exception as error:
        if not database_unavailable(error):
            raise
        logger.warning(UNAVAILABLE)
        return DispatchSummary()
    pass_ = DispatchPass(
        deps.db,
        now,
        pacer or deps.pacer,
        options,
        gateway,
        dnd,
        halt=deps.stopping,
        admins=admins,
        wall=deps.clock() if wall is None else wall,
        woken=deps.waker.news,
    )
    return pass_.run()
