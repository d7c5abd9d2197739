"""The cohort settings form, sent: its own rules checked in the ack (with the stored settings it lacks, when
it lacks any: one short read), saved after it with every rule again."""

from __future__ import annotations

import logging
from datetime import date
from functools import partial
from typing import Any

from slack_bolt import Ack
from slack_sdk.errors import SlackApiError

from bot.deps import Deps, note_decrypt
from bot.edge.tenant import tenant_of
from bot.errors import explained
from bot.listeners.incoming import Incoming
from bot.listeners.modals import answer_on_form
from bot.slack_people import of_tenant
from bot.slack_refusals import after_the_change, send_dm, slack_failure
from bot.views.cohort_config import config_modal, opened_with
from bot.views.cohort_config_start import form_kept_start
from bot.views.cohort_config_submission import (
    errors_by_block,
    out_of_date,
    read_submission,
    submitted_values,
)
from bot.views.cohort_research import unsent_research
from bot.views.kept_completed import settings_saved
from bot.views.loading import loading_modal
from circles.domain.cohort_rules import CohortSettings, settings_problems
from circles.domain.cohort_rules.start import start_problem
from circles.domain.tenants import TenantKind
from circles.errors import CirclesError
from circles.services.cohorts.config import cohort_config, configure_cohort
from instruments.catalog import catalogue
from prompts.tracks import track_names

logger = logging.getLogger(__name__)
# New facilitators one form may name, each asked about with one users.info.
MOST_NEW_FACILITATORS = 20


def check_form(ack: Ack, body: dict[str, Any], deps: Deps) -> None:
    """Ack at once: the form's own rules come back on the form; who may save is checked after the ack."""
    organisation = tenant_of(body).kind is TenantKind.ORGANISATION
    problems = form_problems(
        body,
        deps.clock().date(),
        surveys_offered(deps),
        organisation=organisation,
        stored=kept_from(body, deps),
    )
    if problems:
        ack(response_action="errors", errors=problems)
        return
    ack(response_action="update", view=loading_modal("Cohort settings"))


def surveys_offered(deps: Deps) -> frozenset[str]:
    """The names of the survey instruments a cohort may plan."""
    return frozenset(catalogue(deps.settings.circles_instruments_dir))


def form_problems(
    body: dict[str, Any],
    today: date,
    surveys: frozenset[str],
    *,
    organisation: bool = False,
    stored: CohortSettings | None = None,
) -> dict[str, str]:
    """What is wrong with the submitted form by its own rules, by block; empty when it may be saved.
    `organisation`: the tenant installed org-wide, whose circles meet in group DMs. `stored`: the cohort's
    settings, for those the form lacks (`kept_from`): the rules see what would be saved."""
    values = submitted_values(body)
    settings, facilitators, unreadable = read_submission(values)
    missing = out_of_date(values)  # a form lacking a field would save its default over it
    if missing or unreadable:
        return missing or unreadable
    keep = unsent_research(values) if stored is not None else ()
    settings = settings.with_changes(**{name: getattr(stored, name) for name in keep})
    tracks = frozenset(track_names())
    problems = settings_problems(settings, tracks, today, surveys, organisation=organisation, kept=keep)
    if not facilitators:
        problems["facilitators"] = "A cohort needs at least one facilitator."
    if "starts_on" not in problems:  # the start a cohort begun when the form was opened keeps
        problems.update(start_problem(form_kept_start(body), settings.starts_on))
    return errors_by_block(problems)


def save(incoming: Incoming) -> None:
    """Save in one short transaction, every rule checked again; the form then says saved, or why not."""
    body, deps = incoming.body, incoming.deps
    surveys = surveys_offered(deps)
    organisation = incoming.tenant.kind is TenantKind.ORGANISATION
    stored = kept_from(body, deps)  # read as the ack read it, so the two agree on what it showed
    if form_problems(body, deps.clock().date(), surveys, organisation=organisation, stored=stored):
        return  # shown on the form
    settings, facilitators, _ = read_submission(submitted_values(body))
    slug, opened_as = opened_with(str((body.get("view") or {}).get("private_metadata") or ""))
    keep = unsent_research(submitted_values(body))
    try:
        refusal = strangers_refusal(incoming, slug, facilitators)
        if refusal is not None:  # the form again, as sent: nothing typed is lost
            _form_again(incoming, slug, opened_as, (settings, facilitators, keep), refusal)
            return
        saved = incoming.as_facilitator(
            configure_cohort,
            slug,
            settings,
            facilitators,
            now=deps.clock(),
            known_tracks=frozenset(track_names()),
            known_surveys=surveys,
            keep=keep,
            decrypt=note_decrypt(deps),
            opened_as=opened_as,
            admins=deps.circles_admins(incoming.team_id),  # a released alert no facilitator may hear of
        )
    except Exception as error:  # refused, or a fault (logged in full): said on the form, not "One moment…"
        _tell(incoming, explained(error, body))
        return
    logger.info("cohort %s configured by %s", slug, incoming.user_id)
    _tell(incoming, settings_saved(slug, saved.kept_completed), saved=True)


