"""A confirmed round's creation in Slack, as durable outbox work: one step at a time, resumable."""
