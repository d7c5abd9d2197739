"""Partnerships: the running ones, a partner's pause, resume and no-fault ending, and requests to a coach."""
