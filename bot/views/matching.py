"""The facilitator's preview of a round, and the progress of creating it in Slack."""

from __future__ import annotations

from typing import Any

from slack_sdk.models.blocks import (
    ActionsBlock,
    Block,
    ButtonElement,
    HeaderBlock,
)

from bot import ids
from bot.pacing import SLACK_LIMITS
from bot.views.match_endings import kept_apart_blocks, repeated_text
from bot.views.match_list import SECTION, listings, opening, see_all_words
from bot.views.message import Message, context_line, text_section
from bot.views.round_problems import problem_lines, refused_advice, refused_everywhere
from bot.views.text import clip_mrkdwn, fit_plain, mrkdwn
from circles.domain.match_vocabulary import RunStatus
from circles.services.matching.rounds import RoundPlan
from circles.services.rounds.steps import Progress, RoundReport

__all__ = [
    "MESSAGE_TEXT",
    "SHOWN",
    "SHOWN_PROBLEMS",
    "confirmed_text",
    "preview_message",
    "problem_lines",  # one line per problem, from bot.views.round_problems
    "progress_text",
    "report_text",
    "resuming_text",
]

SHOWN = 20  # lines of each kind in the preview; "See all" opens the whole round
SHOWN_PROBLEMS = 30  # problems named in the progress message; the rest are counted
MESSAGE_TEXT = 3900  # a message's text, with room below Slack's 4,000 characters


def preview_message(round_plan: RoundPlan, *, with_confirm: bool = True) -> Message:
    """Each circle and pair with why it was formed, who is left out and why, and repeats and conflicts.

    A large round shows the first of each that fit, says how many more there are, and offers the whole
    round in a modal before anything is confirmed.
    """
    plan = round_plan.plan
    rematch = plan.get("rematch")
    what = "preview" if with_confirm else "being formed"  # without Confirm, it is being created already
    heading = (
        f"Re-match in {round_plan.cohort_name}: {what}"
        if rematch
        else f"Round {round_plan.round} of {round_plan.cohort_name}: {what}"
    )
    blocks: list[Block] = [HeaderBlock(text=fit_plain(heading, 150))]
    if rematch:
        blocks.append(text_section(clip_mrkdwn(_rematch_text(plan), SECTION)))
    hidden = 0
    for listing in listings(plan):
        text, left_out = opening(listing, SHOWN)
        blocks.append(text_section(text))
        hidden += left_out
    blocks += kept_apart_blocks(round_plan, with_buttons=with_confirm)
    blocks.append(context_line(clip_mrkdwn(_counts(plan), SECTION)))
    buttons = [
        ButtonElement(text="Record a conflict", action_id=ids.MATCH_CONFLICT_OPEN, value=round_plan.slug)
    ]
    if hidden and round_plan.run_id:
        words = fit_plain(see_all_words(plan), 75)
        buttons.insert(
            0, ButtonElement(text=words, action_id=ids.MATCH_SEE_ALL, value=str(round_plan.run_id))
        )
    if with_confirm and round_plan.run_id:
        confirm = ButtonElement(
            text="Confirm and create",
            action_id=ids.MATCH_CONFIRM,
            value=str(round_plan.run_id),
            style="primary",
        )
        buttons.insert(0, confirm)
    blocks.append(ActionsBlock(block_id=ids.MATCH_PREVIEW_BLOCK, elements=buttons))
    return Message(text=mrkdwn(heading), blocks=blocks)


def _rematch_text(plan: dict[str, Any]) -> str:
    lines = [f"*For <@{plan['rematch']['user']}>*"]
    lines += [f"• Joins *{mrkdwn(j['name'])}* — {mrkdwn(j['why'])}" for j in plan.get("joins", [])]
    users: dict[str, str] = plan["users"]
    for note in plan.get("notes", []):
        partner = f" Partner: <@{users[str(note['with'])]}>." if note.get("with") else ""
        lines.append(f"• {mrkdwn(note['text'])}{partner}")
    if not plan.get("joins") and not plan.get("pairs"):
        lines.append("Nothing to create: see above.")
    return "\n".join(lines)


def _counts(plan: dict[str, Any]) -> str:
    text = f"Repeats: {plan['repeats']} · Conflicts: {plan['conflicts']}"
    repeated: list[dict[str, Any]] = plan.get("repeated", [])
    forced = [again for again in repeated if not again.get("allowed")]
    if plan["repeats"] and (forced or not repeated):  # pairs a facilitator allowed are no accident
        text += f" — {mrkdwn(plan.get('repeat_reason', 'unavoidable with these members'))}"
    named = repeated_text(plan)
    return text + ("\n" + named if named else "")


