"""Two suppressed tables side by side, the second never above the first: what their hidden entries give."""

from __future__ import annotations

from circles.domain.research.bounds import exposed

# One week by role (coach, learner, mentor, then the week's total) and the column totals below it:
# members due, and members who answered.
DUE = [[137, 143, 3, 283], [137, 143, 3, 283]]
ANSWERED = [[137, 143, 3, 283], [137, 143, 3, 283]]
EVERY_ROW = {(0, 2), (1, 2)}


def test_a_bound_from_the_other_table_pins_a_small_group_hidden_in_both() -> None:
    """137 coaches due and 143 learners answering, shown beside the totals: the three mentors hidden in
    both tables are exactly three, since nobody answers more check-ins than fell due."""
    due_hidden = {(0, 1), (1, 1), *EVERY_ROW}
    answered_hidden = {(0, 0), (1, 0), *EVERY_ROW}
    assert (0, 2) in exposed(DUE, due_hidden, ANSWERED, answered_hidden)


def test_the_same_places_hidden_in_both_tables_give_nothing_away() -> None:
    hidden = {(0, 0), (1, 0), *EVERY_ROW}
    assert exposed(DUE, hidden, ANSWERED, hidden) == set()


def test_answered_figures_shown_under_hidden_members_figures_give_nothing_away() -> None:
    """Six due and five answering, in each of two roles: the answers bound the members from below only."""
    due, answered = [[6, 6, 12], [6, 6, 12]], [[5, 5, 10], [5, 5, 10]]
    every = {(r, c) for r in range(2) for c in range(3)}
    assert exposed(due, every, answered, set()) == set()
