"""The profile form, what a submitted form says, and the card others see."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from slack_sdk.models.blocks import (
    Block,
    InputBlock,
    MarkdownTextObject,
    NumberInputElement,
    PlainTextInputElement,
    SectionBlock,
    UserMultiSelectElement,
)
from slack_sdk.models.views import View

from bot import ids
from bot.views.form_values import element, typed, user_ids
from bot.views.forms import form_modal, room_for
from bot.views.message import Message, context_line, text_section
from bot.views.text import counted, fit_mrkdwn, mrkdwn, pack_lines, slack_length
from circles.domain.requests import MAX_CAPACITY
from circles.domain.vocabulary import Role
from circles.services.people.profiles import LIMITS, ProfileCard, ProfileFields, ProfileForm, profile_problems

# (field, block_id, label, placeholder, multiline), in the order the form asks.
_TEXT_FIELDS = (
    ("interests", ids.PROFILE_INTERESTS, "Interests", "e.g. medical education, wellbeing, running", True),
    ("skills", ids.PROFILE_SKILLS, "Skills", "e.g. giving feedback, ultrasound, quality improvement", True),
    ("aspirations", ids.PROFILE_ASPIRATIONS, "Career aspirations", "Where you would like to grow", True),
    ("department", ids.PROFILE_DEPARTMENT, "Department", "e.g. Cardiology", False),
    ("seniority", ids.PROFILE_SENIORITY, "Role or stage", "e.g. PGY-1, attending, charge nurse", False),
    ("availability", ids.PROFILE_AVAILABILITY, "Availability", "e.g. Tuesday lunchtimes, after 5pm", True),
)
_OFFERS = ("offers", ids.PROFILE_OFFERS, "What you offer", "What learners can come to you for", True)
BLOCK_OF = {field: block for field, block, *_ in (*_TEXT_FIELDS, _OFFERS)} | {
    "capacity": ids.PROFILE_CAPACITY
}
ROLES_CHARS = 2000  # of the card's first section for the shared cohorts (a name escaped: 1,275 at most)
SHARED_WITH = "Shared with the people in your cohorts. Your time zone comes from Slack and stays up to date."


# How a profile's fields are labelled where others read them, in the order a card shows them.
SHOWN_AS = {
    "department": "Department",
    "seniority": "Role or stage",
    "interests": "Interests",
    "skills": "Skills",
    "aspirations": "Career aspirations",
    "offers": "Offers",
    "availability": "Availability",
}
AVOID_HINT = "Private: nobody on this list is told, and matching never puts you together."
CAPACITY_HINT = (
    "Counting the ones you have now. 0 means you are not taking new requests; "
    "until you say, nobody is matched with you."
)
CAPACITY_UNSAID = "Say how many partners you can take: 0 if you are not taking any for now."
CHOOSE_PEOPLE = "Choose people from the list."


def profile_modal(form: ProfileForm, note: str | None = None, avoid: list[str] | None = None) -> View:
    """The form, filled with what the person wrote before; coaches and mentors also say what they offer."""
    blocks: list[Block] = []
    if note:
        blocks.append(
            SectionBlock(
                block_id=ids.PROFILE_NOTE_BLOCK, text=MarkdownTextObject(text=fit_mrkdwn(note, 3000))
            )
        )
    blocks.append(context_line(SHARED_WITH))
    fields = (*_TEXT_FIELDS, _OFFERS) if form.guides else _TEXT_FIELDS
    blocks += [_text_input(form.fields, form.free_text_hint, *field) for field in fields]
    if form.guides:
        # Asked, never answered for them: a 0 saved unread took no learners at all, and any other number would
        # promise their time unasked. A 0 they chose ("no new partners for now") is theirs and shown as it is;
        # only a capacity never said (None) leaves the field empty, to be asked.
        said = form.fields.capacity
        blocks.append(
            InputBlock(
                block_id=ids.PROFILE_CAPACITY,
                label="How many partners can you take?",
                hint=CAPACITY_HINT,
                element=NumberInputElement(
                    action_id=ids.PROFILE_INPUT,
                    is_decimal_allowed=False,
                    initial_value=str(said) if said is not None else None,
                    placeholder="e.g. 2",
                    min_value="0",
                    max_value=str(MAX_CAPACITY),
                ),
                optional=False,
            )
        )
    blocks.append(
        InputBlock(
            block_id=ids.PROFILE_AVOID,
            label="People you would rather not be matched with",
            hint=AVOID_HINT,
            element=UserMultiSelectElement(
                action_id=ids.PROFILE_INPUT, initial_users=avoid or None, max_selected_items=20
            ),
            optional=True,
        )
    )
    return form_modal(ids.PROFILE_VIEW, "Your profile", "Save", blocks)


def not_in_a_cohort_modal() -> View:
    """What the form says to someone who has no cohort here yet."""
    text = (
        "Your profile is shared with the people in your cohorts, so it starts when you join one. "
        "Ask your facilitator for the cohort's name, then type `/circles join <cohort>`."
    )
    return View(
        type="modal",
        title="Your profile",
        close="OK",
        blocks=[text_section(mrkdwn(text))],
    )


def submitted_profile(values: Any) -> tuple[ProfileFields, dict[str, str]]:
    """Read a submitted form; the errors map block_ids to what to fix, as Slack shows them inline."""
    texts = {field: typed(values, block) or "" for field, block, *_ in (*_TEXT_FIELDS, _OFFERS)}
    errors: dict[str, str] = {}
    capacity: int | None = None
    if isinstance(values, dict) and ids.PROFILE_CAPACITY in values:  # only coaches and mentors are asked
        raw = (typed(values, ids.PROFILE_CAPACITY) or "").strip()
        if not raw:  # Slack asks for it first; an empty one was never an answer, not even 0
            errors[ids.PROFILE_CAPACITY] = CAPACITY_UNSAID
        elif raw.isascii() and raw.isdigit():
            capacity = int(raw)
        else:
            errors[ids.PROFILE_CAPACITY] = f"Choose a whole number from 0 to {MAX_CAPACITY}."
    if user_ids(element(values, ids.PROFILE_AVOID).get("selected_users", [])) is None:
        errors[ids.PROFILE_AVOID] = CHOOSE_PEOPLE
    fields = ProfileFields(**texts, capacity=capacity)
    errors |= {BLOCK_OF[field]: problem for field, problem in profile_problems(fields).items()}
    return fields, errors


def profile_card(card: ProfileCard, note: str | None = None) -> Message:
    """Someone's profile as the people in their cohorts see it, with a `note` for the viewer below it."""
    lines = profile_lines(card.fields) or ["They have not written anything in their profile yet."]
    heading = f"*<@{card.user_id}>* — {_roles(card.roles)}"
    context = f"Time zone: {mrkdwn(card.timezone)}" if card.timezone else "Time zone not shared by Slack"
    # One section while it all fits; a long profile takes a section a field, and nothing is cut.
    texts = pack_lines([heading, *lines], 3000)
    blocks: list[Block] = [
        SectionBlock(block_id=ids.PROFILE_CARD_BLOCK, text=MarkdownTextObject(text=texts[0]))
    ]
    blocks += [text_section(text) for text in texts[1:]]
    blocks.append(context_line(context))
    if note:
        blocks.append(context_line(note))
    return Message(text=f"Profile of <@{card.user_id}>", blocks=blocks)


