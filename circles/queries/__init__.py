"""Every question the services ask of the database, asked once, grouped by the aggregate it reads.

One module per aggregate (cohorts, members, partnerships, check-ins, escalations, the outbox, …). Each
function takes the caller's session first and plain values after, and returns typed results: models,
small frozen dataclasses or plain values. Statements that change rows in bulk, or that lean on the
database for a guarantee (a unique index, `ON CONFLICT DO NOTHING`, `FOR UPDATE SKIP LOCKED`), live here
too, named after what they do. Only this package (and circles/persistence) imports SQLAlchemy.
"""
