"""Building blocks of the research export: pseudonyms, weeks, consent, suppression, a last check (pure)."""
