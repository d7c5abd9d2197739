"""The buttons on a facilitator's escalation alert: each action checked by the service, each copy redrawn."""

from __future__ import annotations

import logging

from slack_bolt import App
from slack_sdk.errors import SlackApiError

from bot import ids
from bot.deps import Deps
from bot.listeners.incoming import Incoming, ack_now, after_ack
from bot.views.errors import friendly_message
from bot.views.escalation import escalation_message
from bot.views.escalation_forms import (
    OUT_OF_DATE,
    RESOLVE_FAILED,
    claimed_text,
    ended_text,
    paused_text,
    replaced_preview,
    resolve_answer,
    resolve_modal,
    snoozed_text,
)
from bot.views.matching import preview_message
from circles.domain.escalations import parse_outcome, parse_snooze_days
from circles.errors import CirclesError
from circles.services.escalations_actions import (
    EscalationView,
    MessageCopy,
    check_access,
    claim_escalation,
    resolve_escalation,
    snooze_escalation,
)
from circles.services.escalations_notes import Decrypt
from circles.services.escalations_partnership import end_from_escalation, pause_from_escalation
from circles.services.rematch import preview_rematch

logger = logging.getLogger(__name__)
ID_DIGITS = 12  # more digits than any real id: anything longer is not ours


def register(app: App, deps: Deps) -> None:
    app.action(ids.ESCALATION_CLAIM)(ack=ack_now, lazy=[after_ack(claim_clicked, deps)])
    app.action(ids.ESCALATION_SNOOZE)(ack=ack_now, lazy=[after_ack(snooze_chosen, deps)])
    app.action(ids.ESCALATION_RESOLVE_OPEN)(ack=ack_now, lazy=[after_ack(open_resolve_form, deps)])
    app.view(ids.ESCALATION_RESOLVE_VIEW)(ack=ack_now, lazy=[after_ack(resolve_submitted, deps)])
    app.action(ids.ESCALATION_PAUSE)(ack=ack_now, lazy=[after_ack(pause_clicked, deps)])
    app.action(ids.ESCALATION_END)(ack=ack_now, lazy=[after_ack(end_clicked, deps)])
    app.action(ids.ESCALATION_REMATCH)(ack=ack_now, lazy=[after_ack(rematch_clicked, deps)])


def note_decrypt(deps: Deps) -> Decrypt | None:
    """How redrawn alerts open the notes partners shared; None (no notes shown) until a notes key is wired."""
    return None


def parse_id(text: str) -> int | None:
    # isdigit() alone takes "²" and other digits int() refuses or reads unexpectedly.
    return int(text) if text.isascii() and text.isdigit() and len(text) <= ID_DIGITS else None


def _clicked_id(incoming: Incoming) -> int | None:
    return parse_id(str(incoming.body["actions"][0].get("value", "")))


def _say(incoming: Incoming, text: str) -> None:
    incoming.respond(text=text, response_type="ephemeral", replace_original=False)


def claim_clicked(incoming: Incoming) -> None:
    escalation_id, deps = _clicked_id(incoming), incoming.deps
    if escalation_id is None:
        _say(incoming, OUT_OF_DATE)
        return
    view = claim_escalation(
        deps.db.unit_of_work(),
        incoming.team_id,
        incoming.user_id,
        escalation_id,
        is_admin=incoming.is_admin(),
        now=deps.clock(),
        decrypt=note_decrypt(deps),
    )
    redraw(incoming, view)
    _say(incoming, claimed_text(str(view.card["first"]), str(view.card["second"])))


def snooze_chosen(incoming: Incoming) -> None:
    chosen = incoming.body["actions"][0].get("selected_option") or {}
    number, _, days_text = str(chosen.get("value", "")).partition(":")
    escalation_id, days, deps = parse_id(number), parse_snooze_days(days_text), incoming.deps
    if escalation_id is None or days is None:
        _say(incoming, OUT_OF_DATE)
        return
    view = snooze_escalation(
        deps.db.unit_of_work(),
        incoming.team_id,
        incoming.user_id,
        escalation_id,
        days,
        is_admin=incoming.is_admin(),
        now=deps.clock(),
        decrypt=note_decrypt(deps),
    )
    redraw(incoming, view)
    _say(incoming, snoozed_text(days))


