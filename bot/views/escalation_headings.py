"""What an alert's heading and notification say: why it came, and whether the pair still worries.

An alert keeps showing the pair's health as it is now (it is refreshed while unresolved), so a pair back to
steady or thriving is never announced as one that "may need you": its copies say it has improved since the
alert opened, and that it can be resolved.
"""

from __future__ import annotations

from circles.domain.health import CONCERNED
from circles.domain.vocabulary import EscalationStatus
from circles.messages import EscalationCard

HEADINGS = {
    "reminder": "Still waiting: a partnership may need you",
    "back": "Back from snooze: a partnership may need you",
    "released": "Open again: whoever was reaching out no longer facilitates this cohort",
    "freed": "Open again: whoever was reaching out can no longer take this on",
    "away": "Open again: whoever was reaching out is away for now",
    "admins": "No facilitator has picked this up yet",
}
WORRIED = "A partnership may need you"
# Occasions whose heading says the pair may need you: a recovered pair's says it has improved instead.
IMPROVED_HEADINGS = {
    "reminder": "Still open: this partnership has improved since the alert opened",
    "back": "Back from snooze: this partnership has improved since the alert opened",
}
IMPROVED = "This partnership has improved since the alert opened"
IMPROVED_NOW = "It is doing better now than when this alert opened. If it needs nothing more, *Resolve…* it."


def improved(card: EscalationCard) -> bool:
    """Whether the pair is steady or thriving now, though its alert opened on a concern."""
    return card.state is not None and card.state not in CONCERNED


def heading(card: EscalationCard) -> str:
    """The alert's header on its occasion (`reminder2` is a `reminder`), as the pair stands now."""
    occasion = card.occasion.rstrip("0123456789")
    if improved(card):
        return IMPROVED_HEADINGS.get(occasion) or HEADINGS.get(occasion, IMPROVED)
    return HEADINGS.get(occasion, WORRIED)


def improved_line(card: EscalationCard) -> str:
    """What a facilitator may do about an unresolved alert whose pair has improved; "" otherwise."""
    return IMPROVED_NOW if improved(card) and card.status is not EscalationStatus.RESOLVED else ""


def notification(card: EscalationCard, cohort: str) -> str:
    """The fallback text lock screens show: the cohort (already escaped), never names nor reasons."""
    if improved(card):
        return f"A partnership in {cohort} has improved since its alert opened."
    return f"A partnership in {cohort} may need you."
