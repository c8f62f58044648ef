"""Tagged passages: stored in the user database, anchored to the article text, never lost.

Passages belong to a corpus (its resolved folder path): document ids are paths relative to it,
so the same id in another folder is another article. A passage keeps its selectors
(passages.anchoring) and a hash of the article text when it was tagged. When the article
changed, it is placed again; an exact placement updates the stored
selectors, an approximate one is kept but reported, and one that cannot be placed becomes an
orphan: listed with its quote until the user re-attaches or removes it, never deleted.
"""

from __future__ import annotations

import time
import uuid
from dataclasses import dataclass, replace
from typing import Any

from margin.search.passages.anchoring import Anchor, Placement, anchor_for, place
from margin.search.sanitize import clean_text, printable
from margin.search.userdata.database import UserData, UserDataError

_COLUMNS = "id, uuid, doc_id, exact, prefix, suffix, start, end, doc_sha1, note, created, updated, orphan"


@dataclass(frozen=True)
class Passage:
    id: int
    uuid: str
    doc_id: str
    anchor: Anchor
    doc_sha1: str
    tags: tuple[str, ...]
    note: str
    created: float
    updated: float
    orphan: bool = False


def clean_tags(tags: list[str] | tuple[str, ...]) -> tuple[str, ...]:
    """Tags are single words without spaces, kept in the order given, without repeats."""
    seen: dict[str, None] = {}
    for tag in tags:
        for word in tag.replace(",", " ").split():
            seen.setdefault(word.strip().lstrip("#"), None)
    return tuple(t for t in seen if t)


