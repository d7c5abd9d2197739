"""The outbox aggregate: its rows (rows.py) and the claims senders take on them (claims.py)."""
