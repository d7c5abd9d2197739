"""A research table as it is written: its columns, each described once for the codebook and the package."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

from circles.domain.research.suppression import K
from circles.domain.text import never_a_formula

Value = str | int | float | bool | None
NOT_CONSENTED = "not_consented"  # stands for a partner who did not consent, instead of their pseudonym
SUPPRESSED = "suppressed"  # stands for a figure about fewer than 5 people, or one that would give it away
WITHHELD = "withheld"  # stands for a member's own words that could identify someone: none of them are kept
# How a quasi-identifying column (a week, a role…) says its rare values are hidden, in the codebook.
RARE = (
    f"{SUPPRESSED} when fewer than {K} of the table's people (or pairs) share it, or share it together with "
    "the row's other such values, or to hide one that is"
)

# How a column of members' own words says what its cells may hold, in the codebook.
OWN_WORDS = (
    "free text its author chose to share for research; empty when not answered, not shared, or shared "
    "but sealed under a notes key since replaced, which cannot open it (README.txt says how many); "
    f"{WITHHELD} where the words held what could identify someone (a word of a name in the workspace, an "
    "email or a Slack ID): nothing of them is kept"
)


@dataclass(frozen=True)
class Column:
    name: str
    type: str  # a Frictionless type: string, integer, number or boolean
    meaning: str
    allowed: str = ""  # in words, for the codebook
    values: tuple[str, ...] = ()  # every value the column may hold, when there is a fixed list
    quasi: bool = False  # tells people apart by rarity (a week, a role): rare values are suppressed
    # A member's own words, shared for research: a cell that could identify someone is withheld, since
    # nobody can change them, where a value facilitators wrote stops the export until they change it.
    own_words: bool = False
    # ISO weeks or dates the export worked out (or "suppressed" in their place): never a word of a name.
    dated: bool = False

    @property
    def figures(self) -> bool:
        """Whether the column holds only numbers, true/false, weeks or dates: a name cannot be in it, though
        a name may hold one of them ("Sam Lee 2027"), so only an ID or an email is looked for there."""
        return self.dated or self.type in ("integer", "number", "boolean")


@dataclass(frozen=True)
class ForeignKey:
    column: str
    table: str
    table_column: str


@dataclass(frozen=True)
class Table:
    name: str
    title: str
    columns: tuple[Column, ...]
    rows: list[tuple[Value, ...]]
    primary_key: tuple[str, ...] = ()
    foreign_keys: tuple[ForeignKey, ...] = field(default=())
    missing_values: tuple[str, ...] = ("",)

    @property
    def header(self) -> list[str]:
        return [column.name for column in self.columns]

    def column_values(self) -> dict[str, list[Value]]:
        """Each column's values, for the last check before writing."""
        return {column.name: [row[i] for row in self.rows] for i, column in enumerate(self.columns)}


def enum_column(name: str, meaning: str, values: Sequence[str]) -> Column:
    """A text column holding one of a fixed list of values, or "suppressed" where the value is rare."""
    allowed = "one of: " + ", ".join(values) + "; " + RARE
    return Column(name, "string", meaning, allowed, (*values, SUPPRESSED), quasi=True)


def week_column(name: str, meaning: str, *, empty: str = "") -> Column:
    """An ISO week in the cohort's time zone, or "suppressed" where the week (or its being empty) is rare."""
    allowed = "ISO week, e.g. 2027-W03" + (f"; empty {empty}" if empty else "") + "; " + RARE
    return Column(name, "string", meaning, allowed, quasi=True, dated=True)


def cell(value: Value) -> str:
    """How a value is written in a CSV cell: empty for none, true/false, numbers to 3 decimals, text that
    starts like a formula behind an apostrophe, so a spreadsheet shows it and never runs it, and its line
    breaks as "\n" (the CSV's own; the writer quotes those, and a lone "\r" would split the row)."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float):
        return f"{value:.3f}"
    if isinstance(value, str):
        return never_a_formula(value).replace("\r\n", "\n").replace("\r", "\n")
    return str(value)
