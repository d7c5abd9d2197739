"""What a person is told when a partnership, or a request for a coach or mentor, refuses an action."""

from __future__ import annotations

from bot.views.errors.words import Words, typed
from bot.views.text import mrkdwn
from circles.errors import partners as errors
from circles.errors.base import CirclesError

MESSAGES: dict[type[CirclesError], Words] = {
    errors.PartnershipNotYours: "That partnership is not one of yours, so nothing was changed.",
    errors.PartnershipOver: (
        "That partnership has already ended; `/circles status` shows where you are now."
    ),
    errors.NoEndedPartnership: lambda e: (
        f"Those two have no ended partnership in `{mrkdwn(e.slug)}`, so there is nothing to allow again. "
        f"Run `/circles match {mrkdwn(e.slug)} preview` for a fresh preview."
    ),
    errors.NotALearnerThere: lambda e: (
        f"Only learners in `{typed(e.slug)}` can ask its coaches and mentors. Nothing was sent."
    ),
    errors.GuideNotAvailable: lambda e: (
        f"They are not taking requests in `{typed(e.slug)}` right now. "
        "`/circles coaches` shows who is. Nothing was sent."
    ),
    errors.CohortOver: lambda e: (
        f"`{typed(e.slug)}` has come to its end, so no new round or re-match forms in it. To go on, move "
        "its end date in `/circles cohort config`. Nothing was created."
        if e.matching
        else f"`{typed(e.slug)}` has come to its end, so its coaches and mentors take no new partners "
        "through it. Your facilitator can tell you what comes next. Nothing was sent."
    ),
    errors.NotPairingGuides: lambda e: (
        f"`{typed(e.slug)}` doesn't pair learners with coaches or mentors now, so nobody there can be asked. "
        "Your facilitator can tell you more. Nothing was sent."
    ),
    errors.RequestAlreadyOpen: lambda e: (
        f"You already have a request waiting in `{typed(e.slug)}`. Once it is answered you can ask "
        "someone else; your facilitator can help if it takes a while. Nothing new was sent."
    ),
    errors.AlreadyPartnered: lambda e: (
        f"You already have a coach or mentor in `{typed(e.slug)}`. If it is not working out, your "
        "facilitator can help, privately. Nothing was sent."
    ),
    errors.PartneredBefore: lambda e: (
        f"You two have worked together in `{mrkdwn(e.slug)}` before, and that partnership ended. To work "
        "together again, ask your facilitators (`/circles support`): they can allow it. Nothing was sent."
    ),
    errors.GuideFull: lambda e: (
        "You have no room for another partner right now. If you can take one more, raise your capacity "
        "with `/circles profile` and accept again, or decline and they will be told kindly."
        if e.answering
        else "They haven't opened places for partners yet, so they can't be asked just now. "
        "`/circles coaches` shows who has room. Nothing was sent."
        if e.unopened
        else "They have no room for another partner right now. `/circles coaches` shows who has. "
        "Nothing was sent."
    ),
    errors.RequestNotForYou: "This request was sent to someone else, so only they can answer it.",
    errors.RequestClosed: "This request has already been answered or withdrawn, so there is nothing to do.",
    errors.RequestLapsed: lambda e: (
        "This request has closed: you no longer take partners in that cohort (you left it, or your role "
        "there changed). No partnership was made."
        if e.yours
        else "This request has closed: that cohort no longer pairs learners with coaches or mentors. No "
        "partnership was made; they hear that the request closed, never your answer."
        if e.unpaired
        else "This request has closed: they are no longer looking for a partner here right now, or the "
        "cohort has come to its end. No partnership was made, and nobody hears of your answer."
    ),
    errors.GuidePaused: (
        "You are paused, so you can't take on a new partner right now. The request waits: "
        "`/circles resume` when you are back and accept again, or decline and they will be told kindly."
    ),
    errors.PartnershipInAnotherCohort: lambda e: (
        f"That partnership is in *{mrkdwn(e.name)}*: choose that cohort, or leave the partnership out."
    ),
}
