"""What the support form and the answer to a typed message say of who reads what is written, for each way a
request would be heard, within Slack's limits for the largest cohorts and names; the answer kept in the
outbox keeps its shape when its facilitators hear it."""

from __future__ import annotations

import json
from typing import Any

from hypothesis import example, given, settings
from hypothesis import strategies as st

from bot import ids
from bot.messages import render
from bot.views.direct_answer import direct_answer_message
from bot.views.support_form import support_modal
from circles.domain.care import FREE_TEXT_HINT_MAX, WELLBEING_RESOURCES_MAX
from circles.messages import CohortCare, DirectAnswer, parse
from circles.services.support.form import CohortChoice, PartnershipChoice, SupportAbout, SupportForm
from circles.services.support.hearing import Heard
from tests.slack_extremes import COHORT_NAME, COHORTS_PER_FACILITATOR, cohort_names, text_of
from tests.slack_limits import assert_within_limits

FEW = settings(max_examples=10, deadline=None)
RUNNERS = "the people who run Circles in this workspace"
PROMISED = "Only the facilitators see what you write here, and it goes to nobody else."
HINT = "Please don't include patient information."
WITH_ADA = PartnershipChoice(7, "U0ADA", "Ada Diaz", "pgy1", "PGY-1")


def said(form: SupportForm) -> tuple[str, str, str]:
    """The form's first lines, its message box's hint and its small print."""
    view: dict[str, Any] = support_modal(form).to_dict()
    [hint] = [b["hint"]["text"] for b in view["blocks"] if b.get("block_id") == ids.SUPPORT_MESSAGE]
    return view["blocks"][0]["text"]["text"], hint, view["blocks"][-1]["elements"][0]["text"]


PGY1 = SupportAbout(cohort_slug="pgy1")


def one(heard: Heard, about: SupportAbout = PGY1) -> SupportForm:
    return SupportForm(about, [CohortChoice("pgy1", "PGY-1", heard)], [WITH_ADA], HINT)


def test_a_form_its_facilitators_hear_promises_them_alone_as_before() -> None:
    first, hint, _ = said(one(Heard.FACILITATORS))
    assert first == f"Your message goes privately to the facilitators of *PGY-1*. {PROMISED}"
    assert hint == f"{PROMISED} {HINT}"


def test_a_form_the_admins_would_hear_says_so_and_promises_no_facilitator() -> None:
    for about in (SupportAbout(cohort_slug="pgy1"), SupportAbout(partnership_id=7)):
        first, hint, small = said(one(Heard.ADMINS, about))
        assert first.startswith("No facilitator of *PGY-1* can take your message")
        assert f"so it goes privately to {RUNNERS}" in first
        assert PROMISED not in first + hint
        assert hint == f"Only {RUNNERS} see what you write here, and it goes to nobody else. {HINT}"
        assert "reach them directly" not in small  # nobody to reach: the admins are not named


def test_a_form_whose_partnership_may_go_to_the_admins_says_it_may() -> None:
    first, hint, _ = said(one(Heard.FACILITATORS_OR_ADMINS))
    assert f"facilitators of *PGY-1* or, about a partnership none of them can take, to {RUNNERS}" in first
    assert PROMISED not in first + hint


def test_a_form_nobody_can_take_says_nothing_will_be_sent() -> None:
    first, hint, small = said(one(Heard.NOBODY))
    assert "can't be sent: please contact whoever runs your programme directly" in first
    assert hint.startswith("Nothing you write here can be sent")
    assert "usual urgent routes" in small
    assert "They usually reply" not in small


def test_with_several_cohorts_the_form_names_those_the_admins_or_nobody_would_hear() -> None:
    cohorts = [
        CohortChoice("a", "Alpha", Heard.FACILITATORS),
        CohortChoice("b", "Beta", Heard.ADMINS),
        CohortChoice("c", "Gamma", Heard.NOBODY),
    ]
    first, hint, _ = said(SupportForm(SupportAbout(), cohorts, [], HINT))
    assert first.startswith("Your message goes privately to the facilitators of the cohort you choose.")
    assert f"For *Beta*, no facilitator can take it, so it goes privately to {RUNNERS}." in first
    assert "Nobody can take a message through Circles for *Gamma* just now" in first
    assert "Alpha" not in first
    assert PROMISED not in first + hint


