"""Partnership health: recompute it set-based when it is due, keep its history, show the board."""
