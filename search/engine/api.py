"""The engine API: what the library and the indexer ask of an index, whichever engine holds it.

Two engines implement it: Whoosh (the default, pure Python) and tantivy (Rust, for corpora past
the size where Whoosh answers as fast as one types; see `choose`). Queries reach both as the
query tree `engine.parse` builds; each engine runs it its own way. Nothing outside this package
knows which engine runs.
"""

from __future__ import annotations

import os
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any, Protocol

ENGINES = ("whoosh", "tantivy")
DEFAULT_ENGINE = "whoosh"
# From this many files on, a first build uses tantivy. Measured with `bench scale` (BENCHMARKS.md,
# issue 13) on make-corpus news: Whoosh keeps the query targets (median < 15 ms, p95 < 40 ms) only
# below about 2,000 documents (2,000: 11.8 / 43.9 ms; 5,000: 16.1 / 58.6; 20,000: 33 / 167), where
# tantivy gives 6.2 / 23.7 ms (2,000) and 11.8 / 42.8 ms (100,000).
TANTIVY_FROM_FILES = 2_000
ENGINE_VARIABLE = "MARGIN_ENGINE"


class EngineDamage(Exception):
    """Reading the index failed in the engine itself (a file changed or cut short): rebuild."""


@dataclass(frozen=True)
class Page:
    """One page of a grouped search: (document, score, holds every free word) per row, where a
    document is whatever the engine's `stored_fields` takes back."""

    rows: list[tuple[Any, float, bool]]
    every_total: int
    some_total: int
    exact: bool  # False: some_total is an estimate


class Searcher(Protocol):
    """A point-in-time view of the index: what one search, one page or one count reads."""

    def up_to_date(self) -> bool: ...
    def close(self) -> None: ...
    def doc_count(self) -> int: ...
    def page(self, parsed: Any, by_date: bool, first: int, last: int) -> Page: ...
    def total(self, parsed: Any) -> int: ...
    def stored_fields(self, doc: Any) -> dict[str, Any]: ...
    def document(self, doc_id: str) -> dict[str, Any] | None: ...
    def matching(self, q: Any) -> list[Any]: ...
    def terms(self, field: str) -> dict[str, int]: ...
    def expand(self, pattern: Any) -> list[str]: ...


class Index(Protocol):
    """An opened index: searchers over it, and the one writer that changes it."""

    engine: str

    def searcher(self) -> Searcher: ...
    def doc_count(self) -> int: ...
    def write(self, added: Iterable[dict[str, Any]], removed: Iterable[str], *, fresh: bool, bulk: bool) -> None: ...
    def count_documents(self, groups: list[list[tuple[str, str]]]) -> list[int]: ...


def wanted_engine(asked: str | None) -> tuple[str | None, str]:
    """(the engine asked for, or None for the one the index has or `choose` picks; a warning).

    `asked` comes from `margin index --engine`; else $MARGIN_ENGINE is read (whoosh, tantivy, auto).
    """
    value = (asked or os.environ.get(ENGINE_VARIABLE, "")).strip().lower()
    if value in ("", "auto"):
        return None, ""
    if value in ENGINES:
        return value, ""
    return None, f"{ENGINE_VARIABLE}={value!r} is not an engine (whoosh, tantivy or auto); kept the index's"


def choose(files: int) -> str:
    """The engine a first build of `files` files gets when none was asked for."""
    return "tantivy" if files >= TANTIVY_FROM_FILES else DEFAULT_ENGINE
