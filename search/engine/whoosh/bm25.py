"""BM25F scores of plain word queries, read a posting block at a time.

Whoosh scores each match through a chain of Python calls (matcher, scorer, a column read for the
field length): about 3.5 microseconds a posting, most of a short query's time on Reuters. Here a
term's postings are read block by block (ids and term frequencies as Whoosh decoded them) and
scored in one comprehension, with the field lengths of the segment read once as bytes. The
formula, its parameters and the quantised lengths are Whoosh's own, so the scores are the same
(tests compare them with Whoosh's, and fail if an upgrade of Whoosh changes what is read here).

Only terms, their conjunctions, disjunctions and exclusions are scored this way, with date ranges
as filters; anything else (phrases, patterns) returns None and is searched by Whoosh.
"""

from __future__ import annotations

import weakref
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from typing import Any

from whoosh.codec.whoosh3 import LENGTHS_COLUMN, W3LeafMatcher, _lenfield
from whoosh.matching.wrappers import FilterMatcher
from whoosh.query import And, AndNot, Not, Or, Term
from whoosh.scoring import BM25F
from whoosh.util.numeric import byte_to_length

from margin.search.engine.whoosh.date_filter import DateRange

_LENGTHS: weakref.WeakKeyDictionary[Any, dict[str, bytes]] = weakref.WeakKeyDictionary()
_MEMO: ContextVar[dict[tuple[int, str, str], dict[int, float]] | None] = ContextVar("term_scores", default=None)


def query_scores(searcher: Any, q: Any) -> dict[int, float] | None:
    """Each matching document's score (global document numbers), or None when `q` is not plain words."""
    if isinstance(q, Term):
        return term_scores(searcher, q)
    if isinstance(q, DateRange):  # a filter: the constant score Whoosh gives it
        return dict.fromkeys(q.documents(searcher), float(q.boost))
    if type(q) is Or and not q.minmatch and q.scale is None:
        return _summed(searcher, q.subqueries, _union)
    if type(q) is And:
        wanted = [part for part in q.subqueries if not isinstance(part, Not)]
        refused = [part.query for part in q.subqueries if isinstance(part, Not)]
        return _without(searcher, _summed(searcher, wanted, _intersection), refused)
    if isinstance(q, AndNot):
        return _without(searcher, query_scores(searcher, q.a), [q.b])
    return None


def _without(searcher: Any, scores: dict[int, float] | None, refused: list[Any]) -> dict[int, float] | None:
    """`scores` less the documents any of the `refused` queries match (NOT and -word)."""
    if scores is None or not refused:
        return scores
    excluded = {docnum for q in refused for docnum in q.docs(searcher)}
    return {d: s for d, s in scores.items() if d not in excluded}


def _summed(searcher: Any, parts: Iterable[Any], combine: Any) -> dict[int, float] | None:
    total: dict[int, float] | None = None
    for part in parts:
        scores = query_scores(searcher, part)
        if scores is None:
            return None
        total = scores if total is None else combine(total, scores)
    return total if total is not None else {}


def _union(a: dict[int, float], b: dict[int, float]) -> dict[int, float]:
    for docnum, score in b.items():
        a[docnum] = a.get(docnum, 0.0) + score
    return a


def _intersection(a: dict[int, float], b: dict[int, float]) -> dict[int, float]:
    return {d: s + b[d] for d, s in a.items() if d in b}


@contextmanager
def shared_term_scores() -> Iterator[None]:
    """Within this block, a term's postings are decoded and scored once: a grouped search scores
    the same words for its "every word" and "some" groups (a question took 1.8 s at 100,000
    documents, a third of it scoring its words twice). Per thread, dropped at the end."""
    token = _MEMO.set({})
    try:
        yield
    finally:
        _MEMO.reset(token)


def term_scores(searcher: Any, term: Term) -> dict[int, float] | None:
    """The BM25F score of one term in every document holding it, as Whoosh would score it (a new
    dict: callers add into it)."""
    memo = _MEMO.get()
    key = (id(searcher), term.fieldname, term.text)
    base = memo.get(key) if memo is not None else None
    if base is None:
        base = _unboosted(searcher, term)
        if base is None:
            return None
        if memo is not None:
            memo[key] = base
    boost = term.boost
    # (idf * frac) * boost: the order Whoosh's own expression multiplies in, so the bits agree.
    return dict(base) if boost == 1 else {d: s * boost for d, s in base.items()}


def _unboosted(searcher: Any, term: Term) -> dict[int, float] | None:
    field, text, model = term.fieldname, term.text, searcher.weighting
    if not isinstance(model, BM25F) or field not in searcher.schema or not searcher.schema[field].scorable:
        return None
    b, k1 = model._field_B.get(field, model.B), model.K1
    avgfl = searcher.avg_field_length(field) or 1
    idf, k1_plus_1 = searcher.idf(field, text), k1 + 1
    norms = [k1 * ((1 - b) + b * byte_to_length(n) / avgfl) for n in range(256)]  # by length byte
    scores: dict[int, float] = {}
    for leaf, offset in searcher.leaf_searchers():
        reader = leaf.reader()
        if (field, text) not in reader:
            continue
        matcher, deleted = reader.postings(field, text), frozenset[int]()
        if isinstance(matcher, FilterMatcher):
            matcher, deleted = matcher.child, matcher._ids
        if not isinstance(matcher, W3LeafMatcher):
            return None
        lengths = _lengths(reader, field)
        for ids, tfs in _blocks(matcher):
            # Whoosh's expression in Whoosh's order, so that the floats are the same to the bit.
            scores.update((d + offset, idf * ((tf * k1_plus_1) / (tf + norms[lengths[d]])))
                          for d, tf in zip(ids, tfs) if d not in deleted)
    return scores


def _blocks(matcher: W3LeafMatcher) -> Iterable[tuple[Any, Any]]:
    """(document ids, term frequencies) of each posting block, as Whoosh's own matcher decodes them."""
    while matcher.is_active():
        matcher._read_ids()
        matcher._read_weights()
        yield matcher._ids, matcher._weights
        matcher._next_block()


def _lengths(reader: Any, field: str) -> bytes:
    """The field's length byte for every document of a segment, read once per reader."""
    cached = _LENGTHS.setdefault(reader, {})
    if field not in cached:
        column = reader._perdoc._cached_reader(_lenfield(field), LENGTHS_COLUMN)
        count = reader.doc_count_all()
        raw = b"" if column is None else column._dbfile.get(column._basepos, column._count)
        cached[field] = raw + bytes(count - len(raw))
    return cached[field]
