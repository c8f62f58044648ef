"""What the user has read, starred and tagged, and where reading stopped: per document, per corpus.

Kept in the user database beside the passages (never in the index, which is a rebuildable cache).
A document with no row is unread, unstarred and read from the top. Positions are character
offsets in the article text (the first line shown and the cursor), not screen lines, so they
survive a narrower terminal. A file renamed without changes keeps its state (UpdateReport.renamed).
A document's own tags (notmuch's way: the article, not a passage of it) sit in `document_tag`;
`tag:` finds them beside the passages' tags.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, replace

from margin.search.passages.store import clean_tags
from margin.search.results import ResultRow
from margin.search.sanitize import printable
from margin.search.userdata.database import UserData

SCAN_PAGE = 200  # result rows fetched at a time when looking for the next unread document
SCAN_LIMIT = 20_000  # rows looked at before giving up (all read, in a very long result list)


@dataclass(frozen=True)
class Mark:
    """How a document shows in the list."""

    read: bool = False
    starred: bool = False
    tags: tuple[str, ...] = ()


@dataclass(frozen=True)
class Reading:
    """One document's stored state, as exported."""

    doc_id: str
    read: bool
    starred: bool
    top: int
    cursor: int
    updated: float
    tags: tuple[str, ...] = ()


BATCH_CHANGES = {"read": ("read", 1), "unread": ("read", 0), "star": ("starred", 1), "unstar": ("starred", 0),
                 "tag": ("", 0)}


def article_tags(tags: list[str] | tuple[str, ...]) -> tuple[str, ...]:
    """An article's own tags as stored: cleaned as a passage's are, in order."""
    return tuple(sorted(clean_tags(tags)))