def _roles(roles: list[tuple[str, Role]]) -> str:
    """Their role in each shared cohort, whole, as many as ROLES_CHARS holds; the others counted."""
    named: list[str] = []
    for n, (name, role) in enumerate(roles):
        words = f"{role.value} in *{mrkdwn(name)}*"
        if named and slack_length(", ".join([*named, words])) > ROLES_CHARS:
            return ", ".join(named) + f" and {counted(len(roles) - n, 'more cohort')}"
        named.append(words)
    return ", ".join(named)


def profile_lines(fields: ProfileFields, names: Iterable[str] = SHOWN_AS) -> list[str]:
    """A line a filled-in field, "*Label:* what they wrote", in the order named; empty ones say nothing."""
    return [f"*{SHOWN_AS[name]}:* {mrkdwn(getattr(fields, name))}" for name in names if getattr(fields, name)]


def _text_input(
    fields: ProfileFields, hint: str, field: str, block_id: str, label: str, placeholder: str, multiline: bool
) -> InputBlock:
    current = getattr(fields, field)
    longest = room_for(current, LIMITS[field])
    return InputBlock(
        block_id=block_id,
        label=label,
        hint=hint,
        optional=True,
        element=PlainTextInputElement(
            action_id=ids.PROFILE_INPUT,
            placeholder=placeholder,
            initial_value=current or None,  # Slack refuses an empty initial value
            multiline=multiline,
            max_length=longest,
        ),
    )


def avoided_users(values: Any) -> list[str]:
    """The private never-match list from a submitted form: people's Slack IDs only, each once."""
    return user_ids(element(values, ids.PROFILE_AVOID).get("selected_users")) or []
