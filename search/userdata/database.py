"""The user's own data: query history and saved searches, in SQLite in the user data folder.

Never in the index (a rebuildable cache) and never only in memory. WAL mode and one short
transaction per change, so two margin processes can both write; a busy database waits briefly.
Tagged passages live here too (schema 2, margin.search.passages.store), and what was read, starred
and where reading stopped (schema 3, margin.search.userdata.reading), and the tags of whole articles
(schema 4, likewise), and the text each passage was made on (schema 5: its hash, the name of a
version of the article, stories.versions).
"""

from __future__ import annotations

import contextlib
import sqlite3
import threading
import time
from dataclasses import dataclass
from pathlib import Path
from types import TracebackType
from typing import Literal

from margin.search import paths
from margin.search.errors import MarginError
from margin.search.plural import plural
from margin.search.userdata.recovery import recover_rows

SCHEMA_VERSION = 5
HISTORY_LIMIT = 500
BUSY_SECONDS = 5
_MIGRATIONS = {
    1: """
        CREATE TABLE history (id INTEGER PRIMARY KEY, query TEXT NOT NULL, at REAL NOT NULL);
        CREATE TABLE saved_search (name TEXT PRIMARY KEY, query TEXT NOT NULL, sort TEXT NOT NULL,
                                   created REAL NOT NULL);
    """,
    2: """
        CREATE TABLE passage (id INTEGER PRIMARY KEY, uuid TEXT NOT NULL UNIQUE, corpus TEXT NOT NULL,
                              doc_id TEXT NOT NULL,
                              exact TEXT NOT NULL, prefix TEXT NOT NULL, suffix TEXT NOT NULL,
                              start INTEGER NOT NULL, end INTEGER NOT NULL, doc_sha1 TEXT NOT NULL,
                              note TEXT NOT NULL DEFAULT '', created REAL NOT NULL, updated REAL NOT NULL,
                              orphan INTEGER NOT NULL DEFAULT 0);
        CREATE INDEX passage_doc ON passage (corpus, doc_id);
        CREATE TABLE passage_tag (passage_id INTEGER NOT NULL REFERENCES passage (id) ON DELETE CASCADE,
                                  tag TEXT NOT NULL, PRIMARY KEY (passage_id, tag));
    """,
    3: """
        CREATE TABLE reading (corpus TEXT NOT NULL, doc_id TEXT NOT NULL,
                              read INTEGER NOT NULL DEFAULT 0, starred INTEGER NOT NULL DEFAULT 0,
                              top INTEGER NOT NULL DEFAULT 0, cursor INTEGER NOT NULL DEFAULT 0,
                              updated REAL NOT NULL, PRIMARY KEY (corpus, doc_id));
    """,
    4: """
        CREATE TABLE document_tag (corpus TEXT NOT NULL, doc_id TEXT NOT NULL, tag TEXT NOT NULL,
                                   PRIMARY KEY (corpus, doc_id, tag));
    """,
    5: """
        CREATE TABLE passage_made_on (passage_id INTEGER PRIMARY KEY REFERENCES passage (id) ON DELETE CASCADE,
                                      doc_sha1 TEXT NOT NULL);
        INSERT INTO passage_made_on SELECT id, doc_sha1 FROM passage;
    """,
}


class UserDataError(MarginError):
    """The user database cannot be opened or written; the message names the file."""


def _damaged(exc: sqlite3.DatabaseError) -> bool:
    return any(sign in str(exc) for sign in ("not a database", "malformed", "corrupt"))


def _write_ahead_log(db: sqlite3.Connection) -> None:
    """Switch to WAL, waiting for a second process doing the same: the switch ignores the busy
    timeout on a new database and failed at once with "database is locked"."""
    deadline = time.monotonic() + BUSY_SECONDS
    while True:
        try:
            db.execute("PRAGMA journal_mode=WAL")
            return
        except sqlite3.OperationalError as exc:
            if "locked" not in str(exc) or time.monotonic() > deadline:
                raise
            time.sleep(0.05)


@dataclass(frozen=True)
class SavedSearch:
    name: str
    query: str
    sort: str = "relevance"


