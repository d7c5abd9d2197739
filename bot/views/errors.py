"""What a person is told when something goes wrong: short, kind, never a trace."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from bot.views.text import mrkdwn
from circles.errors import (
    CirclesError,
    CohortNotFound,
    InvalidCohortSettings,
    InvalidPause,
    InvalidSlug,
    NotAFacilitator,
    NotAllowedToCreateCohorts,
    NotAMember,
    NothingToResume,
    RoleNotOffered,
    SlugTaken,
    WhichCohort,
    WorkspaceUnknown,
)

SOMETHING_WENT_WRONG = (
    "Sorry — something went wrong on our side and nothing was changed. Please try again in a minute; "
    "if it keeps happening, let your facilitator know."
)


def _not_found(error: CohortNotFound) -> str:
    text = f"I can't find a cohort called `{mrkdwn(error.slug[:60])}`."
    if error.suggestions:
        return text + " Did you mean " + " or ".join(f"`{s}`" for s in error.suggestions) + "?"
    return text + " Check the name with your facilitator."


_MESSAGES: dict[type[CirclesError], Callable[[Any], str]] = {
    WorkspaceUnknown: lambda e: (
        "Circles has not been set up in this workspace yet. Ask an admin to install it."
    ),
    NotAllowedToCreateCohorts: lambda e: (
        "Only workspace admins and the people listed as Circles admins can create cohorts. "
        "If you would like to run one, ask an admin to create it and add you as a facilitator."
    ),
    NotAFacilitator: lambda e: (
        f"Only the facilitators of `{mrkdwn(e.slug)}` can do that. Nothing was changed."
    ),
    InvalidSlug: lambda e: mrkdwn(e.problem),
    SlugTaken: lambda e: (
        f"There is already a cohort called `{mrkdwn(e.slug)}` here. Pick another short name."
    ),
    CohortNotFound: _not_found,
    InvalidCohortSettings: lambda e: (
        "Some settings need another look: " + "; ".join(mrkdwn(v) for v in e.problems.values())
    ),
    RoleNotOffered: lambda e: (
        "This cohort takes " + ", ".join(e.offered) + f" members, not {mrkdwn(e.role)}."
    ),
    NotAMember: lambda e: (
        f"You are not in `{mrkdwn(e.slug)}`." if e.slug else "You are not in any cohort right now."
    ),
    WhichCohort: lambda e: (
        "You are in more than one cohort — say which: " + ", ".join(f"`/circles leave {s}`" for s in e.slugs)
    ),
    InvalidPause: lambda e: "Pause for a whole number of weeks from 1 to 26, e.g. `/circles pause 2`.",
    NothingToResume: lambda e: "You are not paused anywhere, so there is nothing to resume.",
}


def friendly_message(error: BaseException) -> str:
    """The words for this error: the rule's own message for product errors, a generic apology otherwise."""
    for kind in type(error).__mro__:
        if kind in _MESSAGES:
            return _MESSAGES[kind](error)
    if isinstance(error, CirclesError) and str(error):
        return mrkdwn(str(error))
    return SOMETHING_WENT_WRONG
