"""The research export's survey table: one row per answered survey, a column per item and per score."""

from __future__ import annotations

from collections.abc import Callable
from contextlib import suppress
from itertools import groupby

from circles.domain.research import columns as col
from circles.domain.research.coarsen import iso_week
from circles.domain.vocabulary import SurveyPhase
from circles.notes import NoteUnreadable
from circles.queries.research import SurveyAnswerRow
from circles.services.research.consented import Cohort, Included
from circles.services.research.export_tables import PERSON
from instruments.catalog import known
from instruments.model import Instrument
from instruments.scoring import ScoringError, codebook_rows, score

Decrypt = Callable[[bytes], str]


class CountedDecrypt:
    """The notes key's decrypt, counting the words it could not open (sealed under a key since replaced):
    their cells are left empty, and the export says how many rather than pass them off as unanswered."""

    def __init__(self, decrypt: Decrypt) -> None:
        self._decrypt = decrypt
        self.unreadable = 0

    def __call__(self, sealed: bytes) -> str:
        try:
            return self._decrypt(sealed)
        except NoteUnreadable:
            self.unreadable += 1
            raise


BASE = (
    PERSON,
    col.Column("instrument", "string", "the instrument answered (see its codebook rows)"),
    col.Column(
        "instrument_version",
        "integer",
        "the version of the instrument that was answered; answers to another version than the one "
        "described here (an older one) are not scored: its item, words and score cells are left empty, "
        "since its questions, scales and reverse-scored items may not be these",
        "1 or more",
    ),
    col.enum_column("phase", "when in the cohort it was asked", [phase.value for phase in SurveyPhase]),
    col.week_column("week", "the week it was answered"),
)


def survey_table(
    cohort: Cohort, answers: list[SurveyAnswerRow], who: Included, decrypt: Decrypt | None
) -> col.Table:
    """Answers of consented members; words only where shared for research and readable with the key; the
    items and scores only of answers to the instrument's version as its file is now."""
    catalog = known()
    mine = [a for a in answers if a.member_id in who.people and a.instrument in catalog]
    used = [catalog[name] for name in sorted({a.instrument for a in mine})]
    columns = [*BASE, *(column for instrument in used for column in instrument_columns(instrument))]
    position = {column.name: index for index, column in enumerate(columns)}
    rows: list[tuple[col.Value, ...]] = []
    for _, group in groupby(mine, key=lambda a: a.request_id):
        given = list(group)
        first = given[0]
        instrument = catalog[first.instrument]
        row: list[col.Value] = [None] * len(columns)
        row[:5] = [
            who.people[first.member_id],
            first.instrument,
            first.instrument_version,
            first.phase.value,
            iso_week(first.answered_at, cohort.zone),
        ]
        if first.instrument_version == instrument.version:
            # Read only against the file it was answered to: another version's questions may have been
            # reworded, rescaled or reversed, so its values would be misread and misscored.
            for name, value in answer_values(instrument, given, decrypt).items():
                row[position[name]] = value
        rows.append(tuple(row))
    return col.Table(
        "survey_answers",
        "Survey answers of consented members",
        tuple(columns),
        rows,
        foreign_keys=(col.ForeignKey("person_id", "people", "person_id"),),
    )


def instrument_columns(instrument: Instrument) -> list[col.Column]:
    """An instrument's item and score columns, described by its own codebook rows; its free-text items'
    columns hold members' own words."""
    words = {f"{instrument.name}_{item.id}" for item in instrument.items if item.scale is None}
    return [
        col.Column(row.variable, row.type, row.meaning, col.OWN_WORDS, own_words=True)
        if row.variable in words
        else col.Column(row.variable, row.type, row.meaning, row.allowed)
        for row in codebook_rows(instrument)
    ]


def answer_values(
    instrument: Instrument, given: list[SurveyAnswerRow], decrypt: Decrypt | None
) -> dict[str, col.Value]:
    """One answered survey's columns: raw item values, shared words, and the scores."""
    prefix = instrument.name
    items = {item.id: item for item in instrument.items}
    numbers = {a.item_id: a.value for a in given if a.item_id in items and items[a.item_id].scale is not None}
    values: dict[str, col.Value] = {f"{prefix}_{item_id}": value for item_id, value in numbers.items()}
    for answer in given:
        known = items.get(answer.item_id)
        if known is not None and known.scale is None and answer.text_encrypted is not None and decrypt:
            # Words sealed under a key since replaced are left empty, the rest of the export still goes
            # out, and a CountedDecrypt counts them for the export to say how many.
            with suppress(NoteUnreadable):
                values[f"{prefix}_{answer.item_id}"] = decrypt(answer.text_encrypted)
    try:
        scores = score(instrument, numbers)
    except ScoringError:  # a stored answer off its scale: the raw values stay, the scores are left empty
        return values
    values.update({f"{prefix}_{name}_score": value for name, value in scores.subscales.items()})
    if instrument.scored_items:
        values[f"{prefix}_total"] = scores.total
    return values
