"""Passage work that the reader, the passages screen and the command line share.

The terminal knows offsets in an article and what the user typed; everything else (the text hash
a passage keeps, placing an article's passages in its current text, the undo history of
deletions, looking up the article of each passage) lives here, so no screen computes anchoring
details and undo works the same from the reader and from the passages screen.

`open_library` is the one way to open a corpus with the user's passages attached: it brings the
index up to date, gives the library the store (for `tag:`, `note:`, `has:`) and follows files
that were changed, renamed or deleted since the passages were last placed.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from margin.search.document import Document
from margin.search.index.indexing import Progress, UpdateReport
from margin.search.library import Library
from margin.search.passages.store import Passage, PassageStore
from margin.search.passages.sync import PlacedPassage, find_home, placed_in, reconcile, text_sha1
from margin.search.userdata.database import UserData, UserDataError
from margin.search.userdata.reading import ReadingStore


@dataclass(frozen=True)
class PassageListing:
    """A passage with its article's title and date, as the passages screen lists it."""

    passage: Passage
    title: str
    published: str


@dataclass(frozen=True)
class TaggedArticle:
    """An article tagged itself (not a passage of it), as the passages screen lists it."""

    doc_id: str
    tags: tuple[str, ...]
    title: str
    published: str


@dataclass(frozen=True)
class Placed:
    """An article's passages where they are now, and how many could not be placed just now."""

    passages: list[PlacedPassage]
    newly_orphaned: int = 0


class PassageService:
    def __init__(self, library: Library, store: PassageStore) -> None:
        self.library, self.store = library, store
        self._deleted: list[Passage] = []  # newest last: what undo puts back

    def place(self, document: Document) -> Placed:
        """The article's passages placed in its current text (re-anchored when it changed)."""
        passages, orphaned = placed_in(self.store, document.doc_id, document.body)
        return Placed(passages, orphaned)

    def tag(self, document: Document, start: int, end: int, tags: tuple[str, ...], note: str) -> Passage:
        return self.store.add(document.doc_id, document.body, start, end, text_sha1(document.body),
                              tags=tags, note=note)

    def edit(self, passage_id: int, tags: tuple[str, ...], note: str) -> Passage:
        return self.store.edit(passage_id, tags=list(tags), note=note)

    def delete(self, passage_id: int) -> Passage | None:
        """Delete a passage and remember it for `undo`; None when it was already gone."""
        removed = self.store.delete(passage_id)
        if removed is not None:
            self._deleted.append(removed)
        return removed

    def undo(self) -> Passage | None:
        """Put back the last deleted passage (same uuid, tags, note); None when there is none."""
        if not self._deleted:
            return None
        restored = self.store.restore(self._deleted[-1])
        self._deleted.pop()  # only once the store took it back: a failed write keeps it for a retry
        return restored

    def follow(self, report: UpdateReport) -> tuple[int, int]:
        """After a live update of the index: (passages orphaned, orphans re-attached to renamed articles)."""
        return reconcile(self.library, self.store, report)

    def reattach(self, passage: Passage) -> Passage | None:
        """An orphan attached to the article where its quote is found now, if any."""
        return find_home(self.library, self.store, passage)

    def tag_counts(self, doc_id: str) -> list[tuple[str, int]]:
        return self.store.tag_counts(doc_id)

    def all_tags(self) -> list[str]:
        """Every tag in use, passages' first, then articles' own (for completion: one vocabulary)."""
        tags = self.store.all_tags()
        reading = self.library.reading
        used = set(tags)
        return tags + [tag for tag, _ in (reading.tag_counts() if reading is not None else []) if tag not in used]

    def search(self, *, tag: str | None = None, text: str = "") -> list[Passage]:
        return self.store.search(tag=tag, text=text)

    def listing(self) -> list[PassageListing | TaggedArticle]:
        """Every passage, then every article tagged itself, with the article's title and date
        (each article looked up once)."""
        articles: dict[str, tuple[str, str]] = {}

        def article(doc_id: str) -> tuple[str, str]:
            if doc_id not in articles:
                stored = self.library.document(doc_id)
                articles[doc_id] = (stored.document.title, stored.document.published) if stored else ("", "")
            return articles[doc_id]

        rows: list[PassageListing | TaggedArticle] = [PassageListing(p, *article(p.doc_id)) for p in self.store.search()]
        reading = self.library.reading
        states = reading.all() if reading is not None else []
        return rows + [TaggedArticle(r.doc_id, r.tags, *article(r.doc_id)) for r in states if r.tags]

    def tag_article(self, doc_id: str, tags: list[str] | tuple[str, ...]) -> tuple[str, ...]:
        """Replace an article's own tags; the tags kept."""
        if self.library.reading is None:
            raise UserDataError("tagging an article needs the user database")
        return self.library.reading.set_tags(doc_id, tags)


@dataclass(frozen=True)
class OpenedLibrary:
    library: Library
    passages: PassageService | None  # None without a user database
    reading: ReadingStore | None = None  # likewise
    orphaned: int = 0  # passages whose article changed or went away since they were last placed
    relinked: int = 0  # orphans that found their renamed article


def open_library(corpus: Path | None, index: Path | None, userdata: UserData | None, *, rebuild: bool = False,
                 progress: Progress | None = None, scan_later: bool = False, engine: str | None = None) -> OpenedLibrary:
    """Open (and update, unless `scan_later`) the index of `corpus` with the user's passages
    attached and followed."""
    library = Library.open(corpus, index, rebuild=rebuild, progress=progress, scan_later=scan_later, engine=engine)
    if userdata is None:
        return OpenedLibrary(library, None)
    return with_user_data(library, userdata)


def with_user_data(library: Library, userdata: UserData) -> OpenedLibrary:
    """An open library with the user's passages and reading state attached, placed and followed:
    at opening, or later in a reader that started while another process locked the database."""
    store = PassageStore(userdata, str(library.corpus))
    library.passages = store
    library.reading = reading = ReadingStore(userdata, str(library.corpus))
    reading.follow_renames(library.report.renamed)
    orphaned, relinked = reconcile(library, store)
    # A renamed article orphans its passages (removed file) before they follow it (added file).
    return OpenedLibrary(library, PassageService(library, store), reading, max(0, orphaned - relinked), relinked)
