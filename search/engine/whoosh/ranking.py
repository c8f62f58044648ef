"""How results are scored and ordered: BM25F with margin's parameters; documents with every free
word, then those with some; the top rows re-ranked by boosts (title, words as typed) and
pseudo-relevance feedback, scored at those rows only, so that they never widen a group."""

from __future__ import annotations

import heapq
from collections import defaultdict
from collections.abc import Container
from typing import Any
from weakref import WeakKeyDictionary

from whoosh import scoring
from whoosh.query import Every, Or, Term

from margin.search.engine.api import Page
from margin.search.engine.feedback import FEEDBACK_DOCS, feedback_terms, wants_feedback
from margin.search.engine.whoosh.bm25 import query_scores, shared_term_scores
from margin.search.engine.whoosh.schema import term_text
from margin.search.engine.whoosh.translate import whoosh_query
from margin.search.query.tree import ParsedQuery

RERANK = 100  # rows of each group that the boosts and feedback re-rank
K1, B = 2.0, 0.5  # BM25F's parameters (Whoosh's own: 1.2, 0.75); see `searcher`
EXACT_COUNT = 3000


def searcher(ix: Any) -> Any:
    """A searcher scoring by BM25F with margin's parameters.

    On Cranfield's 225 questions, b = 0.5 and k1 = 2.0 (Whoosh: 0.75 and 1.2) moved MAP@100 from
    0.294 to 0.300 and nDCG@10 from 0.359 to 0.368: longer abstracts are penalised less, and a
    word repeated in a document keeps counting longer.
    """
    return ix.searcher(weighting=scoring.BM25F(B=B, K1=K1))


def grouped_page(searcher: Any, parsed: ParsedQuery, by_date: bool, first: int, last: int) -> Page:
    """Rows first..last of a query's results: documents with every free word, then those with some.

    Plain words (terms and their AND, OR, NOT) are scored a posting block at a time (engine.bm25,
    3 to 4 times faster than Whoosh's matchers, same scores); anything else, or a sort by date, is
    searched by Whoosh with limit=None, the only way its count is exact (NOTES.md). The second
    group is counted exactly when scored or cheap (`counted`). Both groups are scored by BM25 on
    the free words alone (a union of 21 terms with the boosts cost four times one of 7); the first
    RERANK rows of each are then re-ranked with the boosts and pseudo-relevance feedback, scored
    over those rows only.
    """
    with shared_term_scores():
        return _grouped_page(searcher, parsed, by_date, first, last)


def _grouped_page(searcher: Any, parsed: ParsedQuery, by_date: bool, first: int, last: int) -> Page:
    depth = max(last, RERANK)
    every_items, every_total, listed = _every_group(searcher, whoosh_query(parsed.runnable), by_date, depth)
    some_items: list[tuple[int, float]] = []
    some_total, exact = 0, True
    if parsed.some is not None:
        some_items, some_total, exact = _some_group(searcher, whoosh_query(parsed.some), by_date, depth - every_total,
                                                    every_total, listed)
    if not by_date:
        extra = _boost_scores(searcher, parsed, every_items[:RERANK] + some_items[:RERANK])
        every_items, some_items = _reranked(every_items, extra), _reranked(some_items, extra)
    rows = [(d, _score(s), True) for d, s in every_items[first:last]]
    start, end = (max(0, n - every_total) for n in (first, last))  # a page inside the first group: none
    rows += [(d, _score(s), False) for d, s in some_items[start:end]]
    return Page(rows, every_total, some_total, exact)


def _every_group(searcher: Any, q: Any, by_date: bool, depth: int) -> tuple[list[tuple[int, float]], int, Container[int]]:
    """(the best `depth` rows at least, how many match, the documents matched) of the first group."""
    if by_date and isinstance(q, Every):  # the empty query: what the reader lists when it opens
        order = newest_first(searcher)
        return [(d, 0.0) for d in order[:depth]], len(order), range(searcher.reader().doc_count_all())
    scores = None if by_date else query_scores(searcher, q)
    if scores is None:
        items = list(ranked(searcher, q, by_date, limit=None).items())
        return items, len(items), {d for d, _ in items}
    return _best(scores, depth), len(scores), scores


def _some_group(searcher: Any, q: Any, by_date: bool, wanted: int, masked: int,
                listed: Container[int]) -> tuple[list[tuple[int, float]], int, bool]:
    """(the best `wanted` rows, how many, whether exact) of the second group: `q` less the first group."""
    if wanted <= 0:
        return [], *counted(searcher, None, q, masked)
    scores = None if by_date else query_scores(searcher, q)
    if scores is not None:
        return _best({d: s for d, s in scores.items() if d not in listed}, wanted), len(scores) - masked, True
    # No mask: Whoosh skips blocks of low-scoring documents only without one. The first group's
    # documents are dropped here instead (the second group holds them all).
    some = ranked(searcher, q, by_date, limit=wanted + masked)
    items = [(d, s) for d, s in some.items() if d not in listed][:wanted]
    return items, *counted(searcher, some, q, masked)


def _best(scores: dict[int, float], n: int) -> list[tuple[int, float]]:
    """The n best-scored documents, ties in document order (as Whoosh orders them)."""
    return heapq.nlargest(n, scores.items(), key=lambda item: (item[1], -item[0]))


COMMON_POSTINGS = 5_000


