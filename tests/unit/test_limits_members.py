"""What members see (directory, profiles, check-ins, support, kickoffs, help, endings) within limits."""

from __future__ import annotations

from datetime import UTC, datetime

from hypothesis import given, settings
from hypothesis import strategies as st

from bot.listeners.commands import SUBCOMMANDS
from bot.listeners.commands.profiles import ONE_AT_A_TIME, UNKNOWN
from bot.views.checkin import answered_message, checkin_message, choose_message, closed_message
from bot.views.checkin_form import FormOrigin, checkin_modal
from bot.views.consent import consent_message, decided_message
from bot.views.directory.listing import directory_message, directory_modal
from bot.views.directory.requests import (
    accepted_for_guide,
    accepted_for_learner,
    already_asked,
    declined_for_guide,
    declined_for_learner,
    request_for_guide,
    request_sent,
    say,
    withdrawn_for_learner,
)
from bot.views.endings import change_confirmed, end_modal, partnership_buttons
from bot.views.errors import friendly_message
from bot.views.help import help_message
from bot.views.kickoff import kickoff
from bot.views.profile import not_in_a_cohort_modal, profile_card, profile_modal
from bot.views.support import support_sent_message
from bot.views.text import mrkdwn, quote_typed
from circles.domain.checkins import NOTE_MAX_CHARS, CheckInAnswer
from circles.domain.match_vocabulary import StepKind
from circles.domain.requests import RequestStatus
from circles.domain.research.consent import ConsentRecord, Decision
from circles.domain.vocabulary import MeetingPlace, PartnershipStatus, Role
from circles.errors import RequestAlreadyOpen
from circles.services.checkins.answers import Answered, OpenCheckIn
from circles.services.checkins.opening import CheckInChoice
from circles.services.partnerships.changes import PartnershipChange
from circles.services.partnerships.request_view import RequestView
from circles.services.people.directory import Basis, Directory, Entry
from circles.services.people.profiles import ProfileCard, ProfileFields, ProfileForm
from circles.services.research.consent import CohortConsent, Decided
from circles.services.rounds.steps import Introduction, StepWork
from circles.services.support.request import SupportSent
from prompts.roles import role_texts
from prompts.tracks import Prompt
from tests.slack_extremes import (
    COHORT_NAME,
    COHORTS_PER_FACILITATOR,
    PROFILE,
    cohort_names,
    slugs,
    text_of,
    up_to,
    user_ids,
)
from tests.slack_limits import assert_within_limits

FEW = settings(max_examples=10, deadline=None)
USERS = user_ids(60)
BIG_ID = 10**12 - 1


def longest_profile(draw: st.DrawFn) -> ProfileFields:
    texts = {field: draw(up_to(limit)) for field, limit in PROFILE.items()}
    return ProfileFields(**texts, capacity=20)


profiles = st.composite(longest_profile)()


@FEW
@given(name=cohort_names, fields=profiles, topic=up_to(3000), basis=st.sampled_from(list(Basis)))
def test_the_directory_of_many_guides_with_the_longest_profiles_fits(
    name: str, fields: ProfileFields, topic: str, basis: Basis
) -> None:
    entries = [
        Entry(
            "s" * 40,
            name,
            user,
            Role.MENTOR,
            fields.skills,
            fields.offers,
            20,
            tuple(fields.interests.split()),
            True,
        )
        for user in USERS[:40]
    ]
    found = Directory(entries, basis)
    typed = [name, topic, fields.skills, fields.offers, fields.interests]
    assert_within_limits(directory_message(found, topic), typed=typed)
    assert_within_limits(directory_modal(found), typed=typed)


@FEW
@given(name=cohort_names, fields=profiles)
def test_a_request_to_a_coach_and_its_answers_fit(name: str, fields: ProfileFields) -> None:
    request = RequestView(BIG_ID, "s" * 40, name, USERS[0], USERS[1], Role.MENTOR, fields, RequestStatus.OPEN)
    typed = [name, *(getattr(fields, field) for field in PROFILE)]
    for message in (
        request_for_guide(request),
        request_sent(request),
        accepted_for_guide(request),
        accepted_for_learner(request),
        declined_for_guide(request),
        declined_for_learner(request),
    ):
        assert_within_limits(message, typed=typed)


