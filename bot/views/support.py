"""Support requests: what the member is told, and the private message each facilitator receives."""

from __future__ import annotations

from bot import ids
from bot.views.message import Message, context_line, text_section, words_for_facilitators
from bot.views.text import clip_mrkdwn, fit_mrkdwn, mentions, mrkdwn, person, quote_sections
from circles.messages import ReroutedTo, SupportNotShown, SupportRequest, SupportRerouted, SupportUnshown
from circles.services.support.request import SupportSent

NAME_SHOWN = 300  # a cohort's name, escaped, in the answer: the rest of the answer must fit one section

REPLY_EXPECTED = (
    "They usually reply within two working days. If it cannot wait, reach them directly or use your "
    "usual urgent routes: Circles is not watched around the clock."
)
REPLY_FROM_RUNNERS = (
    "They usually reply within two working days. If it cannot wait, use your usual urgent routes: "
    "Circles is not watched around the clock."
)


def support_outcome(sent: SupportSent) -> str:
    """Who will see the request and when to expect an answer, or that there is nobody to tell.

    Admins who have it instead are not named, and nothing says why the facilitators could not take it.
    """
    name = fit_mrkdwn(sent.cohort_name, NAME_SHOWN)
    if sent.facilitators:
        people = mentions(sent.facilitators)
        return (
            f"I've passed your request privately to the facilitators of *{name}*: {people}. "
            f"Only they see it. {REPLY_EXPECTED}"
        )
    if sent.facilitated:
        missed = f"Your request couldn't go to the facilitators of *{name}*"
    else:
        missed = f"*{name}* has no facilitator yet"
    if sent.admins:
        return (
            f"{missed}, so I've passed it privately to the people who run Circles here. "
            f"Only they see it. {REPLY_FROM_RUNNERS}"
        )
    return f"{missed}, so nobody could be told. Please contact whoever runs your programme directly."


def support_sent_message(sent: SupportSent) -> Message:
    """The member's private answer to `/circles support`."""
    who = "the facilitators of" if sent.facilitators else "the people who run Circles, about"
    return Message(
        text=f"Your request reached {who} {mrkdwn(sent.cohort_name)}.",
        blocks=[text_section(clip_mrkdwn(support_outcome(sent), 3000))],
    )


def support_request_message(request: SupportRequest) -> Message:
    """The direct message a facilitator receives: who asks, in which cohort, and what they wrote."""
    member, cohort = request.member_user_id, mrkdwn(request.cohort_name)
    heading = f"*Support request · {cohort}*\n<@{member}> asked for support{_about(request.partner_user_id)}."
    message = request.message
    # Whole, over as many sections as it takes: the member was told it reached them.
    said = quote_sections(message) if message else "_They did not add a message._"
    why = (
        "Sent to you privately as a facilitator of this cohort. They were told to expect "
        "a reply within two working days; a direct message to them is a good start."
    )
    blocks = words_for_facilitators(ids.SUPPORT_REQUEST_BLOCK, heading, said, why)
    return Message(text=f"Support request from a member of {cohort}", blocks=blocks)


def support_rerouted_message(notice: SupportRerouted) -> Message:
    """The member's notice that their facilitator could not be reached: who has their request now, if anyone;
    never what they wrote."""
    name = fit_mrkdwn(notice.cohort_name, NAME_SHOWN)
    people = mentions([holder.user_id for holder in notice.holders]) if notice.holders else ""
    missed = f"We couldn't reach your facilitator in *{name}* with your support request"
    if notice.to is ReroutedTo.NOBODY or not people:
        said = (
            f"{missed}, and nobody else could take it. Please contact whoever runs your programme directly. "
            "If it cannot wait, use your usual urgent routes."
        )
    else:
        who = (
            "the programme's administrators"
            if notice.to is ReroutedTo.ADMINS
            else "your cohort's other facilitators"
        )
        said = f"{missed}, so it has gone privately to {who}: {people}. {REPLY_EXPECTED}"
    return Message(
        text=f"About your support request in {mrkdwn(notice.cohort_name)}",
        blocks=[text_section(clip_mrkdwn(said, 3000))],
    )


def support_unshown_message(notice: SupportUnshown) -> Message:
    """What a facilitator receives when a member's request to them could not be shown: that they asked,
    never what they wrote (whatever it held is what could not be shown)."""
    member, cohort = notice.member_user_id, fit_mrkdwn(notice.cohort_name, NAME_SHOWN)
    asked = f"<@{member}> asked you for support{_about(notice.partner_user_id)}"
    said = (
        f"*Support request · {cohort}*\n{asked}, but their message could not be shown here. "
        "Please reach out to them directly: a direct message is a good start."
    )
    why = "Sent to you privately, as their request was. They know it could not be shown to you."
    blocks = [text_section(said), context_line(why)]
    return Message(text=f"Support request from a member of {cohort}", blocks=blocks)


def _about(partner: str | None) -> str:
    """The partnership a request from a check-in is about; its partner erased since (`UNNAMED`), an erased
    member."""
    if partner is None:
        return ""
    return f" in their check-in about their partnership with {person(partner)}"


def support_not_shown_message(notice: SupportNotShown) -> Message:
    """The member's notice that their request could not be shown to the people it was for; never its words."""
    name = fit_mrkdwn(notice.cohort_name, NAME_SHOWN)
    said = (
        f"Your support request in *{name}* could not be shown to the people it was for. They are being told "
        "that you asked, but not what you wrote. Please contact them directly. If it cannot wait, use your "
        "usual urgent routes."
    )
    return Message(
        text=f"About your support request in {mrkdwn(notice.cohort_name)}",
        blocks=[text_section(clip_mrkdwn(said, 3000))],
    )
