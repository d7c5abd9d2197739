"""A request held for its member's answer, and the version of its instrument its answers are to."""

from __future__ import annotations

from sqlalchemy import delete, select, update
from sqlalchemy.orm import Session

from circles.persistence.models import Member, SurveyAnswer, SurveyRequest


def hold_for_answer(session: Session, workspace_id: int, request_id: int) -> str | None:
    """Lock the membership a request asks, then the request, until the caller commits: a leave or an
    erasure (which hold the membership before they close or cut its requests) is waited for, and two
    submits take turns. Whose membership was held (their Slack user id), or None when the request asks
    no one (erased before, another workspace's, missing)."""
    theirs = (SurveyRequest.id == request_id) & (SurveyRequest.workspace_id == workspace_id)
    asked = select(SurveyRequest.member_id).where(theirs).scalar_subquery()
    held = select(Member.slack_user_id).where(Member.id == asked).with_for_update(key_share=True)
    user_id = session.scalars(held).one_or_none()
    session.execute(select(SurveyRequest.id).where(theirs).with_for_update(key_share=True)).all()
    return user_id


def answers_version(session: Session, workspace_id: int, request_id: int) -> int:
    """The version of its instrument a request's answers so far were given to (before any: the one it was
    sent with)."""
    return session.scalars(
        select(SurveyRequest.instrument_version).where(
            SurveyRequest.id == request_id, SurveyRequest.workspace_id == workspace_id
        )
    ).one()


def answering_version(session: Session, workspace_id: int, request_id: int, version: int) -> bool:
    """Record that the request is answered to this version of its instrument; answers given to another
    version are deleted, since their questions and scales may be others. True when any was."""
    changed = session.execute(
        update(SurveyRequest)
        .where(
            SurveyRequest.id == request_id,
            SurveyRequest.workspace_id == workspace_id,
            SurveyRequest.instrument_version != version,
        )
        .values(instrument_version=version)
        .execution_options(synchronize_session=False)
    )
    if getattr(changed, "rowcount", 0) != 1:
        return False
    dropped = session.execute(
        delete(SurveyAnswer)
        .where(SurveyAnswer.request_id == request_id, SurveyAnswer.workspace_id == workspace_id)
        .execution_options(synchronize_session=False)
    )
    return getattr(dropped, "rowcount", 0) > 0
