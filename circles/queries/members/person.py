"""One person's place in cohorts: their memberships (every one, or those of cohorts still running), held
while they change, and a membership added."""

from __future__ import annotations

from collections.abc import Collection
from datetime import datetime

from sqlalchemy import ColumnElement, and_, case, literal, or_, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from circles.domain.vocabulary import MemberStatus, Role
from circles.persistence.models import Cohort, Member


def taking_part_at(member: type[Member], now: datetime) -> ColumnElement[bool]:
    """`taking_part` in SQL: not left, and active without a pause date or past the pause's date."""
    undated = and_(member.paused_until.is_(None), member.status == MemberStatus.ACTIVE)
    return and_(member.status != MemberStatus.LEFT, or_(undated, member.paused_until <= now))


def status_at(member: type[Member], now: datetime) -> ColumnElement[MemberStatus]:
    """`status_now` in SQL: while not left, a pause's end date decides; without one, the stored status."""
    dated = and_(member.status != MemberStatus.LEFT, member.paused_until.is_not(None))
    active, paused = (
        literal(status, member.status.type) for status in (MemberStatus.ACTIVE, MemberStatus.PAUSED)
    )
    return case((and_(dated, member.paused_until <= now), active), (dated, paused), else_=member.status)


def memberships_of(session: Session, workspace_id: int, user_id: str) -> list[Member]:
    """Every membership the person has in the workspace: left ones and archived cohorts' too."""
    query = select(Member).where(Member.workspace_id == workspace_id, Member.slack_user_id == user_id)
    return list(session.scalars(query))


def membership_zones(session: Session, workspace_id: int, user_id: str) -> dict[int, str]:
    """The time zone of the cohort of each of the person's memberships, by membership id (left ones and
    archived cohorts' too)."""
    query = (
        select(Member.id, Cohort.timezone)
        .join(Cohort, Cohort.id == Member.cohort_id)
        .where(Member.workspace_id == workspace_id, Member.slack_user_id == user_id)
    )
    return {member_id: zone for member_id, zone in session.execute(query)}


def hold_person(session: Session, workspace_id: int, user_id: str) -> dict[int, Cohort]:
    """Lock the person's memberships, then every cohort they are in, each in id order, until the caller
    commits: members before cohorts, as an import or `/circles away` takes them. A round being confirmed
    in one of those cohorts (which holds its cohort) is waited for, and two changes of the person's
    memberships at once take turns, the second reading what the first saved.

    Returns those cohorts by id, read as they are once locked: one query for any number of them."""
    mine = (Member.workspace_id == workspace_id) & (Member.slack_user_id == user_id)
    # FOR NO KEY UPDATE, as a confirmation holds its cohort: rows pointing at these can still be added.
    session.execute(select(Member.id).where(mine).order_by(Member.id).with_for_update(key_share=True)).all()
    theirs = select(Member.cohort_id).where(mine)
    cohorts = select(Cohort).where(Cohort.id.in_(theirs)).order_by(Cohort.id)
    held = cohorts.with_for_update(key_share=True).execution_options(populate_existing=True)
    return {cohort.id: cohort for cohort in session.scalars(held)}


def hold_memberships(session: Session, workspace_id: int, user_id: str) -> list[Member]:
    """Lock every membership the person has in the workspace (left ones and archived cohorts' too) in id
    order, as a leave takes them, and read them again as they are once locked; their cohorts stay unlocked.

    FOR NO KEY UPDATE: rows that point at them (check-ins, requests) can still be added meanwhile."""
    mine = (Member.workspace_id == workspace_id) & (Member.slack_user_id == user_id)
    held = select(Member).where(mine).order_by(Member.id).with_for_update(key_share=True)
    return list(session.scalars(held.execution_options(populate_existing=True)))  # every row, so all held


def hold_people(
    session: Session, workspace_id: int, user_ids: Collection[str], *, cohort_id: int | None = None
) -> None:
    """Lock these people's memberships of every cohort in the workspace (left ones and archived cohorts' too,
    as `hold_memberships` takes one person's) and, given a cohort, every membership of it, until the caller
    commits: one statement, in id order, for any number of people (a cohort file's thousands). An erasure
    or a join of one of them, which takes the same rows in the same order after their profile, waits or is
    waited for; a settings form, holding the cohort's rows in id order too, takes turns with it.

    FOR NO KEY UPDATE: rows that point at them (check-ins, requests) can still be added meanwhile."""
    people = sorted(set(user_ids))
    if not people and cohort_id is None:
        return
    held = and_(Member.workspace_id == workspace_id, Member.slack_user_id.in_(people))
    if cohort_id is not None:
        held = or_(Member.cohort_id == cohort_id, held)
    session.execute(select(Member.id).where(held).order_by(Member.id).with_for_update(key_share=True)).all()


def hold_membership(session: Session, cohort: Cohort, user_id: str) -> Member | None:
    """Lock the person's memberships (`hold_memberships`) and read their membership of this cohort again:
    of two returns to it at once, the second waits and then finds the first one's."""
    found = hold_memberships(session, cohort.workspace_id, user_id)
    return next((member for member in found if member.cohort_id == cohort.id), None)


def current_memberships(
    session: Session,
    workspace_id: int,
    user_id: str,
    *,
    cohort_slug: str | None = None,
    with_left: bool = False,
) -> list[tuple[Member, Cohort]]:
    """The person's memberships in cohorts still running, by cohort name; left ones only when asked."""
    query = (
        select(Member, Cohort)
        .join(Cohort, Cohort.id == Member.cohort_id)
        .where(*current_filters(workspace_id, user_id, cohort_slug, with_left))
        .order_by(Cohort.name, Cohort.id)
    )
    return [(member, cohort) for member, cohort in session.execute(query)]


def current_filters(
    workspace_id: int, user_id: str, cohort_slug: str | None, with_left: bool
) -> list[ColumnElement[bool]]:
    """Their memberships of cohorts not archived (not left, unless asked; of one cohort, if named)."""
    found = [
        Member.workspace_id == workspace_id,
        Member.slack_user_id == user_id,
        Cohort.archived_at.is_(None),
    ]
    if not with_left:
        found.append(Member.status != MemberStatus.LEFT)
    if cohort_slug is not None:
        found.append(Cohort.slug == cohort_slug)
    return found


def add_member(
    session: Session, cohort: Cohort, user_id: str, role: Role, status: MemberStatus, now: datetime
) -> Member:
    """A new membership of the person in the cohort, with this role and status since `now`."""
    row = Member(workspace_id=cohort.workspace_id, cohort_id=cohort.id, slack_user_id=user_id)
    row.role, row.status, row.joined_at = role, status, now
    session.add(row)
    return row


def add_member_once(
    session: Session, cohort: Cohort, user_id: str, role: Role, status: MemberStatus, now: datetime
) -> Member | None:
    """A new membership, as add_member; None when another transaction has just added the person (a second
    press, on another replica), whose row member_in then reads."""
    try:
        with session.begin_nested():
            row = add_member(session, cohort, user_id, role, status, now)
    except IntegrityError:
        return None
    return row


def member_in(session: Session, cohort_id: int, user_id: str) -> Member | None:
    """The person's membership of one cohort, whatever its status."""
    query = select(Member).where(Member.cohort_id == cohort_id, Member.slack_user_id == user_id)
    return session.scalars(query).one_or_none()