class PassageStore:
    def __init__(self, userdata: UserData, corpus: str) -> None:
        self.data = userdata
        self.db = userdata.db
        self.corpus = corpus

    # ----------------------------------------------------------------- writing
    def add(self, doc_id: str, text: str, start: int, end: int, doc_sha1: str, *,
            tags: list[str] | tuple[str, ...] = (), note: str = "") -> Passage:
        if not 0 <= start < end <= len(text):
            raise ValueError(f"no text between {start} and {end}")
        anchor = anchor_for(text, start, end)
        now = time.time()
        passage = Passage(0, str(uuid.uuid4()), doc_id, anchor, doc_sha1, clean_tags(tags), note, now, now)
        return self._insert(passage)

    def _insert(self, passage: Passage) -> Passage:
        a = passage.anchor
        with self.data.transaction():
            cursor = self.db.execute(
                f"INSERT INTO passage ({_COLUMNS}, corpus) VALUES (NULL, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                (passage.uuid, passage.doc_id, a.exact, a.prefix, a.suffix, a.start, a.end, passage.doc_sha1,
                 passage.note, passage.created, passage.updated, int(passage.orphan), self.corpus))
            passage_id = cursor.lastrowid
            assert passage_id is not None  # an INSERT always sets it
            self.db.executemany("INSERT INTO passage_tag VALUES (?, ?)", [(passage_id, t) for t in passage.tags])
            self.db.execute("INSERT OR REPLACE INTO passage_made_on VALUES (?, ?)", (passage_id, passage.doc_sha1))
        return replace(passage, id=passage_id)

    def made_on(self, doc_id: str) -> dict[int, str]:
        """Each of the document's passages: the hash of the text it was made on (a passage placed
        again on a changed text keeps it; stories.versions names its versions by the same hash)."""
        return dict(self.db.execute("SELECT m.passage_id, m.doc_sha1 FROM passage_made_on m JOIN passage p "
                                    "ON p.id = m.passage_id WHERE p.corpus = ? AND p.doc_id = ?", (self.corpus, doc_id)))

    def edit(self, passage_id: int, *, tags: list[str] | None = None, note: str | None = None) -> Passage:
        with self.data.transaction():
            if note is not None:
                self.db.execute("UPDATE passage SET note = ?, updated = ? WHERE id = ?", (note, time.time(), passage_id))
            if tags is not None:
                self.db.execute("DELETE FROM passage_tag WHERE passage_id = ?", (passage_id,))
                self.db.executemany("INSERT INTO passage_tag VALUES (?, ?)",
                                    [(passage_id, t) for t in clean_tags(tags)])
                self.db.execute("UPDATE passage SET updated = ? WHERE id = ?", (time.time(), passage_id))
        edited = self.get(passage_id)
        if edited is None:
            raise UserDataError("the passage was deleted meanwhile (by another margin process?)")
        return edited

    def delete(self, passage_id: int) -> Passage | None:
        """Remove a passage and return it, so that the caller can offer undo (restore)."""
        passage = self.get(passage_id)
        if passage is not None:
            with self.data.transaction():
                self.db.execute("DELETE FROM passage WHERE id = ?", (passage_id,))
        return passage

    def restore(self, passage: Passage) -> Passage:
        """Put back a deleted passage (same uuid, tags and note)."""
        return self._insert(passage)

    def restore_if_new(self, passage: Passage) -> bool:
        """Store an imported passage unless one with its uuid exists (in any corpus); True if stored."""
        with self.data.transaction():
            if self.db.execute("SELECT 1 FROM passage WHERE uuid = ?", (passage.uuid,)).fetchone():
                return False
            self._insert(passage)
        return True

    def reanchor(self, doc_id: str, text: str, doc_sha1: str) -> list[tuple[Passage, Placement | None]]:
        """Place the document's passages in its current text; update or orphan them in one transaction
        (none when the text is the one they were placed in: the reader calls this on every open)."""
        results: list[tuple[Passage, Placement | None]] = []
        todo: list[Passage] = []
        for passage in self._select("WHERE p.doc_id = ?", (doc_id,)):
            if passage.doc_sha1 == doc_sha1 and not passage.orphan:
                results.append((passage, Placement(passage.anchor.start, passage.anchor.end, "position")))
            else:
                todo.append(passage)
        if not todo:
            return results
        with self.data.transaction():
            for passage in todo:
                placement = place(text, passage.anchor)
                if placement is None:  # returned as it was, so the caller can tell a new orphan
                    self.db.execute("UPDATE passage SET orphan = 1 WHERE id = ?", (passage.id,))
                    results.append((passage, None))
                    continue
                if placement.exact:
                    anchor = anchor_for(text, placement.start, placement.end)
                    self.db.execute("UPDATE passage SET start = ?, end = ?, prefix = ?, suffix = ?, doc_sha1 = ?, "
                                    "orphan = 0 WHERE id = ?", (anchor.start, anchor.end, anchor.prefix,
                                                                anchor.suffix, doc_sha1, passage.id))
                    passage = replace(passage, anchor=anchor, doc_sha1=doc_sha1, orphan=False)
                elif passage.orphan:  # approximate but confident: shown (flagged), so no longer an orphan
                    self.db.execute("UPDATE passage SET orphan = 0 WHERE id = ?", (passage.id,))
                    passage = replace(passage, orphan=False)
                results.append((passage, placement))
        return results

    def orphan_document(self, doc_id: str) -> int:
        """The document is gone: its passages become orphans (kept, listed, re-attachable)."""
        with self.data.transaction():
            return self.db.execute("UPDATE passage SET orphan = 1 WHERE corpus = ? AND doc_id = ? AND orphan = 0",
                                   (self.corpus, doc_id)).rowcount

    def relink(self, passage_id: int, doc_id: str, text: str, doc_sha1: str, *,
               exact_only: bool = False) -> Passage | None:
        """Re-attach a passage to a document (a renamed file, or the user's choice), if it can be placed
        (with `exact_only`, only where the text holds its exact quote)."""
        passage = self.get(passage_id)
        placement = place(text, passage.anchor) if passage else None
        if placement is None or (exact_only and not placement.exact):
            return None
        anchor = anchor_for(text, placement.start, placement.end)
        with self.data.transaction():
            self.db.execute("UPDATE passage SET doc_id = ?, start = ?, end = ?, prefix = ?, suffix = ?, "
                            "doc_sha1 = ?, orphan = 0 WHERE id = ?",
                            (doc_id, anchor.start, anchor.end, anchor.prefix, anchor.suffix, doc_sha1, passage_id))
        return self.get(passage_id)

    # ----------------------------------------------------------------- reading
    def get(self, passage_id: int) -> Passage | None:
        found = self._select("WHERE p.id = ?", (passage_id,))
        return found[0] if found else None

    def for_document(self, doc_id: str) -> list[Passage]:
        return self._select("WHERE p.doc_id = ? AND p.orphan = 0", (doc_id,))

    def placed_doc_ids(self) -> list[str]:
        """Documents that have passages placed in them (not orphans)."""
        return [row[0] for row in self.db.execute(
            "SELECT DISTINCT doc_id FROM passage WHERE corpus = ? AND orphan = 0", (self.corpus,))]

    def all_tags(self) -> list[str]:
        """Every tag used in this corpus, most used first (for completion)."""
        return [tag for tag, _ in self.tag_counts()]

    def orphans(self) -> list[Passage]:
        return self._select("WHERE p.orphan = 1", ())

    def search(self, *, tag: str | None = None, text: str = "") -> list[Passage]:
        """All passages, newest first; with a tag, those so tagged; with text, those whose quote or note has it."""
        where, args = ["1=1"], []
        if tag:
            where.append("p.id IN (SELECT passage_id FROM passage_tag WHERE tag = ?)")
            args.append(tag)
        if text:
            where.append("(p.exact LIKE ? OR p.note LIKE ?)")
            args += [f"%{text}%"] * 2
        return self._select("WHERE " + " AND ".join(where), tuple(args))

    def doc_ids(self, field: str, value: str) -> set[str]:
        """Documents for the query fields: tag:NAME, note:WORDS, has:passage (placed passages only)."""
        sql = "SELECT DISTINCT p.doc_id FROM passage p WHERE p.corpus = ? AND p.orphan = 0"
        args: tuple[str, ...] = (self.corpus,)
        if field == "tag":
            sql += " AND p.id IN (SELECT passage_id FROM passage_tag WHERE lower(tag) = lower(?))"
            args += (value.lstrip("#"),)
        elif field == "note":
            sql += " AND p.note LIKE ?"
            args += (f"%{value}%",)
        return {row[0] for row in self.db.execute(sql, args)}

    def tag_counts(self, doc_id: str | None = None) -> list[tuple[str, int]]:
        sql = ("SELECT t.tag, count(*) FROM passage_tag t JOIN passage p ON p.id = t.passage_id WHERE p.corpus = ? "
               + ("AND p.doc_id = ? " if doc_id else "") + "GROUP BY t.tag ORDER BY count(*) DESC, t.tag")
        rows = self.db.execute(sql, (self.corpus, doc_id) if doc_id else (self.corpus,))
        return [(printable(tag), count) for tag, count in rows]

    def _select(self, where: str, args: tuple[object, ...]) -> list[Passage]:
        """Passages of this corpus matching `where` (which starts with WHERE)."""
        columns = ", ".join(f"p.{c}" for c in _COLUMNS.split(", "))
        rows = self.db.execute(f"SELECT {columns}, group_concat(t.tag, ' ') FROM passage p "
                               f"LEFT JOIN passage_tag t ON t.passage_id = p.id {where} AND p.corpus = ? "
                               "GROUP BY p.id ORDER BY p.created DESC, p.id DESC", (*args, self.corpus)).fetchall()
        return [_passage(row) for row in rows]


def _passage(row: tuple[Any, ...]) -> Passage:
    """A stored passage, its text cleaned as article text is: rows written by an older margin's
    import (or recovered from damage) may hold escape sequences that must not reach a terminal."""
    (pid, uid, doc_id, exact, prefix, suffix, start, end, sha1, note, created, updated, orphan, tags) = row
    anchor = Anchor(clean_text(exact), clean_text(prefix), clean_text(suffix), start, end)
    return Passage(pid, uid, doc_id, anchor, sha1, tuple(sorted(printable(t) for t in (tags or "").split())),
                   clean_text(note), created, updated, bool(orphan))
