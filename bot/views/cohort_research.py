"""The cohort settings' research part: the surveys sent at each phase, and the research statement."""

from __future__ import annotations

from typing import Any

from slack_sdk.models.blocks import (
    Block,
    DividerBlock,
    HeaderBlock,
    InputBlock,
    Option,
    PlainTextInputElement,
    StaticMultiSelectElement,
)

from bot import ids
from bot.views.form_values import element, typed
from bot.views.forms import room_for
from bot.views.text import fit_plain
from circles.domain.cohort_rules import CohortSettings
from circles.domain.cohort_settings import PHASE_MOST, PHASES, SurveyPlan
from circles.domain.research.consent import DEFAULT_STATEMENT, STATEMENT_MAX
from instruments.model import Instrument

ACTION = "value"  # the cohort settings form's inputs all use this action_id
PHASE_WORDS = {
    "baseline": "Surveys at the start",
    "midpoint": "Surveys half-way",
    "end": "Surveys at the end",
}
OPTIONS_MOST = 100  # a Slack select lists at most 100 options
OPTION_TEXT = 75
# Where each research setting's problems are shown.
RESEARCH_BLOCKS = {
    **{f"survey_{phase}": f"{ids.COHORT_SURVEYS}:{phase}" for phase in PHASES},
    "research_statement": ids.COHORT_RESEARCH_STATEMENT,
}


def research_blocks(settings: CohortSettings, surveys: dict[str, Instrument]) -> list[Block]:
    """A multi-select of the catalogue's surveys per phase, then the statement members consent to."""
    options = [
        Option(value=name, text=fit_plain(found.title, OPTION_TEXT))
        for name, found in list(surveys.items())[:OPTIONS_MOST]
    ]
    blocks: list[Block] = [DividerBlock(), HeaderBlock(text="Research")]
    for phase in PHASES if options else ():  # a select needs options: no catalogue, no plan to choose
        chosen = set(getattr(settings.survey_plan, phase))
        initial = [option for option in options if option.value in chosen]
        hint = "Sent to every active member when the cohort starts."
        if phase != "baseline":
            hint = "Needs the cohort's end date: sent half-way between start and end, or at the end."
        blocks.append(
            InputBlock(
                block_id=RESEARCH_BLOCKS[f"survey_{phase}"],
                label=PHASE_WORDS[phase],
                hint=hint,
                optional=True,
                element=StaticMultiSelectElement(
                    action_id=ACTION,
                    placeholder="Choose surveys",
                    options=options,
                    initial_options=initial or None,
                    max_selected_items=PHASE_MOST,
                ),
            )
        )
    blocks.append(
        InputBlock(
            block_id=ids.COHORT_RESEARCH_STATEMENT,
            label="Research statement (what members agree to)",
            hint="Changing it asks everyone who agreed to the earlier words to decide again. "
            "Left empty: the product's default wording.",
            optional=True,
            element=PlainTextInputElement(
                action_id=ACTION,
                multiline=True,
                initial_value=settings.research_statement or DEFAULT_STATEMENT,
                max_length=room_for(settings.research_statement, STATEMENT_MAX),
            ),
        )
    )
    return blocks


def submitted_research(values: Any) -> tuple[SurveyPlan, str | None]:
    """The plan and the statement as sent; names are checked against the catalogue by the rules."""
    phases = {phase: _chosen(values, RESEARCH_BLOCKS[f"survey_{phase}"]) for phase in PHASES}
    return SurveyPlan.of(phases), typed(values, ids.COHORT_RESEARCH_STATEMENT)


def unsent_research(values: Any) -> tuple[str, ...]:
    """The research settings a submitted form lacks (it was opened before it had them): kept as stored."""
    sent = values if isinstance(values, dict) else {}
    unsent = []
    if not any(RESEARCH_BLOCKS[f"survey_{phase}"] in sent for phase in PHASES):
        unsent.append("survey_plan")
    if ids.COHORT_RESEARCH_STATEMENT not in sent:
        unsent.append("research_statement")
    return tuple(unsent)


def _chosen(values: Any, block: str) -> list[str]:
    options = element(values, block).get("selected_options")
    if not isinstance(options, list):
        return []
    return [str(o["value"]) for o in options if isinstance(o, dict) and isinstance(o.get("value"), str)]
