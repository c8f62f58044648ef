"""The previous texts of changed articles, kept beside the index (margin-versions.sqlite).

When a file's text changes, the build keeps the text it replaces, compressed, before the engine
writes the new one: the reader can then say what changed since the article was read or tagged.
Unlike the rest of the index folder this file is history no rebuild can make again, so a rebuild
keeps it (engine.files.KEPT). At most `kept()` versions a document ($MARGIN_VERSIONS, default 5):
the oldest go first. A version is named by the sha1 of its text, the hash a passage records of
the text it was made on (passages.sync.text_sha1).
"""

from __future__ import annotations

import hashlib
import os
import sqlite3
import time
import zlib
from dataclasses import dataclass
from pathlib import Path

FILENAME = "margin-versions.sqlite"
DEFAULT_KEPT = 5
_SCHEMA = """
    CREATE TABLE IF NOT EXISTS version (doc_id TEXT NOT NULL, replaced REAL NOT NULL, sha1 TEXT NOT NULL,
                                        title TEXT NOT NULL, body BLOB NOT NULL, PRIMARY KEY (doc_id, replaced));
"""


@dataclass(frozen=True)
class Version:
    """A text an article had until `replaced` (seconds since the epoch)."""

    doc_id: str
    replaced: float
    sha1: str
    title: str
    body: str


def kept() -> int:
    """Versions kept a document: $MARGIN_VERSIONS (0 keeps none), else DEFAULT_KEPT."""
    try:
        return max(0, int(os.environ.get("MARGIN_VERSIONS", DEFAULT_KEPT)))
    except ValueError:
        return DEFAULT_KEPT


def text_sha1(text: str) -> str:
    return hashlib.sha1(text.encode("utf-8", "surrogatepass")).hexdigest()


class VersionStore:
    def __init__(self, index_dir: Path) -> None:
        self.path = index_dir / FILENAME
        self._db: sqlite3.Connection | None = None

    def _open(self) -> sqlite3.Connection:
        if self._db is None:
            self._db = sqlite3.connect(self.path, isolation_level=None, check_same_thread=False, timeout=5)
            self._db.executescript(_SCHEMA)
        return self._db

    def close(self) -> None:
        if self._db is not None:
            self._db.close()
            self._db = None

    def keep(self, old: list[tuple[str, str, str]], most: int | None = None) -> str | None:
        """Keep the (doc id, title, body) texts being replaced now, oldest versions dropped past
        `most`; what went wrong, if the file could not take them (it is then moved aside, so that
        the next change is kept in a new one: a damaged history must not stop every build)."""
        most = kept() if most is None else most
        if not old or not most:
            return None
        try:
            self._keep(old, most)
        except sqlite3.Error as exc:
            self.close()
            aside = self.path.with_name(f"{FILENAME}.damaged-{time.strftime('%Y%m%d-%H%M%S')}")
            try:
                self.path.replace(aside)
            except OSError:
                aside = self.path
            return (f"{self.path} could not be written ({exc}); it was moved to {aside.name}, and the previous "
                    f"text of {len(old)} changed article{'s' if len(old) > 1 else ''} was not kept")
        return None

    def _keep(self, old: list[tuple[str, str, str]], most: int) -> None:
        db, now = self._open(), time.time()
        db.execute("BEGIN IMMEDIATE")
        try:
            db.executemany("INSERT OR REPLACE INTO version VALUES (?, ?, ?, ?, ?)",
                           [(d, now, text_sha1(body), title, zlib.compress(body.encode("utf-8", "surrogatepass"), 6))
                            for d, title, body in old])
            db.executemany("DELETE FROM version WHERE doc_id = ? AND replaced NOT IN "
                           "(SELECT replaced FROM version WHERE doc_id = ? ORDER BY replaced DESC LIMIT ?)",
                           [(d, d, most) for d, _, _ in old])
            db.execute("COMMIT")
        except BaseException:
            db.execute("ROLLBACK")
            raise

    def last_change(self, doc_id: str) -> float | None:
        """When the document's text was last replaced (None: never, as far as margin kept)."""
        if not self.path.is_file():
            return None
        try:
            row = self._open().execute("SELECT max(replaced) FROM version WHERE doc_id = ?", (doc_id,)).fetchone()
        except sqlite3.Error:
            return None
        return float(row[0]) if row and row[0] is not None else None

    def versions(self, doc_id: str) -> list[Version]:
        """The document's earlier texts, newest first (none when the file was never kept)."""
        if not self.path.is_file():
            return []
        try:
            rows = self._open().execute("SELECT replaced, sha1, title, body FROM version WHERE doc_id = ? "
                                        "ORDER BY replaced DESC", (doc_id,)).fetchall()
        except sqlite3.Error:
            return []  # a damaged history file costs the history, never the reader
        return [Version(doc_id, r, s, t, zlib.decompress(b).decode("utf-8", "surrogatepass")) for r, s, t, b in rows]
