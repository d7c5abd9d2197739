"""Buttons and menus (`block_actions`): every action_id the app's messages, Home and modals carry.

Each is acked at once; its work runs after the ack (bot.listeners.incoming). Ids live in bot/ids.py.
"""

from __future__ import annotations

import re

from slack_bolt import App

from bot import ids
from bot.deps import Deps
from bot.listeners.actions import (
    availability,
    checkins,
    cohort_config,
    consent,
    directory,
    endings,
    escalation_partnership,
    escalations,
    health,
    home,
    match_conflicts,
    match_list,
    matching,
    membership,
    nudges,
    profiles,
    relationships,
    research_export,
    support,
    surveys,
)
from bot.listeners.incoming import Work, ack_now, after_ack


def register(app: App, deps: Deps) -> None:
    def on(action_id: str | re.Pattern[str], work: Work) -> None:
        app.action(action_id)(ack=ack_now, lazy=[after_ack(work, deps)])

    def starting(prefix: str) -> re.Pattern[str]:  # ids with a suffix, e.g. "join_as_role:mentor"
        return re.compile(f"^{prefix}:")

    on(ids.HOME_CONFIGURE_COHORT, cohort_config.open_from_button)
    on(ids.HOME_EDIT_PROFILE, profiles.edit_from_home)
    on(ids.HOME_OPEN_DIRECTORY, directory.open_from_home)
    on(starting(ids.HOME_RUNS_PAGE), home.turn_runs_page)
    on(ids.DIRECTORY_REQUEST, directory.request_chosen)
    on(ids.DIRECTORY_SEE_ALL, directory.open_all)
    on(starting(ids.DIRECTORY_PAGE), directory.turn_page)
    on(ids.REQUEST_ACCEPT, directory.accepted)
    on(ids.REQUEST_DECLINE, directory.declined)
    on(ids.REQUEST_WITHDRAW, directory.withdrawn_by_learner)
    on(starting(ids.JOIN_AS_ROLE), membership.role_chosen)
    on(ids.LEAVE_ERASE, membership.erase_chosen)
    on(ids.MATCH_CONFIRM, matching.confirm_clicked)
    on(ids.MATCH_ALLOW_AGAIN, matching.allow_again_clicked)
    on(ids.MATCH_SEE_ALL, match_list.open_round)
    on(starting(ids.MATCH_LIST_PAGE), match_list.turn_page)
    on(ids.MATCH_CONFLICT_OPEN, match_conflicts.open_form)
    on(ids.PARTNERSHIP_PAUSE, endings.pause_clicked)
    on(ids.PARTNERSHIP_RESUME, endings.resume_clicked)
    on(ids.PARTNERSHIP_END_OPEN, endings.open_end_form)
    on(starting(ids.REMATCH_OFFER), endings.rematch_offered)
    on(ids.RELATIONSHIPS_MORE, relationships.show_all_partners)
    on(starting(ids.RELATIONSHIPS_PAGE), relationships.turn_page)
    on(ids.NUDGE_MUTE, nudges.mute_clicked)
    on(ids.DIGEST_MORE, nudges.open_full_digest)
    on(ids.DIGEST_DAYS_OPEN, nudges.open_days_form)
    on(re.compile(rf"^{ids.CHECKIN_RATE}_[1-5]$"), checkins.rating_tapped)
    on(ids.CHECKIN_OPEN, checkins.open_form)
    on(ids.CHECKIN_OPEN_SUPPORT, checkins.open_form_for_support)
    on(ids.CHECKIN_START, checkins.start_chosen)
    on(ids.SURVEY_OPEN, surveys.open_form)
    on(ids.SUPPORT_OPEN, support.open_from_button)
    on(ids.ESCALATION_CLAIM, escalations.claim_clicked)
    on(ids.ESCALATION_SNOOZE, escalations.snooze_chosen)
    on(ids.ESCALATION_RESOLVE_OPEN, escalations.open_resolve_form)
    on(ids.ESCALATION_PAUSE, escalation_partnership.pause_clicked)
    on(ids.ESCALATION_END, escalation_partnership.end_clicked)
    on(ids.ESCALATION_REMATCH, escalation_partnership.rematch_clicked)
    on(ids.HOME_AWAY_OPEN, availability.open_away_form)
    on(ids.HOME_BACK, availability.back_clicked)
    on(ids.HOME_HOURS_OPEN, availability.open_hours_form)
    on(ids.CONSENT_GIVE, consent.agree_clicked)
    on(ids.CONSENT_WITHDRAW, consent.withdraw_clicked)
    on(ids.RESEARCH_EXPORT, research_export.export_clicked)
    on(ids.HEALTH_SEE_ALL, health.open_board)
    on(starting(ids.HEALTH_LIST_PAGE), health.turn_page)
