"""The support form: what it offers a member, and sending what they wrote to their facilitators only."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from circles.domain.care import free_text_hint, shared_hint
from circles.errors import (
    InvalidSupportMessage,
    NotAMember,
    PartnershipInAnotherCohort,
    PartnershipNotYours,
    SupportWhichCohort,
)
from circles.persistence.db import Session, UnitOfWork
from circles.persistence.models import Cohort, Member, Partnership
from circles.queries.partnerships import partners_of
from circles.services.cohorts.named import NamedCohort
from circles.services.escalations.sending import Admins
from circles.services.support.hearing import Heard, Hearers
from circles.services.support.request import (
    SUPPORT_MESSAGE_MAX,
    SupportSent,
    memberships_of,
    notify_facilitators,
    refuse_unheard,
)


@dataclass(frozen=True)
class SupportAbout:
    """What a request is about: any of the person's cohorts (both None), one cohort, or one partnership."""

    cohort_slug: str | None = None
    partnership_id: int | None = None


@dataclass(frozen=True)
class CohortChoice(NamedCohort):
    """A cohort whose facilitators the request may go to, and who would hear it there."""

    heard: Heard = Heard.FACILITATORS


@dataclass(frozen=True)
class PartnershipChoice:
    partnership_id: int
    partner_user_id: str
    partner_name: str  # from their profile, or their user ID when Slack gave no name
    cohort_slug: str
    cohort_name: str


@dataclass(frozen=True)
class SupportForm:
    """What the form shows: the cohorts to choose from (one: no choice), the partnerships, the hint."""

    about: SupportAbout
    cohorts: list[CohortChoice]
    partnerships: list[PartnershipChoice]  # about one partnership: exactly that one
    free_text_hint: str


def support_form(
    uow: UnitOfWork,
    team_id: str,
    user_id: str,
    about: SupportAbout,
    now: datetime | None = None,
    *,
    admins: Admins = (),
) -> SupportForm:
    """The form for this person, refusing at once what they may not ask about; with `now`, saying who would
    hear each choice if it were sent then (without it, each reads as its facilitators')."""
    with uow:
        session = uow.session
        memberships = memberships_of(session, team_id, user_id)
        if about.partnership_id is not None:
            member, cohort, partner = _partner_of(session, member_ids(memberships), about.partnership_id)
            theirs = _partnerships(session, [member.id], any_status=True)
            this = [choice for choice in theirs if choice.partnership_id == about.partnership_id]
            heard = _choices(session, user_id, [cohort], [], now, admins, partner)
            return SupportForm(about, heard, this, free_text_hint(cohort.free_text_hint))
        if about.cohort_slug is not None:
            member, cohort = _named(memberships, about.cohort_slug)
            chosen = _partnerships(session, [member.id])
            heard = _choices(session, user_id, [cohort], chosen, now, admins)
            return SupportForm(about, heard, chosen, free_text_hint(cohort.free_text_hint))
        cohorts = [cohort for _, cohort in memberships]
        hint = shared_hint([cohort.free_text_hint for cohort in cohorts])
        everyone = _partnerships(session, member_ids(memberships))
        return SupportForm(about, _choices(session, user_id, cohorts, everyone, now, admins), everyone, hint)


def send_support(
    uow: UnitOfWork,
    team_id: str,
    user_id: str,
    about: SupportAbout,
    message: str | None,
    now: datetime,
    *,
    request_key: str,
    admins: Admins = (),
) -> SupportSent:
    """Tell the facilitators of the cohort meant (or the admins: see notify_facilitators), privately;
    about a partnership, naming the partner.

    `request_key` names the submission (Slack's trigger_id): the same one taken in twice sends nothing more.
    """
    text = (message or "").strip() or None
    if text is not None and len(text) > SUPPORT_MESSAGE_MAX:
        raise InvalidSupportMessage(SUPPORT_MESSAGE_MAX)
    with uow:
        session = uow.session
        memberships = memberships_of(session, team_id, user_id)
        partner = None
        if about.partnership_id is not None:
            member, cohort, partner = _partner_of(session, member_ids(memberships), about.partnership_id)
            if about.cohort_slug is not None and about.cohort_slug != cohort.slug:
                raise PartnershipInAnotherCohort(cohort.name)
        elif about.cohort_slug is not None:
            member, cohort = _named(memberships, about.cohort_slug)
        elif len(memberships) == 1:
            member, cohort = memberships[0]
        else:
            raise SupportWhichCohort(sorted(cohort.slug for _, cohort in memberships))
        # Each submission is its own message; the same submission taken in again is not new.
        key = f"support:{member.id}:{request_key}"
        sent = notify_facilitators(
            session, cohort, member, text, now, key=key, partner_user_id=partner, admins=admins
        )
        refuse_unheard(sent)
        uow.commit()
        return sent


def member_ids(memberships: list[tuple[Member, Cohort]]) -> list[int]:
    return [member.id for member, _ in memberships]


def _named(memberships: list[tuple[Member, Cohort]], slug: str) -> tuple[Member, Cohort]:
    for member, cohort in memberships:
        if cohort.slug == slug:
            return member, cohort
    raise NotAMember(slug)


def _partner_of(session: Session, mine: list[int], partnership_id: int) -> tuple[Member, Cohort, str]:
    """The person's membership, cohort and partner in a partnership of theirs; anything else is refused."""
    partnership = session.get(Partnership, partnership_id)
    if partnership is None:
        raise PartnershipNotYours()
    first, second = partnership.first_member_id, partnership.second_member_id
    if first not in mine and second not in mine:
        raise PartnershipNotYours()  # another workspace's, someone else's or none: they look the same
    member_id, other = (first, second) if first in mine else (second, first)
    member = session.get_one(Member, member_id)
    return (
        member,
        session.get_one(Cohort, partnership.cohort_id),
        session.get_one(Member, other).slack_user_id,
    )


def _partnerships(session: Session, mine: list[int], *, any_status: bool = False) -> list[PartnershipChoice]:
    """The person's partnerships that still run (or all of them), by cohort, with the partner's name."""
    return [
        PartnershipChoice(
            p.partnership_id,
            p.partner_user_id,
            p.partner_name or p.partner_user_id,
            p.cohort_slug,
            p.cohort_name,
        )
        for p in partners_of(session, mine, any_status=any_status)
    ]


def _choices(
    session: Session,
    user_id: str,
    cohorts: list[Cohort],
    offered: list[PartnershipChoice],
    now: datetime | None,
    admins: Admins,
    partner: str | None = None,
) -> list[CohortChoice]:
    """Each cohort, with who would hear the request there now: as it would be sent (`Hearers`). One about
    a partnership chosen on the form reaches fewer (never anyone paired with its partner): when the admins
    may hear this person, it may be them."""
    if now is None:
        return [CohortChoice(cohort.slug, cohort.name) for cohort in cohorts]
    hearers = Hearers.of(session, cohorts[0].workspace_id, user_id, admins, partner)
    paired = {choice.cohort_slug for choice in offered} if hearers.stand_ins() else set()
    return [
        CohortChoice(sent.cohort_slug, sent.cohort_name, _heard(sent, sent.cohort_slug in paired))
        for sent in hearers.in_cohorts(session, cohorts, now)
    ]


def _heard(sent: SupportSent, about_a_partnership: bool) -> Heard:
    if sent.facilitators:
        return Heard.FACILITATORS_OR_ADMINS if about_a_partnership else Heard.FACILITATORS
    return Heard.ADMINS if sent.admins else Heard.NOBODY
