"""Modal submissions (`view_submission`): every callback_id of a form the app opens.

A form whose mistakes show inline checks its fields in the ack itself (no database, no Slack call);
its work, like everything else here, runs after the ack (bot.listeners.incoming).
"""

from __future__ import annotations

from collections.abc import Callable
from functools import partial

from slack_bolt import App

from bot import ids
from bot.deps import Deps
from bot.listeners.incoming import Work, ack_now, after_ack
from bot.listeners.views import (
    availability,
    checkins,
    cohort_config,
    endings,
    escalations,
    match_conflicts,
    nudges,
    profiles,
    support,
    surveys,
)


def register(app: App, deps: Deps) -> None:
    def on(callback_id: str, work: Work, ack: Callable[..., None] = ack_now) -> None:
        app.view(callback_id)(ack=ack, lazy=[after_ack(work, deps)])

    on(ids.PROFILE_VIEW, profiles.save_submission, ack=profiles.check_submission)
    on(ids.COHORT_CONFIG_VIEW, cohort_config.save, ack=partial(cohort_config.check_form, deps=deps))
    on(ids.MATCH_CONFLICT_VIEW, match_conflicts.save_form, ack=match_conflicts.check_form)
    on(ids.PARTNERSHIP_END_VIEW, endings.end_submitted, ack=endings.close_end_form)
    on(ids.DIGEST_DAYS_VIEW, nudges.days_chosen, ack=nudges.check_days_form)
    on(ids.CHECKIN_VIEW, checkins.form_sent, ack=checkins.check_form)
    on(ids.SURVEY_VIEW, surveys.form_sent, ack=surveys.check_form)
    # Sending happens in the ack, so a refusal shows on the form; the lazy part only wakes the sender.
    on(ids.SUPPORT_VIEW, support.wake_sender, ack=partial(support.send_form, deps=deps))
    on(ids.ESCALATION_RESOLVE_VIEW, escalations.resolve_submitted)
    on(ids.AWAY_VIEW, availability.away_chosen, ack=partial(availability.check_away_form, deps=deps))
    on(ids.HOURS_VIEW, availability.hours_chosen, ack=partial(availability.check_hours_form, deps=deps))
