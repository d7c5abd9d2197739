"""Who will read what someone writes on the support form, said before they write it: as it would be sent.

Never why a facilitator cannot take it (away, gone, or once paired with them or their partner), nor who the
people who run Circles are.
"""

from __future__ import annotations

from bot.views.support import REPLY_EXPECTED, REPLY_FROM_RUNNERS
from bot.views.text import fit_mrkdwn
from circles.services.support.form import CohortChoice, PartnershipChoice, SupportForm
from circles.services.support.hearing import Heard

RUNNERS = "the people who run Circles in this workspace"
WHO_SEES = "Only the facilitators see what you write here, and it goes to nobody else."
WHO_SEES_RUNNERS = f"Only {RUNNERS} see what you write here, and it goes to nobody else."
WHO_SEES_EITHER = "Only the people it goes to see what you write here, and it goes to nobody else."
SENDS_NOTHING = "Nothing you write here can be sent: nobody can take it through Circles just now."
URGENT_ROUTES = "If it cannot wait, use your usual urgent routes: Circles is not watched around the clock."
# A partnership chosen on the form keeps the request from anyone ever paired with the partner too.
OR_RUNNERS = f" or, about a partnership none of them can take, to {RUNNERS}"
CONTACT = "please contact whoever runs your programme directly."
NAMES_MAX = 1000  # of a section's 3000, for each list of cohorts' names


def whom(form: SupportForm) -> str:
    """The form's first lines: who will read it, for the one cohort or each the person may choose."""
    if len(form.cohorts) == 1:
        about = form.partnerships[0] if form.about.partnership_id is not None and form.partnerships else None
        return _to_one(form.cohorts[0], about)
    by = {heard: [c.name for c in form.cohorts if c.heard is heard] for heard in Heard}
    said = []
    if by[Heard.FACILITATORS] or by[Heard.FACILITATORS_OR_ADMINS]:
        either = OR_RUNNERS if by[Heard.FACILITATORS_OR_ADMINS] else ""
        said.append(f"Your message goes privately to the facilitators of the cohort you choose{either}.")
    if runners := by[Heard.ADMINS]:
        said.append(f"For {_names(runners)}, no facilitator can take it, so it goes privately to {RUNNERS}.")
    if nobody := by[Heard.NOBODY]:
        said.append(f"Nobody can take a message through Circles for {_names(nobody)} just now: {CONTACT}")
    said.append(who_sees(form))
    return " ".join(said)


def who_sees(form: SupportForm) -> str:
    """Who sees what is written: the message box's hint says it too."""
    heard = {choice.heard for choice in form.cohorts}
    if heard == {Heard.NOBODY}:
        return SENDS_NOTHING
    if heard == {Heard.FACILITATORS}:
        return WHO_SEES
    return WHO_SEES_RUNNERS if heard == {Heard.ADMINS} else WHO_SEES_EITHER


def reply_expected(form: SupportForm) -> str:
    """When to expect a reply, and from whom; where to turn if it cannot wait."""
    heard = {choice.heard for choice in form.cohorts}
    if heard & {Heard.FACILITATORS, Heard.FACILITATORS_OR_ADMINS}:
        return REPLY_EXPECTED
    return REPLY_FROM_RUNNERS if Heard.ADMINS in heard else URGENT_ROUTES


def _to_one(choice: CohortChoice, about: PartnershipChoice | None) -> str:
    name = _names([choice.name])
    partnership = f" about your partnership with <@{about.partner_user_id}>" if about else ""
    if choice.heard is Heard.ADMINS:
        return (
            f"No facilitator of {name} can take your message{partnership}, so it goes privately to "
            f"{RUNNERS}. Only they see what you write here, and it goes to nobody else."
        )
    if choice.heard is Heard.NOBODY:
        return (
            f"Nobody can take a message{partnership} through Circles for {name} just now, so what you write "
            f"here can't be sent: {CONTACT}"
        )
    either = OR_RUNNERS if choice.heard is Heard.FACILITATORS_OR_ADMINS else ""
    whose, sees = (f"{name},{partnership}" if about else name), (WHO_SEES_EITHER if either else WHO_SEES)
    return f"Your message goes privately to the facilitators of {whose}{either}. {sees}"


def _names(names: list[str]) -> str:
    """Cohort names in bold, escaped and cut to share a section with the sentences around them."""
    return f"*{fit_mrkdwn(', '.join(names), NAMES_MAX)}*"
