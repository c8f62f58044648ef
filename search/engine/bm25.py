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
from collections.abc import Iterable
from typing import Any

from whoosh.codec.whoosh3 import LENGTHS_COLUMN, W3LeafMatcher, _lenfield
from whoosh.matching.wrappers import FilterMatcher
from whoosh.query import And, AndNot, Not, Or, Term
from whoosh.scoring import BM25F
from whoosh.util.numeric import byte_to_length

from .date_filter import DateRange

_LENGTHS: weakref.WeakKeyDictionary[Any, dict[str, bytes]] = weakref.WeakKeyDictionary()


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


def term_scores(searcher: Any, term: Term) -> dict[int, float] | None:
    """The BM25F score of one term in every document holding it, as Whoosh would score it."""
    field, text, model = term.fieldname, term.text, searcher.weighting
    if not isinstance(model, BM25F) or field not in searcher.schema or not searcher.schema[field].scorable:
        return None
    b, k1, boost = model._field_B.get(field, model.B), model.K1, term.boost
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
            scores.update((d + offset, idf * ((tf * k1_plus_1) / (tf + norms[lengths[d]])) * boost)
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
