"""Margin's query tree (margin.search.query) as tantivy queries.

The tree arrives rewritten: dates as DateRange, entity names as index terms, patterns in title
and content expanded to their terms. What is left to expand (a prefix in `source:` or `id`, a
range of title words) is expanded here from tantivy's term dictionary, through `expand`.
"""

from __future__ import annotations

import itertools
import re
from collections.abc import Callable
from typing import Any

import tantivy

from margin.search.engine.tantivy.store import SEARCHABLE, day
from margin.search.query import tree

Query = tantivy.Query
Occur = tantivy.Occur
Expand = Callable[[tree.Pattern], list[str]]


class Translator:
    """Turns query trees into tantivy queries for one schema; `expand(pattern)` lists a pattern's terms."""

    def __init__(self, schema: Any, expand: Expand) -> None:
        self.schema = schema
        self.expand = expand

    def __call__(self, q: tree.Node) -> Any:
        found = self._translated(q)
        if q.boost != 1.0 and not isinstance(q, (tree.ConstantScore, tree.DateRange)):
            return Query.boost_query(found, q.boost)
        return found

    def _translated(self, q: tree.Node) -> Any:
        if isinstance(q, tree.Every):
            return Query.all_query()
        if isinstance(q, tree.DateRange):
            return _date_range(q, self.schema)
        if isinstance(q, tree.Nothing) or isinstance(q, tree.LEAVES) and q.field not in SEARCHABLE:
            return Query.empty_query()  # a field tantivy does not hold
        if isinstance(q, tree.ConstantScore):
            return Query.const_score_query(self(q.part), q.score)
        if isinstance(q, tree.PATTERNS):
            return self._expanded(q)
        if isinstance(q, tree.Term):
            return Query.term_query(self.schema, q.field, q.text)
        if isinstance(q, tree.Phrase):
            return _phrase(q, self.schema)
        return self._compound(q)

    def _compound(self, q: tree.Node) -> Any:
        if isinstance(q, tree.Not):
            return Query.boolean_query([(Occur.Must, Query.all_query()), (Occur.MustNot, self(q.part))])
        if isinstance(q, tree.AndMaybe):
            return Query.boolean_query([(Occur.Must, self(q.required)), (Occur.Should, self(q.optional))])
        if isinstance(q, tree.And):
            return self._and(q.parts)
        if isinstance(q, tree.Or):
            return self._or(q.parts)
        raise NotImplementedError(f"no tantivy query for {type(q).__name__}")

    def _and(self, parts: tuple[tree.Node, ...]) -> Any:
        clauses = [(Occur.MustNot, self(p.part)) if isinstance(p, tree.Not) else (Occur.Must, self(p)) for p in parts]
        if all(occur == Occur.MustNot for occur, _ in clauses):
            clauses.append((Occur.Must, Query.all_query()))
        return Query.boolean_query(clauses)

    def _or(self, parts: tuple[tree.Node, ...]) -> Any:
        """Document ids (what `is:`, `tag:` and `has:` list) as one term set, matched as a filter."""
        if not parts:
            return Query.empty_query()
        if all(isinstance(p, tree.Term) and p.field == "id" for p in parts):
            return Query.term_set_query(self.schema, "id", [p.text for p in parts])  # type: ignore[union-attr]
        return Query.boolean_query([(Occur.Should, self(p)) for p in parts])

    def _expanded(self, q: tree.Pattern) -> Any:
        words = self.expand(q)
        if not words:
            return Query.empty_query()
        either = Query.boolean_query([(Occur.Should, Query.term_query(self.schema, q.field, w)) for w in words])
        return either if isinstance(q, tree.Fuzzy) else Query.const_score_query(either, 1.0)


MAX_SPACINGS = 64  # exact spacings for a sloppy phrase: all of two words ~20, three ~8


def _phrase(q: tree.Phrase, schema: Any) -> Any:
    """Margin's slop is the largest gap between one word and the next (1: adjacent). tantivy's is
    the moves the whole phrase may make, and it lets a repeated word match itself ("oil oil"~5
    found every document with one "oil"). So a sloppy phrase is each allowed spacing as an exact
    phrase of placed words, as long as there are few; past that, each gap's allowance summed."""
    words: list[str | tuple[int, str]] = list(q.words)
    if len(words) == 1:
        return Query.term_query(schema, q.field, words[0])
    slop = max(1, q.slop)
    spacings = slop ** (len(words) - 1)
    plain = [w for w in words if isinstance(w, str)]
    if slop == 1 or spacings > MAX_SPACINGS or len(plain) < len(words):
        return Query.phrase_query(schema, q.field, words, (slop - 1) * (len(words) - 1))
    phrases = []
    for gaps in itertools.product(range(1, slop + 1), repeat=len(words) - 1):
        at = [0, *itertools.accumulate(gaps)]
        phrases.append((Occur.Should, Query.phrase_query(schema, q.field, list(zip(at, plain)), 0)))
    return Query.boolean_query(phrases)


def _date_range(q: tree.DateRange, schema: Any) -> Any:
    """[start, end) over the `day` numbers; undated documents (0) are never in a range."""
    low = day(q.start) if q.start else 1
    if q.end is None:
        return Query.range_query(schema, "day", tantivy.FieldType.Integer, low, None)
    return Query.range_query(schema, "day", tantivy.FieldType.Integer, low, day(q.end), include_upper=False)


def wildcard(text: str) -> tuple[str, re.Pattern[str]]:
    """(the literal start of a wildcard pattern, a regular expression for the whole of it)."""
    start = re.split(r"[*?]", text, maxsplit=1)[0]
    pattern = "".join(".*" if c == "*" else "." if c == "?" else re.escape(c) for c in text)
    return start, re.compile(pattern, re.DOTALL)
