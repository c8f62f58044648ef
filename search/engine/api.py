"""The engine API: what the library and the indexer ask of an index, whichever engine holds it.

Two engines implement it: Whoosh (engine/whoosh, pure Python, the default) and tantivy
(engine/tantivy, Rust, for corpora past the size where Whoosh answers as fast as one types; see
engine/choice). Queries reach both as margin's query tree (margin.search.query); each engine
translates it its own way. Nothing outside this package knows which engine runs.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any, Protocol

from margin.search.query.tree import Node, ParsedQuery, Pattern

ENGINES = ("whoosh", "tantivy")
STEM_CUT = 4  # a prefix typed past the stem (`apartm*`, indexed `apart`) also takes a term it extends by this many letters

Doc = Any  # an engine's handle on one document: Whoosh's document number, tantivy's DocAddress


class EngineDamage(Exception):
    """Reading the index failed in the engine itself (a file changed or cut short): rebuild."""


class IndexUnreadable(Exception):
    """The files in the index folder cannot be opened as an index; the message says why."""


class WriteLocked(Exception):
    """Another process holds the engine's own write lock (not margin's update lock)."""


@dataclass(frozen=True)
class Page:
    """One page of a grouped search: (document, score, holds every free word) per row, where a
    document is whatever the engine's `stored_fields` takes back."""

    rows: list[tuple[Doc, float, bool]]
    every_total: int
    some_total: int
    exact: bool  # False: some_total is an estimate


class Searcher(Protocol):
    """A point-in-time view of the index: what one search, one page or one count reads."""

    def up_to_date(self) -> bool: ...
    def close(self) -> None: ...
    def doc_count(self) -> int: ...
    def doc_frequency(self, field: str, term: str) -> int: ...
    def page(self, parsed: ParsedQuery, by_date: bool, first: int, last: int) -> Page: ...
    def total(self, parsed: ParsedQuery) -> int: ...
    def stored_fields(self, doc: Doc) -> dict[str, Any]: ...
    def document(self, doc_id: str) -> dict[str, Any] | None: ...
    def matching(self, q: Node) -> list[Doc]: ...
    def date_counts(self, q: Node) -> dict[str, int]: ...  # ISO date ("" undated) -> documents `q` matches
    def value_counts(self, q: Node, fields: tuple[str, ...]) -> dict[str, dict[str, int]]: ...  # field -> term -> docs
    def terms(self, field: str) -> dict[str, int]: ...
    def expand(self, pattern: Pattern) -> list[str]: ...


class Index(Protocol):
    """An opened index: searchers over it, and the one writer that changes it."""

    engine: str

    def searcher(self) -> Searcher: ...
    def doc_count(self) -> int: ...
    def write(self, added: Iterable[dict[str, Any]], removed: Iterable[str], *, fresh: bool, bulk: bool) -> None: ...
    def count_documents(self, groups: list[list[tuple[str, str]]]) -> list[int]: ...
