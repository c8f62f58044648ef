"""The sketches and families of a corpus's documents: SQLite beside the index, written with it.

A cache like the index (rebuilt with it, see indexing.py): one row per document with its sketch,
its shingle count, its date and its family (the family's earliest member, NULL for a document
with no copy). An update re-groups only the families the changed files were in or join: every
new sketch is compared with all others (a 100,000 × 64 array, a few milliseconds), and only the
members of those families are grouped again. A build, or an update of more than COMPARED_ALONE
documents, groups everything by LSH bands instead (about a second at 100,000 documents).
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
import numpy.typing as npt

from margin.search.stories.families import RULE, Rule, candidates, same_story, stars
from margin.search.stories.sketch import from_bytes

FILENAME = "margin-stories.sqlite"
COMPARED_ALONE = 50  # new documents compared one by one with every other; more: group everything again
_SCHEMA = """
    CREATE TABLE IF NOT EXISTS sketch (doc_id TEXT PRIMARY KEY, file TEXT NOT NULL, published TEXT NOT NULL,
                                       shingles INTEGER NOT NULL, mins BLOB NOT NULL, family TEXT);
    CREATE INDEX IF NOT EXISTS sketch_file ON sketch (file);
    CREATE INDEX IF NOT EXISTS sketch_family ON sketch (family);
"""


@dataclass(frozen=True)
class SketchRow:
    """What the build made of one document (in its worker): stored as it is."""

    doc_id: str
    file: str
    published: str
    shingles: int
    mins: bytes


@dataclass
class Families:
    """The corpus's families of more than one document: each member's family (named by its
    earliest member), and each family's members, earliest first."""

    family_of: dict[str, str] = field(default_factory=dict)
    members: dict[str, list[str]] = field(default_factory=dict)
    earliest: dict[str, str] = field(default_factory=dict)  # family -> its earliest date

    def of(self, doc_id: str) -> str:
        return self.family_of.get(doc_id, doc_id)

    def copies(self, doc_id: str) -> list[str]:
        """The document's family, earliest first (itself alone when it has no copy)."""
        return self.members.get(self.of(doc_id), [doc_id])


class StoriesUnreadable(Exception):
    """The stories file is missing, damaged or of another shape: the index is rebuilt."""


