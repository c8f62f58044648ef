"""The user's own data: query history and saved searches, in SQLite in the user data folder.

Never in the index (a rebuildable cache) and never only in memory. WAL mode and one short
transaction per change, so two margin processes can both write; a busy database waits briefly.
Tagged passages (next issue) will live in this database too, under a later schema version.
"""

from __future__ import annotations

import sqlite3
import time
from dataclasses import dataclass
from pathlib import Path

from . import paths
from .errors import MarginError

SCHEMA_VERSION = 1
HISTORY_LIMIT = 500
_MIGRATIONS = {
    1: """
        CREATE TABLE history (id INTEGER PRIMARY KEY, query TEXT NOT NULL, at REAL NOT NULL);
        CREATE TABLE saved_search (name TEXT PRIMARY KEY, query TEXT NOT NULL, sort TEXT NOT NULL,
                                   created REAL NOT NULL);
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
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            self._db = sqlite3.connect(self.path, timeout=5, isolation_level=None, check_same_thread=False)
            self._db.execute("PRAGMA journal_mode=WAL")
            self._migrate()
        except (OSError, sqlite3.Error) as exc:
            raise UserDataError(f"cannot use {self.path}: {exc}") from exc

    def _migrate(self) -> None:
        version = self._db.execute("PRAGMA user_version").fetchone()[0]
        if version > SCHEMA_VERSION:
            raise UserDataError(f"{self.path} was written by a newer margin (schema {version})")
        for target in range(version + 1, SCHEMA_VERSION + 1):
            with self._transaction():  # statement by statement: executescript would commit early
                for statement in filter(str.strip, _MIGRATIONS[target].split(";")):
                    self._db.execute(statement)
                self._db.execute(f"PRAGMA user_version = {target}")

    def _transaction(self):
        return _Transaction(self._db)

    def close(self) -> None:
        self._db.close()

    # ------------------------------------------------------------------ history
    def add_history(self, query: str) -> None:
        """Remember a query (the same query again moves to the end); keeps the last 500."""
        query = query.strip()
        if not query:
            return
        with self._transaction():
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
        with self._transaction():
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
        with self._transaction():
            return self._db.execute("DELETE FROM saved_search WHERE name = ?", (name,)).rowcount > 0


class _Transaction:
    """BEGIN IMMEDIATE ... COMMIT, or ROLLBACK on error: one transaction per change."""

    def __init__(self, db: sqlite3.Connection) -> None:
        self.db = db

    def __enter__(self) -> None:
        try:
            self.db.execute("BEGIN IMMEDIATE")
        except sqlite3.Error as exc:
            raise UserDataError(f"the user database is busy or unwritable: {exc}") from exc

    def __exit__(self, kind, value, tb) -> bool:
        self.db.execute("COMMIT" if kind is None else "ROLLBACK")
        if isinstance(value, sqlite3.Error):
            raise UserDataError(f"could not save to the user database: {value}") from value
        return False
