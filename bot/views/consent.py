"""Research consent in words: each cohort's statement with the member's decision, and the confirmation."""

from __future__ import annotations

from slack_sdk.models.blocks import ActionsBlock, Block, ButtonElement, DividerBlock

from bot import ids
from bot.views.message import Message, context_line, text_section
from bot.views.text import fit_mrkdwn, mrkdwn
from circles.domain.research.consent import ConsentRecord, Decision
from circles.services.research.consent import CohortConsent, Decided

CONSENT_USAGE = (
    "Use `/circles consent` to read your cohorts' research statements and decide, or "
    "`/circles consent yes &lt;cohort&gt;` / `/circles consent no &lt;cohort&gt;`."
)
NOT_IN_A_COHORT = (
    "You are not in a cohort yet, so there is nothing to consent to. `/circles join &lt;cohort&gt;` first."
)
# Four blocks a cohort (with its divider), within Slack's 50 blocks a message.
MOST_COHORTS = 12
STATEMENT_CHARS = 2_500


def consent_message(cohorts: list[CohortConsent]) -> Message:
    """Each cohort's research statement, the member's decision so far, and buttons to agree or withdraw."""
    if not cohorts:
        return Message(NOT_IN_A_COHORT, [text_section(NOT_IN_A_COHORT)])
    blocks: list[Block] = []
    for cohort in cohorts[:MOST_COHORTS]:
        if blocks:
            blocks.append(DividerBlock())
        blocks.extend(_cohort_blocks(cohort))
    if len(cohorts) > MOST_COHORTS:
        more = len(cohorts) - MOST_COHORTS
        blocks.append(context_line(f"…and {more} more cohorts: {CONSENT_USAGE}"))
    return Message("Research consent: your cohorts' statements and your decisions.", blocks)


def decided_message(decided: Decided) -> Message:
    """Confirm the decision standing now, with its date and the statement's version."""
    name = fit_mrkdwn(decided.name, 200)
    record = decided.record
    when = f"{record.at:%Y-%m-%d}, statement version {mrkdwn(record.statement_version)}"
    if record.decision is Decision.GIVEN:
        text = f"Thank you: you agreed to research use of your answers in *{name}* ({when})."
    else:
        text = (
            f"You withdrew consent in *{name}* ({when}): "
            "your answers are left out of every export from now on."
        )
    if not decided.changed:
        text = f"Nothing changed. {text}"
    return Message(text, [text_section(text)])


def _cohort_blocks(cohort: CohortConsent) -> list[Block]:
    name = fit_mrkdwn(cohort.name, 200)
    statement = fit_mrkdwn(cohort.statement, STATEMENT_CHARS)
    section = text_section(f"*Research in {name}* (statement version {mrkdwn(cohort.version)})\n{statement}")
    section.block_id = f"{ids.CONSENT_BLOCK}:{cohort.slug}"
    buttons = [
        ButtonElement(text="I agree", action_id=ids.CONSENT_GIVE, value=cohort.slug, style="primary"),
        ButtonElement(text="Withdraw", action_id=ids.CONSENT_WITHDRAW, value=cohort.slug),
    ]
    return [section, context_line(_decision_words(cohort.latest)), ActionsBlock(elements=buttons)]


def _decision_words(latest: ConsentRecord | None) -> str:
    if latest is None:
        return "You have not decided yet: until you agree, your answers are never exported."
    when = f"{latest.at:%Y-%m-%d}, version {mrkdwn(latest.statement_version)}"
    if latest.decision is Decision.GIVEN:
        return f"You agreed on {when}."
    return f"You withdrew on {when}: your answers are not exported."
