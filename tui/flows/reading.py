"""The reader's side of the reading state: what was read, stars, an article's own tags, and where
reading stopped.

The store (margin.search.userdata.reading) keeps it; this keeps the list's marks in step with the store,
marks an article read when the user reads it: opened with enter, or moved in with the reader
focused. The list's preview of the highlighted row marks nothing (pausing on a row marked it read,
and three searches left four articles read). One the user marked unread stays so until opened
with enter. It also saves the position of the article being left when the reader moved in it.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from typing import TYPE_CHECKING, Protocol

from margin.search.userdata.reading import Mark, article_tags

if TYPE_CHECKING:
    from margin.search.userdata.reading import ReadingStore
    from margin.tui.widgets.doclist import DocumentList
    from margin.tui.widgets.reader import ReaderView


class ReadingHost(Protocol):
    """What keeping the reading state may touch of the screen."""

    @property
    def reader(self) -> ReaderView: ...
    @property
    def documents(self) -> DocumentList: ...
    def write_later(self, what: str, call: Callable[[], object], undo: Callable[[], None] | None = None) -> None: ...


class ReadingKeeper:
    def __init__(self, screen: ReadingHost, store: ReadingStore) -> None:
        self.screen, self.store = screen, store
        # Kept: when the app quits, the screen can no longer find them.
        self.reader: ReaderView = screen.reader
        self.documents: DocumentList = screen.documents
        self._opened: tuple[str, tuple[int, int] | None] | None = None  # the article shown, and where it opened
        self._kept_unread: set[str] = set()  # marked unread by the user: not marked read by showing it again

    def mark(self, doc_id: str) -> Mark:
        return (self.documents.marks or {}).get(doc_id, Mark())

    def shown(self, doc_id: str) -> None:
        """An article is on screen: remember where it opened. Showing it marks nothing: the list
        previews the highlighted row, and a preview is not reading (see `engaged`)."""
        self._opened = (doc_id, self.reader.reading_position())

    def engaged(self, doc_id: str) -> None:
        """The user moved in the article with the reader focused: read, unless they marked it unread."""
        if not self.mark(doc_id).read and doc_id not in self._kept_unread:
            self.set_read(doc_id, True)

    def leave(self) -> None:
        """The article shown is about to be replaced, or the reader closes: keep its position."""
        if self._opened is None:
            return
        doc_id, start = self._opened
        self._opened = None
        reader = self.reader
        now = reader.reading_position() if reader.document and reader.document.document.doc_id == doc_id else None
        if now is not None and now != start:
            self.screen.write_later("Saving the reading position", lambda: self.store.set_position(doc_id, *now))

    def set_read(self, doc_id: str, read: bool) -> None:
        """Mark read or unread: shown at once, written in the background (taken back if refused)."""
        if not read:  # marked unread while on screen: it stays unread
            self._kept_unread.add(doc_id)
        else:
            self._kept_unread.discard(doc_id)
        self._write("Saving the read mark", doc_id, replace(self.mark(doc_id), read=read),
                    lambda: self.store.set_read(doc_id, read))

    def toggle_read(self, doc_id: str) -> bool:
        """The new state (the write follows in the background)."""
        read = not self.mark(doc_id).read
        self.set_read(doc_id, read)
        return read

    def toggle_star(self, doc_id: str) -> bool:
        starred = not self.mark(doc_id).starred
        self._write("Saving the star", doc_id, replace(self.mark(doc_id), starred=starred),
                    lambda: self.store.set_starred(doc_id, starred))
        return starred

    def set_tags(self, doc_id: str, tags: list[str]) -> tuple[str, ...]:
        """The article's own tags, as they will be stored (the write follows in the background)."""
        kept = article_tags(tags)
        self._write("Saving the article's tags", doc_id, replace(self.mark(doc_id), tags=kept),
                    lambda: self.store.set_tags(doc_id, kept))
        return kept

    def _write(self, what: str, doc_id: str, mark: Mark, write: Callable[[], object]) -> None:
        before = self.mark(doc_id)
        self.documents.set_mark(doc_id, mark)
        self.screen.write_later(what, write, undo=lambda: self.documents.set_mark(doc_id, before))