class UserData:
    def __init__(self, path: Path | None = None) -> None:
        self.path = path or paths.data_dir() / "margin.sqlite"
        self.notice = ""  # set when a damaged database was moved aside
        self._lock = threading.RLock()  # the reader's workers and its event loop share one connection
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            self._refuse_newer()
            self._open()
        except sqlite3.DatabaseError as exc:
            if not _damaged(exc):
                raise UserDataError(f"cannot use {self.path}: {exc}") from exc
            self._move_aside(exc)
        except OSError as exc:
            raise UserDataError(f"cannot use {self.path}: {exc}") from exc

    def _refuse_newer(self) -> None:
        """Look at the schema version read-only first: opening as usual writes WAL mode into the
        file's header, and a newer margin's database must be left exactly as it was."""
        if not self.path.exists() or self.path.stat().st_size == 0:
            return
        peek = sqlite3.connect(f"{self.path.resolve().as_uri()}?mode=ro", uri=True, timeout=5)
        try:
            version = peek.execute("PRAGMA user_version").fetchone()[0]
        finally:
            peek.close()
        if version > SCHEMA_VERSION:
            raise UserDataError(f"{self.path} was written by a newer margin (schema {version}); "
                                "it is left untouched")

    def _open(self) -> None:
        self._db = sqlite3.connect(self.path, timeout=BUSY_SECONDS, isolation_level=None, check_same_thread=False)
        _write_ahead_log(self._db)
        self._db.execute("PRAGMA foreign_keys=ON")
        problems = [row[0] for row in self._db.execute("PRAGMA quick_check(3)")]
        if problems != ["ok"]:
            raise sqlite3.DatabaseError(f"database disk image is malformed: {'; '.join(problems)}")
        self._migrate()

    def _move_aside(self, exc: Exception) -> None:
        """Keep a damaged database for the user, start a new one beside it, and copy into it every
        row that can still be read."""
        if "_db" in vars(self):  # not yet opened when the read-only look found the damage
            self._db.close()
        aside = self.path.with_name(f"{self.path.name}.damaged-{time.strftime('%Y%m%d-%H%M%S')}")
        self.path.rename(aside)
        for suffix in ("-wal", "-shm"):
            side = self.path.with_name(self.path.name + suffix)
            if side.exists():
                side.rename(aside.with_name(aside.name + suffix))
        self._open()
        with self.transaction():
            saved = recover_rows(aside, self._db)
        self.notice = (f"{self.path} was damaged ({exc}); it was moved to {aside}; recovered from it: "
                       f"{plural(saved['passage'], 'passage')}, {plural(saved['history'], 'history entry', 'history entries')}, "
                       f"{plural(saved['saved_search'], 'saved search', 'saved searches')}, "
                       f"{plural(saved['reading'], 'document')}' reading state, "
                       f"{plural(saved['document_tag'], 'article tag')}")

    def _migrate(self) -> None:
        """Bring the schema up to date inside one write transaction: two processes starting on an
        empty data folder at once used to both create the tables ("table history already exists")."""
        with self.transaction():
            version = self._db.execute("PRAGMA user_version").fetchone()[0]
            if version > SCHEMA_VERSION:
                raise UserDataError(f"{self.path} was written by a newer margin (schema {version})")
            for target in range(version + 1, SCHEMA_VERSION + 1):
                for statement in filter(str.strip, _MIGRATIONS[target].split(";")):
                    self._db.execute(statement)  # one by one: executescript would commit early
                self._db.execute(f"PRAGMA user_version = {target}")

    def transaction(self) -> _Transaction:
        """One change, all or nothing (BEGIN IMMEDIATE: a second writer waits up to 5 s)."""
        return _Transaction(self._db, self._lock)

    @property
    def db(self) -> sqlite3.Connection:
        return self._db

    def close(self) -> None:
        self._db.close()

    # ------------------------------------------------------------------ history
    def add_history(self, query: str) -> None:
        """Remember a query (the same query again moves to the end); keeps the last 500."""
        query = query.strip()
        if not query:
            return
        with self.transaction():
            self._db.execute("DELETE FROM history WHERE query = ?", (query,))
            self._db.execute("INSERT INTO history (query, at) VALUES (?, ?)", (query, time.time()))
            self._db.execute("DELETE FROM history WHERE id NOT IN "
                             "(SELECT id FROM history ORDER BY id DESC LIMIT ?)", (HISTORY_LIMIT,))

    def history(self) -> list[str]:
        """Earlier queries, oldest first."""
        return [row[0] for row in self._db.execute("SELECT query FROM history ORDER BY id")]

    # ---------------------------------------------------------- saved searches
    def save_search(self, name: str, query: str, sort: str = "relevance") -> None:
        name = " ".join(name.split())
        if not name:
            raise UserDataError("a saved search needs a name")
        with self.transaction():
            self._db.execute("INSERT OR REPLACE INTO saved_search VALUES (?, ?, ?, ?)",
                             (name, query, sort, time.time()))

    def saved_searches(self) -> list[SavedSearch]:
        rows = self._db.execute("SELECT name, query, sort FROM saved_search ORDER BY name COLLATE NOCASE")
        return [SavedSearch(*row) for row in rows]

    def saved_search(self, name: str) -> SavedSearch | None:
        row = self._db.execute("SELECT name, query, sort FROM saved_search WHERE name = ? COLLATE NOCASE",
                               (name,)).fetchone()
        return SavedSearch(*row) if row else None

    def delete_search(self, name: str) -> bool:
        with self.transaction():
            return self._db.execute("DELETE FROM saved_search WHERE name = ?", (name,)).rowcount > 0


class _Transaction:
    """BEGIN IMMEDIATE ... COMMIT, or ROLLBACK on error: one transaction per change.

    Nested in another (an import adding many passages), it joins the outer one, so that the whole
    is kept or undone together.
    """

    def __init__(self, db: sqlite3.Connection, lock: threading.RLock) -> None:
        self.db, self.lock = db, lock
        self.outer = False

    def __enter__(self) -> None:
        self.lock.acquire()
        self.outer = not self.db.in_transaction
        if not self.outer:
            return
        try:
            self.db.execute("BEGIN IMMEDIATE")
        except sqlite3.Error as exc:
            self.lock.release()
            raise UserDataError(f"the user database is busy or unwritable: {exc}") from exc

    def __exit__(self, kind: type[BaseException] | None, value: BaseException | None,
                 tb: TracebackType | None) -> Literal[False]:
        try:
            if self.outer:
                self._finish(commit=kind is None)
        finally:
            self.lock.release()
        if isinstance(value, sqlite3.Error):
            raise UserDataError(f"could not save to the user database: {value}") from value
        return False

    def _finish(self, *, commit: bool) -> None:
        """COMMIT or ROLLBACK. SQLite rolls a transaction back itself on some errors (a full disk):
        a second ROLLBACK then failed with "no transaction is active" over the first error, in
        three chained tracebacks."""
        try:
            if commit:
                self.db.execute("COMMIT")
            elif self.db.in_transaction:
                self.db.execute("ROLLBACK")
        except sqlite3.Error as exc:
            if self.db.in_transaction:
                with contextlib.suppress(sqlite3.Error):
                    self.db.execute("ROLLBACK")
            raise UserDataError(f"could not save to the user database: {exc}") from exc
