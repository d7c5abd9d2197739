"""What a person is told when a cohort, its membership, its settings or its rounds refuse a request."""

from __future__ import annotations

from bot.views.availability import day_words
from bot.views.errors.words import Words, problems_after, typed
from bot.views.text import mrkdwn
from circles.errors import cohorts as errors
from circles.errors.base import CirclesError


def _not_found(error: errors.CohortNotFound) -> str:
    text = f"I can't find a cohort called `{typed(error.slug)}`."
    if error.suggestions:
        return text + " Did you mean " + " or ".join(f"`{s}`" for s in error.suggestions) + "?"
    return text + " Check the name with your facilitator."


def _nothing_to_resume(error: errors.NothingToResume) -> str:
    text = "You are not paused anywhere, so there is nothing to resume."
    if error.away_until is None:
        return text
    return f"{text} You're away until *{day_words(error.away_until)}*; back sooner? `/circles back`."


def _ended(error: errors.CohortEnded) -> str:
    named = " and ".join(f"`{typed(slug)}`" for slug in error.slugs)
    came = "has come to its end" if len(error.slugs) == 1 else "have come to their end"
    if error.facilitating:
        return (
            f"{named} {came}, so this partnership can no longer be paused. Nothing was changed and nobody "
            "was told. You can still end the partnership or resolve this alert."
        )
    return (
        f"{named} {came}, so there is nothing to pause or resume. Nothing was changed and nobody was told. "
        "Your facilitators can tell you what comes next."
    )


MESSAGES: dict[type[CirclesError], Words] = {
    errors.WorkspaceUnknown: (
        "Circles has not been set up in this workspace yet. Ask an admin to install it."
    ),
    errors.NotAllowedToCreateCohorts: (
        "Only workspace admins and the people listed as Circles admins can create cohorts. "
        "If you would like to run one, ask an admin to create it and add you as a facilitator."
    ),
    errors.NotAFacilitator: lambda e: (
        f"Only the facilitators of `{typed(e.slug)}` can do that. Nothing was changed."
    ),
    errors.SlugTaken: lambda e: (
        f"There is already a cohort called `{typed(e.slug)}` here. Pick another short name."
    ),
    errors.CohortNotFound: _not_found,
    errors.InvalidCohortSettings: problems_after("Some settings need another look"),
    errors.RoleNotOffered: lambda e: (
        "This cohort takes " + ", ".join(e.offered) + f" members, not {typed(e.role)}."
    ),
    errors.NotAMember: lambda e: (
        f"You are not in `{typed(e.slug)}`." if e.slug else "You are not in any cohort right now."
    ),
    errors.WhichCohort: lambda e: (
        "You are in more than one cohort — say which: " + ", ".join(f"`/circles leave {s}`" for s in e.slugs)
    ),
    errors.InvalidPause: "Pause for a whole number of weeks from 1 to 26, e.g. `/circles pause 2`.",
    errors.StalePreview: lambda e: (
        f"Members or settings of `{typed(e.slug)}` changed since this preview, so it was not used. "
        "Here is a fresh one."
    ),
    errors.PersonNotInCohort: lambda e: f"<@{e.user_id}> is not an active member of `{typed(e.slug)}`.",
    errors.NoRoundYet: lambda e: (
        f"`{typed(e.slug)}` has no circles or partnerships yet: run `/circles match {typed(e.slug)}` "
        "to form the first round."
    ),
    errors.NothingToMatch: lambda e: (
        f"`{typed(e.slug)}` has {e.active} active member{'s' if e.active != 1 else ''}: "
        "at least two are needed to match anyone."
    ),
    errors.RoundBeingCreated: lambda e: (
        f"Round {e.round} of {mrkdwn(e.name)} is still being created in Slack, so no new round was made. "
        f"`/circles match {typed(e.slug)}` shows how far it has got; match again once it is done."
    ),
    errors.NothingToResume: _nothing_to_resume,
    errors.CohortEnded: _ended,
    errors.NotInAnyCohort: (
        "Profiles and the directory are for the people in a cohort, so join one first: "
        "ask your facilitator for its name, then `/circles join &lt;cohort&gt;`."
    ),
    errors.InvalidProfile: problems_after("Some of your profile needs another look"),
    errors.ProfileNotShared: (
        "I can't show that profile: profiles are shared only between people in the same cohort."
    ),
    errors.CohortSettingsChanged: lambda e: (
        f"Not saved: someone changed the settings of `{e.slug}` after you opened this form, and saving it "
        f"would undo their change. Open `/circles cohort config {e.slug}` again to see them, then make yours."
    ),
}
