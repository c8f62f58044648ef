"""The query grammar on its own: the tree each kind of syntax parses to, and mistakes by column."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from margin.search.query import grammar
from margin.search.query.tree import (
    EVERY,
    And,
    AndMaybe,
    Fuzzy,
    Not,
    Or,
    Phrase,
    Prefix,
    QueryProblem,
    Range,
    Term,
    Wildcard,
    normalized,
)

from .test_query import MISTAKES


def tree(text: str):
    clauses, _ = grammar.parse(text)
    return normalized(grammar.group(clauses))


def c(word: str) -> Term:
    return Term("content", word)


@pytest.mark.parametrize("text, expected", [
    ("phones", c("phone")),
    ("xiaomi phones", And((c("xiaomi"), c("phone")))),
    ("a OR b c", And((Or((c("a"), c("b"))), c("c")))),  # OR binds tighter than words side by side
    ("a AND b OR c", Or((And((c("a"), c("b"))), c("c")))),  # AND tighter than OR
    ("NOT a b", And((Not(c("a")), c("b")))),
    ("a -b", And((c("a"), Not(c("b"))))),
    ("a -is:read", And((c("a"), Not(Term("is", "read"))))),
    ("+a b", AndMaybe(c("a"), c("b"))),
    ("(a -b) OR c", Or((And((c("a"), Not(c("b")))), c("c")))),  # Whoosh's parser raised on this
    ('"lei jun"~3', Phrase("content", ("lei", "jun"), 3)),
    ("e-commerce", Phrase("content", ("e", "commerc"), compound=True)),
    ("popsicl*", Prefix("content", "popsicl")),
    ("x?y", Wildcard("content", "x?y")),
    ("nvida~", Fuzzy("content", "nvida", 1, 0)),
    ("markting~2/3", Fuzzy("content", "markting", 2, 3)),
    ("xiaomi^2", Term("content", "xiaomi", 2.0)),
    ("title:(drama OR film)", Or((Term("title", "drama"), Term("title", "film")))),
    ('person:"Lei  Jun"', Term("person", "lei jun")),
    ("organization:xpeng", Term("org", "xpeng")),
    ("published:>2024-06", Range("published", "2024-06", None, start_excluded=True)),
    ("published:<=2014", Range("published", None, "2014")),
    ("published:[2013 to 2014}", Range("published", "2013", "2014", end_excluded=True)),
    ("falling?", c("fall")),  # ? ending a word is punctuation, not a wildcard
    ("OR", c("or")),  # an operator with nothing to join is a word
    ("x OR", And((c("x"), c("or")))),
    ("*", EVERY),
])
def test_each_kind_of_syntax_parses_to_its_tree(text: str, expected):
    assert tree(text) == expected


@pytest.mark.parametrize("text, message, column", MISTAKES)
def test_mistakes_are_named_with_their_column(text: str, message: str, column: int):
    problem = grammar.check(text)
    assert problem is not None and message in problem.message and problem.column == column


SYNTAX = st.lists(st.sampled_from([*'ab "()[]{}:~*^+-><=!?', "AND", "OR", "NOT", "title:", " to "]), max_size=30).map("".join)


@given(st.text(max_size=60) | SYNTAX)
def test_any_string_parses_or_names_a_problem(text: str):
    try:
        clauses, _ = grammar.parse(text)
    except QueryProblem as problem:
        assert 1 <= problem.column <= len(text)
    else:
        normalized(grammar.group(clauses))
