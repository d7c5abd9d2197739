"""Check-ins: a partner answers their own; shared notes reach facilitators only."""
