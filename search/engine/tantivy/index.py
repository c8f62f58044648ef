"""tantivy behind the engine API (api.Index, api.Searcher): the engine for large corpora.

Results come in the same two groups as Whoosh's (documents with every free word, then those
with some), counted exactly: tantivy counts in Rust what Whoosh could only estimate. The boosts
(words in the title, as typed) and the feedback words are optional clauses of each group's
query, so they reorder a group and never widen it; Whoosh adds them at the top 100 rows only.
"""

from __future__ import annotations

import os
from collections.abc import Iterable
from pathlib import Path
from typing import Any

import tantivy

from margin.search.engine.api import STEM_CUT, EngineDamage, Page
from margin.search.engine.feedback import FEEDBACK_DOCS, feedback_terms, wants_feedback
from margin.search.engine.tantivy import folder, has_deletions
from margin.search.engine.tantivy import store as tantivy_store
from margin.search.engine.tantivy.translate import Translator, wildcard
from margin.search.query import tree
from margin.search.query.spelling import distance
from margin.search.query.tree import Node, ParsedQuery
from margin.search.sanitize import printable

Query = tantivy.Query
Occur = tantivy.Occur


def _guarded(call: Any, *args: Any, **kwargs: Any) -> Any:
    """A call into tantivy; its errors reading the index (ValueError, OSError) mean damage, and
    so does a Rust panic (pyo3's PanicException, a BaseException): bytes changed inside a `.term`
    file panicked on every search, and nothing repaired it."""
    try:
        return call(*args, **kwargs)
    except (ValueError, OSError) as exc:
        raise EngineDamage(f"{type(exc).__name__}: {exc}") from exc
    except BaseException as exc:
        if type(exc).__name__ != "PanicException":
            raise
        raise EngineDamage(f"tantivy panicked: {printable(str(exc))[:200]}") from exc


MOST_BUCKETS = 1_000_000  # more days or names than any corpus holds: each its own bucket, the counts exact


class TantivySearcher:
    """One tantivy searcher; documents are tantivy's DocAddress values."""

    def __init__(self, index: TantivyIndex) -> None:
        self._index = index
        self._stamp = index.stamp()
        self._searcher = index.ix.searcher()
        self.schema = index.schema
        self._translate = Translator(self.schema, self.expand)

    def up_to_date(self) -> bool:
        return self._index.stamp() == self._stamp

    def close(self) -> None:
        """Nothing to release: tantivy frees a searcher with its last reference."""

    def doc_count(self) -> int:
        return int(self._searcher.num_docs)

    def doc_frequency(self, field: str, term: str) -> int:
        return int(_guarded(self._searcher.doc_freq, field, term))

    def count(self, q: Any) -> int:
        """How many documents a tantivy query matches."""
        return int(self._search(q, 1).count)

    def _search(self, q: Any, limit: int, offset: int = 0, *, by_date: bool = False) -> Any:
        if by_date:
            return _guarded(self._searcher.search, q, max(1, limit), offset=offset, order_by_field="day",
                            order=tantivy.Order.Desc)
        return _guarded(self._searcher.search, q, max(1, limit), offset=offset)

    def page(self, parsed: ParsedQuery, by_date: bool, first: int, last: int) -> Page:
        every = self._translate(parsed.runnable)
        some = None
        if parsed.some is not None:
            some = Query.boolean_query([(Occur.Must, self._translate(parsed.some)), (Occur.MustNot, every)])
        boosts, every_total = ([], None) if by_date else self._boosts(parsed, every, some)
        rows: list[tuple[Any, float, bool]] = []
        if every_total != 0:  # a long question seldom has every word: its feedback search said so already
            found = self._search(_scored(every, boosts), last - first, first, by_date=by_date)
            rows = [(address, _score(score, by_date), True) for score, address in found.hits]
            every_total = found.count
        some_total = 0
        if some is not None:
            start, end = (max(0, n - every_total) for n in (first, last))
            rest = self._search(_scored(some, boosts), end - start, start, by_date=by_date)
            some_total = rest.count
            if end > start:
                rows += [(address, _score(score, by_date), False) for score, address in rest.hits]
        return Page(rows, every_total, some_total, True)

    def total(self, parsed: ParsedQuery) -> int:
        """Both groups' documents (tantivy's pages count them exactly already)."""
        return self.count(self._translate(parsed.results))

    def _boosts(self, parsed: ParsedQuery, every: Any, some: Any) -> tuple[list[Any], int | None]:
        """The boosts' clauses, and for a question the words that mark its first results; with
        the number of documents holding every word, when finding those words counted them."""
        boosts = [self._translate(b) for b in parsed.boosts]
        if some is None or not wants_feedback(parsed):
            return boosts, None
        first = self._search(_scored(every, boosts), FEEDBACK_DOCS)
        seeds = [(a, s) for s, a in first.hits]
        if len(seeds) < FEEDBACK_DOCS:
            seeds += [(a, s) for s, a in self._search(_scored(some, boosts), FEEDBACK_DOCS - len(seeds)).hits]
        return boosts + [self._translate(t) for t in feedback_terms(self, seeds, parsed)], int(first.count)

    def stored_fields(self, doc: Any) -> dict[str, Any]:
        return tantivy_store.stored(_guarded(self._searcher.doc, doc))

    def document(self, doc_id: str) -> dict[str, Any] | None:
        found = self._search(Query.term_query(self.schema, "id", doc_id), 1)
        return self.stored_fields(found.hits[0][1]) if found.hits else None

    def matching(self, q: Node) -> list[Any]:
        translated = self._translate(q)
        count = self.count(translated)
        return [address for _, address in self._search(translated, count).hits] if count else []

    def value_counts(self, q: Node, fields: tuple[str, ...]) -> dict[str, dict[str, int]]:
        return {field: {str(key): n for key, n in counts.items()} for field, counts in self._buckets(q, fields).items()}

    def date_counts(self, q: Node) -> dict[str, int]:
        return {tantivy_store.iso_day(int(day)): n for day, n in self._buckets(q, ("day",))["day"].items()}

    def _buckets(self, q: Node, fields: tuple[str, ...]) -> dict[str, dict[Any, int]]:
        """Per column, the documents `q` matches for each value, counted by tantivy (a terms
        aggregation with every value its own bucket: exact, not a shard's estimate)."""
        found = _guarded(self._searcher.aggregate, self._translate(q),
                         {field: {"terms": {"field": field, "size": MOST_BUCKETS}} for field in fields})
        return {field: {b["key"]: int(b["doc_count"]) for b in found[field]["buckets"]} for field in fields}

    def terms(self, field: str) -> dict[str, int]:
        return dict(_guarded(self._searcher.terms_with_prefix, field, ""))

    def expand(self, pattern: tree.Pattern) -> list[str]:
        """The indexed terms a prefix, wildcard, fuzzy word or term range stands for, in order."""
        field = pattern.field
        if isinstance(pattern, tree.Fuzzy):
            text, most = pattern.text, pattern.maxdist
            near = self._prefixed(field, text[: pattern.prefix])
            return sorted(w for w in near if distance(w, text, most, transpositions=False) <= most)
        if isinstance(pattern, tree.Wildcard):
            start, regex = wildcard(pattern.text)
            return sorted(w for w in self._prefixed(field, start) if regex.fullmatch(w))
        if isinstance(pattern, tree.Prefix):
            text = pattern.text
            cuts = [text[:cut] for cut in range(max(STEM_CUT, len(text) - STEM_CUT), len(text))]
            return sorted(self._prefixed(field, text)) + [c for c in cuts if self.doc_frequency(field, c)]
        return sorted(w for w in self._prefixed(field, "") if _in_range(w, pattern))

    def _prefixed(self, field: str, start: str) -> list[str]:
        return [term for term, _ in _guarded(self._searcher.terms_with_prefix, field, start)]


