"""Every question the services ask of the database, asked once, grouped by the aggregate it reads.

One module per aggregate (cohorts, members, partnerships, check-ins, escalations, the outbox, …). Each
function takes the caller's session first and plain values after, and returns typed results: models,
small frozen dataclasses or plain values. Statements that change rows in bulk, or that lean on the
database for a guarantee (a unique index, `ON CONFLICT DO NOTHING`, `FOR UPDATE SKIP LOCKED`), live here
too, named after what they do. Only this package (and circles/persistence) imports SQLAlchemy.

Due rows are claimed with `FOR NO KEY UPDATE SKIP LOCKED` (`key_share=True`) on PostgreSQL, not `FOR
UPDATE`: inserting a row that references a cohort, a partnership or a member takes a key-share lock on
it, which `FOR UPDATE` would treat as busy. A pass writing a check-in or a health record would then make
every other pass skip that cohort or pair until it commits, and a prompt due now would wait for a later
tick. The claims only change columns that are not keys, which `NO KEY UPDATE` allows.
"""
