"""The profile form, opened within the trigger's seconds: from Home, `/circles profile`, or after joining."""

from __future__ import annotations

from bot.listeners.incoming import Incoming
from bot.views.profile import not_in_a_cohort_modal, profile_modal
from circles.services.matching.constraints import own_blocks
from circles.services.people.profiles import profile_form


def open_profile_modal(person: Incoming, note: str | None = None) -> None:
    """Open the form filled with the person's profile: one quick read, then views.open, nothing else."""
    reading, team_id, user_id = person.deps.db.reading, person.team_id, person.user_id
    form = profile_form(reading(), team_id, user_id)
    avoid = own_blocks(reading(), team_id, user_id)
    view = profile_modal(form, note, avoid) if form.in_cohort else not_in_a_cohort_modal()
    person.client.views_open(trigger_id=person.trigger_id, view=view)


def edit_from_home(incoming: Incoming) -> None:
    """The Home tab's "Edit profile" button."""
    open_profile_modal(incoming)
