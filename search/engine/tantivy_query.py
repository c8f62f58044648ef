"""Margin's query trees (built by engine.parse, as for Whoosh) as tantivy queries.

The tree arrives rewritten: dates as DateRange, entity names as index terms, patterns in title
and content expanded to their terms. What is left to expand (a prefix in `source:`, a range of
title words) is expanded here from tantivy's term dictionary, through `expand`.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

import tantivy
from whoosh import query

from .date_filter import DateRange
from .tantivy_store import SEARCHABLE, day

Query = tantivy.Query
Occur = tantivy.Occur
Expand = Callable[[Any], list[str]]


class Translator:
    """Turns query trees into tantivy queries for one schema; `expand(pattern)` lists a pattern's terms."""

    def __init__(self, schema: Any, expand: Expand) -> None:
        self.schema = schema
        self.expand = expand

    def __call__(self, q: Any) -> Any:
        found = self._translated(q)
        boost = getattr(q, "boost", 1.0)
        if boost != 1.0 and not isinstance(q, (query.ConstantScoreQuery, DateRange)):
            return Query.boost_query(found, boost)
        return found

    def _translated(self, q: Any) -> Any:
        if isinstance(q, query.Every):
            return Query.all_query()
        if isinstance(q, DateRange):
            return _date_range(q, self.schema)
        if q is query.NullQuery or q.is_leaf() and getattr(q, "fieldname", None) not in (*SEARCHABLE, None):
            return Query.empty_query()  # a field Whoosh's parser accepts that tantivy does not hold
        if isinstance(q, query.ConstantScoreQuery):
            return Query.const_score_query(self(q.child), q.score)
        if isinstance(q, (query.Prefix, query.Wildcard, query.FuzzyTerm, query.TermRange)):
            return self._expanded(q)
        if isinstance(q, query.Term):
            return Query.term_query(self.schema, q.fieldname, q.text)
        if isinstance(q, query.Phrase):
            return _phrase(q, self.schema)
        return self._compound(q)

    def _compound(self, q: Any) -> Any:
        if isinstance(q, query.Not):
            return Query.boolean_query([(Occur.Must, Query.all_query()), (Occur.MustNot, self(q.query))])
        if isinstance(q, query.AndNot):
            return Query.boolean_query([(Occur.Must, self(q.a)), (Occur.MustNot, self(q.b))])
        if isinstance(q, query.AndMaybe):
            return Query.boolean_query([(Occur.Must, self(q.a)), (Occur.Should, self(q.b))])
        if isinstance(q, query.Require):  # `+word other`: documents with both, scored by the first
            return Query.boolean_query([(Occur.Must, self(q.a)), (Occur.Must, Query.const_score_query(self(q.b), 0.0))])
        if isinstance(q, query.And):
            return self._and(q.subqueries)
        if isinstance(q, query.Or):
            return self._or(q.subqueries)
        raise NotImplementedError(f"no tantivy query for {type(q).__name__}")

    def _and(self, parts: list[Any]) -> Any:
        clauses = [(Occur.MustNot, self(p.query)) if isinstance(p, query.Not) else (Occur.Must, self(p)) for p in parts]
        if all(occur == Occur.MustNot for occur, _ in clauses):
            clauses.append((Occur.Must, Query.all_query()))
        return Query.boolean_query(clauses)

    def _or(self, parts: list[Any]) -> Any:
        """Document ids (what `is:`, `tag:` and `has:` list) as one term set, matched as a filter."""
        if not parts:
            return Query.empty_query()
        if all(type(p) is query.Term and p.fieldname == "id" for p in parts):
            return Query.term_set_query(self.schema, "id", [p.text for p in parts])
        return Query.boolean_query([(Occur.Should, self(p)) for p in parts])

    def _expanded(self, q: Any) -> Any:
        words = self.expand(q)
        if not words:
            return Query.empty_query()
        either = Query.boolean_query([(Occur.Should, Query.term_query(self.schema, q.fieldname, w)) for w in words])
        return either if isinstance(q, query.FuzzyTerm) else Query.const_score_query(either, 1.0)


def _phrase(q: Any, schema: Any) -> Any:
    """Whoosh's slop is the largest gap between one word and the next (1: adjacent); tantivy's is
    the moves the whole phrase may make, so each gap's allowance is summed."""
    words = list(q.words)
    if len(words) == 1:
        return Query.term_query(schema, q.fieldname, words[0])
    return Query.phrase_query(schema, q.fieldname, words, (max(1, q.slop) - 1) * (len(words) - 1))


def _date_range(q: DateRange, schema: Any) -> Any:
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
