"""The user's own data: query history and saved searches, in SQLite in the user data folder.

Never in the index (a rebuildable cache) and never only in memory. WAL mode and one short
transaction per change, so two margin processes can both write; a busy database waits briefly.
Tagged passages live here too (schema 2, margin.search.passages).
"""

from __future__ import annotations

import sqlite3
import threading
import time
from dataclasses import dataclass
from pathlib import Path
from types import TracebackType
from typing import Literal

from . import paths
from .errors import MarginError

SCHEMA_VERSION = 2
HISTORY_LIMIT = 500
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
}


class UserDataError(MarginError):
    """The user database cannot be opened or written; the message names the file."""


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
            self._open()
        except sqlite3.DatabaseError as exc:
            if "not a database" not in str(exc) and "malformed" not in str(exc):
                raise UserDataError(f"cannot use {self.path}: {exc}") from exc
            self._move_aside(exc)
        except OSError as exc:
            raise UserDataError(f"cannot use {self.path}: {exc}") from exc

    def _open(self) -> None:
        self._db = sqlite3.connect(self.path, timeout=5, isolation_level=None, check_same_thread=False)
        self._db.execute("PRAGMA journal_mode=WAL")
        self._db.execute("PRAGMA foreign_keys=ON")
        self._db.execute("PRAGMA quick_check").fetchone()
        self._migrate()

    def _move_aside(self, exc: Exception) -> None:
        """Keep a damaged database for the user (it may be recoverable) and start a new one beside it."""
        self._db.close()
        aside = self.path.with_name(f"{self.path.name}.damaged-{time.strftime('%Y%m%d-%H%M%S')}")
        self.path.rename(aside)
        for suffix in ("-wal", "-shm"):
            side = self.path.with_name(self.path.name + suffix)
            if side.exists():
                side.rename(aside.with_name(aside.name + suffix))
        self.notice = f"{self.path} was damaged ({exc}); it was moved to {aside} and a new one started"
        self._open()

    def _migrate(self) -> None:
        version = self._db.execute("PRAGMA user_version").fetchone()[0]
        if version > SCHEMA_VERSION:
            raise UserDataError(f"{self.path} was written by a newer margin (schema {version})")
        for target in range(version + 1, SCHEMA_VERSION + 1):
            with self.transaction():  # statement by statement: executescript would commit early
                for statement in filter(str.strip, _MIGRATIONS[target].split(";")):
                    self._db.execute(statement)
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
    """BEGIN IMMEDIATE ... COMMIT, or ROLLBACK on error: one transaction per change."""

    def __init__(self, db: sqlite3.Connection, lock: threading.RLock) -> None:
        self.db, self.lock = db, lock

    def __enter__(self) -> None:
        self.lock.acquire()
        try:
            self.db.execute("BEGIN IMMEDIATE")
        except sqlite3.Error as exc:
            self.lock.release()
            raise UserDataError(f"the user database is busy or unwritable: {exc}") from exc

    def __exit__(self, kind: type[BaseException] | None, value: BaseException | None,
                 tb: TracebackType | None) -> Literal[False]:
        try:
            self.db.execute("COMMIT" if kind is None else "ROLLBACK")
        finally:
            self.lock.release()
        if isinstance(value, sqlite3.Error):
            raise UserDataError(f"could not save to the user database: {value}") from value
        return False