def kept_from(body: dict[str, Any], deps: Deps) -> CohortSettings | None:
    """The cohort's stored settings when the form lacks some (opened before it had them, or with no
    surveys to offer), which are saved as stored; None when it lacks none, or the person is neither a
    facilitator of the cohort nor in CIRCLES_ADMINS (a workspace admin is known only by asking Slack, not in
    an ack: the save checks every rule again for them). One short read, in the ack too."""
    values = submitted_values(body)
    if out_of_date(values) or not unsent_research(values):
        return None
    view, person = body.get("view"), body.get("user")
    metadata = view.get("private_metadata") if isinstance(view, dict) else None
    user = person.get("id") if isinstance(person, dict) else None
    if not isinstance(metadata, str) or not isinstance(user, str):
        return None
    slug, _ = opened_with(metadata)
    tenant = tenant_of(body).key
    admin = user in deps.circles_admins(tenant)
    try:
        return cohort_config(deps.db.reading(), tenant, slug, user_id=user, is_admin=admin).settings
    except CirclesError:  # not theirs, or no such cohort: the save says so
        return None


def strangers_refusal(incoming: Incoming, slug: str, facilitators: list[str]) -> str | None:
    """Why the facilitators cannot be saved: someone new among them whom Slack does not know as one of the
    tenant's people (a form can name anyone); None when all are. Only the new ones are asked about, at
    most MOST_NEW_FACILITATORS of them: a form naming more is refused without asking Slack at all."""
    current = incoming.as_facilitator(cohort_config, slug).facilitators  # also: may this person save?
    new = sorted(set(facilitators) - set(current))
    if len(new) > MOST_NEW_FACILITATORS:
        return f"Not saved: add at most {MOST_NEW_FACILITATORS} new facilitators at a time."
    tenant = incoming.tenant
    known = {user: of_tenant(incoming.client, user, tenant) for user in new}
    strangers = [user for user, ok in known.items() if ok is False]
    where = "organisation" if tenant.kind is TenantKind.ORGANISATION else "workspace"
    if strangers:
        named = ", ".join(f"<@{user}>" for user in strangers)
        verb = "is" if len(strangers) == 1 else "are"
        return f"Not saved: {named} {verb} not in this {where}. Choose facilitators from the list."
    if None in known.values():
        return (
            "Not saved: Slack could not confirm the new facilitators just now. Please try again in a moment."
        )
    return None


def _form_again(
    incoming: Incoming,
    slug: str,
    opened_as: str | None,
    sent: tuple[CohortSettings, list[str], tuple[str, ...]],
    note: str,
) -> None:
    """Show the settings form again as it was sent, `note` at the top saying what to change, with the
    private_metadata it was opened with (a form changed meanwhile is still refused as stale). Settings a
    form lacked (opened before it had them) are shown as stored. In the DM when the form has gone."""
    settings, facilitators, keep = sent
    if keep:
        stored = incoming.as_facilitator(cohort_config, slug).settings
        settings = settings.with_changes(**{name: getattr(stored, name) for name in keep})
    surveys = catalogue(incoming.deps.settings.circles_instruments_dir)
    kept = form_kept_start(incoming.body)
    form = config_modal(
        slug, settings, facilitators, track_names(), surveys, opened_as or "", note=note, start_kept=kept
    )
    view_id = (incoming.body.get("view") or {}).get("id")
    try:
        if view_id:
            incoming.client.views_update(view_id=view_id, view=form)
            return
    except (SlackApiError, OSError) as error:  # closed meanwhile, or Slack did not answer
        logger.info("the settings form could not be shown again (%s)", slack_failure(error))
    send_dm(incoming.client, incoming.user_id, note)


def _tell(incoming: Incoming, text: str, *, saved: bool = False) -> None:
    """Answer on the form itself, which shows "One moment…" since the ack; in the person's DM when it has
    gone (closed meanwhile: a save is never reported as a failure) or was not Slack's. A save stands
    whatever Slack does with the DM saying so."""
    if answer_on_form(incoming, text):
        return
    if saved:
        after_the_change(
            "saying settings were saved", partial(send_dm, incoming.client, incoming.user_id, text)
        )
    else:
        send_dm(incoming.client, incoming.user_id, text)
