"""The outbox: record messages in the caller's transaction, claim them for sending, record how it ended."""
