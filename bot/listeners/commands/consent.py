"""`/circles consent`, `/circles consent yes <cohort>` and `/circles consent no <cohort>`."""

from __future__ import annotations

from bot.listeners.commands.request import CommandRequest
from bot.views.consent import CONSENT_USAGE, consent_message, decided_message
from circles.domain.cohort_rules import typed_slug
from circles.services.research.consent import consent_status, decide

ANSWERS = {"yes": True, "no": False}


def consent_command(request: CommandRequest) -> None:
    args = request.parsed.args
    deps = request.deps
    if not args:
        cohorts = consent_status(deps.db.reading(), request.team_id, request.user_id, deps.clock())
        request.reply(consent_message(cohorts))
        return
    words = list(args)
    if words[0].lower() not in ANSWERS or len(words) > 2:
        request.say(CONSENT_USAGE)
        return
    slug = typed_slug(words[1]) if len(words) == 2 else None  # as slugs are kept: `ｐｇｙ１` is `pgy1`
    decided = request.as_person(decide, slug, ANSWERS[words[0].lower()], deps.clock())
    request.reply(decided_message(decided))
