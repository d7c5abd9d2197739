"""The support form: which cohort's facilitators, optionally which partnership, and a message for them."""

from __future__ import annotations

from typing import Any

from slack_sdk.models.blocks import (
    Block,
    InputBlock,
    MarkdownTextObject,
    Option,
    PlainTextInputElement,
    SectionBlock,
)
from slack_sdk.models.views import View

from bot import ids
from bot.views import support_whom
from bot.views.care import with_hint
from bot.views.form_values import selected, typed
from bot.views.forms import form_modal, pick_one
from bot.views.message import context_line, text_section
from bot.views.support import support_outcome
from bot.views.text import fit_plain
from circles.errors import (
    CirclesError,
    InvalidSupportMessage,
    NotAMember,
    PartnershipInAnotherCohort,
    PartnershipNotYours,
    SupportWhichCohort,
)
from circles.services.support.form import PartnershipChoice, SupportAbout, SupportForm
from circles.services.support.request import SUPPORT_MESSAGE_MAX, SupportSent

OPTIONS_MAX = 100  # Slack's limit for a static select
OPTION_TEXT_MAX = 75
INPUT_MAX = 3000  # the most a text input lets anyone type; a /circles support message may hold more


def support_value(about: SupportAbout) -> str:
    """A support button's value: "" (choose in the form), "c:<cohort slug>" or "p:<partnership id>"."""
    if about.partnership_id is not None:
        return f"p:{about.partnership_id}"
    if about.cohort_slug is not None:
        return f"c:{about.cohort_slug}"
    return ""


def support_modal(form: SupportForm) -> View:
    """Ask what the person needs, saying first who would read it; they choose a cohort only when they are
    in several."""
    blocks: list[Block] = [text_section(support_whom.whom(form))]
    if len(form.cohorts) > 1:
        cohorts = [Option(value=c.slug, text=_short(c.name)) for c in form.cohorts[:OPTIONS_MAX]]
        blocks.append(
            pick_one(
                ids.SUPPORT_COHORT,
                ids.SUPPORT_INPUT,
                "Which cohort's facilitators?",
                cohorts,
                placeholder="Choose a cohort",
            )
        )
    if form.about.partnership_id is None and form.partnerships:
        partnerships = [
            _partnership_option(p, len(form.cohorts) > 1) for p in form.partnerships[:OPTIONS_MAX]
        ]
        blocks.append(
            pick_one(
                ids.SUPPORT_PARTNERSHIP,
                ids.SUPPORT_INPUT,
                "Is it about a partnership? (optional)",
                partnerships,
                placeholder="Choose a partnership",
                optional=True,
                hint=(
                    f"{OPTIONS_MAX} of your {len(form.partnerships)} partnerships are listed here; for "
                    "another, use Ask for support beside that partner in /circles status."
                    if len(form.partnerships) > OPTIONS_MAX
                    else None
                ),
            )
        )
    blocks += [
        InputBlock(
            block_id=ids.SUPPORT_MESSAGE,
            label="What would you like them to know? (optional)",
            hint=with_hint(form.free_text_hint, support_whom.who_sees(form)),
            optional=True,
            element=PlainTextInputElement(
                action_id=ids.SUPPORT_INPUT, multiline=True, max_length=min(SUPPORT_MESSAGE_MAX, INPUT_MAX)
            ),
        ),
        context_line(support_whom.reply_expected(form)),
    ]
    return form_modal(
        ids.SUPPORT_VIEW, "Ask for support", "Send", blocks, private_metadata=support_value(form.about)
    )


def sent_modal(sent: SupportSent) -> View:
    """What the form turns into once sent: who was told, and when to expect a reply."""
    return View(
        type="modal",
        title="Ask for support",
        close="Close",
        blocks=[
            SectionBlock(block_id=ids.SUPPORT_SENT_BLOCK, text=MarkdownTextObject(text=support_outcome(sent)))
        ],
    )


def submitted_support(values: dict[str, Any]) -> tuple[str | None, str | None, str | None]:
    """(cohort slug, partnership value, message) as submitted; odd shapes read as not given."""
    return (
        selected(values, ids.SUPPORT_COHORT),
        selected(values, ids.SUPPORT_PARTNERSHIP),
        typed(values, ids.SUPPORT_MESSAGE),
    )


def error_block(error: CirclesError, values: dict[str, Any]) -> str:
    """The form's block a refusal belongs under (the message box when that block is not on the form)."""
    wanted = {
        NotAMember: ids.SUPPORT_COHORT,
        SupportWhichCohort: ids.SUPPORT_COHORT,
        PartnershipNotYours: ids.SUPPORT_PARTNERSHIP,
        PartnershipInAnotherCohort: ids.SUPPORT_PARTNERSHIP,
        InvalidSupportMessage: ids.SUPPORT_MESSAGE,
    }.get(type(error), ids.SUPPORT_MESSAGE)
    return wanted if wanted in values else ids.SUPPORT_MESSAGE


def _partnership_option(choice: PartnershipChoice, with_cohort: bool) -> Option:
    words = f"{choice.partner_name} · {choice.cohort_name}" if with_cohort else choice.partner_name
    return Option(value=str(choice.partnership_id), text=_short(words))


def _short(text: str) -> str:
    return fit_plain(text, OPTION_TEXT_MAX)
