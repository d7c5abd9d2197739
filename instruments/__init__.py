"""Survey instruments (items, scales, reverse-scored items, subscales), kept as data files here."""