def _in_range(word: str, r: tree.Range) -> bool:
    above = r.start is None or (word > r.start if r.start_excluded else word >= r.start)
    below = r.end is None or (word < r.end if r.end_excluded else word <= r.end)
    return above and below


def _scored(q: Any, boosts: list[Any]) -> Any:
    if not boosts:
        return q
    return Query.boolean_query([(Occur.Must, q), *((Occur.Should, b) for b in boosts)])


def _score(score: Any, by_date: bool) -> float:
    return 0.0 if by_date else float(score)


class TantivyIndex:
    engine = "tantivy"

    def __init__(self, index_dir: Path, ix: Any) -> None:
        self.index_dir = index_dir
        self.ix = ix
        self.schema = ix.schema

    @classmethod
    def open(cls, index_dir: Path, *, readonly: bool = False) -> TantivyIndex:
        return cls(index_dir, tantivy_store.open_existing(index_dir))

    @classmethod
    def create(cls, index_dir: Path) -> TantivyIndex:
        return cls(index_dir, tantivy_store.create(index_dir))

    def stamp(self) -> tuple[int, int]:
        """When the index last changed on disk (a commit rewrites meta.json), from any process."""
        try:
            st = os.stat(folder(self.index_dir) / "meta.json")
        except OSError:
            return (0, 0)
        return (st.st_mtime_ns, st.st_size)

    def searcher(self) -> TantivySearcher:
        self.ix.reload()
        return TantivySearcher(self)

    def doc_count(self) -> int:
        self.ix.reload()
        return int(self.ix.searcher().num_docs)

    def write(self, added: Iterable[dict[str, Any]], removed: Iterable[str], *, fresh: bool, bulk: bool) -> None:
        try:
            tantivy_store.write(self.ix, added, removed, fresh=fresh, bulk=bulk)
        except ValueError as exc:  # tantivy says a full disk, or any failed write, so
            raise OSError(str(exc)) from exc

    def count_documents(self, groups: list[list[tuple[str, str]]]) -> list[int]:
        """Documents naming any of each group's terms: the document frequency where that is exact
        (one term, no deleted documents), else a count of the matches."""
        searcher = self.searcher()
        exact = has_deletions(self.index_dir)
        counts = []
        for sources in groups:
            if len(sources) == 1 and not exact:
                counts.append(searcher.doc_frequency(*sources[0]))
                continue
            either = Query.boolean_query([(Occur.Should, Query.term_query(self.schema, f, t)) for f, t in sources])
            counts.append(searcher.count(either))
        return counts