def report_text(report: RoundReport, *, seats: bool = True) -> str:
    """The progress message as the round's report stands; `seats`: a re-match could seat someone of a
    circle the round could not make."""
    problems = report.problems
    refused = refused_everywhere(problems)
    return progress_text(report.plan, report.progress, problem_lines(problems), refused=refused, seats=seats)


def progress_text(
    round_plan: RoundPlan,
    progress: Progress,
    problems: list[str] | None = None,
    *,
    refused: str | None = None,
    seats: bool = True,
) -> str:
    """A facilitator's running account of the circles and pairs made ready in Slack, and what went wrong;
    `refused`: Slack's code when it refused the workspace's channels (bot.creation_refusals)."""
    name = mrkdwn(round_plan.cohort_name)
    what = "a re-match" if round_plan.plan.get("rematch") else f"round {round_plan.round}"
    state = "Done" if progress.finished else "Creating"
    text = f"{state}: {what} of *{name}* — {progress.done} of {progress.total} circles and pairs ready"
    if progress.failed:
        text += f", {progress.failed} with a problem"
    if progress.not_needed:  # a pair that ended, a circle everyone left, before Slack made it
        text += f", {progress.not_needed} no longer needed"
    text += "." if progress.finished else f"… {_time_left(progress)}"
    shown = (problems or [])[:SHOWN_PROBLEMS]
    if problems and len(problems) > SHOWN_PROBLEMS:
        shown.append(f"…and {len(problems) - SHOWN_PROBLEMS} more.")
    if shown:  # what the facilitator can do about them, said before the list can be cut
        text += " " + _way_forward(round_plan.slug, progress, refused, seats)
    return clip_mrkdwn(text + ("\n" + "\n".join(shown) if shown else ""), MESSAGE_TEXT)


def _way_forward(slug: str, progress: Progress, refused: str | None, seats: bool) -> str:
    # Slack would refuse the channels again, whenever asked: what can be changed first.
    said = [refused_advice(refused, slug)] if refused else []
    if not progress.finished:
        return said[0] if said else f"`/circles match {slug}` tries again what had a problem."
    if unmade := progress.unmade_pairs:  # ended as never made: nobody kept apart, nobody told
        what, has = ("The pair", "has") if unmade == 1 else (f"The {unmade:,} pairs", "have")
        said.append(
            f"{what} whose conversation could not be opened {has} ended unmade (nobody was introduced): "
            f"each person in {'it' if unmade == 1 else 'them'} can be matched again, with "
            f"`/circles match {slug} @someone` or in the next round."
        )
    # A circle never made seats nobody now: a re-match may place its people in one made with room.
    if (progress.failed > unmade or not said) and seats:
        said.append(f"To place someone of a circle that could not be made: `/circles match {slug} @someone`.")
    elif not said:  # every circle made is full: the re-match would say so
        said.append(
            f"The next round places the people of a circle that could not be made: `/circles match {slug}`."
        )
    return " ".join(said)


def _time_left(progress: Progress) -> str:
    """How long the calls still to make take at Slack's limits: the slowest method sets the pace."""
    waits = (calls * SLACK_LIMITS.seconds_between(method) for method, calls in progress.waiting.items())
    seconds = max(waits, default=0.0)
    minutes = round(seconds / 60)
    if seconds < 60:
        return "Less than a minute to go."
    return "About a minute to go." if minutes == 1 else f"About {minutes} minutes to go."


def confirmed_text(round_plan: RoundPlan) -> str:
    """The answer to Confirm: the round is being created, or (pressed again later) it is ready already."""
    if round_plan.status is RunStatus.COMPLETE:
        return (
            f"Round {round_plan.round} of *{mrkdwn(round_plan.cohort_name)}* was confirmed earlier and is "
            "ready: its circles and pairs are in Slack. `/circles match` previews the next one."
        )
    return (
        f"Confirmed round {round_plan.round}: creating it now. Your DM with Circles shows how far it has got."
    )


def resuming_text(report: RoundReport) -> str:
    """A facilitator ran `/circles match` while a round is still being created: it carries on by itself."""
    plan, progress = report.plan, report.progress
    return (
        f"Finishing round {plan.round} of *{mrkdwn(plan.cohort_name)}*, started earlier: "
        f"{progress.done} of {progress.total} circles and pairs ready. The rest follows by itself, "
        "and your DM with Circles shows how far it has got."
    )
