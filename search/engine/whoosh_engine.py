"""Whoosh behind the engine API (api.Index, api.Searcher): the default engine."""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path
from typing import Any

from . import store
from .api import Page
from .parse import expand_pattern
from .ranking import grouped_page, searcher
from .schema import term_text


class WhooshSearcher:
    """A Whoosh searcher scoring by margin's BM25F; documents are Whoosh's document numbers."""

    def __init__(self, ix: Any) -> None:
        self.whoosh = searcher(ix)  # Whoosh's own searcher, for engine.ranking (and Whoosh's tests)

    def up_to_date(self) -> bool:
        return bool(self.whoosh.up_to_date())

    def close(self) -> None:
        self.whoosh.close()

    def doc_count(self) -> int:
        return int(self.whoosh.doc_count())

    def page(self, parsed: Any, by_date: bool, first: int, last: int) -> Page:
        return grouped_page(self.whoosh, parsed, by_date, first, last)

    def total(self, parsed: Any) -> int:
        """Both groups' documents counted exactly: the second group holds the first."""
        return len(self.whoosh.search(parsed.some if parsed.some is not None else parsed.runnable, limit=1))

    def stored_fields(self, doc: Any) -> dict[str, Any]:
        return dict(self.whoosh.stored_fields(doc))

    def document(self, doc_id: str) -> dict[str, Any] | None:
        found = self.whoosh.document(id=doc_id)
        return dict(found) if found is not None else None

    def matching(self, q: Any) -> list[Any]:
        return list(q.docs(self.whoosh))

    def terms(self, field: str) -> dict[str, int]:
        reader = self.whoosh.reader()
        return {term_text(t): info.doc_frequency() for t, info in reader.iter_field(field)}

    def expand(self, pattern: Any) -> list[str]:
        return expand_pattern(pattern, self.whoosh.reader())


class WhooshIndex:
    engine = "whoosh"

    def __init__(self, ix: Any) -> None:
        self.ix = ix

    @classmethod
    def open(cls, index_dir: Path, *, readonly: bool = False) -> WhooshIndex:
        return cls(store.open_index(index_dir, readonly=readonly))

    @classmethod
    def create(cls, index_dir: Path) -> WhooshIndex:
        return cls(store.create_index(index_dir))

    def searcher(self) -> WhooshSearcher:
        return WhooshSearcher(self.ix)

    def doc_count(self) -> int:
        return int(self.ix.doc_count())

    def write(self, added: Iterable[dict[str, Any]], removed: Iterable[str], *, fresh: bool, bulk: bool) -> None:
        store.write(self.ix, added, removed, fresh=fresh, bulk=bulk)

    def count_documents(self, groups: list[list[tuple[str, str]]]) -> list[int]:
        """Documents naming any of each group's terms, on a reader of its own (see Library.entity_counts)."""
        counts = []
        with self.ix.reader() as reader:
            exact = reader.has_deletions()
            for sources in groups:
                if len(sources) == 1 and not exact:
                    counts.append(reader.doc_frequency(*sources[0]))
                else:
                    counts.append(len({i for field, term in sources for i in reader.postings(field, term).all_ids()}))
        return counts