def _boost_scores(searcher: Any, parsed: ParsedQuery, candidates: list[tuple[int, float]]) -> dict[int, float]:
    """What the boosts (words in the title, as typed) and the feedback words add to each candidate."""
    chosen = list(parsed.boosts)
    if wants_feedback(parsed):
        chosen += feedback_terms(searcher, candidates[:FEEDBACK_DOCS], parsed)
    boosts = [whoosh_query(b) for b in chosen]
    wanted = {d for d, _ in candidates}
    extra: dict[int, float] = {}
    others = []
    for boost in boosts:
        if _common(searcher, boost):
            others.append(boost)  # found at the candidates by skipping: most blocks stay undecoded
            continue
        scores = query_scores(searcher, boost)
        if scores is None:
            others.append(boost)  # a phrase (a hyphenated word)
            continue
        for docnum in wanted.intersection(scores):
            extra[docnum] = extra.get(docnum, 0.0) + scores[docnum]
    for docnum, score in _scores_at(searcher, others, sorted(wanted)).items():
        extra[docnum] = extra.get(docnum, 0.0) + score
    return extra


def _common(searcher: Any, q: Any) -> bool:
    """A word in so many documents that decoding all its postings to score 100 candidates costs
    more than skipping to them (a question's boosts took 0.78 s of 1.8 at 100,000 documents)."""
    return isinstance(q, Term) and searcher.doc_frequency(q.fieldname, q.text) > COMMON_POSTINGS


def _scores_at(searcher: Any, terms: list[Any], docnums: list[int]) -> dict[int, float]:
    """The summed scores of `terms` (any queries) in the given documents only, found by skipping
    along their postings (a filtered search walked every posting: 100 to 200 ms on Reuters)."""
    scores: dict[int, float] = {}
    for leaf, offset in searcher.leaf_searchers():
        wanted = [d - offset for d in docnums if offset <= d < offset + leaf.doc_count_all()]
        if not wanted:
            continue
        context = leaf.context()
        for term in terms:
            matcher = term.matcher(leaf, context)
            for docnum in wanted:
                if not matcher.is_active():
                    break
                if matcher.id() < docnum:
                    matcher.skip_to(docnum)
                    if not matcher.is_active():
                        break
                if matcher.id() == docnum:
                    scores[docnum + offset] = scores.get(docnum + offset, 0.0) + matcher.score()
    return scores


def _score(value: Any) -> float:
    return value if isinstance(value, float) else 0.0  # under a date sort Whoosh gives the sort key


def _reranked(items: list[tuple[int, float]], extra: dict[int, float]) -> list[tuple[int, float]]:
    head = sorted(((d, s + extra.get(d, 0.0)) for d, s in items[:RERANK]), key=lambda item: -item[1])
    return head + items[RERANK:]


_NEWEST: WeakKeyDictionary[Any, list[int]] = WeakKeyDictionary()
_DATES: WeakKeyDictionary[Any, list[str]] = WeakKeyDictionary()


def published_column(searcher: Any) -> list[str]:
    """Each document's date ("" undated) by document number, read from the column once per searcher."""
    dates = _DATES.get(searcher)
    if dates is None:
        dates = _DATES[searcher] = list(searcher.reader().column_reader("published"))
    return dates


_VALUES: WeakKeyDictionary[Any, dict[str, dict[int, list[str]]]] = WeakKeyDictionary()


def values_by_document(searcher: Any, field: str) -> dict[int, list[str]]:
    """Each document's terms of one field (a name or facet field: few terms a document), by
    document number, read from the postings once per searcher."""
    fields = _VALUES.setdefault(searcher, {})
    if field not in fields:
        reader, by_doc = searcher.reader(), defaultdict(list)
        for term in reader.lexicon(field):
            text = term_text(term)
            for docnum in reader.postings(field, text).all_ids():
                by_doc[docnum].append(text)
        fields[field] = dict(by_doc)
    return fields[field]


def newest_first(searcher: Any) -> list[int]:
    """Every document, newest first, as Whoosh sorts them (ties: the later document first), read
    from the dates column once per searcher: Whoosh's own sort took 0.25 s at 100,000 documents
    on every opening and every page; this takes half that once."""
    order = _NEWEST.get(searcher)
    if order is None:
        reader = searcher.reader()
        dates = published_column(searcher)
        order = sorted(range(len(dates)), key=dates.__getitem__)
        order.reverse()
        if reader.has_deletions():
            live = set(reader.all_doc_ids())
            order = [d for d in order if d in live]
        _NEWEST[searcher] = order
    return order


def ranked(searcher: Any, q: Any, by_date: bool, *, limit: int | None) -> Any:
    """The documents `q` matches, newest first or by score."""
    if by_date:
        return searcher.search(q, limit=limit, sortedby="published", reverse=True)
    return searcher.search(q, limit=limit)


def counted(searcher: Any, results: Any, q: Any, masked: int) -> tuple[int, bool]:
    """(how many documents the second group holds, whether that is exact).

    Counting a union of common words walks every match in Python (0.45 s for a ten-word question
    on Reuters): past EXACT_COUNT likely matches, the count is estimated from the words' document
    frequencies as if they were independent, less the `masked` first group.
    """
    reader = searcher.reader()
    if q.estimate_size(reader) <= EXACT_COUNT or not isinstance(q, Or):
        return max(0, len(results or searcher.search(q, limit=1)) - masked), True
    documents = reader.doc_count()
    missed = 1.0
    for part in q.subqueries:
        missed *= 1 - min(part.estimate_size(reader), documents) / max(1, documents)
    shown = results.scored_length() if results is not None else 0
    return max(shown, round(documents * (1 - missed)) - masked), False
