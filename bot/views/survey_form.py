"""A survey's form: one input per question, words with a research choice, read back into answers.

Slack's limits hold for any instrument the loader accepts: a modal takes 100 blocks (a question on a scale
is one, a free-text one two), so a long instrument comes in parts, one form each, "Next" between them;
radio buttons take 10 options, a menu 100 (a longer scale is typed as a number); a title 24 characters,
an option 75 (the loader keeps labels to that).
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field, replace
from functools import cache
from typing import Any

from slack_sdk.models.blocks import (
    Block,
    CheckboxesElement,
    InputBlock,
    NumberInputElement,
    Option,
    PlainTextInputElement,
    RadioButtonsElement,
    StaticSelectElement,
)
from slack_sdk.models.views import View

from bot import ids
from bot.views.care import with_hint
from bot.views.forms import form_modal, metadata_object
from bot.views.message import context_line, text_section
from bot.views.surveys import WHO_SEES, parse_request_id
from bot.views.text import clip_mrkdwn, counted, fit_plain, mrkdwn
from circles.services.surveys.answers import TEXT_MAX_CHARS, SurveyToAnswer
from instruments.catalog import instrument, known
from instruments.model import Instrument, Item, Scale

BLOCKS_MAX = 100
AROUND = 2  # the blocks besides the questions: the heading and the privacy line
RADIO_MAX, MENU_MAX = 10, 100
CHOSEN = "yes"
WORDS_PRIVATE = "Kept encrypted; only summaries of at least five people ever reach your facilitators."
# Parts were sent before the survey's questions changed: those answers would be read against other
# questions or scales, so it starts again and they are not kept.
STARTED_OVER = (
    "This survey was updated since you began it, so it starts again from its first question: the "
    "answers you gave before were to its old questions and are not kept."
)


@dataclass(frozen=True)
class SurveyOrigin:
    """Which request a form answers, and the DM message to update afterwards (when opened from one)."""

    request_id: int
    instrument: str  # read in the ack, which checks the answers without the database
    channel: str | None = None
    ts: str | None = None
    part: int = 0  # which of the instrument's parts the form shows
    # The instrument's version the form shows (None: a form from before versions): checked, not identity.
    version: int | None = field(default=None, compare=False)
    # Whether answers were kept before this form (earlier parts): an empty last part is refused only when
    # none was, as an empty one-part form is (None: a form from before this was said, not refused).
    answered_before: bool | None = field(default=None, compare=False)

    def encode(self) -> str:
        data = {
            "request": self.request_id,
            "instrument": self.instrument,
            "channel": self.channel,
            "ts": self.ts,
            "part": self.part,
            "version": self.version,
            "answered_before": self.answered_before,
        }
        return json.dumps(data)

    def outdated(self) -> bool:
        """The instrument's file changed since the form was made: its parts and scales may be other."""
        return self.version is not None and self.version != instrument(self.instrument).version

    def next_part(self, survey: SurveyToAnswer) -> SurveyOrigin:
        """The form after this one: the next part with a question still to answer (the last part when none
        has), so parts answered before are not gone through again."""
        pieces = parts(survey.instrument)
        later = range(self.part + 1, len(pieces))
        following = next((p for p in later if _to_ask(pieces[p], survey.answered)), len(pieces) - 1)
        return replace(self, part=max(following, self.part))

    @classmethod
    def decode(cls, metadata: object) -> SurveyOrigin | None:
        """Read private_metadata back; None for anything this app did not write."""
        data = metadata_object(metadata)
        if data is None:
            return None
        request_id = parse_request_id(str(data.get("request")))
        name, channel, ts = data.get("instrument"), data.get("channel"), data.get("ts")
        part, version = data.get("part", 0), data.get("version")
        if request_id is None or not isinstance(name, str) or name not in known():
            return None
        if not _whole(part) or (version is not None and not _whole(version)):
            return None
        if version in (None, instrument(name).version) and not 0 <= part < len(parts(instrument(name))):
            return None
        if not isinstance(channel, str) or not isinstance(ts, str):
            channel = ts = None
        before = data.get("answered_before")
        return cls(request_id, name, channel, ts, part, version, before if isinstance(before, bool) else None)


def _whole(value: object) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


