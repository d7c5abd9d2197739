"""A member answers their own survey, once, while it is open; free text is kept encrypted."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime

from circles.domain.care import DEFAULT_FREE_TEXT_HINT, free_text_hint
from circles.domain.presence import taking_part
from circles.domain.requests import cohort_over
from circles.domain.surveys import closes_at, is_closed
from circles.domain.vocabulary import MemberStatus, SurveyPhase
from circles.errors import (
    InvalidSurveyAnswer,
    SurveyAlreadyAnswered,
    SurveyChanged,
    SurveyClosed,
    SurveyNotYours,
    SurveyWaitsForYou,
)
from circles.notes import NoteCipher
from circles.persistence.db import Session, UnitOfWork
from circles.queries.survey_answers import (
    NewAnswer,
    OpenRequest,
    add_answers,
    answered_items,
    mark_answered,
    open_request,
)
from circles.queries.surveys import answering_version, answers_version, hold_for_answer
from circles.services.intake.workspaces import find_workspace
from instruments.catalog import instrument
from instruments.model import Instrument, InstrumentError
from instruments.scoring import ScoringError, check_answers

TEXT_MAX_CHARS = 2000
NOTHING_ANSWERED = (
    "nothing was answered, so the survey was not sent; press *Answer* on it again to answer at least "
    "one question"
)


@dataclass(frozen=True)
class SurveyToAnswer:
    """A survey its member may answer now: the instrument, and the cohort's words around it."""

    request_id: int
    instrument: Instrument
    phase: SurveyPhase
    cohort_name: str
    closes_at: datetime
    free_text_hint: str = DEFAULT_FREE_TEXT_HINT
    # The items answered before (the parts of a long survey already sent): kept as given, not asked again.
    answered: frozenset[str] = frozenset()
    # Parts were sent before the instrument's file changed: those answers are to other questions or
    # scales, so the survey starts again on the new file (they are dropped when its first part is sent).
    started_over: bool = False


@dataclass(frozen=True)
class GivenSurvey:
    """What a form gave: a value per scale item, words per free-text item, and which words may be used
    for research."""

    values: Mapping[str, int | None]
    texts: Mapping[str, str] = field(default_factory=dict)
    for_research: frozenset[str] = frozenset()


@dataclass(frozen=True)
class SurveyAnswered:
    survey: SurveyToAnswer
    answered: int  # items answered
    texts_saved: bool = True  # False: there were words but no key to keep them secret, so they were not kept


def survey_to_answer(
    uow: UnitOfWork, team_id: str, user_id: str, request_id: int, now: datetime
) -> SurveyToAnswer:
    """The survey behind a button, when this person may still answer it."""
    with uow:
        return _answerable(uow.session, team_id, user_id, request_id, now)[1]


def answer_survey(
    uow: UnitOfWork,
    team_id: str,
    user_id: str,
    request_id: int,
    given: GivenSurvey,
    now: datetime,
    *,
    cipher: NoteCipher | None,
    final: bool = True,
    version: int | None = None,
) -> SurveyAnswered:
    """Store the member's answers to their own open survey in one transaction; a second submit keeps
    the first. A long survey comes in parts: each part's answers are kept as it is sent, and the last
    (`final`) marks the survey answered, with the instrument's version its answers were given to.
    Answers to a form of another `version` than the instrument's now are refused, none kept; parts sent
    to an earlier version are dropped when one comes to the new version, so one survey never mixes two.
    A survey is not sent with nothing answered in it: it would count as a response."""
    with uow:
        request, survey = _answerable(uow.session, team_id, user_id, request_id, now, hold=True)
        if version is not None and version != survey.instrument.version:
            raise SurveyChanged()
        values = _checked(survey.instrument, given)
        answers = [NewAnswer(i, value=v) for i, v in values.items()]
        texts = {i: t.strip() for i, t in given.texts.items() if t.strip()}
        if final and not values and not texts and not survey.answered:
            raise InvalidSurveyAnswer({survey.instrument.items[0].id: NOTHING_ANSWERED})  # not a response
        if cipher is not None:
            answers += [
                NewAnswer(i, text_encrypted=cipher.encrypt(t), for_research=i in given.for_research)
                for i, t in texts.items()
            ]
        answering_version(uow.session, request.workspace_id, request.request_id, survey.instrument.version)
        if final and not mark_answered(uow.session, request.request_id, now, survey.instrument.version):
            raise SurveyAlreadyAnswered()  # two submits: the first one's answers stay
        add_answers(uow.session, request.workspace_id, request.request_id, answers)
        uow.commit()
        kept = len(values) + (len(texts) if cipher is not None else 0)
        return SurveyAnswered(survey, kept, texts_saved=not texts or cipher is not None)


