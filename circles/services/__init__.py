"""Use cases: each takes a unit of work, plain values and `now`, and returns plain values."""
