"""A process whose notes keys are not the database's is refused at start, before it seals or fails anything:
replicas given different keys, a rotation done in the wrong order, a worker without the signing secret that
opens notes from before CIRCLES_NOTES_KEY. A rotation done in its steps loses nothing on the way."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from dataclasses import replace

import pytest
from cryptography.fernet import Fernet
from sqlalchemy import select

from bot.deps import Deps, build_deps, note_decrypt
from bot.dispatch import dispatch
from bot.pacing import Pacer
from circles.messages import SupportRequest
from circles.notes import NoteCipher, derive_key
from circles.persistence.db import Database
from circles.persistence.models import CheckIn
from circles.services.outbox.enqueue import Outgoing
from circles.settings import Settings, SettingsError
from standin import SlackStandIn
from tests import escalation_world as w
from tests.dispatching import NOW, UNPACED, record
from tests.integration.conftest import database_url, db  # noqa: F401  (both engines)

OLD, NEW = Fernet.generate_key().decode(), Fernet.generate_key().decode()  # no test id names them
SECRET = "the-installation-signing-secret"
SLACK = "https://slack.com/api/"
WORDS = "I cannot sleep before my shifts any more."


@pytest.fixture
def standin() -> Iterator[SlackStandIn]:
    with SlackStandIn() as running:
        yield running


def settings(keys: str, *, secret: str | None = SECRET, api_url: str = SLACK) -> Settings:
    return Settings(
        _env_file=None,
        slack_bot_token="xoxb-1",
        slack_signing_secret=secret,
        slack_api_url=api_url,
        circles_notes_key=keys,
    )


def started(database_url: str, keys: str, *, secret: str | None = SECRET, api_url: str = SLACK) -> Deps:  # noqa: F811
    """A process's start as `circles run` and `circles tick` make it, on its own engine."""
    deps = build_deps(settings(keys, secret=secret, api_url=api_url), Database(database_url))
    return replace(deps, pacer=Pacer.unpaced())


def refusal(database_url: str, keys: str, *, secret: str | None = SECRET) -> str:  # noqa: F811
    with pytest.raises(SettingsError) as refused:
        started(database_url, keys, secret=secret)
    [line] = refused.value.problems
    for key in (OLD, NEW):
        assert key not in line
    return line


def test_a_replica_started_with_another_key_is_refused_before_it_fails_what_the_first_one_sealed(
    database_url: str,  # noqa: F811
) -> None:
    web = started(database_url, OLD)
    record(web.db, [Outgoing("support:1", "U0FAY", SupportRequest("PGY-1", "U0LEE", WORDS))])
    line = refusal(database_url, NEW)
    assert "CIRCLES_NOTES_KEY does not open" in line
    assert "alike on every replica" in line
    web.db.dispose()


def test_a_rolling_rotation_delivers_what_the_old_key_sealed_and_then_refuses_a_replica_left_with_it(
    database_url: str,  # noqa: F811
    standin: SlackStandIn,
) -> None:
    web = started(database_url, OLD)
    record(web.db, [Outgoing("support:1", "U0FAY", SupportRequest("PGY-1", "U0LEE", WORDS))])
    started(
        database_url, f"{OLD},{NEW}"
    ).db.dispose()  # step 1: the new key reaches every replica, not current
    worker = started(database_url, f"{NEW},{OLD}", api_url=standin.api_url)  # step 2: the new key seals
    assert dispatch(worker, NOW, options=UNPACED).failed == 0
    [sent] = [c for c in standin.calls("chat.postMessage") if c.args.get("channel") == "U0FAY"]
    assert "U0LEE" in str(sent.args)
    assert "CIRCLES_NOTES_KEY does not open" in refusal(database_url, OLD)  # a replica not yet given NEW
    started(database_url, NEW).db.dispose()  # step 3: the old key dropped
    for deps in (web, worker):
        deps.db.dispose()


