"""`/circles join`, `leave`, `pause`, `resume` and `status`."""

from __future__ import annotations

import logging

from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError

from bot.listeners.actions.membership import complete_join
from bot.listeners.commands.request import CommandRequest
from bot.slack_refusals import could_not_reach, open_dm
from bot.views.availability import resumed_answer
from bot.views.membership import choose_role, erasure_offer, left_message, when
from bot.views.relationships import status_message
from bot.views.text import mrkdwn, quote_typed
from circles.domain.cohort_rules.slugs import closest_slugs, typed_slug
from circles.errors import InvalidPause
from circles.services.people.erasable import erasable
from circles.services.people.membership import MAX_PAUSE_WEEKS, Left, join_choice, leave, pause, resume_pause
from circles.services.people.status import my_status, runs_count

logger = logging.getLogger(__name__)


def join_cohort(request: CommandRequest) -> None:
    if not request.parsed.args:
        request.say(
            "Which cohort? Use `/circles join &lt;cohort&gt;` with the short name your facilitator gave you."
        )
        return
    if len(request.parsed.args) > 1:  # a cohort's short name is one word: join one at a time
        request.say(
            "Nothing was changed: join one cohort at a time, `/circles join &lt;cohort&gt;`, with the "
            "one-word short name your facilitator gave you."
        )
        return
    choice = join_choice(
        request.deps.db.unit_of_work(), request.team_id, request.parsed.args[0], request.user_id
    )
    if choice.current_role is not None:
        request.say(
            f"You are already in *{mrkdwn(choice.name)}* as a {choice.current_role.value} — nothing to do."
        )
    elif len(choice.roles) == 1:
        complete_join(request, choice.slug, choice.roles[0])
    else:
        request.reply(choose_role(choice.slug, choice.name, choice.roles))


def leave_cohort(request: CommandRequest) -> None:
    if len(request.parsed.args) > 1:  # a typo must not end someone's partnerships
        request.say(
            "Nothing was changed. Use `/circles leave`, or `/circles leave &lt;cohort&gt;` "
            "when you are in more than one."
        )
        return
    slug = request.parsed.args[0] if request.parsed.args else None
    if erasable(request.deps.db.unit_of_work(), request.team_id, request.user_id):
        # In no cohort (left without erasing, or theirs archived): nothing to leave, named or not.
        request.reply(erasure_offer())
        return
    deps = request.deps  # the admins hear of a circle left short that no facilitator can read about now
    admins = deps.circles_admins(request.team_id)
    left = leave(deps.db.unit_of_work(), request.team_id, slug, request.user_id, deps.clock(), admins=admins)
    request.reply(left_message(left.slug, len(left.former_partners)))
    unreached = unreachable_partners(request.client, left)
    if unreached:
        request.say(could_not_reach(*unreached))


def pause_membership(request: CommandRequest) -> None:
    args = request.parsed.args
    if len(args) > 1 or (args and not (args[0].isascii() and args[0].isdigit())):
        request.say(
            "Use `/circles pause` to pause until you resume, "
            "or `/circles pause &lt;weeks&gt;` (e.g. `pause 2`)."
        )
        return
    digits = (args[0].lstrip("0") or "0") if args else None
    if digits is not None and len(digits) > len(str(MAX_PAUSE_WEEKS)):  # more weeks than a pause takes
        raise InvalidPause()
    weeks = int(digits) if digits is not None else None
    until = pause(
        request.deps.db.unit_of_work(), request.team_id, request.user_id, weeks, request.deps.clock()
    )
    ending = f"until {when(until)}" if until else "until you type `/circles resume`"
    request.say(f"Paused {ending}. No prompts or check-ins reach you meanwhile; take the time you need.")


def resume_membership(request: CommandRequest) -> None:
    if request.parsed.args:  # a pause covers every cohort, so does its end: nothing is resumed on a guess
        request.say("Use `/circles resume` on its own: it ends your pause in every cohort you paused.")
        return
    db, clock = request.deps.db, request.deps.clock
    request.say(resumed_answer(resume_pause(db.unit_of_work(), request.team_id, request.user_id, clock())))


def show_status(request: CommandRequest) -> None:
    if len(request.parsed.args) > 1:
        request.say("Use `/circles status`, or `/circles status &lt;cohort&gt;` for one cohort.")
        return
    slug = typed_slug(request.parsed.args[0]) if request.parsed.args else None
    statuses = my_status(  # it only reads: nobody's check-in waits for it
        request.deps.db.reading(), request.team_id, request.user_id, request.deps.clock(), slug=slug
    )
    if slug is not None and not statuses:
        mine = my_status(request.deps.db.reading(), request.team_id, request.user_id, request.deps.clock())
        near = closest_slugs(slug, [cohort.slug for cohort in mine])
        meant = " Did you mean " + " or ".join(f"`{s}`" for s in near) + "?" if near else ""
        request.say(
            f"You are not in `{quote_typed(slug)}`.{meant} `/circles status` shows every cohort you are in."
        )
        return
    runs = 0 if statuses else runs_count(request.deps.db.reading(), request.team_id, request.user_id)
    request.reply(status_message(statuses, runs))


# Former partners asked about, at most, whoever leaves: conversations.open is Tier 3 (about 50 a minute
# for the whole workspace, and the dispatcher's pair conversations draw on it too), so a coach leaving forty
# learners must not spend it, nor wait out its limit. The others' notices go through the outbox as ever.
PARTNERS_ASKED_ABOUT = 5


def unreachable_partners(client: WebClient, left: Left) -> list[str]:
    """The former partners Slack cannot reach at all (gone, disabled), among the first few: their notice,
    waiting in the outbox for their window, will never arrive. Opening a DM posts nothing, so nobody is
    woken to find out; a partner Slack could not be asked about (it erred) is left to the outbox, which
    retries. Slack out of reach (timed out, connections refused) is not asked again: the leave stands."""
    unreached = []
    for partner in left.former_partners[:PARTNERS_ASKED_ABOUT]:
        try:
            if open_dm(client, partner) is None:
                unreached.append(partner)
        except SlackApiError:
            continue
        except OSError as error:
            logger.warning(
                "could not ask Slack about former partners after a leave: %s", type(error).__name__
            )
            break
    return unreached