class ReadingStore:
    def __init__(self, userdata: UserData, corpus: str) -> None:
        self.data = userdata
        self.db = userdata.db
        self.corpus = corpus

    def marks(self) -> dict[str, Mark]:
        """Every read, starred or tagged document of the corpus (two queries: the list shows them all)."""
        rows = self.db.execute("SELECT doc_id, read, starred FROM reading WHERE corpus = ? AND (read OR starred)",
                               (self.corpus,))
        marks = {doc_id: Mark(bool(read), bool(starred)) for doc_id, read, starred in rows}
        for doc_id, tags in self._tags_by_doc().items():
            marks[doc_id] = replace(marks.get(doc_id, Mark()), tags=tags)
        return marks

    def mark(self, doc_id: str) -> Mark:
        row = self.db.execute("SELECT read, starred FROM reading WHERE corpus = ? AND doc_id = ?",
                              (self.corpus, doc_id)).fetchone()
        return Mark(bool(row[0]), bool(row[1]), self.tags(doc_id)) if row else Mark(tags=self.tags(doc_id))

    # ------------------------------------------------------------ the document's own tags
    def tags(self, doc_id: str) -> tuple[str, ...]:
        rows = self.db.execute("SELECT tag FROM document_tag WHERE corpus = ? AND doc_id = ? ORDER BY tag",
                               (self.corpus, doc_id))
        return tuple(printable(row[0]) for row in rows)

    def set_tags(self, doc_id: str, tags: list[str] | tuple[str, ...]) -> tuple[str, ...]:
        """Replace the document's tags; the tags kept (`article_tags`)."""
        kept = article_tags(tags)
        with self.data.transaction():
            self.db.execute("DELETE FROM document_tag WHERE corpus = ? AND doc_id = ?", (self.corpus, doc_id))
            self.db.executemany("INSERT INTO document_tag VALUES (?, ?, ?)", [(self.corpus, doc_id, t) for t in kept])
        return kept

    def tagged(self, tag: str) -> set[str]:
        """Documents tagged `tag` themselves (tag:NAME, any case, with or without the #)."""
        rows = self.db.execute("SELECT doc_id FROM document_tag WHERE corpus = ? AND lower(tag) = lower(?)",
                               (self.corpus, tag.lstrip("#")))
        return {row[0] for row in rows}

    def tag_counts(self) -> list[tuple[str, int]]:
        """Every document tag with the number of documents it tags, most used first."""
        rows = self.db.execute("SELECT tag, count(*) FROM document_tag WHERE corpus = ? GROUP BY tag "
                               "ORDER BY count(*) DESC, tag", (self.corpus,))
        return [(printable(tag), count) for tag, count in rows]

    def _tags_by_doc(self) -> dict[str, tuple[str, ...]]:
        rows = self.db.execute("SELECT doc_id, group_concat(tag, ' ') FROM document_tag WHERE corpus = ? "
                               "GROUP BY doc_id", (self.corpus,))
        return {doc_id: tuple(sorted(printable(t) for t in tags.split())) for doc_id, tags in rows}

    # ------------------------------------------------------------ many documents at once
    def change_many(self, doc_ids: list[str], change: str, tag: str = "") -> dict[str, Mark]:
        """One change to many documents in one transaction: `read`, `unread`, `star`, `unstar`
        or `tag` (adding `tag` to their own tags). Gives each document's mark before it, which
        `restore` puts back: a batch is one undo."""
        if change not in BATCH_CHANGES:
            raise ValueError(f"not a change: {change}")
        marks = self.marks()
        before = {doc_id: marks.get(doc_id, Mark()) for doc_id in doc_ids}
        now = time.time()
        with self.data.transaction():
            if change == "tag":
                kept = article_tags([tag])
                self.db.executemany("INSERT OR IGNORE INTO document_tag VALUES (?, ?, ?)",
                                    [(self.corpus, d, t) for d in doc_ids for t in kept])
            else:
                column, value = BATCH_CHANGES[change]
                self.db.executemany(
                    f"INSERT INTO reading (corpus, doc_id, {column}, updated) VALUES (?, ?, ?, ?) "
                    f"ON CONFLICT (corpus, doc_id) DO UPDATE SET {column} = excluded.{column}, updated = excluded.updated",
                    [(self.corpus, d, value, now) for d in doc_ids])
        return before

    def restore(self, before: dict[str, Mark]) -> None:
        """Put back the marks `change_many` gave (read, starred, the document's own tags)."""
        now = time.time()
        with self.data.transaction():
            self.db.executemany(
                "INSERT INTO reading (corpus, doc_id, read, starred, updated) VALUES (?, ?, ?, ?, ?) "
                "ON CONFLICT (corpus, doc_id) DO UPDATE SET read = excluded.read, starred = excluded.starred, "
                "updated = excluded.updated",
                [(self.corpus, d, int(m.read), int(m.starred), now) for d, m in before.items()])
            self.db.executemany("DELETE FROM document_tag WHERE corpus = ? AND doc_id = ?",
                                [(self.corpus, d) for d in before])
            self.db.executemany("INSERT INTO document_tag VALUES (?, ?, ?)",
                                [(self.corpus, d, t) for d, m in before.items() for t in m.tags])

    def set_read(self, doc_id: str, read: bool) -> None:
        self._upsert(doc_id, "read", int(read))

    def set_starred(self, doc_id: str, starred: bool) -> None:
        self._upsert(doc_id, "starred", int(starred))

    def last_read(self, doc_id: str) -> float | None:
        """When the document's reading state last changed while it was read (its position saved
        on leaving it, or marked read): when it was last read, near enough to say whether it
        changed since."""
        row = self.db.execute("SELECT updated FROM reading WHERE corpus = ? AND doc_id = ? AND read = 1",
                              (self.corpus, doc_id)).fetchone()
        return float(row[0]) if row else None

    def position(self, doc_id: str) -> tuple[int, int] | None:
        """(offset of the first line shown, cursor offset) where reading stopped, if it moved from the top."""
        row = self.db.execute("SELECT top, cursor FROM reading WHERE corpus = ? AND doc_id = ?",
                              (self.corpus, doc_id)).fetchone()
        return (row[0], row[1]) if row and (row[0] or row[1]) else None

    def set_position(self, doc_id: str, top: int, cursor: int) -> None:
        with self.data.transaction():
            self.db.execute(
                "INSERT INTO reading (corpus, doc_id, top, cursor, updated) VALUES (?, ?, ?, ?, ?) "
                "ON CONFLICT (corpus, doc_id) DO UPDATE SET top = excluded.top, cursor = excluded.cursor, "
                "updated = excluded.updated", (self.corpus, doc_id, max(0, top), max(0, cursor), time.time()))

    def _upsert(self, doc_id: str, column: str, value: int) -> None:
        with self.data.transaction():
            self.db.execute(
                f"INSERT INTO reading (corpus, doc_id, {column}, updated) VALUES (?, ?, ?, ?) "
                f"ON CONFLICT (corpus, doc_id) DO UPDATE SET {column} = excluded.{column}, updated = excluded.updated",
                (self.corpus, doc_id, value, time.time()))

    def doc_ids(self, state: str) -> set[str]:
        """Documents that are read (`read`, and `unread` is the rest) or starred."""
        column = "starred" if state == "starred" else "read"
        return {row[0] for row in self.db.execute(f"SELECT doc_id FROM reading WHERE corpus = ? AND {column}",
                                                  (self.corpus,))}

    def follow_renames(self, renamed: dict[str, str]) -> int:
        """Move the state of renamed files' documents (`a.md` -> `b.md`, `feed.xml#3` -> `news.xml#3`)
        to their new ids; the number of documents moved."""
        if not renamed:
            return 0
        moved = 0
        with self.data.transaction():
            rows = self.db.execute("SELECT doc_id FROM reading WHERE corpus = ?", (self.corpus,)).fetchall()
            for (doc_id,) in rows:
                new_id = _renamed(doc_id, renamed)
                if new_id is None:
                    continue
                self.db.execute("DELETE FROM reading WHERE corpus = ? AND doc_id = ?", (self.corpus, new_id))
                self.db.execute("UPDATE reading SET doc_id = ? WHERE corpus = ? AND doc_id = ?",
                                (new_id, self.corpus, doc_id))
                moved += 1
            for (doc_id,) in self.db.execute("SELECT DISTINCT doc_id FROM document_tag WHERE corpus = ?",
                                             (self.corpus,)).fetchall():
                new_id = _renamed(doc_id, renamed)
                if new_id is not None:
                    self.db.execute("UPDATE OR REPLACE document_tag SET doc_id = ? WHERE corpus = ? AND doc_id = ?",
                                    (new_id, self.corpus, doc_id))
        return moved

    # ------------------------------------------------------------ export and import
    def all(self) -> list[Reading]:
        """Every document with a stored state or tags of its own, by id."""
        rows = self.db.execute("SELECT doc_id, read, starred, top, cursor, updated FROM reading WHERE corpus = ?",
                               (self.corpus,))
        tags = self._tags_by_doc()
        states = {d: Reading(d, bool(r), bool(s), t, c, u, tags.get(d, ())) for d, r, s, t, c, u in rows}
        states.update({d: Reading(d, False, False, 0, 0, 0.0, t) for d, t in tags.items() if d not in states})
        return [states[d] for d in sorted(states)]

    def merge(self, reading: Reading) -> bool:
        """Take an imported state unless the stored one is newer, and add its tags (a tag is never
        lost to an import); True if anything was taken."""
        with self.data.transaction():
            row = self.db.execute("SELECT updated FROM reading WHERE corpus = ? AND doc_id = ?",
                                  (self.corpus, reading.doc_id)).fetchone()
            new_tags = [(self.corpus, reading.doc_id, t) for t in clean_tags(reading.tags)]
            added = sum(self.db.execute("INSERT OR IGNORE INTO document_tag VALUES (?, ?, ?)", t).rowcount
                        for t in new_tags)
            if (row is not None and row[0] >= reading.updated) or not reading.updated:
                return added > 0
            self.db.execute("INSERT OR REPLACE INTO reading VALUES (?, ?, ?, ?, ?, ?, ?)",
                            (self.corpus, reading.doc_id, int(reading.read), int(reading.starred),
                             reading.top, reading.cursor, reading.updated))
        return True


