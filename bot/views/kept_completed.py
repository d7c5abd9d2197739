"""What a facilitator is told of the pairs a cohort's end moved later left completed: their coach or mentor
has no room left for them (the settings form's answer, the cohort import's summary)."""

from __future__ import annotations

from collections.abc import Callable, Iterable

from circles.services.partnerships.endings import KeptCompleted


def settings_saved(slug: str, kept: Iterable[KeptCompleted]) -> str:
    """The settings form's answer once saved, with the pairs its end moved later left completed."""
    return "\n".join([f"Saved the settings of `{slug}`.", *kept_completed_lines(kept)])


def slack_mention(user_id: str) -> str:
    return f"<@{user_id}>"


def kept_completed_lines(
    kept: Iterable[KeptCompleted], named: Callable[[str], str] = slack_mention, *, dry_run: bool = False
) -> list[str]:
    """One line per guide whose pairs stay completed, naming them and what to do; `named` shows a person."""
    lines = []
    for guide in kept:
        one = len(guide.learners) == 1
        pairs = "1 pair" if one else f"{len(guide.learners)} pairs"
        stay = "would stay" if dry_run else "stays" if one else "stay"
        learners = [named(learner) for learner in guide.learners]
        partners = learners[0] if one else ", ".join(learners[:-1]) + " and " + learners[-1]
        lines.append(
            f"{pairs} of {named(guide.guide)} {stay} completed (with {partners}): they have no room left. "
            f"Raise their capacity and re-match if {'this pair' if one else 'these pairs'} should carry on."
        )
    return lines