def test_first_starts_at_once_with_different_keys_agree_on_one_and_refuse_the_other(
    database_url: str,  # noqa: F811
) -> None:
    barrier, outcomes = threading.Barrier(2), dict[str, str]()

    def start(keys: str) -> None:
        replica = Database(database_url)
        barrier.wait()
        try:
            build_deps(settings(keys), replica)
            outcomes[keys] = "started"
        except SettingsError:
            outcomes[keys] = "refused"
        finally:
            replica.dispose()

    threads = [threading.Thread(target=start, args=(keys,)) for keys in (OLD, NEW)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(outcomes.values()) == ["refused", "started"]


def sealed_before_the_notes_key(db: Database) -> None:  # noqa: F811
    """Notes as versions before CIRCLES_NOTES_KEY sealed them: with the key made from the signing secret."""
    earlier = NoteCipher(derive_key(SECRET))
    with db.unit_of_work() as uow:
        w.build(uow.session)
        for checkin in uow.session.scalars(select(CheckIn).where(CheckIn.note_encrypted.is_not(None))):
            checkin.note_encrypted = earlier.encrypt(w.unseal(checkin.note_encrypted or b""))
        uow.commit()


def test_a_worker_without_the_signing_secret_is_refused_where_notes_from_before_the_notes_key_are_kept(
    db: Database,  # noqa: F811
    database_url: str,  # noqa: F811
) -> None:
    sealed_before_the_notes_key(db)
    web = started(database_url, OLD)
    decrypt = note_decrypt(web)
    with db.unit_of_work() as uow:
        tokens = uow.session.scalars(select(CheckIn.note_encrypted).where(CheckIn.note_shared)).all()
    assert decrypt is not None
    assert all(decrypt(token) for token in tokens if token is not None)
    assert "SLACK_SIGNING_SECRET is not set" in refusal(database_url, OLD, secret=None)
    web.db.dispose()


def test_a_worker_without_the_signing_secret_starting_first_on_such_notes_is_refused_too(
    db: Database,  # noqa: F811
    database_url: str,  # noqa: F811
) -> None:
    sealed_before_the_notes_key(db)
    assert "SLACK_SIGNING_SECRET is not set" in refusal(database_url, OLD, secret=None)
    started(database_url, OLD).db.dispose()  # with the secret it starts


def test_a_worker_without_the_signing_secret_starts_where_every_note_has_the_notes_key(
    db: Database,  # noqa: F811
    database_url: str,  # noqa: F811
) -> None:
    cipher = NoteCipher(OLD.encode())
    with db.unit_of_work() as uow:
        w.build(uow.session)
        for checkin in uow.session.scalars(select(CheckIn).where(CheckIn.note_encrypted.is_not(None))):
            checkin.note_encrypted = cipher.encrypt(w.unseal(checkin.note_encrypted or b""))
        uow.commit()
    started(database_url, OLD, secret=None).db.dispose()
    started(database_url, OLD).db.dispose()


def test_a_report_or_export_with_another_key_is_refused_in_one_line_and_writes_no_check(
    database_url: str,  # noqa: F811
) -> None:
    from bot.cli_common import Refused, opened

    def at(keys: str) -> Settings:
        return settings(keys).model_copy(update={"database_url": database_url})

    with opened(at(NEW)):
        pass  # before any process recorded a key: nothing to check against, and nothing written
    started(database_url, OLD)  # `circles run` records the key its replicas use
    with pytest.raises(Refused) as refused, opened(at(NEW)):
        pass
    line = str(refused.value)
    assert "CIRCLES_NOTES_KEY does not open what this database holds sealed" in line
    assert NEW not in line
    assert OLD not in line
    with opened(at(f"{NEW},{OLD}")):
        pass  # the new key with the old one after it opens the check


def test_research_pseudonyms_stay_the_same_through_each_step_of_a_rotation(database_url: str) -> None:  # noqa: F811
    from circles.research_key import research_key, research_key_of

    first = started(database_url, OLD)
    before = research_key_of(first.db, first.settings)
    assert before == research_key(first.settings)  # as exports were keyed before the key was kept
    for keys in (f"{OLD},{NEW}", f"{NEW},{OLD}", NEW):  # each step restarts every process
        step = started(database_url, keys)
        assert research_key_of(step.db, step.settings) == before, keys


def test_a_check_written_before_it_kept_the_research_key_keeps_the_one_exports_had(
    database_url: str,  # noqa: F811
) -> None:
    from sqlalchemy import update

    from circles.persistence.models import NotesKeyCheck
    from circles.research_key import research_key, research_key_of

    first = started(database_url, OLD)
    with first.db.unit_of_work() as uow:  # as a database upgraded before the research key was kept
        uow.session.execute(update(NotesKeyCheck).values(research=None))
        uow.commit()
    rotated = started(database_url, f"{NEW},{OLD}")  # opened with the earlier key: sealed again
    assert research_key_of(rotated.db, rotated.settings) == research_key(first.settings)
    assert research_key_of(rotated.db, rotated.settings) != research_key(rotated.settings)