@FEW
@given(
    name=cohort_names,
    hint=text_of(FREE_TEXT_HINT_MAX),
    heard=st.lists(st.sampled_from(Heard), min_size=1, max_size=COHORTS_PER_FACILITATOR),
    about=st.sampled_from([SupportAbout(), SupportAbout(partnership_id=7)]),
)
@example(name="<" * COHORT_NAME, hint="&" * 150, heard=list(Heard) * 13, about=SupportAbout())
def test_the_form_fits_whoever_would_hear_each_of_fifty_cohorts(
    name: str, hint: str, heard: list[Heard], about: SupportAbout
) -> None:
    cohorts = [CohortChoice(f"{n:02d}" + "s" * 38, name, h) for n, h in enumerate(heard)]
    cohorts = cohorts[:1] if about.partnership_id else cohorts
    partner = PartnershipChoice(7, "U" + "0" * 31, name, cohorts[0].slug, name)
    assert_within_limits(support_modal(SupportForm(about, cohorts, [partner], hint)), typed=[name, hint])


def answer_to(*cohorts: CohortCare) -> str:
    message = direct_answer_message(DirectAnswer(cohorts, "Call the wellbeing team."))
    return json.dumps(message.block_dicts(), ensure_ascii=False)


def test_the_answer_says_the_admins_read_what_is_written_where_no_facilitator_may() -> None:
    shown = answer_to(CohortCare("pgy1", "PGY-1", to_admins=True, kept=True))
    assert "No facilitator of *PGY-1* can take a message from you just now." in shown
    assert f"To reach {RUNNERS} privately instead, use *Message my facilitators*" in shown
    assert "To reach the facilitators" not in shown
    mixed = answer_to(CohortCare("a", "Alpha"), CohortCare("b", "Beta", to_admins=True))
    assert "To reach the facilitators of the cohort you choose privately" in mixed
    assert (
        f"*Beta* has no facilitator yet. For that cohort, what you write goes privately to {RUNNERS}" in mixed
    )


def test_the_answer_tells_no_facilitator_from_none_who_may_hear_without_saying_why() -> None:
    shown = answer_to(
        CohortCare("a", "Alpha", unheard=True),
        CohortCare("b", "Beta", unheard=True, kept=True),
    )
    assert "Nobody can receive a message through Circles for *Alpha* yet: it has no facilitator." in shown
    assert "for *Beta* yet: none of its facilitators can take one from you." in shown


@FEW
@given(name=cohort_names, flags=st.lists(st.integers(0, 3), min_size=COHORTS_PER_FACILITATOR, max_size=50))
@example(name="&" * COHORT_NAME, flags=[0, 1, 2, 3] * 13)
def test_the_answer_fits_fifty_cohorts_heard_every_way(name: str, flags: list[int]) -> None:
    """0: its facilitators; 1: the admins; 2: nobody, it has none; 3: nobody, none may hear them."""
    cohorts = tuple(
        CohortCare(f"c{n}", name, "r" * WELLBEING_RESOURCES_MAX, flag >= 2, flag == 1, flag in (1, 3))
        for n, flag in enumerate(flags)
    )
    answer = DirectAnswer(cohorts, "r" * WELLBEING_RESOURCES_MAX)
    assert_within_limits(direct_answer_message(answer), typed=[name])
    assert_within_limits(render(DirectAnswer.TEMPLATE, answer.to_args()), typed=[name])


def test_an_answer_its_facilitators_hear_is_kept_in_the_shape_it_always_had() -> None:
    heard = DirectAnswer((CohortCare("pgy1", "PGY-1", "r"),), "r")
    assert heard.to_args()["cohorts"] == [
        {"slug": "pgy1", "name": "PGY-1", "resources": "r", "unheard": False}
    ]
    for care in (
        CohortCare("a", "A", to_admins=True, kept=True),
        CohortCare("b", "B", unheard=True, kept=True),
    ):
        answer = DirectAnswer((care,), "r")
        assert parse(DirectAnswer.TEMPLATE, answer.to_args()) == answer
