"""A partner's pause/resume/end buttons and form, and what partners and facilitators are told after."""

from __future__ import annotations

from typing import Any

from slack_sdk.models.blocks import (
    ActionsBlock,
    ButtonElement,
)
from slack_sdk.models.views import View

from bot import ids
from bot.views.care import note_for_facilitators
from bot.views.form_values import typed
from bot.views.forms import form_modal
from bot.views.message import Message, confirmed_button, context_line, text_section
from bot.views.text import mrkdwn, quote_sections
from circles.domain.care import DEFAULT_FREE_TEXT_HINT
from circles.domain.vocabulary import PartnershipStatus
from circles.messages import PartnershipChanged, PartnershipReport, ReroutedTo
from circles.services.partnerships.changes import REASON_LIMIT, PartnershipChange

SECTION = 3000  # characters in a section
REASON_HEADING = "*Their reason:*\n"


def partnership_buttons(partnership_id: int, status: PartnershipStatus) -> ActionsBlock:
    """Pause or resume, end, and ask for support: each about this one partnership of the person's own."""
    value = str(partnership_id)
    toggle = (
        ButtonElement(text="Resume partnership", action_id=ids.PARTNERSHIP_RESUME, value=value)
        if status is PartnershipStatus.PAUSED
        else confirmed_button(
            "Pause partnership",
            ids.PARTNERSHIP_PAUSE,
            value,
            "Pause the partnership?",
            "Check-ins and pair prompts stop until either of you resumes. "
            "Your partner is told it is paused, not by whom.",
            confirm="Pause",
        )
    )
    end = ButtonElement(
        text="End partnership…", action_id=ids.PARTNERSHIP_END_OPEN, value=value, style="danger"
    )
    support = ButtonElement(text="Ask for support", action_id=ids.SUPPORT_OPEN, value=f"p:{value}")
    return ActionsBlock(block_id=f"{ids.PARTNERSHIP_BLOCK}:{value}", elements=[toggle, end, support])


def end_modal(
    partnership_id: int,
    partner_user_id: str | None,
    hint: str = DEFAULT_FREE_TEXT_HINT,
    opened_from: str = "",
) -> View:
    """Ending is no-fault: the reason is optional and reaches the cohort's facilitators only.

    `opened_from` names the surface the form was opened on, so that surface can be brought up to date.
    """
    who = f"<@{partner_user_id}>" if partner_user_id else "Your partner"
    return form_modal(
        ids.PARTNERSHIP_END_VIEW,
        "End partnership",
        "End it",
        [
            text_section(
                f"Partnerships end for many reasons, and none is a failure. {who} will be told only "
                "that it has ended — not who ended it or why."
            ),
            note_for_facilitators(
                ids.PARTNERSHIP_END_REASON,
                ids.PARTNERSHIP_END_INPUT,
                "Anything your facilitators should know? (only they see this)",
                hint,
                REASON_LIMIT,
            ),
        ],
        close="Keep it",
        private_metadata=f"{partnership_id}:{opened_from}" if opened_from else str(partnership_id),
    )


def end_form_origin(metadata: str) -> tuple[str, str]:
    """The partnership id (as written, still to be checked) and the surface the form was opened on."""
    raw_id, _, opened_from = metadata.partition(":")
    return raw_id, opened_from


def end_reason(values: Any) -> str:
    """The reason typed on the form; odd shapes read as none given."""
    return typed(values, ids.PARTNERSHIP_END_REASON) or ""


def change_confirmed(change: PartnershipChange) -> str:
    """What the person who acted is told, privately."""
    name = mrkdwn(change.cohort_name)
    who = ", ".join(f"<@{f}>" for f in change.facilitators)
    if change.status is PartnershipStatus.ENDED:
        ended = (
            f"Your partnership in *{name}* has ended. <@{change.partner_user_id}> is told only that it ended."
        )
        if not who:  # none, or only the partner: the reason is read by nobody
            return (
                f"{ended} This cohort has no facilitator who can read what you wrote, so it goes to nobody. "
                "`/circles support` reaches the people who can offer you a new partner."
            )
        return f"{ended} {who} can see what you wrote and may offer you a new partner."
    if change.status is PartnershipStatus.PAUSED:
        return f"Your partnership in *{name}* is paused. Resume it any time from `/circles status`."
    return f"Your partnership in *{name}* is running again; check-ins start from the next one."


def partner_notice(notice: PartnershipChanged) -> Message:
    """The other partner's notice: what changed, never who asked or why."""
    name, status, others = mrkdwn(notice.cohort_name), notice.status, max(notice.others_running, 0)
    which = f"One of your partnerships in *{name}*" if others else f"Your partnership in *{name}*"
    if status is PartnershipStatus.ENDED:
        text = (
            f"{which} has ended. Endings are part of any programme and carry no blame. "
            "Your facilitators can help you find a new partner — `/circles support` reaches them."
        )
    elif status is PartnershipStatus.PAUSED:
        text = f"{which} is paused for now; check-ins stop until it resumes."
    else:
        text = f"{which} is running again."
    if others:
        rest = (
            "Your other partnership there is"
            if others == 1
            else f"Your {others} other partnerships there are"
        )
        text += f" {rest} unchanged; `/circles status` shows each one."
    return Message(text=text, blocks=[text_section(text)])


def facilitator_report(report: PartnershipReport) -> Message:
    """For facilitators only: who changed the partnership, their reason, and a re-match for each."""
    status, slug, by, partner = report.status, report.slug, report.by, report.partner
    verb = {PartnershipStatus.ENDED: "ended", PartnershipStatus.PAUSED: "paused"}.get(status, "resumed")
    text = f"<@{by}> {verb} their partnership with <@{partner}> in *{mrkdwn(report.cohort_name)}*."
    blocks: list[Any] = [text_section(text)]
    if report.reason:
        # Every line of it quoted, so none reads as the app's own words; escaped, but not the quote mark.
        # Whole, over as many sections as it takes: the one who ended it was told the facilitators see it.
        first, *rest = quote_sections(report.reason, SECTION - len(REASON_HEADING))
        blocks += [text_section(REASON_HEADING + first), *(text_section(part) for part in rest)]
    if status is PartnershipStatus.ENDED:
        offers = (("Re-match the one who ended it", by), ("Re-match their partner", partner))
        buttons = [
            ButtonElement(text=words, action_id=f"{ids.REMATCH_OFFER}:{n}", value=f"{slug}:{user}")
            for n, (words, user) in enumerate(offers)
        ]
        blocks.append(ActionsBlock(block_id=ids.REMATCH_OFFER_BLOCK, elements=buttons))
    if report.to is ReroutedTo.ADMINS:
        blocks.append(
            context_line(
                "None of the cohort's facilitators could be reached, so this came to you. "
                "Anything they wrote about it is for the facilitators only."
            )
        )
    else:
        blocks.append(context_line("Only the cohort's facilitators see this."))
    return Message(text=text, blocks=blocks)
