"""The full check-in form: rating, whether you met, a note with an explicit choice to share it, support."""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

from slack_sdk.models.blocks import (
    Block,
    CheckboxesElement,
    InputBlock,
    Option,
    PlainTextInputElement,
    RadioButtonsElement,
)
from slack_sdk.models.views import View

from bot import ids
from bot.views.care import with_hint
from bot.views.checkin import RATING_WORDS, parse_checkin_id, parse_partnership_id, who_sees
from bot.views.form_values import selected, ticked, typed
from bot.views.forms import form_modal
from bot.views.message import context_line, text_section
from bot.views.text import mrkdwn
from circles.domain.checkins import NOTE_MAX_CHARS, RATINGS, CheckInAnswer, answer_problems
from circles.services.checkins.answers import OpenCheckIn
from instruments.checkin import checkin_words

YES, NO, CHOSEN = "yes", "no", "yes"
NOTE_PRIVATE = "Kept encrypted. It stays private unless you tick the box below."
NEVER_TO_FORMER_PARTNERS = "Never shown to anyone you or your partner were ever paired with."
_BLOCK_OF = {"rating": ids.CHECKIN_RATING, "note": ids.CHECKIN_NOTE}


@dataclass(frozen=True)
class FormOrigin:
    """Which check-in a form answers, and the DM message to update afterwards (when opened from one); `pair`,
    its partnership, lets a support request ticked on it go even once the check-in is gone."""

    checkin_id: int
    channel: str | None = None
    ts: str | None = None
    pair: int | None = None

    def encode(self) -> str:
        return json.dumps(
            {"checkin": self.checkin_id, "channel": self.channel, "ts": self.ts, "pair": self.pair}
        )

    @classmethod
    def decode(cls, metadata: object) -> FormOrigin | None:
        """Read private_metadata back; None for anything this app did not write. A form opened before
        forms carried their pair has none."""
        try:
            data = json.loads(metadata) if isinstance(metadata, str) else None
        except ValueError:
            return None
        if not isinstance(data, dict):
            return None
        checkin_id = parse_checkin_id(str(data.get("checkin")))
        channel, ts, given = data.get("channel"), data.get("ts"), data.get("pair")
        pair = None if given is None else parse_partnership_id(str(given))
        if checkin_id is None or not isinstance(channel, str | None) or not isinstance(ts, str | None):
            return None
        if given is not None and pair is None:
            return None
        return cls(checkin_id, channel, ts, pair) if channel and ts else cls(checkin_id, pair=pair)


def checkin_modal(checkin: OpenCheckIn, origin: FormOrigin, *, wants_support: bool = False) -> View:
    """Every question of a check-in on one form; nothing is shared unless the member ticks it."""
    share = Option(value=CHOSEN, text="Share this note with the facilitators")
    support = Option(value=CHOSEN, text="I'd like support from a facilitator")
    words = checkin_words()
    blocks: list[Block] = [
        text_section(
            f"*{mrkdwn(checkin.cohort_name)}*\n"
            f"How is your partnership with <@{checkin.partner_user_id}> going?"
        ),
        InputBlock(
            block_id=ids.CHECKIN_RATING,
            label=words.rating_question,
            element=RadioButtonsElement(
                action_id=ids.CHECKIN_INPUT,
                options=[Option(value=str(r), text=f"{r} · {RATING_WORDS[r]}") for r in RATINGS],
            ),
        ),
        InputBlock(
            block_id=ids.CHECKIN_MET,
            label=words.met_question,
            element=RadioButtonsElement(
                action_id=ids.CHECKIN_INPUT,
                options=[Option(value=YES, text=words.met_yes), Option(value=NO, text=words.met_no)],
            ),
        ),
        InputBlock(
            block_id=ids.CHECKIN_NOTE,
            label="A note (optional)",
            hint=with_hint(checkin.free_text_hint, NOTE_PRIVATE),
            element=PlainTextInputElement(
                action_id=ids.CHECKIN_INPUT, multiline=True, max_length=NOTE_MAX_CHARS
            ),
            optional=True,
        ),
        InputBlock(
            block_id=ids.CHECKIN_SHARE,
            label="Your note",
            hint=NEVER_TO_FORMER_PARTNERS,  # a facilitator paired with either of the pair never reads it
            element=CheckboxesElement(action_id=ids.CHECKIN_INPUT, options=[share]),
            optional=True,
        ),
        InputBlock(
            block_id=ids.CHECKIN_SUPPORT,
            label="Support",
            hint="Your facilitators hear from you at once, privately, and get in touch.",
            element=CheckboxesElement(
                action_id=ids.CHECKIN_INPUT,
                options=[support],
                initial_options=[support] if wants_support else None,
            ),
            optional=True,
        ),
        context_line(who_sees(checkin.partner_user_id)),
    ]
    return form_modal(ids.CHECKIN_VIEW, "Check-in", "Send", blocks, private_metadata=origin.encode())


def submitted_answer(values: dict[str, Any]) -> tuple[CheckInAnswer | None, dict[str, str]]:
    """Read a submitted form; the errors map block_ids to what to fix, as Slack shows them inline."""
    rating_text = selected(values, ids.CHECKIN_RATING)
    rating = int(rating_text) if rating_text in {str(r) for r in RATINGS} else 0
    met_text = selected(values, ids.CHECKIN_MET)
    given = CheckInAnswer(
        rating=rating,
        met={YES: True, NO: False}.get(met_text or ""),
        note=typed(values, ids.CHECKIN_NOTE),
        share_note=ticked(values, ids.CHECKIN_SHARE, CHOSEN),
        wants_support=ticked(values, ids.CHECKIN_SUPPORT, CHOSEN),
    )
    errors = {_BLOCK_OF[field]: problem for field, problem in answer_problems(given).items()}
    return (None if errors else given), errors