@FEW
@given(slug=slugs, coach=st.sampled_from([None, USERS[0]]))  # the cohort's own slug, as the rules allow
def test_a_second_request_refused_with_its_withdraw_button_and_the_withdrawal_fit(
    slug: str, coach: str | None
) -> None:
    refused = friendly_message(RequestAlreadyOpen(slug))
    assert_within_limits(already_asked(refused, slug), typed=[slug])
    assert_within_limits(withdrawn_for_learner(coach, slug), typed=[slug])


@FEW
@given(name=cohort_names, fields=profiles, note=up_to(3000), guides=st.booleans())
def test_the_profile_form_and_card_fit_with_every_field_at_its_longest(
    name: str, fields: ProfileFields, note: str, guides: bool
) -> None:
    typed = [name, note, *(getattr(fields, field) for field in PROFILE)]
    assert_within_limits(profile_modal(ProfileForm(fields, guides, True), note, USERS[:20]), typed=typed)
    assert_within_limits(not_in_a_cohort_modal())
    roles = [(name, Role.COACH)] * COHORTS_PER_FACILITATOR
    assert_within_limits(
        profile_card(ProfileCard(USERS[0], fields, "America/Argentina/ComodRivadavia", roles)), typed=typed
    )


@FEW
@given(name=cohort_names, fields=profiles, typed=up_to(3000))
def test_a_profile_card_with_a_note_for_the_viewer_and_typed_words_quoted_back_fits(
    name: str, fields: ProfileFields, typed: str
) -> None:
    roles = [(name, Role.MENTOR)] * COHORTS_PER_FACILITATOR
    card = ProfileCard(USERS[0], fields, "America/Argentina/ComodRivadavia", roles)
    words = [name, typed, *(getattr(fields, field) for field in PROFILE)]
    assert_within_limits(profile_card(card, note=ONE_AT_A_TIME), typed=words)
    assert_within_limits(say(UNKNOWN.format(name=quote_typed(typed))), typed=words)


@FEW
@given(name=cohort_names, note=up_to(NOTE_MAX_CHARS), reason=up_to(500), count=st.sampled_from([2, 25, 60]))
def test_check_ins_their_form_and_answers_fit(name: str, note: str, reason: str, count: int) -> None:
    open_checkin = OpenCheckIn(BIG_ID, "s" * 40, name, USERS[0])
    assert_within_limits(checkin_message(BIG_ID, name, USERS[0]), typed=[name])
    origin = FormOrigin(BIG_ID, "D" + "0" * 31, "1700000000.123456")
    for support in (True, False):
        assert_within_limits(checkin_modal(open_checkin, origin, wants_support=support), typed=[name])
    answer = CheckInAnswer(rating=1, met=False, note=note, share_note=True, wants_support=True)
    told = SupportSent("s" * 40, name, USERS[:30])
    assert_within_limits(answered_message(Answered(open_checkin, answer, told)), typed=[name, note])
    assert_within_limits(closed_message(quote_typed(reason, 500)), typed=[reason])
    several = [
        CheckInChoice(BIG_ID - n, BIG_ID - n if n % 2 else None, name, USERS[n % 60]) for n in range(count)
    ]
    assert_within_limits(choose_message(several), typed=[name])


@FEW
@given(name=cohort_names, facilitators=st.integers(0, 60))
def test_the_answer_to_a_support_request_fits(name: str, facilitators: int) -> None:
    sent = SupportSent("s" * 40, name, USERS[:facilitators])
    assert_within_limits(support_sent_message(sent), typed=[name])


