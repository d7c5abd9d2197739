"""The support form, sent: in the ack itself, so a refusal shows on the form; facilitators hear at once."""

from __future__ import annotations

from typing import Any

from slack_bolt import Ack, BoltContext, BoltRequest
from sqlalchemy.exc import SQLAlchemyError

from bot import ids
from bot.deps import Deps
from bot.edge.tenant import tenant_of
from bot.errors import explained
from bot.listeners.actions.support import parse_support_value
from bot.listeners.incoming import Incoming, parse_id, request_key
from bot.views.errors import friendly_plain_text
from bot.views.support_form import error_block, sent_modal, submitted_support
from circles.domain.cohort_rules import slug_problem
from circles.errors import CirclesError
from circles.services.support.form import SupportAbout, send_support

FORM_OUT_OF_DATE = "This form is out of date. Close it and type /circles support to open it afresh."
# The request could not be saved, so nothing was sent: the form stays open with what was typed.
NOT_SENT = (
    "Your message could not be sent just now. Please try again in a moment: what you wrote is still here."
)


def send_form(ack: Ack, body: dict[str, Any], context: BoltContext, request: BoltRequest, deps: Deps) -> None:
    """The ack itself, after one short transaction: a refusal shows on the form, success replaces it."""
    view = body.get("view") or {}
    values = (view.get("state") or {}).get("values") or {}
    cohort, partnership, message = submitted_support(values)
    about = _chosen(parse_support_value(view.get("private_metadata", "")), cohort, partnership)
    if about is None:
        ack(response_action="errors", errors={ids.SUPPORT_MESSAGE: FORM_OUT_OF_DATE})
        return
    user_id = str((body.get("user") or {}).get("id", ""))
    tenant = tenant_of(body, context.team_id).key
    try:
        sent = send_support(
            deps.db.unit_of_work(),
            tenant,
            user_id,
            about,
            message,
            deps.clock(),
            request_key=request_key(body, request),
            admins=deps.circles_admins(tenant),  # when no facilitator may hear it
        )
    except CirclesError as refused:
        ack(response_action="errors", errors={error_block(refused, values): friendly_plain_text(refused)})
        return
    except SQLAlchemyError as failed:  # rolled back whole: said on the form, not closed as though sent
        explained(failed, body)  # logged as any failure of a request is, without the message
        ack(response_action="errors", errors={ids.SUPPORT_MESSAGE: NOT_SENT})
        return
    ack(response_action="update", view=sent_modal(sent))


def wake_sender(incoming: Incoming) -> None:
    """Nothing left to do after the ack: after_ack wakes the sender, so the facilitators hear at once."""


def _chosen(opened: SupportAbout | None, cohort: str | None, partnership: str | None) -> SupportAbout | None:
    """What the form was opened for, with what the person chose on it; None when a value is not ours."""
    if opened is None or (cohort is not None and slug_problem(cohort) is not None):
        return None
    partnership_id = parse_id(partnership) if partnership is not None else None
    if partnership is not None and partnership_id is None:
        return None
    if opened.partnership_id is not None:
        return opened
    return SupportAbout(opened.cohort_slug or cohort, partnership_id)
