"""Survey requests: who is asked, each request once, the current ones as the cohort's dates move (re-timed,
withdrawn, superseded), where a request stands, held for an answer, the version its answers are to,
response rates, erasure (the member answering is `survey_answers`).

Only a request not superseded counts: in response rates and as the phase's answer; a superseded one's
messages are dropped, as an erased one's are.

Everything here is set-based: one statement for any number of members, requests or cohorts.
"""

from circles.queries.surveys.answering import answering_version, answers_version, hold_for_answer
from circles.queries.surveys.asking import (
    Asked,
    NewRequest,
    add_requests,
    askable_members,
    mark_delivered,
    request_states,
)
from circles.queries.surveys.moved import (
    Current,
    current_requests,
    retime_requests,
    supersede_requests,
    withdraw_requests,
)
from circles.queries.surveys.rates import Rate, erase_surveys, response_rates

__all__ = [
    "Asked",
    "Current",
    "NewRequest",
    "Rate",
    "add_requests",
    "answering_version",
    "answers_version",
    "askable_members",
    "current_requests",
    "erase_surveys",
    "hold_for_answer",
    "mark_delivered",
    "request_states",
    "response_rates",
    "retime_requests",
    "supersede_requests",
    "withdraw_requests",
]
