"""The research export's tables about people and pairs, built from plain rows (no database here): those
about consented members (`members`), those about pairs where both consented (`pairs`), and the columns
and keys they share (`keys`)."""

from circles.services.research.export_tables.keys import PAIR, PERSON
from circles.services.research.export_tables.members import checkins_table, partnerships_table, people_table
from circles.services.research.export_tables.pairs import (
    ESCALATION_OUTCOMES,
    HEALTH_STATES,
    escalations_table,
    health_table,
)

__all__ = [
    "ESCALATION_OUTCOMES",
    "HEALTH_STATES",
    "PAIR",
    "PERSON",
    "checkins_table",
    "escalations_table",
    "health_table",
    "partnerships_table",
    "people_table",
]
