"""A match preview's Confirm and "allow again" buttons; the dispatcher creates a confirmed round in Slack."""

from __future__ import annotations

import re

from bot.listeners.incoming import Incoming, parse_id
from bot.views.errors import friendly_message
from bot.views.matching import confirmed_text, preview_message
from circles.errors import RoundBeingCreated, StalePreview
from circles.services.matching.overrides import allow_pair_again
from circles.services.matching.rematch import preview_rematch
from circles.services.matching.rounds import RoundPlan, confirm_round, preview_round, unfinished_round

SLUG = re.compile(r"^[a-z0-9-]{1,40}$")
USER = re.compile(r"^[UW][A-Z0-9]{1,31}$")
OUT_OF_DATE = "That button is out of date. Run `/circles match` again for a fresh preview."


def confirm_clicked(incoming: Incoming) -> None:
    deps, value = incoming.deps, str(incoming.body["actions"][0].get("value", ""))
    run_id = parse_id(value)
    if run_id is None:
        incoming.say(OUT_OF_DATE)
        return
    try:
        confirmed = incoming.as_facilitator(confirm_round, run_id, now=deps.clock())
    except StalePreview as stale:
        offer_fresh_preview(incoming, stale)
        return
    incoming.respond(text=confirmed_text(confirmed), replace_original=True)


def offer_fresh_preview(incoming: Incoming, stale: StalePreview) -> None:
    """Say that the preview was not used, and show a fresh one to confirm instead."""
    fresh = _fresh_preview(incoming, stale)
    incoming.say(friendly_message(stale))
    incoming.reply(preview_message(fresh))


def allow_again_clicked(incoming: Incoming) -> None:
    """Allow one ended pair to be matched again, and replace the preview with a fresh one; a button for an
    ending that is no longer the pair's latest offers a fresh preview instead."""
    value = str(incoming.body["actions"][0].get("value", ""))
    parsed, ending = parse_allow_value(value), shown_ending(value)
    if parsed is None or ending is None:  # a button from before buttons named the ending, too
        incoming.say(OUT_OF_DATE)
        return
    slug, first, second, rematch_user = parsed
    if not rematch_user:
        _no_round_being_created(incoming, slug)
    try:
        fresh = incoming.as_facilitator(
            allow_pair_again,
            slug,
            (first, second),
            rematch_user_id=rematch_user,
            ending=ending,
            now=incoming.deps.clock(),
        )
    except StalePreview as stale:
        offer_fresh_preview(incoming, stale)
        return
    message = preview_message(fresh)
    incoming.respond(
        text=message.text, blocks=message.block_dicts(), response_type="ephemeral", replace_original=True
    )


def parse_allow_value(value: str) -> tuple[str, int, int, str | None] | None:
    """The cohort, the pair and any re-matched user from a button value (hostile input); None if malformed."""
    slug, *rest = value.partition("#")[0].split(":")
    if len(rest) not in (2, 3) or not SLUG.match(slug):
        return None
    first, second = parse_id(rest[0]), parse_id(rest[1])
    user = rest[2] if len(rest) == 3 else None
    if first is None or second is None or (user is not None and not USER.match(user)):
        return None
    return slug, first, second, user


def shown_ending(value: str) -> int | None:
    """The ending an "Allow again" button was shown for, after its value's "#"; None if none or malformed."""
    _, sep, ending = value.partition("#")
    return parse_id(ending) if sep else None


def _fresh_preview(incoming: Incoming, stale: StalePreview) -> RoundPlan:
    now = incoming.deps.clock()
    if stale.rematch_user_id:
        return incoming.as_facilitator(preview_rematch, stale.slug, stale.rematch_user_id, now=now)
    _no_round_being_created(incoming, stale.slug)
    return incoming.as_facilitator(preview_round, stale.slug, now=now)


def _no_round_being_created(incoming: Incoming, slug: str) -> None:
    """One round at a time: a fresh round is offered only once the last one is created in Slack."""
    unfinished = incoming.as_facilitator(unfinished_round, slug)
    if unfinished is not None:
        raise RoundBeingCreated(unfinished.slug, unfinished.cohort_name, unfinished.round)
