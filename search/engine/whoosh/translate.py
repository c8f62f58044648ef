"""Margin's query tree as Whoosh queries."""

from __future__ import annotations

from functools import singledispatch

from whoosh import query

from margin.search.engine.whoosh.date_filter import DateRange
from margin.search.query import tree


def whoosh_query(node: tree.Node) -> query.Query:
    """The Whoosh query for a tree (and for each of its parts)."""
    return _translated(node)


@singledispatch
def _translated(node: tree.Node) -> query.Query:
    raise NotImplementedError(f"no Whoosh query for {type(node).__name__}")


@_translated.register
def _(node: tree.Term) -> query.Query:
    return query.Term(node.field, node.text, boost=node.boost)


@_translated.register
def _(node: tree.Phrase) -> query.Query:
    return query.Phrase(node.field, list(node.words), slop=node.slop, boost=node.boost)


@_translated.register
def _(node: tree.Prefix) -> query.Query:
    return query.Prefix(node.field, node.text, boost=node.boost)


@_translated.register
def _(node: tree.Wildcard) -> query.Query:
    return query.Wildcard(node.field, node.text, boost=node.boost)


@_translated.register
def _(node: tree.Fuzzy) -> query.Query:
    return query.FuzzyTerm(node.field, node.text, node.boost, node.maxdist, node.prefix)


@_translated.register
def _(node: tree.Range) -> query.Query:
    return query.TermRange(node.field, node.start, node.end, node.start_excluded, node.end_excluded,
                           boost=node.boost, constantscore=True)


@_translated.register
def _(node: tree.DateRange) -> query.Query:
    return DateRange(node.start, node.end)


@_translated.register
def _(node: tree.And) -> query.Query:
    return query.And([_translated(p) for p in node.parts], boost=node.boost)


@_translated.register
def _(node: tree.Or) -> query.Query:
    return query.Or([_translated(p) for p in node.parts], boost=node.boost)


@_translated.register
def _(node: tree.Not) -> query.Query:
    return query.Not(_translated(node.part))


@_translated.register
def _(node: tree.AndMaybe) -> query.Query:
    return query.AndMaybe(_translated(node.required), _translated(node.optional))


@_translated.register
def _(node: tree.ConstantScore) -> query.Query:
    return query.ConstantScoreQuery(_translated(node.part), node.score)


@_translated.register
def _(node: tree.Every) -> query.Query:
    return query.Every()


@_translated.register
def _(node: tree.Nothing) -> query.Query:
    return query.NullQuery
