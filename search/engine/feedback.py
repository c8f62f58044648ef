"""Pseudo-relevance feedback, the same on both engines: the words that mark a question's first
results reorder the rows near the top, never add any."""

from __future__ import annotations

import heapq
import math
from collections import Counter
from typing import Any, Protocol

from margin.search.query.builder import FUNCTION_TERMS
from margin.search.query.fields import CONTENT
from margin.search.query.terms import term_texts
from margin.search.query.tree import ParsedQuery, Term, leaves

FEEDBACK_DOCS = 10
FEEDBACK_TERMS = 10
FEEDBACK_CANDIDATES = 50  # the words of highest weight whose rarity is looked up (one index read each)
FEEDBACK_WEIGHT = 0.15  # chosen with EXACT_BOOST in three of four leave-one-collection-out folds (issue 30)
FEEDBACK_WORDS = 4  # questions, not short queries: feedback costs 20 to 40 ms and moves little there


def wants_feedback(parsed: ParsedQuery) -> bool:
    """Whether a query's first results should lend it words: a question of FEEDBACK_WORDS free
    words or more. An upper bound (no feedback for pasted paragraphs) was tried: every
    leave-one-collection-out fold chose none (BENCHMARKS.md, issue 30), and on Reuters a
    100-word paragraph's feedback costs 3 to 4 ms."""
    return parsed.some is not None and parsed.free_words >= FEEDBACK_WORDS


class _Reads(Protocol):
    """What feedback reads of a searcher (Whoosh's own, or api.Searcher)."""

    def stored_fields(self, doc: Any) -> Any: ...
    def doc_count(self) -> int: ...
    def doc_frequency(self, field: str, term: str) -> int: ...


def feedback_terms(searcher: _Reads, seeds: list[tuple[Any, float]], parsed: ParsedQuery) -> list[Term]:
    """The words that best mark the first results (pseudo-relevance feedback), at low weight.

    Each result's words count in proportion to its score, as in a relevance model (RM3). On
    Cranfield's questions, the 10 best words of the first 10 results at weight 0.3 (since issue
    30, FEEDBACK_WEIGHT) moved MAP@100 from 0.307 to 0.322 and nDCG@10 from 0.376 to 0.385
    counted evenly, to 0.326 and 0.393 weighted by score; looking up the rarity (idf) of only the
    50 words of highest weight, to 0.329 and 0.395, in a third of the time (BENCHMARKS.md, issue 10).
    """
    if len(seeds) < 2 or parsed.some is None:
        return []
    asked = {t.text for t in leaves(parsed.some) if isinstance(t, Term)}
    weights: dict[str, float] = {}
    top = max(score for _, score in seeds) or 1.0
    for doc, score in seeds:
        stored = searcher.stored_fields(doc)
        terms = term_texts(f"{stored.get('title', '')}\n{stored.get('body', '')}")
        share = (score / top) / max(1, len(terms))
        for term, count in Counter(terms).items():  # counted in C, then each distinct word tested once
            if len(term) > 2 and term.isalpha() and term not in FUNCTION_TERMS:
                weights[term] = weights.get(term, 0.0) + share * count
    documents = searcher.doc_count()
    heads = heapq.nlargest(FEEDBACK_CANDIDATES, weights, key=weights.__getitem__)
    for term in heads:
        weights[term] *= math.log(documents / (1 + searcher.doc_frequency(CONTENT, term)))
    chosen = [t for t in sorted(heads, key=lambda t: -weights[t]) if t not in asked][:FEEDBACK_TERMS]
    return [Term(CONTENT, t, FEEDBACK_WEIGHT) for t in chosen]
