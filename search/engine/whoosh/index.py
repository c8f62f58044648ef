"""Whoosh behind the engine API (api.Index, api.Searcher)."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from margin.search.engine.api import STEM_CUT, Page
from margin.search.engine.whoosh import store
from margin.search.engine.whoosh.ranking import grouped_page, published_column, searcher, values_by_document
from margin.search.engine.whoosh.schema import term_text
from margin.search.engine.whoosh.translate import whoosh_query
from margin.search.query.tree import Node, ParsedQuery, Pattern, Prefix


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

    def doc_frequency(self, field: str, term: str) -> int:
        return int(self.whoosh.doc_frequency(field, term))

    def page(self, parsed: ParsedQuery, by_date: bool, first: int, last: int) -> Page:
        return grouped_page(self.whoosh, parsed, by_date, first, last)

    def total(self, parsed: ParsedQuery) -> int:
        """Both groups' documents counted exactly: the second group holds the first."""
        return len(self.whoosh.search(whoosh_query(parsed.results), limit=1))

    def stored_fields(self, doc: Any) -> dict[str, Any]:
        return dict(self.whoosh.stored_fields(doc))

    def document(self, doc_id: str) -> dict[str, Any] | None:
        found = self.whoosh.document(id=doc_id)
        return dict(found) if found is not None else None

    def matching(self, q: Node) -> list[Any]:
        return list(whoosh_query(q).docs(self.whoosh))

    def value_counts(self, q: Node, fields: tuple[str, ...]) -> dict[str, dict[str, int]]:
        """How many of the documents `q` matches hold each term of each field, from each field's
        terms by document, read from the postings once per searcher (Whoosh folders are small)."""
        docs = list(whoosh_query(q).docs(self.whoosh))
        counted = {}
        for field in fields:
            by_doc = values_by_document(self.whoosh, field)
            counted[field] = dict(Counter(term for d in docs for term in by_doc.get(d, ())))
        return counted

    def date_counts(self, q: Node) -> dict[str, int]:
        """Read from the dates column (one read per searcher), not from stored documents."""
        dates = published_column(self.whoosh)
        return dict(Counter(dates[d] for d in whoosh_query(q).docs(self.whoosh)))

    def terms(self, field: str) -> dict[str, int]:
        reader = self.whoosh.reader()
        return {term_text(t): info.doc_frequency() for t, info in reader.iter_field(field)}

    def expand(self, pattern: Pattern) -> list[str]:
        """The indexed terms a prefix, wildcard, fuzzy word or range stands for.

        The index holds stems, so a prefix typed past the stem (`apartm*`, whose word is indexed
        as `apart`) also takes an indexed term that it extends by at most four letters (-ment, -ing).
        """
        reader = self.whoosh.reader()
        terms = [term_text(t) for _, t in whoosh_query(pattern).expanded_terms(reader)]
        if isinstance(pattern, Prefix):
            text, field = pattern.text, pattern.field
            terms += [text[:cut] for cut in range(max(STEM_CUT, len(text) - STEM_CUT), len(text)) if (field, text[:cut]) in reader]
        return terms


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
