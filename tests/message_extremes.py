"""Every kind of outgoing message at its largest and at its smallest, as the app can record it."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, date, datetime, timedelta
from typing import Any, TypeVar

from bot.views.text import mrkdwn
from circles.domain.care import WELLBEING_RESOURCES_MAX
from circles.domain.cohort_file import MAX_FACILITATORS
from circles.domain.digests import DigestSection
from circles.domain.escalations import COMMENT_LIMIT, Outcome
from circles.domain.nudges import Nudge, NudgeKind
from circles.domain.vocabulary import (
    EscalationStatus,
    PairingMode,
    PartnershipHealthState,
    PartnershipKind,
    PartnershipStatus,
    Role,
    SurveyPhase,
)
from circles.domain.workflow_steps import STEP_TEXT_MAX
from circles.messages import (
    CheckinQuestion,
    CircleAlone,
    CirclePrompt,
    Claim,
    CoachDigest,
    CoachIdea,
    CohortCare,
    CohortWelcome,
    DirectAnswer,
    EscalationCard,
    EscalationWithdrawn,
    Holder,
    Host,
    MissedCirclePrompt,
    PairPrompt,
    PartnerAway,
    PartnerBack,
    PartnershipChanged,
    PartnershipReport,
    Payload,
    PlainNotice,
    RequestClosedBecause,
    RequestClosedNotice,
    RequestCopyClosed,
    ReroutedTo,
    Resolution,
    SharedNote,
    Snooze,
    SupportNotShown,
    SupportRequest,
    SupportRerouted,
    SupportUnshown,
    SurveyInvite,
    SurveyReminder,
    TrendPoint,
    WorkflowNote,
)
from circles.messages.planned import Prompt
from circles.services.escalations.notes import NOTE_LIMIT, RECENT_NOTES
from circles.services.partnerships.changes import REASON_LIMIT
from instruments.catalog import shipped
from prompts.tracks import FOLLOW_UP_LIMIT, PROMPT_LIMIT, THEME_LIMIT
from tests.slack_extremes import (
    CIRCLE_NAME,
    COHORT_NAME,
    COHORTS_PER_FACILITATOR,
    MARKUP,
    PARTNERS_PER_COACH,
    SLUG,
    SUPPORT,
    user_ids,
)

P = TypeVar("P", bound=Prompt)
USERS = user_ids(PARTNERS_PER_COACH + 3)
BIG_ID = 10**12 - 1
AT = datetime(2027, 1, 5, 9, 0, tzinfo=UTC)


def typed(length: int, start: int = 0) -> str:
    """Text of exactly `length` characters, full of markup that grows when escaped."""
    return ((MARKUP + "&<@U123>") * (length // len(MARKUP) + 2))[start : start + length]


NAME = typed(COHORT_NAME)
FACILITATORS = tuple(Host(user) for user in user_ids(MAX_FACILITATORS))
SLUG_ = "s" * SLUG


def _prompt(kind: type[P]) -> P:
    """The longest texts a track holds (its limits count `&` as the five characters it is sent as)."""
    theme, follow_up = "&" * (THEME_LIMIT // 5), "<" * (FOLLOW_UP_LIMIT // 4)
    return kind("p" * 64, theme, "&" * ((PROMPT_LIMIT - FOLLOW_UP_LIMIT) // 5), follow_up, NAME, 52)


def _card(**stage: Any) -> EscalationCard:
    start = date(2027, 1, 1)
    card = EscalationCard(
        escalation_id=BIG_ID,
        cohort_name=NAME,
        slug=SLUG_,
        kind=PartnershipKind.MENTOR_LEARNER,
        first=USERS[0],
        second=USERS[1],
        partnership_status=PartnershipStatus.ACTIVE,
        state=PartnershipHealthState.STRUGGLING,
        reasons=tuple(typed(300, n) for n in range(20)),
        trend=tuple(TrendPoint(start + timedelta(days=n), PartnershipHealthState.STEADY) for n in range(28)),
        notes=tuple(SharedNote(USERS[n % 2], AT, typed(NOTE_LIMIT, n)) for n in range(RECENT_NOTES)),
        occasion="reminder12",
    )
    return replace(card, **stage)


def _digest(partners: int, cohorts: int) -> CoachDigest:
    nudges: list[Nudge] = []
    for user in USERS[:partners]:
        nudges += [Nudge(NudgeKind.NO_MEETING, user, 120), Nudge(NudgeKind.CHECKIN_WAITING, user, 10)]
    nudges.append(Nudge(NudgeKind.REQUEST_WAITING, None, 20))
    sections = tuple(DigestSection(typed(COHORT_NAME, n), tuple(nudges)) for n in range(cohorts))
    return CoachDigest(BIG_ID, frozenset(range(7)), sections)


# The shipped instrument with the most to say: surveys name one of those, never one made up.
LONGEST_INSTRUMENT = max(shipped().values(), key=lambda i: (len(i.title) + len(i.description), i.name)).name


LARGEST: list[Payload] = [
    PlainNotice(mrkdwn(typed(3000))),  # a plain notice's text is already in Slack's markup
    CircleAlone(typed(CIRCLE_NAME), NAME, made=True, facilitated=False),
    PartnershipChanged(NAME, PartnershipStatus.ENDED, others_running=10_000),
    *(RequestClosedNotice(NAME, USERS[0], because) for because in RequestClosedBecause),
    RequestCopyClosed(NAME, USERS[0]),
    PartnershipReport(NAME, SLUG_, PartnershipStatus.ENDED, USERS[0], USERS[1], typed(REASON_LIMIT)),
    PartnershipReport(NAME, SLUG_, PartnershipStatus.ENDED, USERS[0], USERS[1], to=ReroutedTo.ADMINS),
    SupportRequest(NAME, USERS[0], typed(SUPPORT), USERS[1]),
    # Every admin of a large programme (a cohort's facilitators are fewer): ten are named, the rest counted.
    SupportRerouted(NAME, ReroutedTo.ADMINS, tuple(Holder(user) for user in user_ids(1000))),
    SupportRerouted(NAME, ReroutedTo.FACILITATORS, tuple(Holder(user) for user in user_ids(1000))),
    SupportUnshown(NAME, USERS[0], USERS[1]),
    SupportNotShown(NAME),
    WorkflowNote(NAME, typed(STEP_TEXT_MAX)),
    DirectAnswer(
        tuple(
            CohortCare(f"c{n}", NAME, f"{n}" + typed(WELLBEING_RESOURCES_MAX - 2))
            for n in range(COHORTS_PER_FACILITATOR)
        ),
        typed(WELLBEING_RESOURCES_MAX),
    ),
    _prompt(CirclePrompt),
    _prompt(PairPrompt),
    _prompt(CoachIdea),
    CheckinQuestion(BIG_ID, NAME, USERS[0]),
    _digest(PARTNERS_PER_COACH, 8),
    _card(),
    _card(notes_unavailable=RECENT_NOTES),
    _card(status=EscalationStatus.SNOOZED, claim=Claim(USERS[2], AT), snooze=Snooze(USERS[2], AT)),
    _card(
        status=EscalationStatus.RESOLVED,
        notes=(),
        resolution=Resolution(USERS[2], AT, Outcome.REMATCHED, typed(COMMENT_LIMIT)),
    ),
    _card(for_admins=True, notes=(), occasion="admins3"),
    EscalationWithdrawn(NAME),
    _prompt(MissedCirclePrompt),
    PartnerAway(USERS[0], "2027-12-31"),
    PartnerBack(USERS[0]),
    SurveyInvite(BIG_ID, LONGEST_INSTRUMENT, SurveyPhase.MIDPOINT, NAME),
    SurveyReminder(BIG_ID, LONGEST_INSTRUMENT, SurveyPhase.END, NAME),
    # As many facilitators as a cohort takes: ten are named, the rest counted.
    *(
        CohortWelcome(NAME, SLUG_, role, PairingMode.MENTOR_LEARNER, 6, 12, FACILITATORS)
        for role in (Role.LEARNER, Role.MENTOR)
    ),
]

SMALLEST: list[Payload] = [
    PlainNotice("a"),
    CircleAlone("c", "c", made=False, facilitated=True),
    CircleAlone("c", "c", made=False, facilitated=False, refused=True),
    PartnershipChanged("c", PartnershipStatus.ACTIVE),
    RequestClosedNotice("c", "U1", RequestClosedBecause.GUIDE_GONE),
    RequestCopyClosed("c", "U1"),
    PartnershipReport("c", "c", PartnershipStatus.PAUSED, "U1", "U2"),
    SupportRequest("c", "U1"),
    SupportRerouted("c", ReroutedTo.NOBODY),
    SupportUnshown("c", "U1"),
    SupportNotShown("c"),
    WorkflowNote("c", "a"),
    DirectAnswer((), ""),
    CirclePrompt("", "t", "x", None, "c", 1),
    PairPrompt("", "t", "x", None, "c", 1),
    CoachIdea("", "t", "x", None, "c", 1),
    CheckinQuestion(1, "c", "U1"),
    CoachDigest(1, frozenset({0}), (DigestSection("c", (Nudge(NudgeKind.REQUEST_WAITING, None, 1),)),)),
    EscalationCard(1, "c", "c", None, "U1", "U2", None, None),
    EscalationWithdrawn("c"),
    MissedCirclePrompt("", "t", "x", None, "c", 1),
    PartnerAway("U1", "2027-01-01"),
    PartnerBack("U1"),
    SurveyInvite(1, "belonging", SurveyPhase.BASELINE, "c"),
    SurveyReminder(1, "belonging", SurveyPhase.BASELINE, "c"),
    CohortWelcome("c", "c", Role.PEER, PairingMode.NONE, 0, 1),
]
