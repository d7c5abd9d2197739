"""The `/circles` slash command: ack at once, then route the text to one handler."""

from __future__ import annotations

from slack_bolt import App

from bot.deps import Deps
from bot.listeners.commands import availability, cohorts, matching, membership, profiles
from bot.listeners.commands import health as health_command
from bot.listeners.commands import help as help_command
from bot.listeners.commands.checkin import checkin_command
from bot.listeners.commands.consent import consent_command
from bot.listeners.commands.report import send_report
from bot.listeners.commands.request import CommandRequest
from bot.listeners.commands.support import support_command
from bot.listeners.incoming import Incoming, ack_now, after_ack
from bot.subcommands import Audience, Subcommand, parse
from bot.views.text import as_seen, from_slack, quote_typed
from circles.domain.care import DEFAULT_FREE_TEXT_HINT
from circles.domain.text import clean_typed

FACILITATORS = Audience.FACILITATORS

# Every `/circles` subcommand, once: help lists them in this order, and the router calls their handler.
SUBCOMMANDS: tuple[Subcommand, ...] = (
    Subcommand("help", "help", "Show this list.", help_command.show_help),
    Subcommand("join", "join <cohort>", "Join a cohort and choose your role.", membership.join_cohort),
    Subcommand(
        "leave",
        "leave [<cohort>]",
        "Leave a cohort; you can have your personal data erased.",
        membership.leave_cohort,
    ),
    Subcommand(
        "pause", "pause [<weeks>]", "Take a break from prompts and check-ins.", membership.pause_membership
    ),
    Subcommand("resume", "resume", "Come back after a pause.", membership.resume_membership),
    Subcommand(
        "profile",
        "profile",
        "Edit your profile: interests, skills, aspirations, availability.",
        profiles.edit_command,
    ),
    Subcommand("profile @user", "profile @someone", "See someone's profile card.", profiles.show_card),
    Subcommand(
        "coaches",
        "coaches [<topic>]",
        "Browse coaches and mentors, best fit first.",
        profiles.coaches_command,
    ),
    Subcommand(
        "status",
        "status [<cohort>]",
        "Your cohorts, circles, partners and what comes next.",
        membership.show_status,
    ),
    Subcommand("checkin", "checkin", "Answer your partnership check-in now.", checkin_command),
    Subcommand(
        "support",
        "support [<message>]",
        f"Ask your facilitators for help, privately (no message: a form). {DEFAULT_FREE_TEXT_HINT}",
        support_command,
    ),
    Subcommand(
        "away",
        "away <N weeks | until YYYY-MM-DD>",
        "Away on rotation or leave: check-ins pause, partners hear until when (never why).",
        availability.away_command,
    ),
    Subcommand("back", "back", "Back from being away: check-ins carry on.", availability.back_command),
    Subcommand(
        "consent",
        "consent [yes|no <cohort>]",
        "Read the research statement; agree to or withdraw research use of your answers.",
        consent_command,
    ),
    Subcommand(
        "cohort create", "cohort create <slug> <name…>", "Create a cohort.", cohorts.create, FACILITATORS
    ),
    Subcommand(
        "cohort config",
        "cohort config <slug>",
        "Change a cohort's settings.",
        cohorts.configure,
        FACILITATORS,
    ),
    Subcommand(
        "match",
        "match <slug> [preview]",
        "Form circles and partnerships; with @someone after the cohort, re-match one member.",
        matching.match_command,
        FACILITATORS,
    ),
    Subcommand(
        "health",
        "health <slug>",
        "See how the cohort's partnerships are doing.",
        health_command.show_board,
        FACILITATORS,
    ),
    Subcommand(
        "report",
        "report <slug> [individual]",
        "Participation and outcomes for the cohort.",
        send_report,
        FACILITATORS,
    ),
)
_BY_KEY = {sub.key: sub for sub in SUBCOMMANDS}


def register(app: App, deps: Deps) -> None:
    app.command("/circles")(ack=ack_now, lazy=[after_ack(circles, deps)])


def circles(incoming: Incoming) -> None:
    """Answer every `/circles` text: a handler for known subcommands, help for everything else."""
    # Slack sends command text escaped (&amp; &lt; &gt;): undone here once, so handlers and services see
    # what was typed, and every view escapes it once on the way out.
    # Cleaned here too: a NUL or a direction override never reaches the database or a facilitator.
    # Free text (a message, a name, a topic) is read again with Slack's tokens as the words the person
    # saw (`<!here>` as "@here"): handlers that need a mentioned person's ID read the tokens.
    sent = str(incoming.body.get("text") or "")
    text, seen = clean_typed(from_slack(sent)), parse(clean_typed(as_seen(sent)), SUBCOMMANDS)
    request = CommandRequest.from_incoming(incoming, parse(text, SUBCOMMANDS), SUBCOMMANDS, seen=seen)
    parsed = request.parsed
    if parsed.key is None:
        unknown = quote_typed(seen.word)
        help_command.show_help(request, note=f"I don't know `{unknown}`. Here is what I can do:")
        return
    _BY_KEY[parsed.key].handler(request)
