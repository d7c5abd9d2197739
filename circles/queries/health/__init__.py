"""Partnership health: what a recompute reads and the history it keeps, and when each pair is next due."""
