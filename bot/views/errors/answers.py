"""What a person is told when a check-in, survey, support request, consent or alert refuses an answer."""

from __future__ import annotations

from bot.views.errors.words import Words, problems_after
from bot.views.text import mrkdwn
from circles.domain.care import DEFAULT_FREE_TEXT_HINT
from circles.errors import answers as errors
from circles.errors.base import CirclesError

MESSAGES: dict[type[CirclesError], Words] = {
    errors.CheckInNotYours: "I can't open that check-in for you. `/circles checkin` opens your own.",
    errors.CheckInAlreadyAnswered: (
        "You have already answered this check-in — thank you. Nothing was changed. "
        "If something has come up since, `/circles support` reaches your facilitators."
    ),
    errors.CheckInSuperseded: lambda e: (
        "You have already answered a newer check-in for this partnership, so this one is closed. Thank you!"
        if e.newer_answered
        else "A newer check-in is waiting for you, so this one is closed. `/circles checkin` opens it."
    ),
    errors.CheckInClosed: (
        "This partnership is paused or has ended, so its check-in is closed. Nothing was saved."
    ),
    errors.InvalidCheckIn: problems_after("Your check-in needs another look"),
    errors.SurveyNotYours: "I can't open that survey for you: it is not one of yours.",
    errors.SurveyAlreadyAnswered: (
        "You have already answered this survey — thank you. Your first answers were kept; nothing changed."
    ),
    errors.SurveyChanged: (
        "This survey was updated since you opened it, so nothing was saved. Press *Answer* on it again to "
        "see its questions as they are now."
    ),
    errors.SurveyClosed: (
        "This survey is closed, so it no longer takes answers. Nothing was saved. Thank you all the same."
    ),
    errors.SurveyWaitsForYou: (
        "You are paused, so this survey waits for you: once you are back (`/circles resume`), press "
        "*Answer* on it again while it is open. Nothing was saved."
    ),
    errors.InvalidSurveyAnswer: problems_after("Some answers need another look"),
    errors.NoActivePartnership: (
        "You have no active partnership right now, so there is no check-in to answer. "
        "`/circles status` shows where you are."
    ),
    errors.CheckInsWaitForYou: lambda e: (
        "You are away, so your check-ins wait for you and none was opened. They carry on once you are "
        "back; back early from your own `/circles away`? `/circles back` says so."
        if e.away
        else "You are paused, so your check-ins wait for you and none was opened. Take the time you need; "
        "`/circles resume` brings them back whenever you are ready."
    ),
    errors.CheckInsWaitForPair: (
        "Your partnership is paused, so its check-ins wait and none was opened. "
        "You can resume it any time from `/circles status`."
    ),
    errors.CheckInsWaitForPartner: lambda e: (
        f"Check-ins wait until your {'partners are' if e.several else 'partner is'} back, so none was "
        "opened. `/circles status` shows when the next one comes."
    ),
    errors.SupportNeedsACohort: (
        "Support requests go to the facilitators of your cohort, and you are not in one here. "
        "Please contact whoever runs your programme directly."
    ),
    errors.ConsentWhichCohort: lambda e: (
        "You are in more than one cohort, each with its own research statement — say which: "
        + " or ".join(f"`/circles consent yes {s}`" for s in e.slugs)
    ),
    errors.ConsentStatementChanged: lambda e: (
        f"The research statement of *{mrkdwn(e.name)}* has changed since that message, so nothing was "
        f"recorded. Read version {mrkdwn(e.version)} with `/circles consent`, then decide."
    ),
    errors.SupportWhichCohort: lambda e: (
        "You are in more than one cohort — which facilitators should hear from you? "
        + " or ".join(f"`/circles support {s} &lt;message&gt;`" for s in e.slugs)
        + f". {DEFAULT_FREE_TEXT_HINT}"
    ),
    errors.NoFacilitators: lambda e: (
        f"*{mrkdwn(e.name)}* has no facilitator yet, so nobody could be told and nothing was sent. "
        "Please contact whoever runs your programme directly."
    ),
    errors.NobodyMayHear: lambda e: (
        f"Your request couldn't go to the facilitators of *{mrkdwn(e.name)}*, so nobody could be told and "
        "nothing was sent. Please contact whoever runs your programme directly."
    ),
    errors.InvalidSupportMessage: lambda e: (
        f"That message is longer than {e.limit:,} characters, so it was not sent. "
        "Please shorten it; your facilitators can hear the rest when they get in touch."
    ),
    errors.EscalationNotYours: (
        "Only the cohort's facilitators can act on this alert, so nothing was changed."
    ),
    errors.EscalationTaken: lambda e: (
        f"<@{e.claimed_by}> is already reaching out to this pair, so nothing was changed. "
        "Have a word with them if you can help."
    ),
    errors.EscalationClosed: "This alert is already resolved, so nothing was changed.",
}