def _checked(survey: Instrument, given: GivenSurvey) -> dict[str, int]:
    """The scale answers checked against the instrument; free text only on free-text items."""
    problems: dict[str, str] = {}
    for item_id, text in given.texts.items():
        try:
            if survey.item(item_id).scale is not None:
                problems[item_id] = "this question takes one of its choices, not words"
        except KeyError:
            problems[item_id] = "not a question of this survey"
        if len(text) > TEXT_MAX_CHARS:
            problems[item_id] = f"at most {TEXT_MAX_CHARS} characters"
    values: dict[str, int] = {}
    for item_id, value in given.values.items():  # one at a time, so each problem names its own item
        try:
            values |= check_answers(survey, {item_id: value})
        except ScoringError:
            problems[item_id] = "that answer is not one of its choices"
    if problems:
        raise InvalidSurveyAnswer(problems)
    return values


def _answerable(
    session: Session, team_id: str, user_id: str, request_id: int, now: datetime, *, hold: bool = False
) -> tuple[OpenRequest, SurveyToAnswer]:
    """The request and its survey, when this person may answer it now; with hold, read once its membership
    and the request are locked, so that a leave or an erasure taking place is waited for and then seen."""
    workspace = find_workspace(session, team_id)
    held = hold_for_answer(session, workspace.id, request_id) if hold and workspace is not None else None
    request = open_request(session, workspace.id, request_id) if workspace is not None else None
    if request is None and held == user_id:
        raise SurveyClosed()  # theirs until an erasure, waited for, cut it from them with its answers
    if request is None or request.user_id != user_id:
        raise SurveyNotYours()  # another workspace's or person's survey looks exactly like a missing one
    if request.answered_at is not None:
        raise SurveyAlreadyAnswered()
    if request.superseded:
        raise SurveyClosed()  # its phase was asked again on the cohort's new dates: that one is open
    left = request.member_status is MemberStatus.LEFT
    if is_closed(request.due_at, now, request.sent_at) or left or request.archived_at is not None:
        raise SurveyClosed()  # an archived cohort takes nothing more, as its check-ins take nothing
    if not taking_part(request.member_status, request.paused_until, now) and not cohort_over(
        request.ends_on, request.timezone, now
    ):
        # Paused: the survey, and its button, wait for their return. Once the cohort's last day is over no
        # resume can end the pause, so it holds the survey no longer.
        raise SurveyWaitsForYou()
    try:
        survey = instrument(request.instrument)
    except InstrumentError:
        raise SurveyClosed() from None  # its file was removed since: nothing left to answer
    hint = free_text_hint(request.free_text_hint)
    answered = answered_items(session, request.request_id)
    # Parts answered to another version of the file are not this survey's answers: it starts again.
    over = (
        bool(answered)
        and answers_version(session, request.workspace_id, request.request_id) != survey.version
    )
    return request, SurveyToAnswer(
        request.request_id,
        survey,
        request.phase,
        request.cohort_name,
        closes_at(request.due_at, request.sent_at),
        hint,
        frozenset() if over else answered,
        started_over=over,
    )