class StoryStore:
    def __init__(self, index_dir: Path, *, create: bool = False) -> None:
        self.path = index_dir / FILENAME
        if not create and not self.path.is_file():
            raise StoriesUnreadable(f"{FILENAME} missing")
        try:
            self._db = sqlite3.connect(self.path, isolation_level=None, check_same_thread=False)
            self._db.executescript(_SCHEMA)
            self._db.execute("SELECT doc_id, file, published, shingles, mins, family FROM sketch LIMIT 1").fetchall()
        except sqlite3.Error as exc:
            raise StoriesUnreadable(f"{FILENAME}: {exc}") from exc

    def close(self) -> None:
        self._db.close()

    def update(self, added: Iterable[SketchRow], gone_files: Iterable[str], *, rule: Rule = RULE) -> None:
        """Replace the documents of `gone_files` (removed or changed) by `added`, and group again
        the families this touches, in one transaction."""
        db, rows = self._db, list(added)
        gone = set(gone_files) | {r.file for r in rows}
        with _transaction(db):
            before = self._rows_of(gone)
            same = {r.doc_id for r in rows if before.get(r.doc_id, (None,))[0] == r.mins}  # read again, text unchanged
            rows = [r for r in rows if r.doc_id not in same]
            touched = {family for doc_id, (_, family) in before.items() if family and doc_id not in same}
            db.executemany("DELETE FROM sketch WHERE doc_id = ?", [(d,) for d in before if d not in same])
            db.executemany("INSERT OR REPLACE INTO sketch VALUES (?, ?, ?, ?, ?, NULL)",
                           [(r.doc_id, r.file, r.published, r.shingles, r.mins) for r in rows])
            if rows or touched:
                self._regroup({r.doc_id for r in rows}, touched, rule)

    def _rows_of(self, files: set[str]) -> dict[str, tuple[bytes, str | None]]:
        return {doc_id: (mins, family)
                for doc_id, mins, family in self._where_in("SELECT doc_id, mins, family FROM sketch", "file", sorted(files))}

    def _where_in(self, select: str, column: str, values: list[str]) -> list[tuple[Any, ...]]:
        """The rows of `select` whose `column` is one of `values`, asked 500 at a time (SQLite's
        bound on a statement's parameters)."""
        out: list[tuple[Any, ...]] = []
        for start in range(0, len(values), 500):
            chunk = values[start : start + 500]
            out.extend(self._db.execute(f"{select} WHERE {column} IN ({','.join('?' * len(chunk))})", chunk))
        return out

    def _regroup(self, new: set[str], touched: set[str], rule: Rule) -> None:
        ids, published, sizes, mins = self._all()
        row = {doc_id: i for i, doc_id in enumerate(ids)}
        if len(new) > COMPARED_ALONE:
            pairs = same_story(mins, sizes, candidates(mins), rule)
            group = list(range(len(ids)))
        else:
            group = self._affected(ids, row, sizes, mins, new, touched, rule)
            pairs = _pairs_within(mins, sizes, group, rule)
        local = {r: i for i, r in enumerate(group)}
        roots = stars(len(group), [(local[int(a)], local[int(b)]) for a, b in pairs])
        members: dict[int, list[int]] = {}
        for i, root in enumerate(roots):
            members.setdefault(root, []).append(group[i])
        before = dict(self._db.execute("SELECT doc_id, family FROM sketch WHERE family IS NOT NULL"))
        updates: list[tuple[str | None, str]] = []
        for rows in members.values():
            head = ids[min(rows, key=lambda r: (published[r] or "9999", ids[r]))] if len(rows) > 1 else None
            updates.extend((head, ids[r]) for r in rows if before.get(ids[r]) != head)  # only what changed
        self._db.executemany("UPDATE sketch SET family = ? WHERE doc_id = ?", updates)

    def _affected(self, ids: list[str], row: dict[str, int], sizes: npt.NDArray[np.int64],
                  mins: npt.NDArray[np.uint32], new: set[str], touched: set[str], rule: Rule) -> list[int]:
        """The rows to group again: the new documents, what they match, and every member of the
        families either was in. A document outside them stays in its family: it was not that
        family's copy before, and nothing it is a copy of changed."""
        wanted = {row[d] for d in new}
        for doc_id in new:
            i = row[doc_id]
            pairs = np.stack([np.full(len(ids), i), np.arange(len(ids))], axis=1)
            wanted.update(int(j) for j in same_story(mins, sizes, pairs[pairs[:, 1] != i], rule)[:, 1])
        families = touched | {f for (f,) in self._where_in("SELECT family FROM sketch", "doc_id", [ids[i] for i in wanted]) if f}
        for family in families:
            wanted.update(row[d] for (d,) in self._db.execute("SELECT doc_id FROM sketch WHERE family = ?", (family,))
                          if d in row)
        return sorted(wanted)

    def _all(self) -> tuple[list[str], list[str], npt.NDArray[np.int64], npt.NDArray[np.uint32]]:
        rows = self._db.execute("SELECT doc_id, published, shingles, mins FROM sketch ORDER BY doc_id").fetchall()
        ids = [r[0] for r in rows]
        published = [r[1] for r in rows]
        sizes = np.array([r[2] for r in rows], dtype=np.int64)
        mins = np.stack([from_bytes(r[3]) for r in rows]) if rows else np.empty((0, 0), dtype=np.uint32)
        return ids, published, sizes, mins

    def families(self) -> Families:
        """The families of more than one document, read whole (a few thousand rows at most)."""
        found = Families()
        try:
            rows = self._db.execute("SELECT doc_id, family, published FROM sketch WHERE family IS NOT NULL "
                                    "ORDER BY family, published = '', published, doc_id").fetchall()
        except sqlite3.Error as exc:
            raise StoriesUnreadable(f"{FILENAME}: {exc}") from exc
        for doc_id, family, published in rows:
            found.family_of[doc_id] = family
            found.members.setdefault(family, []).append(doc_id)
            if published and family not in found.earliest:
                found.earliest[family] = published
        return found

    def sketch_of(self, doc_id: str) -> tuple[int, bytes] | None:
        got = self._db.execute("SELECT shingles, mins FROM sketch WHERE doc_id = ?", (doc_id,)).fetchone()
        return (got[0], got[1]) if got else None


def _pairs_within(mins: npt.NDArray[np.uint32], sizes: npt.NDArray[np.int64], group: list[int], rule: Rule) -> npt.NDArray[np.int64]:
    rows = np.array(group, dtype=np.int64)
    a, b = np.triu_indices(len(rows), k=1)
    return same_story(mins, sizes, np.stack([rows[a], rows[b]], axis=1), rule)


class _transaction:
    def __init__(self, db: sqlite3.Connection) -> None:
        self.db = db

    def __enter__(self) -> None:
        self.db.execute("BEGIN IMMEDIATE")

    def __exit__(self, kind: object, *_: object) -> None:
        self.db.execute("COMMIT" if kind is None else "ROLLBACK")
