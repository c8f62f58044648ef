"""The user database under a second process, a newer margin and damage: refused, waited for or
recovered, never silently lost."""

from __future__ import annotations

import multiprocessing
import sqlite3
from pathlib import Path

import pytest

from margin.search.passages.store import PassageStore
from margin.search.userdata.database import SCHEMA_VERSION, UserData, UserDataError

TEXT = "Alpha begins. The quick brown fox jumps over the lazy dog. Omega ends the story here."


def _first_run(path: str, start: multiprocessing.synchronize.Event, failures: multiprocessing.Queue) -> None:
    start.wait()
    try:
        UserData(Path(path)).add_history("hello")
    except Exception as exc:  # what the user would have seen
        failures.put(f"{type(exc).__name__}: {exc}")


def test_two_processes_starting_on_an_empty_data_folder(tmp_path: Path):
    """Both used to run the first migration ("table history already exists", "database is locked")."""
    context = multiprocessing.get_context("fork")
    failures = context.Queue()
    for round_ in range(5):
        path = str(tmp_path / f"round{round_}" / "user.sqlite")
        start = context.Event()
        workers = [context.Process(target=_first_run, args=(path, start, failures)) for _ in range(2)]
        for worker in workers:
            worker.start()
        start.set()
        for worker in workers:
            worker.join(30)
        assert [w.exitcode for w in workers] == [0, 0]
        assert UserData(Path(path)).history() == ["hello"]
    assert failures.empty(), failures.get()


def test_a_newer_database_is_refused_and_left_untouched(tmp_path: Path):
    path = tmp_path / "user.sqlite"
    db = sqlite3.connect(path)
    db.executescript(f"CREATE TABLE future (x); PRAGMA user_version = {SCHEMA_VERSION + 1};")
    db.close()
    before = path.read_bytes()
    with pytest.raises(UserDataError, match="written by a newer margin .* left untouched"):
        UserData(path)
    assert path.read_bytes() == before  # no WAL mode written into its header
    assert sorted(p.name for p in tmp_path.iterdir()) == ["user.sqlite"]


def damage_one_page(path: Path, page: int | None = None, holding: bytes = b"") -> None:
    """Overwrite one page: the given one, or the one holding `holding`."""
    size = sqlite3.connect(path).execute("PRAGMA page_size").fetchone()[0]
    if page is None:
        page = path.read_bytes().index(holding) // size + 1
    with path.open("r+b") as file:
        file.seek(size * (page - 1))
        file.write(b"\xa5" * size)


def test_a_damaged_database_is_moved_aside_and_its_readable_rows_recovered(tmp_path: Path):
    path = tmp_path / "user.sqlite"
    data = UserData(path)
    store = PassageStore(data, "/c")
    for i in range(400):
        store.add(f"doc{i}.md", TEXT * 20, 14, 40, "sha", tags=["kept", f"t{i}"], note=f"note {i} " * 20)
    data.add_history("xiaomi")
    data.save_search("phones", "phone*")
    data.close()
    damage_one_page(path, holding=b"note 200 note 200")
    recovered = UserData(path)
    count = recovered.db.execute("SELECT count(*) FROM passage").fetchone()[0]
    assert 300 < count < 400  # one page lost, the rest saved
    assert recovered.notice.startswith(f"{path} was damaged (")
    assert f"recovered from it: {count} passages, 1 history entry, 1 saved search" in recovered.notice
    assert recovered.history() == ["xiaomi"] and [s.name for s in recovered.saved_searches()] == ["phones"]
    kept = PassageStore(recovered, "/c").search(tag="kept")
    assert len(kept) == count and all(p.note.startswith("note ") and "kept" in p.tags for p in kept)
    assert len([p for p in tmp_path.iterdir() if ".damaged-" in p.name]) >= 1


def test_a_database_that_cannot_be_read_at_all_still_starts_anew(tmp_path: Path):
    path = tmp_path / "user.sqlite"
    UserData(path).close()
    damage_one_page(path, 1)
    data = UserData(path)
    assert "recovered from it: 0 passages" in data.notice
    data.add_history("works")
    assert data.history() == ["works"]


def test_a_commit_that_fails_on_a_full_disk_is_one_message_not_chained_tracebacks():
    """Issue 25: the disk filling during `passages import` ended in three chained tracebacks
    ("cannot rollback - no transaction is active"): SQLite had rolled back by itself."""
    import sqlite3
    import threading

    import pytest

    from margin.search.userdata.database import UserDataError, _Transaction

    class FullDisk:
        in_transaction = False

        def execute(self, sql: str):
            if sql == "BEGIN IMMEDIATE":
                self.in_transaction = True
            elif sql == "COMMIT":
                self.in_transaction = False  # what SQLite does on SQLITE_FULL
                raise sqlite3.OperationalError("database or disk is full")
            elif sql == "ROLLBACK" and not self.in_transaction:
                raise sqlite3.OperationalError("cannot rollback - no transaction is active")

    for body_fails in (False, True):
        db = FullDisk()
        with pytest.raises(UserDataError, match="disk is full") as caught:
            with _Transaction(db, threading.RLock()):  # type: ignore[arg-type]
                if body_fails:  # an INSERT fails, and SQLite has rolled back already
                    db.in_transaction = False
                    raise sqlite3.OperationalError("database or disk is full")
        assert "no transaction is active" not in str(caught.value)
