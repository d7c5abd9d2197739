"""The support form, opened from a button or `/circles support`; what its buttons and metadata carry."""

from __future__ import annotations

from bot.listeners.incoming import Incoming, parse_id
from bot.listeners.surfaces import tell
from bot.views.errors import friendly_message
from bot.views.support_form import support_modal
from circles.domain.cohort_rules import slug_problem
from circles.errors import CirclesError
from circles.services.support.form import SupportAbout, support_form

OUT_OF_DATE = "That button is out of date: `/circles support` opens the form afresh."


def parse_support_value(value: object) -> SupportAbout | None:
    """What a button value or the form's metadata asks about; None for anything this app never wrote."""
    if not isinstance(value, str):
        return None
    if value == "":
        return SupportAbout()
    kind, colon, rest = value.partition(":")
    if kind == "c" and colon and slug_problem(rest) is None:
        return SupportAbout(cohort_slug=rest)
    partnership_id = parse_id(rest) if kind == "p" and colon else None
    return SupportAbout(partnership_id=partnership_id) if partnership_id is not None else None


def open_support_form(person: Incoming, about: SupportAbout, *, in_modal: bool = False) -> None:
    """Open the form for what the person may ask about, saying who would read it: one quick read, then
    views.open."""
    deps = person.deps
    admins = deps.circles_admins(person.team_id)  # who hears it when no facilitator may
    form = person.as_person(support_form, about, deps.clock(), admins=admins)
    if in_modal:  # pressed inside a modal (the list of someone's partners): stack the form on top
        person.client.views_push(trigger_id=person.trigger_id, view=support_modal(form))
    else:
        person.client.views_open(trigger_id=person.trigger_id, view=support_modal(form))


def open_from_button(incoming: Incoming) -> None:
    """A support button (in a DM, a status message or Home): refusals reach the person privately."""
    actions = incoming.body.get("actions") or [{}]
    # Slack leaves an empty value out of the payload, so a button without one means "".
    about = parse_support_value(actions[0].get("value", "") if isinstance(actions[0], dict) else None)
    if about is None:
        tell(incoming, OUT_OF_DATE)
        return
    try:
        open_support_form(incoming, about, in_modal=(incoming.body.get("view") or {}).get("type") == "modal")
    except CirclesError as refused:
        tell(incoming, friendly_message(refused))
