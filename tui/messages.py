"""What the main screen's thread workers post back: one typed message per kind of result.

Workers never touch widgets; they post one of these to the main screen, which routes it to the
panes. A result that a newer one of the same kind makes pointless is dropped while still queued
(`can_replace`), and a result of a superseded search carries an older `generation` than the
screen's and is ignored when it arrives, so stale rows never flash up.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from textual.message import Message

if TYPE_CHECKING:  # the library (and Whoosh) loads after the first frame
    from margin.search.index.indexing import UpdateReport
    from margin.search.library import StoredDocument
    from margin.search.passages.service import OpenedLibrary, PassageListing, Placed, TaggedArticle
    from margin.search.results import EntityCount, Facet, Hit, ResultRow, SearchResults
    from margin.search.timeline import Timeline
    from margin.search.userdata.database import SavedSearch
    from margin.search.userdata.reading import Mark
    from margin.tui.screens.compare import Shown


@dataclass
class LibraryOpened(Message):
    opened: OpenedLibrary


@dataclass
class Counted(Message):
    """How far a pass over the corpus's files is: only the latest one of a kind matters."""

    done: int
    total: int

    def can_replace(self, message: Message) -> bool:
        return type(message) is type(self)


class Progress(Counted):
    """Indexing progress while the library opens."""


class NamesProgress(Counted):
    """The scan after the first results finding the names a first build left for later."""


@dataclass
class CountsReady(Message):
    """Documents per entity across the corpus, for the sidebar's second column."""

    counts: dict[tuple[str, str], int]


@dataclass
class ResultsReady(Message):
    """The first page of a search; `keep` is the document the list cursor should stay on."""

    generation: int
    results: SearchResults
    suggestion: str | None
    keep: str | None = None

    def can_replace(self, message: Message) -> bool:
        return isinstance(message, ResultsReady)


@dataclass
class SuggestionReady(Message):
    """"Did you mean" for the search of `generation`, found after its results were shown."""

    generation: int
    suggestion: str

    def can_replace(self, message: Message) -> bool:
        return isinstance(message, SuggestionReady)


@dataclass
class CountReady(Message):
    """The exact count of the search of `generation`, whose first page said "about N"."""

    generation: int
    total: int


@dataclass
class PageReady(Message):
    """A further page of the current search, asked for as the list scrolls."""

    generation: int
    results: SearchResults


@dataclass
class DocumentReady(Message):
    """An article with everything the reader and sidebar show of it."""

    document: StoredDocument | None
    hits: list[Hit]
    entities: list[EntityCount]
    placed: Placed
    tags: list[tuple[str, int]]
    at_hit: int | None = 0
    passage_id: int | None = None  # put the cursor on this passage (opened from the passages screen)
    position: tuple[int, int] | None = None  # where reading stopped last time (top line, cursor)
    changed: str = ""  # "changed on … since you last read it", when margin kept its previous text

    def can_replace(self, message: Message) -> bool:
        return isinstance(message, DocumentReady)


@dataclass
class PassagesFollowed(Message):
    """Passages placed again after files changed on disk: how many were orphaned and re-attached."""

    orphaned: int
    relinked: int


@dataclass
class UnreadFound(Message):
    """Where the next unread document is in the current results (None: there is none)."""

    generation: int
    index: int | None


@dataclass
class MarksReady(Message):
    """The read and starred documents of the corpus, for the list."""

    marks: dict[str, Mark]


@dataclass
class PassagesListed(Message):
    rows: list[PassageListing | TaggedArticle]


@dataclass
class SavedListed(Message):
    """The saved searches with how many documents each finds now."""

    searches: list[tuple[SavedSearch, int]]


@dataclass
class AppearingWith(Message):
    """Who and what appears with an entity in the documents of `within` (the current query)."""

    kind: str
    name: str
    within: str
    rows: list[EntityCount]


@dataclass
class Corrected(Message):
    """An entity correction was saved (or undone): what to say, and the corpus counts after it."""

    said: str
    counts: dict[tuple[str, str], int]


@dataclass
class FolderChanged(Message):
    """Files in the corpus folder changed and the index took them in (one burst, one message)."""

    report: UpdateReport


@dataclass
class TimelineReady(Message):
    """The results over time, for the strip above the list (after the rows: they never wait)."""

    generation: int
    timeline: Timeline

    def can_replace(self, message: Message) -> bool:
        return isinstance(message, TimelineReady)


@dataclass
class FacetsReady(Message):
    """The facets of a search's results, for the sidebar's results view."""

    generation: int
    facets: list[Facet]
    results: int

    def can_replace(self, message: Message) -> bool:
        return isinstance(message, FacetsReady)


@dataclass
class BatchDone(Message):
    """A change to many documents is written (or taken back, or the list exported): what to say,
    the marks before it (for ctrl+z; empty: nothing to take back) and the marks now (None: unchanged)."""

    said: str
    before: dict[str, Mark]
    marks: dict[str, Mark] | None


@dataclass
class TermDocumentsReady(Message):
    """For each term of a search, the documents of its results holding it (the legend)."""

    generation: int
    documents: tuple[int, ...]

    def can_replace(self, message: Message) -> bool:
        return isinstance(message, TermDocumentsReady)


@dataclass
class CopiesReady(Message):
    """A family's rows, to expand its row in the list (DocumentList.CopiesWanted)."""

    generation: int
    result: int
    rows: list[ResultRow]


@dataclass
class StoriesCounted(Message):
    """The results counted as stories (a family of copies once), for the list's title."""

    generation: int
    stories: int | None

    def can_replace(self, message: Message) -> bool:
        return isinstance(message, StoriesCounted)


@dataclass
class ComparisonReady(Message):
    """A comparison for the compare screen: of a copy with another, or of two versions."""

    shown: Shown
    step: bool  # c again: the screen shown already takes it
