"""Partnership health: signals from check-ins, the state they lead to, and the rules that fired.

Signals, per partnership, as they stand at an instant (`read_signals`):

- each partner's latest rating (1–5) and the one before it; the lower of the two partners' ratings;
- missed check-ins: a partner's unanswered check-ins in a row since their last answer. A check-in
  counts as missed once `answer_within_days` have passed since its question went (one held for its
  person's hours or absence: from then); until then it is open;
- days since either partner last reported a meeting (counted from the answer that reported it),
  or since the pair started when nobody has reported one yet;
- the early fit check: each partner's rating at the first check-in where a meeting was reported,
  for as long as that is their latest rating;
- a support request ("I'd like support") on a partner's latest answered check-in.

Rules, with the cohort's thresholds (`HealthThresholds`, defaults in brackets). Each concern gives
one reason in plain words; when it holds for both partners it is said once, for both:

- low rating: a partner's latest rating is at or below `low_rating` [2];
- disagreement: the partners' latest ratings are `disagreement_gap` [2] or more apart;
- drop: a partner's rating fell by `rating_drop` [2] or more since their previous one;
- missed check-ins: a partner missed `missed_checkins` [2] or more in a row;
- no meeting: no meeting reported for `days_without_meeting` [21] days or more, once a check-in asked
  since the last meeting reported (or the pairing) was answered or missed (see below);
- poor early fit: after the first meeting, a partner rated it above `low_rating` but at or below
  `early_fit_rating` [3] (a lukewarm first impression is the easiest moment to change course);
- support requested: a partner asked for support at their latest check-in.

States, because ratings alone predict little, combine signals:

- struggling: both partners' ratings are low; or a low rating comes with a support request; or a
  low rating or a support request comes with silence (missed check-ins, or no meeting for too
  long); or both partners missed check-ins and no meeting was reported for too long;
- needs attention: any concern above, without such a combination;
- thriving: no concern, both partners' latest ratings are at or above `high_rating` [4], a meeting
  has been reported, and neither has an unanswered check-in past its answer window;
- steady: everything else, including new pairs with nothing to go on yet.

Time a partner is away (an away, rotation or leave block) or paused (circles.domain.health.paused)
never counts against the pair: it is left out of the days without meeting, and a check-in whose answer
window overlaps it is not missed (see circles.domain.health.away). Nor does time no check-in was asked,
since a pair reports a meeting only by answering one (circles.domain.health.unasked): of a gap between
two asked check-ins, only the time until the next fell due counts, by the check-in intervals the cohort
had then (the app down for weeks leaves the rest out; an interval since shortened does not); time
before the cohort's first week is left out; and until a check-in asked since the last meeting reported
(or the pairing) is answered or missed, no meeting reported is no concern, unless an interval and the
answer window pass with none asked (check-ins stopped: the days count again, all of them).

Check-ins are counted by when they were due: the partners' questions due within two days of each
other (their own hours, time zones) are one check-in, however late each went (held for a night shift).

The words give the days since the last meeting (or the pairing) as the calendar has them, and how many
counted when time was left out ("no meeting reported for 42 days (21 days of it counted: the rest away
or paused)"); the rules read only the days counted.

Reasons never quote notes; the signals hold numbers and flags only.
"""

from circles.domain.health.evaluate import CONCERNED, RISKIEST_FIRST, Health, evaluate, risk_key
from circles.domain.health.rules import Reason, Rule, Who, assess
from circles.domain.health.signals import Answer, AnswerRow, Pair, PartnerSignals, Signals, read_signals
from circles.domain.health.words import NOT_ASSESSED_WORDS, STATE_WORDS, StateWords

__all__ = [
    "CONCERNED",
    "NOT_ASSESSED_WORDS",
    "RISKIEST_FIRST",
    "STATE_WORDS",
    "Answer",
    "AnswerRow",
    "Health",
    "Pair",
    "PartnerSignals",
    "Reason",
    "Rule",
    "Signals",
    "StateWords",
    "Who",
    "assess",
    "evaluate",
    "read_signals",
    "risk_key",
]
