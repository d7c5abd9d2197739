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


def test_a_week_where_everyone_due_answered_pins_the_entries_hidden_under_it() -> None:
    """Week 1 shows 10 due and 10 answering: in every role of it all answered, so the 5 mentors due shown
    say 5 answered, and the 8 mentors answering in all weeks leave exactly 3 for week 2. Only the whole
    week at once says so; no single row or column does."""
    due = [[2, 3, 5, 10], [4, 6, 3, 13], [6, 9, 8, 23]]
    answered = [[2, 3, 5, 10], [4, 4, 3, 11], [6, 7, 8, 21]]
    due_hidden = {(0, 0), (0, 1), (1, 0), (1, 1), (1, 2), (1, 3), (2, 0), (2, 2), (2, 3)}
    answered_hidden = {(0, 0), (0, 1), (0, 2), (1, 0), (1, 1), (1, 2), (2, 0), (2, 1)}
    assert {(0, 2), (1, 2)} <= exposed(due, due_hidden, answered, answered_hidden)


def test_people_who_did_not_answer_pinned_to_a_small_group_are_exposed() -> None:
    """Two weeks of two roles, every members figure shown, the answered ones hidden beside shown totals:
    week 1's first role answered 4 or 5 of its 6, so 1 or 2 of them did not answer."""
    due = [[6, 5, 11], [6, 3, 9], [12, 8, 20]]
    answered = [[4, 3, 7], [6, 2, 8], [10, 5, 15]]
    hidden = {(0, 0), (0, 1), (1, 0), (1, 1)}
    assert (0, 0) in exposed(due, set(), answered, hidden)
