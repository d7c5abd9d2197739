"""Research consent in words: each cohort's statement with the member's decision, and the confirmation."""

from __future__ import annotations

from slack_sdk.models.blocks import ActionsBlock, Block, ButtonElement, DividerBlock

from bot import ids
from bot.views.message import Message, context_line, text_section
from bot.views.text import counted, fit_mrkdwn, mrkdwn, slack_length, split_mrkdwn
from circles.domain.research.consent import Decision
from circles.services.research.consent import CohortConsent, Decided

CONSENT_USAGE = (
    "Use `/circles consent` to read your cohorts' research statements and decide, or "
    "`/circles consent yes &lt;cohort&gt;` / `/circles consent no &lt;cohort&gt;`."
)
NOT_IN_A_COHORT = (
    "You are not in a cohort now, so there is nothing to consent to. `/circles join &lt;cohort&gt;` first."
)
# Four blocks a cohort (with its divider), within Slack's 50 blocks a message; a statement longer than one
# section holds goes on in sections of its own, and fewer cohorts are shown.
MOST_COHORTS = 12
MOST_BLOCKS = 50
SECTION_CHARS = 3_000
HOME_COHORTS = 3  # Home holds 100 blocks for everything; more cohorts are a `/circles consent` away
HOME_STATEMENT_CHARS = 600  # longer statements are shortened on Home, whole on /circles consent


def consent_message(cohorts: list[CohortConsent]) -> Message:
    """Each cohort's research statement, the member's decision so far, and buttons to agree or withdraw."""
    if not cohorts:
        return Message(NOT_IN_A_COHORT, [text_section(NOT_IN_A_COHORT)])
    blocks: list[Block] = []
    shown = 0
    for cohort in cohorts[:MOST_COHORTS]:
        more: list[Block] = [DividerBlock()] if blocks else []
        more += _cohort_blocks(cohort)
        room = MOST_BLOCKS - (1 if shown + 1 < len(cohorts) else 0)  # the last line, when some are left out
        if shown and len(blocks) + len(more) > room:
            break
        blocks += more
        shown += 1
    if len(cohorts) > shown:
        left = len(cohorts) - shown
        blocks.append(context_line(f"…and {counted(left, 'more cohort')}: {CONSENT_USAGE}"))
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


def home_research_blocks(cohorts: list[CohortConsent]) -> list[Block]:
    """Home's Research section: each cohort's statement (shortened), the decision, and the same buttons."""
    if not cohorts:
        return []
    blocks: list[Block] = [DividerBlock(), text_section("*Research*")]
    for cohort in cohorts[:HOME_COHORTS]:
        blocks.extend(_cohort_blocks(cohort, HOME_STATEMENT_CHARS))
    if len(cohorts) > HOME_COHORTS:
        more = len(cohorts) - HOME_COHORTS
        blocks.append(context_line(f"…and {counted(more, 'more cohort')}: {CONSENT_USAGE}"))
    return blocks


def _cohort_blocks(cohort: CohortConsent, longest: int | None = None) -> list[Block]:
    """The cohort's statement with the decision and its buttons: whole (what `/circles consent` shows, the
    buttons under every word of it), or shortened to `longest` with where to read the rest."""
    name = fit_mrkdwn(cohort.name, 200)
    heading = f"*Research in {name}* (statement version {mrkdwn(cohort.version)})"
    if cohort.changed_since_agreed:
        heading += "\n:warning: *The statement has changed since you agreed.* Read it again and decide."
    if longest is None:
        first, *rest = split_mrkdwn(mrkdwn(cohort.statement), SECTION_CHARS - slack_length(heading) - 1)
    else:
        first, rest = fit_mrkdwn(cohort.statement, longest), []
        if first != mrkdwn(cohort.statement):
            first += " Read the statement in full with `/circles consent`."
    section = text_section(f"{heading}\n{first}")
    section.block_id = f"{ids.CONSENT_BLOCK}:{cohort.slug}"
    sections: list[Block] = [section, *(text_section(more) for more in rest)]
    buttons = [
        ButtonElement(text="I agree", action_id=ids.CONSENT_GIVE, value=agree_value(cohort), style="primary"),
        ButtonElement(text="Withdraw", action_id=ids.CONSENT_WITHDRAW, value=cohort.slug),
    ]
    return [*sections, context_line(_decision_words(cohort)), ActionsBlock(elements=buttons)]


def agree_value(cohort: CohortConsent) -> str:
    """The agree button's value: the cohort and the statement version shown beside it."""
    return f"{cohort.slug}:{cohort.version}"


def parse_consent_value(value: str) -> tuple[str, str | None]:
    """The cohort a consent button names, and the statement version it showed (None on older buttons)."""
    slug, colon, version = value.partition(":")  # a slug never holds ":"
    return slug, version if colon else None


def _decision_words(cohort: CohortConsent) -> str:
    latest = cohort.latest
    if cohort.changed_since_agreed and latest is not None:
        return (
            f"You agreed to version {mrkdwn(latest.statement_version)} on {latest.at:%Y-%m-%d}; until you "
            "agree to this version, your answers are not exported."
        )
    if latest is None:
        return "You have not decided yet: until you agree, your answers are never exported."
    when = f"{latest.at:%Y-%m-%d}, version {mrkdwn(latest.statement_version)}"
    if latest.decision is Decision.GIVEN:
        return f"You agreed on {when}."
    return f"You withdrew on {when}: your answers are not exported."