@cache
def parts(survey: Instrument) -> tuple[tuple[Item, ...], ...]:
    """The instrument's questions in order, cut into forms that fit Slack's blocks."""
    found: list[tuple[Item, ...]] = []
    current: list[Item] = []
    used = AROUND
    for item in survey.items:
        size = 1 if item.scale is not None else 2
        if used + size > BLOCKS_MAX:
            found.append(tuple(current))
            current, used = [], AROUND
        current.append(item)
        used += size
    return (*found, tuple(current))


def _to_ask(part: tuple[Item, ...], answered: frozenset[str]) -> tuple[Item, ...]:
    """A part's questions not answered before: an answer given is kept, so its question is not asked again."""
    return tuple(item for item in part if item.id not in answered)


def is_last(survey: Instrument, origin: SurveyOrigin) -> bool:
    return origin.part >= len(parts(survey)) - 1


def survey_modal(survey: SurveyToAnswer, origin: SurveyOrigin) -> View:
    """The questions of one part of the survey on one form; each is optional, words are shared for research
    only when the box under them is ticked."""
    count, part = len(parts(survey.instrument)), parts(survey.instrument)[origin.part]
    submit = "Send" if is_last(survey.instrument, origin) else "Next"
    heading = f"*{mrkdwn(survey.instrument.title)}*\n{mrkdwn(survey.cohort_name)}"
    if count > 1:
        heading += f"\nPart {origin.part + 1} of {count}"
    asked = _to_ask(part, survey.answered)
    if survey.started_over:
        heading += "\n" + STARTED_OVER
    elif len(asked) < len(part):
        heading += "\n" + _kept(len(part) - len(asked), bool(asked), submit)
    blocks: list[Block] = [text_section(clip_mrkdwn(heading, 3000))]  # escaped as it was built
    for item in asked:
        blocks += _inputs(item, survey.free_text_hint)
    blocks.append(context_line(WHO_SEES))
    title = fit_plain(survey.instrument.title, 24)
    before = bool(survey.answered) or origin.answered_before is True
    shown = replace(origin, version=survey.instrument.version, answered_before=before)
    return form_modal(ids.SURVEY_VIEW, title, submit, blocks, private_metadata=shown.encode())


def _kept(count: int, more: bool, submit: str) -> str:
    """What the form says of the questions of its part answered before, which it does not ask again."""
    if more:
        return f"You already answered {counted(count, 'question')} of this part: those answers are kept."
    go_on = "go on" if submit == "Next" else "finish"
    return f"You already answered this part, and your answers are kept. Press *{submit}* to {go_on}."


def _inputs(item: Item, hint: str) -> list[Block]:
    label = fit_plain(item.text, 2000)
    block_id = ids.SURVEY_ITEM + item.id
    if item.scale is None:
        research = Option(value=CHOSEN, text="My words here may be used for research")
        return [
            InputBlock(
                block_id=block_id,
                label=label,
                hint=with_hint(hint, WORDS_PRIVATE),
                optional=True,
                element=PlainTextInputElement(
                    action_id=ids.SURVEY_INPUT, multiline=True, max_length=TEXT_MAX_CHARS
                ),
            ),
            InputBlock(
                block_id=ids.SURVEY_RESEARCH + item.id,
                label="Research",
                optional=True,
                element=CheckboxesElement(action_id=ids.SURVEY_INPUT, options=[research]),
            ),
        ]
    scale = item.scale
    count = scale.max - scale.min + 1
    chooser: Any
    if count <= RADIO_MAX:
        chooser = RadioButtonsElement(action_id=ids.SURVEY_INPUT, options=_options(scale))
    elif count <= MENU_MAX:
        chooser = StaticSelectElement(
            action_id=ids.SURVEY_INPUT, options=_options(scale), placeholder="Choose"
        )
    else:
        chooser = NumberInputElement(
            action_id=ids.SURVEY_INPUT,
            is_decimal_allowed=False,
            min_value=str(scale.min),
            max_value=str(scale.max),
        )
        label = fit_plain(
            f"{item.text} ({scale.min}: {scale.labels[0]}; {scale.max}: {scale.labels[-1]})", 2000
        )
    return [InputBlock(block_id=block_id, label=label, optional=True, element=chooser)]


def _options(scale: Scale) -> list[Option]:
    return [
        Option(value=str(v), text=fit_plain(f"{v} · {scale.label(v)}", 75))
        for v in range(scale.min, scale.max + 1)
    ]