def _renamed(doc_id: str, renamed: dict[str, str]) -> str | None:
    """The id of a document of a renamed file: the file's new id, with the entry of a feed or mailbox."""
    if doc_id in renamed:
        return renamed[doc_id]
    file_id, sign, entry = doc_id.rpartition("#")
    return f"{renamed[file_id]}#{entry}" if sign and file_id in renamed else None


def first_unread(page_of: Callable[[int, int], Sequence[ResultRow]], start: int, read: set[str]) -> int | None:
    """The position of the first unread document at or after `start` in a result list, going
    round to the top after the last; `page_of(page, size)` gives the rows of one page."""
    for begin, end in ((start, None), (0, start)):
        for position, row in _rows(page_of, begin, end):
            if row.doc_id not in read:
                return position
    return None


def _rows(page_of: Callable[[int, int], Sequence[ResultRow]], begin: int, end: int | None) -> Iterator[tuple[int, ResultRow]]:
    """(position, row) from `begin` up to `end` (None: the last row), SCAN_LIMIT rows at most."""
    stop = begin + SCAN_LIMIT if end is None else min(end, begin + SCAN_LIMIT)
    position = begin
    while position < stop:
        page = position // SCAN_PAGE + 1
        rows = page_of(page, SCAN_PAGE)
        for i, row in enumerate(rows[position - (page - 1) * SCAN_PAGE :], position):
            if i >= stop:
                return
            yield i, row
        if len(rows) < SCAN_PAGE:
            return
        position = page * SCAN_PAGE
