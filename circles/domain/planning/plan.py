"""Turn one cohort's cadence into the messages and check-ins a planning window holds (pure).

- Circle prompts: one a week in each circle's conversation, at the cohort's day and time in its time
  zone; week N of the cohort gets the Nth circle prompt of the track, and after the last one the track
  starts again from the top.
- Check-ins: every `checkin_every_weeks` weeks (the first that many weeks after the first prompt), to each
  partner of an active partnership, at the cohort's day and time in that partner's own time zone.
- Pair prompts and coach session ideas follow the check-in rhythm: the pair prompt goes into the
  partnership's conversation (the kickoff already carried the track's first one), and each coach or
  mentor gets one session idea per check-in day, in their own time zone. Both run through their track
  from the relationship's start (`since`): a pair's own, a coach's first running pair's in the cohort,
  so that a pair formed in a later round begins at the top, not in the middle.

A partnership is on hold while either partner is away (paused, gone, or inside an away block: their own
`/circles away`, a rotation or leave): neither gets a check-in, pair prompt or session idea, and a check-in
about a partner on leave would only read as a struggling pair. A circle carries on while anyone in it is
present. Nothing falls on a cohort's blackout dates (see circles.domain.blackouts); what a person gets on
their return is circles.domain.catch_up's.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Any

from circles.domain.blackouts import blacked_out, track_position
from circles.domain.planning.inputs import CohortIn, PairIn, Planned, PromptText
from circles.domain.planning.since import checkins_since
from circles.domain.schedule import Cadence, Occurrence, Timing, Window, occurrences


def plan_cohort(cohort: CohortIn, window: Window) -> list[Planned]:
    """Everything of one cohort that falls in the window."""
    return [
        *circle_prompts(cohort, window),
        *partnership_messages(cohort, window),
        # Nudges (a reminder when no meeting was logged lately, a check-in left open) will be planned here:
        # another function of the same inputs returning more Planned rows with keys of their own.
    ]


def circle_prompts(cohort: CohortIn, window: Window) -> list[Planned]:
    if not cohort.circle_prompts:
        return []
    weeks = occurrences(cohort.cadence, window)
    planned = []
    for circle in cohort.circles:
        for week in weeks:
            if week.at < circle.created_at or not any(p.present_at(week.at) for p in circle.people):
                continue
            if blacked_out(cohort.blackouts, week.day):
                continue
            position = track_position(cohort.cadence, cohort.blackouts, week)
            args = prompt_args(cohort, nth(cohort.circle_prompts, position - 1), week)
            key = f"circle_prompt:{circle.circle_id}:{week.day}"
            planned.append(_planned(cohort, week, key, circle.conversation_id, "circle_prompt", args))
    return planned


def partnership_messages(cohort: CohortIn, window: Window) -> list[Planned]:
    planned: list[Planned] = []
    ideas: dict[str, Planned] = {}  # one session idea per coach and day, however many partners
    for pair in cohort.pairs:
        for person, partner in ((pair.first, pair.second), (pair.second, pair.first)):
            for day in checkin_days(cohort.cadence, window, person.timezone):
                if not pair_on(pair, day.at) or blacked_out(cohort.blackouts, day.day):
                    continue
                args = {"checkin_id": None, "cohort_name": cohort.name, "partner_user_id": partner.user_id}
                key = f"checkin:{pair.partnership_id}:{person.member_id}:{day.day}"
                # A check-in nobody was asked is no missed answer: only one to send gets its CheckIn row.
                checkin = (pair.partnership_id, person.member_id) if day.timing is not Timing.MISSED else None
                planned.append(_planned(cohort, day, key, person.user_id, "checkin", args, checkin))
                if person is pair.first and pair.guided and cohort.coach_prompts:
                    _add_idea(cohort, pair, day, ideas)
        if not (pair.conversation_id and cohort.pair_prompts):
            continue
        zone = cohort.cadence.timezone
        for day in checkin_days(cohort.cadence, window, zone):
            if pair_on(pair, day.at) and not blacked_out(cohort.blackouts, day.day):
                # The kickoff opened the partnership with the track's first pair prompt: its first check-in
                # day since then brings the second.
                position = checkins_since(cohort.cadence, cohort.blackouts, pair.started_at, day, zone)
                args = prompt_args(cohort, nth(cohort.pair_prompts, position), day)
                key = f"pair_prompt:{pair.partnership_id}:{day.day}"
                planned.append(_planned(cohort, day, key, pair.conversation_id, "pair_prompt", args))
    return planned + list(ideas.values())


def _add_idea(cohort: CohortIn, pair: PairIn, day: Occurrence, ideas: dict[str, Planned]) -> None:
    """The coach's session idea of the day, once however many of their pairs are on."""
    coach = pair.first
    key = f"coach_idea:{coach.member_id}:{day.day}"
    if key in ideas:
        return
    # A coach's ideas run on from their first pair still running in the cohort, whichever pair is on.
    since = pair.guiding_since or pair.started_at
    position = checkins_since(cohort.cadence, cohort.blackouts, since, day, coach.timezone)
    args = prompt_args(cohort, nth(cohort.coach_prompts, position - 1), day)
    ideas[key] = _planned(cohort, day, key, coach.user_id, "coach_idea", args)


def checkin_days(cadence: Cadence, window: Window, timezone: str) -> list[Occurrence]:
    """The check-in days in the window, at the cadence's time in `timezone` (a partner's own)."""
    return occurrences(cadence, window, timezone=timezone, every_weeks=cadence.checkin_every_weeks, skip=1)


def pair_on(pair: PairIn, at: datetime) -> bool:
    return at >= pair.started_at and pair.first.present_at(at) and pair.second.present_at(at)


def nth(prompts: Sequence[PromptText], index: int) -> PromptText:
    return prompts[index % len(prompts)]


def prompt_args(cohort: CohortIn, prompt: PromptText, occurrence: Occurrence) -> dict[str, Any]:
    return {
        "prompt_id": prompt.id,
        "theme": prompt.theme,
        "text": prompt.text,
        "follow_up": prompt.follow_up,
        "cohort_name": cohort.name,
        "week": occurrence.week,
    }


def _planned(
    cohort: CohortIn,
    occurrence: Occurrence,
    key: str,
    channel: str,
    template: str,
    args: dict[str, Any],
    checkin: tuple[int, int] | None = None,
) -> Planned:
    return Planned(
        cohort.workspace_id, key, channel, template, args, occurrence.due_at, occurrence.timing, checkin
    )