@FEW
@given(
    name=cohort_names,
    fields=profiles,
    people=st.integers(2, 12),
    theme=up_to(80),
    text=up_to(2000),
    pair=st.booleans(),
)
def test_a_kickoff_of_the_largest_circle_with_the_longest_profiles_fits(
    name: str, fields: ProfileFields, people: int, theme: str, text: str, pair: bool
) -> None:
    everyone = [
        Introduction(user, list(Role)[n % 4], fields.department, fields.interests, fields.aspirations)
        for n, user in enumerate(USERS[:people])
    ]
    work = StepWork(
        BIG_ID,
        StepKind.CIRCLE_KICKOFF,
        "s" * 40,
        name,
        "t" * 64,
        MeetingPlace.PRIVATE_CHANNEL,
        "c" * 80,
        None,
        everyone,
    )
    prompt = Prompt("p", theme, "circle", text, text[:500])
    typed = [name, theme, text, fields.department, fields.interests, fields.aspirations]
    for chosen in (prompt, None):
        assert_within_limits(kickoff(work, role_texts(), chosen, pair=pair), typed=typed)


@FEW
@given(note=up_to(3000), runs=st.booleans())
def test_help_with_a_note_fits(note: str, runs: bool) -> None:
    assert_within_limits(
        help_message(SUBCOMMANDS, runs_cohorts=runs, note=f"I don't know `{quote_typed(note)}`."),
        typed=[note],
    )


@FEW
@given(name=cohort_names, status=st.sampled_from(list(PartnershipStatus)))
def test_ending_a_partnership_fits_at_every_step(name: str, status: PartnershipStatus) -> None:
    buttons = partnership_buttons(BIG_ID, status)
    assert_within_limits({"text": "t", "blocks": [buttons.to_dict()]})
    assert_within_limits(end_modal(BIG_ID, USERS[0]))
    change = PartnershipChange(BIG_ID, name, USERS[0], status, USERS[:30])
    assert_within_limits({"text": change_confirmed(change), "blocks": []}, typed=[name])


@FEW
@given(slug=slugs, typed=text_of(4000))
def test_typed_words_quoted_back_fit(slug: str, typed: str) -> None:
    assert slug
    assert_within_limits({"text": quote_typed(typed), "blocks": []}, typed=[typed])


@FEW
@given(name=cohort_names, statement=up_to(10_000), cohorts=st.sampled_from([0, 1, 12, 13, 40]))
def test_the_consent_message_and_its_confirmation_fit(name: str, statement: str, cohorts: int) -> None:
    given_at = datetime(2027, 1, 1, tzinfo=UTC)
    record = ConsentRecord(Decision.GIVEN, given_at, "v" * 32)
    each = [CohortConsent(f"{n:s>40}", name, statement, "v" * 32, record) for n in range(cohorts)]
    assert_within_limits(consent_message(each), typed=[name, statement])
    for decision in Decision:
        done = Decided("s" * 40, name, ConsentRecord(decision, given_at, "v" * 32), changed=False)
        assert_within_limits(decided_message(done), typed=[name])


def test_a_paused_learner_with_a_coach_in_fifty_cohorts_of_the_longest_names_is_told_within_limits() -> None:
    name = "&" * COHORT_NAME
    entries = [
        Entry(f"{n:02d}" + "s" * 38, name, USERS[n], Role.COACH, "", "", 1, (), False)
        for n in range(COHORTS_PER_FACILITATOR)
    ]
    found = Directory(entries, Basis.NOTHING, paused=True, guided=frozenset(e.cohort_slug for e in entries))
    message, modal = directory_message(found), directory_modal(found)
    for shown in (message, modal):
        assert_within_limits(shown, typed=[name])
    for blocks in (message.block_dicts(), modal.to_dict()["blocks"]):
        assert f"and {COHORTS_PER_FACILITATOR - 5} more cohorts already, so there is no button" in str(blocks)


def test_a_card_of_someone_in_fifty_shared_cohorts_names_whole_cohorts_and_counts_the_rest() -> None:
    names = [f"Cohort {n:02d} " + "&" * 100 for n in range(COHORTS_PER_FACILITATOR)]
    card = ProfileCard(USERS[0], ProfileFields(skills="feedback"), None, [(n, Role.COACH) for n in names])
    message = profile_card(card)
    assert_within_limits(message, typed=names)
    heading = message.block_dicts()[0]["text"]["text"].splitlines()[0]  # type: ignore[index]
    named = [name for name in names if f"*{mrkdwn(name)}*" in heading]
    assert named == names[: len(named)]
    assert heading.endswith(f" and {COHORTS_PER_FACILITATOR - len(named)} more cohorts")
    assert "…" not in heading
