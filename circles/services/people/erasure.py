"""Erase a former member: what they wrote, chose and said about themselves, every unsent message that
would still reach them as a member or carry their words (`erasure_unsent`), their name in the unsent
messages to others (`erasure_names`) and in the stored plans of rounds and previews, and every message,
sent or not, that tells when they were away or paused or when they wrote to the app; the counts a cohort's
figures are made of stay."""

from __future__ import annotations

from datetime import datetime

from circles.domain.care import direct_answers_to
from circles.domain.vocabulary import MemberStatus
from circles.messages import PartnerAway, PartnerBack, RequestClosedBecause, RequestClosedNotice
from circles.persistence.db import Session, UnitOfWork
from circles.persistence.models import Cohort, Member
from circles.queries.availability import erase_blocks
from circles.queries.checkins import erase_notes
from circles.queries.consents import erase_decisions
from circles.queries.escalations import unresolved_of_members
from circles.queries.gone_accounts import forget_gone_if_erased
from circles.queries.match_constraints import clear_own_blocks
from circles.queries.members import current_memberships, hold_memberships
from circles.queries.outbox.naming import Naming, delete_keyed, delete_naming
from circles.queries.profiles import find_profile, hold_profiles
from circles.queries.surveys import erase_surveys
from circles.services.escalations.ended import close_as_ended
from circles.services.escalations.sending import Admins, admins_of
from circles.services.intake.workspaces import find_workspace
from circles.services.matching.erased import forget_in_plans
from circles.services.people.erasure_names import unname_done
from circles.services.people.erasure_unsent import drop_unsent


def erase_personal_data(
    uow: UnitOfWork, team_id: str, user_id: str, now: datetime, *, admins: Admins = ()
) -> bool:
    """Delete a former member's profile, notes, survey requests and answers, away blocks, pauses, consent
    decisions and the people they asked never to be matched with, once they are in no cohort, drop the
    unsent messages to them as a member or in their words (those to them as a facilitator of a cohort they
    still run, or as one of `admins`, still go), and delete the notices of their absences and pauses and the
    answers to what they typed, sent or not; ratings stay as aggregates, facilitators' conflicts stay. That
    Slack said their account ended is forgotten (unless they facilitate), and the messages sent to others
    that named them name nobody (`erasure_names`).

    The previews naming them are retired, and the rounds made name them no more (`matching.erased`).

    An alert still unresolved about one of their pairs (one left open in a cohort archived meanwhile, where
    nobody leaves and nothing ends) is resolved as ended at `now`, each copy sent redrawn without their notes.
    """
    with uow:
        workspace = find_workspace(uow.session, team_id)
        if workspace is None:
            return False
        # Their profile, then every membership (archived cohorts' too: erased there), in the order a join
        # takes them; a leave or a survey's answer holds the memberships too. Whichever of two at once comes
        # second reads what the first saved: a join first makes this refuse, a join after finds no profile.
        # Their cohorts are not held: nothing here changes one.
        hold_profiles(uow.session, workspace.id, [user_id])
        members = hold_memberships(uow.session, workspace.id, user_id)
        if current_memberships(uow.session, workspace.id, user_id):
            return False  # still in a cohort: their profile is in use (an archived one is no longer)
        for member in members:  # the pairs they had begun by then show them as erased from now on
            member.erased_before = member.left_at or member.joined_at
            _forget_choices(uow.session, member)
        ids = [m.id for m in members]
        erase_notes(uow.session, ids)
        forget_in_plans(uow.session, ids)  # previews retired, rounds made unnamed
        close_as_ended(uow.session, unresolved_of_members(uow.session, ids), now)
        erase_surveys(uow.session, ids)
        erase_blocks(uow.session, workspace.id, user_id)
        erase_decisions(uow.session, workspace.id, user_id)
        clear_own_blocks(uow.session, workspace.id, user_id)
        forget_gone_if_erased(uow.session, workspace.id, user_id)  # when their account ended
        delete_naming(uow.session, workspace.id, absences_of(user_id))
        delete_keyed(uow.session, workspace.id, direct_answers_to(user_id))  # when they wrote to the app
        drop_unsent(uow.session, workspace.id, user_id, admins_of(admins, workspace.id))
        unname_done(uow.session, workspace.id, ids, user_id)  # sent to others, naming them
        profile = find_profile(uow.session, workspace.id, user_id)
        if profile is not None:
            uow.session.delete(profile)
        uow.commit()
        return True


def _forget_choices(session: Session, member: Member) -> None:
    """Clear what the person chose in a membership: when they took a break (sick leave, say) and until when,
    as their away blocks are; a digest they muted, and when it was next due (their mute's end, say). One
    still in an archived cohort (nobody leaves one) is left as of its archiving, as every other of theirs is
    left by now: a status kept paused there would still say that they were on a break."""
    if member.status is not MemberStatus.LEFT:
        archived = session.get_one(Cohort, member.cohort_id).archived_at
        member.status, member.left_at = MemberStatus.LEFT, archived or member.joined_at
    member.pauses = member.paused_until = member.nudges_muted_until = member.digest_due_at = None


def absences_of(user_id: str) -> list[Naming]:
    """The messages that tie the person to the dates of an absence or pause, whatever became of them: each
    partner's notice that they were away until a day or back (its time and date say when), and their own
    notice that a request closed because they were on a pause. Keyed by the erased block or the request,
    which nothing makes again, so deleting them leaves nothing to send twice."""
    paused = RequestClosedBecause.LEARNER_PAUSED.value
    return [
        Naming(PartnerAway.TEMPLATE, "away_user_id", user_id),
        Naming(PartnerBack.TEMPLATE, "back_user_id", user_id),
        Naming(RequestClosedNotice.TEMPLATE, "because", paused, to=user_id),
    ]
