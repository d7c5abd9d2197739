"""Without CIRCLES_NOTES_KEY: a key file beside a SQLite database, made once; PostgreSQL refuses to start."""

from __future__ import annotations

import stat
import threading
from pathlib import Path

import pytest
from cryptography.fernet import Fernet

from circles.notes import NoteCipher, note_cipher
from circles.notes_key import KEY_FILE_NAME, ensure_notes_key, first_run_notice, key_file, stored_notes_key
from circles.settings import Settings, SettingsError

SOCKET_MODE = {"slack_bot_token": "xoxb-1", "slack_app_token": "xapp-1"}
HTTP_MODE = {"slack_bot_token": "xoxb-1", "slack_signing_secret": "secret"}
OAUTH_MODE = {
    "slack_client_id": "1.2",
    "slack_client_secret": "client-secret",
    "slack_signing_secret": "secret",
}
MODES = pytest.mark.parametrize("mode", [SOCKET_MODE, HTTP_MODE, OAUTH_MODE], ids=["socket", "http", "oauth"])


def settings(database_url: str, **values: str) -> Settings:
    return Settings(_env_file=None, database_url=database_url, **values)  # type: ignore[arg-type]


def test_the_key_file_sits_beside_the_sqlite_database_or_in_the_working_folder(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    assert key_file(f"sqlite:///{tmp_path}/data/circles.db") == tmp_path / "data" / KEY_FILE_NAME
    assert key_file("sqlite:///circles.db") == tmp_path / KEY_FILE_NAME
    assert key_file("sqlite://") == tmp_path / KEY_FILE_NAME
    assert key_file("postgresql+psycopg://circles@db/circles") is None


@MODES
def test_the_first_start_makes_a_key_only_its_owner_can_read_and_later_starts_use_it(
    tmp_path: Path, mode: dict[str, str]
) -> None:
    url = f"sqlite:///{tmp_path}/circles.db"
    first = ensure_notes_key(settings(url, **mode))
    assert first.created == tmp_path / KEY_FILE_NAME
    assert stat.S_IMODE(first.created.stat().st_mode) == 0o600
    assert first.settings.circles_notes_key is not None
    key = first.settings.circles_notes_key.get_secret_value()
    assert first.created.read_text().strip() == key
    token = note_cipher(first.settings).encrypt("We have not met yet")
    again = ensure_notes_key(settings(url, **mode))
    assert again.created is None  # nothing new to announce
    assert note_cipher(again.settings).decrypt(token) == "We have not met yet"
    assert [p.name for p in tmp_path.iterdir()] == [KEY_FILE_NAME]  # no drafts left behind


def test_two_first_starts_at_once_agree_on_one_key(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path}/circles.db"
    keys: list[str] = []

    def start() -> None:
        found = ensure_notes_key(settings(url)).settings.circles_notes_key
        assert found is not None
        keys.append(found.get_secret_value())

    starts = [threading.Thread(target=start) for _ in range(8)]
    for thread in starts:
        thread.start()
    for thread in starts:
        thread.join()
    assert len(keys) == 8
    assert set(keys) == {(tmp_path / KEY_FILE_NAME).read_text().strip()}


def test_a_key_in_the_settings_wins_and_no_file_is_made(tmp_path: Path) -> None:
    key = Fernet.generate_key().decode()
    found = ensure_notes_key(settings(f"sqlite:///{tmp_path}/circles.db", circles_notes_key=key))
    assert found.created is None
    assert found.settings.circles_notes_key is not None
    assert found.settings.circles_notes_key.get_secret_value() == key
    assert not (tmp_path / KEY_FILE_NAME).exists()


@MODES
def test_postgresql_without_a_key_refuses_to_start_with_one_line_naming_the_setting(
    mode: dict[str, str],
) -> None:
    with pytest.raises(SettingsError) as refused:
        ensure_notes_key(settings("postgresql+psycopg://circles@db.internal/circles", **mode))
    [line] = refused.value.problems
    assert line.startswith("CIRCLES_NOTES_KEY is not set: on postgresql every Circles process")
    assert "README.md" in line


def test_a_damaged_key_file_stops_the_start_and_is_never_replaced(tmp_path: Path) -> None:
    damaged = tmp_path / KEY_FILE_NAME
    damaged.write_text("not a key\n")
    with pytest.raises(SettingsError) as refused:
        ensure_notes_key(settings(f"sqlite:///{tmp_path}/circles.db"))
    [line] = refused.value.problems
    assert "does not hold a Fernet key: restore it from your backup, or set CIRCLES_NOTES_KEY" in line
    assert "not a key" not in line  # whatever is in there is never echoed
    assert damaged.read_text() == "not a key\n"


def test_a_folder_where_no_key_can_be_written_says_so_in_one_line(tmp_path: Path) -> None:
    with pytest.raises(SettingsError) as refused:
        ensure_notes_key(settings(f"sqlite:///{tmp_path}/missing/folder/circles.db"))
    [line] = refused.value.problems
    assert line.startswith(f"cannot create the notes key file {tmp_path}/missing/folder/{KEY_FILE_NAME}")
    assert "set CIRCLES_NOTES_KEY instead" in line


def test_a_report_reads_the_key_file_but_never_makes_one(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path}/circles.db"
    assert stored_notes_key(settings(url)).circles_notes_key is None
    assert not (tmp_path / KEY_FILE_NAME).exists()
    made = ensure_notes_key(settings(url)).settings.circles_notes_key
    read = stored_notes_key(settings(url)).circles_notes_key
    assert made is not None
    assert read is not None
    assert read.get_secret_value() == made.get_secret_value()
    assert (
        NoteCipher(read.get_secret_value().encode()).decrypt(
            NoteCipher(made.get_secret_value().encode()).encrypt("x")
        )
        == "x"
    )


def test_the_notice_says_where_the_key_is_and_to_back_it_up() -> None:
    text = " ".join(first_run_notice(Path("/srv/circles/circles-notes.key")))
    assert "/srv/circles/circles-notes.key" in text
    assert "Back it up" in text
    assert "CIRCLES_NOTES_KEY" in text
