"""What a person is told when something goes wrong: short, kind, never a trace."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from bot.views.text import mrkdwn, quote_typed
from circles.errors import (
    AlreadyPartnered,
    CheckInAlreadyAnswered,
    CheckInClosed,
    CheckInNotYours,
    CheckInSuperseded,
    CirclesError,
    CohortNotFound,
    CohortOver,
    CohortSettingsChanged,
    ConsentStatementChanged,
    ConsentWhichCohort,
    EscalationClosed,
    EscalationNotYours,
    EscalationTaken,
    GuideFull,
    GuideNotAvailable,
    GuidePaused,
    InvalidCheckIn,
    InvalidCohortSettings,
    InvalidPause,
    InvalidProfile,
    InvalidSlug,
    InvalidSupportMessage,
    InvalidSurveyAnswer,
    NoActivePartnership,
    NobodyMayHear,
    NoEndedPartnership,
    NoFacilitators,
    NoRoundYet,
    NotAFacilitator,
    NotALearnerThere,
    NotAllowedToCreateCohorts,
    NotAMember,
    NothingToMatch,
    NothingToResume,
    NotInAnyCohort,
    PartneredBefore,
    PartnershipInAnotherCohort,
    PartnershipNotYours,
    PartnershipOver,
    PersonNotInCohort,
    ProfileNotShared,
    RequestAlreadyOpen,
    RequestClosed,
    RequestLapsed,
    RequestNotForYou,
    RoleNotOffered,
    RoundBeingCreated,
    SlugTaken,
    StalePreview,
    SupportNeedsACohort,
    SupportWhichCohort,
    SurveyAlreadyAnswered,
    SurveyChanged,
    SurveyClosed,
    SurveyNotYours,
    SurveyWaitsForYou,
    WhichCohort,
    WorkspaceUnknown,
)

SOMETHING_WENT_WRONG = (
    "Sorry — something went wrong on our side and nothing was changed. Please try again in a minute; "
    "if it keeps happening, let your facilitator know."
)


def _typed(word: str) -> str:
    """A slug or word as the person may have typed it: short, escaped, unable to break out of code."""
    return quote_typed(word, 60)


def _not_found(error: CohortNotFound) -> str:
    text = f"I can't find a cohort called `{_typed(error.slug)}`."
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
        f"Only the facilitators of `{_typed(e.slug)}` can do that. Nothing was changed."
    ),
    InvalidSlug: lambda e: mrkdwn(e.problem),
    SlugTaken: lambda e: (
        f"There is already a cohort called `{_typed(e.slug)}` here. Pick another short name."
    ),
    CohortNotFound: _not_found,
    InvalidCohortSettings: lambda e: (
        "Some settings need another look: " + "; ".join(mrkdwn(v) for v in e.problems.values())
    ),
    RoleNotOffered: lambda e: (
        "This cohort takes " + ", ".join(e.offered) + f" members, not {_typed(e.role)}."
    ),
    NotAMember: lambda e: (
        f"You are not in `{_typed(e.slug)}`." if e.slug else "You are not in any cohort right now."
    ),
    WhichCohort: lambda e: (
        "You are in more than one cohort — say which: " + ", ".join(f"`/circles leave {s}`" for s in e.slugs)
    ),
    InvalidPause: lambda e: "Pause for a whole number of weeks from 1 to 26, e.g. `/circles pause 2`.",
    StalePreview: lambda e: (
        f"Members or settings of `{_typed(e.slug)}` changed since this preview, so it was not used. "
        "Here is a fresh one."
    ),
    PersonNotInCohort: lambda e: f"<@{e.user_id}> is not an active member of `{_typed(e.slug)}`.",
    PartnershipNotYours: lambda e: "That partnership is not one of yours, so nothing was changed.",
    PartnershipOver: lambda e: (
        "That partnership has already ended; `/circles status` shows where you are now."
    ),
    NoEndedPartnership: lambda e: (
        f"Those two have no ended partnership in `{mrkdwn(e.slug)}`, so there is nothing to allow again. "
        f"Run `/circles match {mrkdwn(e.slug)} preview` for a fresh preview."
    ),
    NoRoundYet: lambda e: (
        f"`{_typed(e.slug)}` has no circles or partnerships yet: run `/circles match {_typed(e.slug)}` "
        "to form the first round."
    ),
    NothingToMatch: lambda e: (
        f"`{_typed(e.slug)}` has {e.active} active member{'s' if e.active != 1 else ''}: "
        "at least two are needed to match anyone."
    ),
    RoundBeingCreated: lambda e: (
        f"Round {e.round} of {mrkdwn(e.name)} is still being created in Slack, so no new round was made. "
        f"`/circles match {_typed(e.slug)}` shows how far it has got; match again once it is done."
    ),
    NothingToResume: lambda e: "You are not paused anywhere, so there is nothing to resume.",
    NotInAnyCohort: lambda e: (
        "Profiles and the directory are for the people in a cohort, so join one first: "
        "ask your facilitator for its name, then `/circles join &lt;cohort&gt;`."
    ),
    InvalidProfile: lambda e: (
        "Some of your profile needs another look: " + "; ".join(mrkdwn(v) for v in e.problems.values())
    ),
    ProfileNotShared: lambda e: (
        "I can't show that profile: profiles are shared only between people in the same cohort."
    ),
    NotALearnerThere: lambda e: (
        f"Only learners in `{_typed(e.slug)}` can ask its coaches and mentors. Nothing was sent."
    ),
    GuideNotAvailable: lambda e: (
        f"They are not taking requests in `{_typed(e.slug)}` right now. "
        "`/circles coaches` shows who is. Nothing was sent."
    ),
    CohortOver: lambda e: (
        f"`{_typed(e.slug)}` has come to its end, so its coaches and mentors take no new partners through "
        "it. Your facilitator can tell you what comes next. Nothing was sent."
    ),
    RequestAlreadyOpen: lambda e: (
        f"You already have a request waiting in `{_typed(e.slug)}`. Once it is answered you can ask "
        "someone else; your facilitator can help if it takes a while. Nothing new was sent."
    ),
    AlreadyPartnered: lambda e: (
        f"You already have a coach or mentor in `{_typed(e.slug)}`. If it is not working out, your "
        "facilitator can help, privately. Nothing was sent."
    ),
    PartneredBefore: lambda e: (
        f"You two have worked together in `{mrkdwn(e.slug)}` before, and that partnership ended. To work "
        "together again, ask your facilitators (`/circles support`): they can allow it. Nothing was sent."
    ),
    GuideFull: lambda e: (
        "You have no room for another partner right now. If you can take one more, raise your capacity "
        "with `/circles profile` and accept again, or decline and they will be told kindly."
        if e.answering
        else "They have no room for another partner right now. `/circles coaches` shows who has. "
        "Nothing was sent."
    ),
    RequestNotForYou: lambda e: "This request was sent to someone else, so only they can answer it.",
    RequestClosed: lambda e: (
        "This request has already been answered or withdrawn, so there is nothing to do."
    ),
    RequestLapsed: lambda e: (
        "This request has closed: you no longer take partners in that cohort (you left it, or your role "
        "there changed). No partnership was made."
        if e.yours
        else "This request has closed: they are no longer looking for a partner here right now, or the "
        "cohort has come to its end. No partnership was made, and nobody else is told."
    ),
    GuidePaused: lambda e: (
        "You are paused, so you can't take on a new partner right now. The request waits: "
        "`/circles resume` when you are back and accept again, or decline and they will be told kindly."
    ),
    # Check-ins and support
    CheckInNotYours: lambda e: "I can't open that check-in for you. `/circles checkin` opens your own.",
    CheckInAlreadyAnswered: lambda e: (
        "You have already answered this check-in — thank you. Nothing was changed. "
        "If something has come up since, `/circles support` reaches your facilitators."
    ),
    CheckInSuperseded: lambda e: (
        "You have already answered a newer check-in for this partnership, so this one is closed. Thank you!"
        if e.newer_answered
        else "A newer check-in is waiting for you, so this one is closed. `/circles checkin` opens it."
    ),
    CheckInClosed: lambda e: (
        "This partnership is paused or has ended, so its check-in is closed. Nothing was saved."
    ),
    InvalidCheckIn: lambda e: (
        "Your check-in needs another look: " + "; ".join(mrkdwn(v) for v in e.problems.values())
    ),
    SurveyNotYours: lambda e: "I can't open that survey for you: it is not one of yours.",
    SurveyAlreadyAnswered: lambda e: (
        "You have already answered this survey — thank you. Your first answers were kept; nothing changed."
    ),
    CohortSettingsChanged: lambda e: (
        f"Not saved: someone changed the settings of `{e.slug}` after you opened this form, and saving it "
        f"would undo their change. Open `/circles cohort config {e.slug}` again to see them, then make yours."
    ),
    SurveyChanged: lambda e: (
        "This survey was updated since you opened it, so nothing was saved. Press *Answer* on it again to "
        "see its questions as they are now."
    ),
    SurveyClosed: lambda e: (
        "This survey is closed, so it no longer takes answers. Nothing was saved. Thank you all the same."
    ),
    SurveyWaitsForYou: lambda e: (
        "You are paused, so this survey waits for you: once you are back (`/circles resume`), press "
        "*Answer* on it again while it is open. Nothing was saved."
    ),
    InvalidSurveyAnswer: lambda e: (
        "Some answers need another look: " + "; ".join(mrkdwn(v) for v in e.problems.values())
    ),
    NoActivePartnership: lambda e: (
        "You have no active partnership right now, so there is no check-in to answer. "
        "`/circles status` shows where you are."
    ),
    SupportNeedsACohort: lambda e: (
        "Support requests go to the facilitators of your cohort, and you are not in one here. "
        "Please contact whoever runs your programme directly."
    ),
    ConsentWhichCohort: lambda e: (
        "You are in more than one cohort, each with its own research statement — say which: "
        + " or ".join(f"`/circles consent yes {s}`" for s in e.slugs)
    ),
    ConsentStatementChanged: lambda e: (
        f"The research statement of *{mrkdwn(e.name)}* has changed since that message, so nothing was "
        f"recorded. Read version {mrkdwn(e.version)} with `/circles consent`, then decide."
    ),
    SupportWhichCohort: lambda e: (
        "You are in more than one cohort — which facilitators should hear from you? "
        + " or ".join(f"`/circles support {s} &lt;message&gt;`" for s in e.slugs)
    ),
    NoFacilitators: lambda e: (
        f"*{mrkdwn(e.name)}* has no facilitator yet, so nobody could be told and nothing was sent. "
        "Please contact whoever runs your programme directly."
    ),
    NobodyMayHear: lambda e: (
        f"Your request couldn't go to the facilitators of *{mrkdwn(e.name)}*, so nobody could be told and "
        "nothing was sent. Please contact whoever runs your programme directly."
    ),
    PartnershipInAnotherCohort: lambda e: (
        f"That partnership is in *{mrkdwn(e.name)}*: choose that cohort, or leave the partnership out."
    ),
    InvalidSupportMessage: lambda e: (
        f"That message is longer than {e.limit} characters, so it was not sent. "
        "Please shorten it; your facilitators can hear the rest when they get in touch."
    ),
    # Escalations
    EscalationNotYours: lambda e: (
        "Only the cohort's facilitators can act on this alert, so nothing was changed."
    ),
    EscalationTaken: lambda e: (
        f"<@{e.claimed_by}> is already reaching out to this pair, so nothing was changed. "
        "Have a word with them if you can help."
    ),
    EscalationClosed: lambda e: "This alert is already resolved, so nothing was changed.",
}


def friendly_plain_text(error: BaseException) -> str:
    """The same words for a form's inline error, which Slack shows as plain text, not mrkdwn."""
    text = friendly_message(error).replace("*", "").replace("`", "")
    return text.replace("&lt;", "<").replace("&gt;", ">").replace("&amp;", "&")


def friendly_message(error: BaseException) -> str:
    """The words for this error: the rule's own message for product errors, a generic apology otherwise."""
    for kind in type(error).__mro__:
        if kind in _MESSAGES:
            return _MESSAGES[kind](error)
    if isinstance(error, CirclesError) and str(error):
        return mrkdwn(str(error))
    return SOMETHING_WENT_WRONG