def open_resolve_form(incoming: Incoming) -> None:
    escalation_id, deps = _clicked_id(incoming), incoming.deps
    if escalation_id is None:
        _say(incoming, OUT_OF_DATE)
        return
    uow, admin = deps.db.unit_of_work(), incoming.is_admin()
    check_access(uow, incoming.team_id, incoming.user_id, escalation_id, is_admin=admin)
    incoming.client.views_open(trigger_id=incoming.body["trigger_id"], view=resolve_modal(escalation_id))


def resolve_submitted(incoming: Incoming) -> None:
    """After the form closes: resolve, redraw every copy; a refusal reaches the person in their DM."""
    view_state, deps = incoming.body["view"], incoming.deps
    escalation_id = parse_id(str(view_state.get("private_metadata", "")))
    outcome_text, comment = resolve_answer(view_state.get("state", {}).get("values", {}))
    outcome = parse_outcome(outcome_text)
    if escalation_id is None or outcome is None:
        incoming.client.chat_postMessage(channel=incoming.user_id, text=OUT_OF_DATE)
        return
    try:
        view = resolve_escalation(
            deps.db.unit_of_work(),
            incoming.team_id,
            incoming.user_id,
            escalation_id,
            outcome,
            comment,
            is_admin=incoming.is_admin(),
            now=deps.clock(),
            decrypt=note_decrypt(deps),
        )
    except CirclesError as refused:
        incoming.client.chat_postMessage(
            channel=incoming.user_id, text=RESOLVE_FAILED + friendly_message(refused)
        )
        return
    redraw(incoming, view)


def pause_clicked(incoming: Incoming) -> None:
    escalation_id, deps = _clicked_id(incoming), incoming.deps
    if escalation_id is None:
        _say(incoming, OUT_OF_DATE)
        return
    view = pause_from_escalation(
        deps.db.unit_of_work(),
        incoming.team_id,
        incoming.user_id,
        escalation_id,
        is_admin=incoming.is_admin(),
        now=deps.clock(),
        decrypt=note_decrypt(deps),
    )
    redraw(incoming, view)
    _say(incoming, paused_text(str(view.card["first"]), str(view.card["second"])))


def end_clicked(incoming: Incoming) -> None:
    _end(incoming, rematch=False)


def rematch_clicked(incoming: Incoming) -> None:
    _end(incoming, rematch=True)


def _end(incoming: Incoming, *, rematch: bool) -> None:
    escalation_id, deps = _clicked_id(incoming), incoming.deps
    if escalation_id is None:
        _say(incoming, OUT_OF_DATE)
        return
    admin = incoming.is_admin()
    ended = end_from_escalation(
        deps.db.unit_of_work(),
        incoming.team_id,
        incoming.user_id,
        escalation_id,
        rematch=rematch,
        is_admin=admin,
        now=deps.clock(),
        decrypt=note_decrypt(deps),
    )
    redraw(incoming, ended.view)
    _say(incoming, ended_text(*ended.partners))
    if not rematch:
        return
    for position, partner in enumerate(ended.partners):
        try:
            plan = preview_rematch(
                deps.db.unit_of_work(),
                incoming.team_id,
                ended.slug,
                partner,
                user_id=incoming.user_id,
                is_admin=admin,
                now=deps.clock(),
            )
        except CirclesError as cannot:
            _say(incoming, friendly_message(cannot))
            continue
        message = preview_message(plan)
        if position == 0 and plan.run_id:  # the second partner's preview replaces this one
            message = replaced_preview(message, ended.slug, partner, position)
        incoming.respond(
            text=message.text, blocks=message.block_dicts(), response_type="ephemeral", replace_original=False
        )


def redraw(incoming: Incoming, view: EscalationView) -> None:
    """Update every DM the alert went out as (and the one clicked): everyone sees where it stands."""
    copies = list(view.copies)
    container = incoming.body.get("container") or {}
    clicked = (str(container.get("channel_id") or ""), str(container.get("message_ts") or ""))
    if all(clicked) and clicked not in {(c.channel, c.ts) for c in copies}:
        copies.append(MessageCopy(*clicked, for_admins=not view.actor_facilitates))
    for copy in copies:
        message = escalation_message(view.card_for(copy))
        try:
            incoming.client.chat_update(
                channel=copy.channel, ts=copy.ts, text=message.text, blocks=message.block_dicts()
            )
        except SlackApiError as failed:  # one deleted copy must not keep the others stale
            logger.warning("could not redraw a copy of an escalation: %s", failed.response.get("error"))
