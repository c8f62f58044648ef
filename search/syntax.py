"""Checking a query string before it is parsed, so that mistakes get a message with a column.

Whoosh's parser is lenient: it quietly turns `"unclosed` or `published:[2025` into something
else. We look first, say what is wrong and where, and run the query as plain words instead.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from .dates import period

READING_STATES = ("read", "unread", "starred")

FIELDS = ("title", "content", "source", "author", "published", "person", "org", "place", "product",
          "entity", "tag", "note", "has", "is", "language", "path")
_VALUE = re.compile(r"[^\s()]*")
FIELD_ALIASES = {"body": "content", "text": "content", "organization": "org", "organisation": "org", "company": "org", "location": "place",
                 "loc": "place", "people": "person", "date": "published", "year": "published",
                 "lang": "language", "folder": "path", "dir": "path"}
_FIELD = re.compile(r"(?<![\w:])([A-Za-z_]+):")
_COMPARISON = re.compile(r"(>=|<=|>|<)")
_WORD_SYNTAX = re.compile(r"[\"()\[\]{}~*^:?<>=!\\/]|(?<!\w)[+-]")
_OPERATORS = {"AND", "OR", "NOT", "ANDNOT", "ANDMAYBE", "TO", "to"}


@dataclass(frozen=True)
class QueryProblem:
    message: str
    column: int  # 1-based, as an editor shows it

    def __str__(self) -> str:
        return f"{self.message} (column {self.column}); searching the words instead"


def field_name(raw: str) -> str | None:
    name = raw.lower()
    name = FIELD_ALIASES.get(name, name)
    return name if name in FIELDS else None


def check(text: str) -> QueryProblem | None:
    """The first problem in `text`, or None when the parser can take it as it is."""
    return _check_brackets(text) or _check_fields(text)


def _check_brackets(text: str) -> QueryProblem | None:
    quote: int | None = None
    parens: list[int] = []
    i = 0
    while i < len(text):
        char = text[i]
        if quote is not None:
            if char == '"':
                quote = None
        elif char == '"':
            quote = i
        elif char == "(":
            parens.append(i)
        elif char == ")":
            if not parens:
                return QueryProblem("')' has no matching '('", i + 1)
            parens.pop()
        elif char in "[{":
            close = min((j for j in (text.find("]", i), text.find("}", i)) if j != -1), default=-1)
            if close == -1:
                return QueryProblem(f"range '{char}' is not closed with ']' or '}}'", i + 1)
            if not re.search(r"\s+to\s+|^\s*to\s+|\s+to\s*$", text[i + 1 : close], re.IGNORECASE):
                return QueryProblem("a range needs 'to', as in [2013 to 2014]", i + 1)
            i = close
        i += 1
    if quote is not None:
        return QueryProblem('quote \'"\' is not closed', quote + 1)
    if parens:
        return QueryProblem("'(' is not closed", parens[-1] + 1)
    return None


def _check_fields(text: str) -> QueryProblem | None:
    for match in _FIELD.finditer(text):
        if _inside_quotes(text, match.start()):
            continue
        name = field_name(match.group(1))
        column = match.start() + 1
        if name is None:
            known = ", ".join(f + ":" for f in FIELDS)
            return QueryProblem(f"unknown field '{match.group(1)}:' (fields: {known})", column)
        rest = text[match.end() :]
        if rest.startswith("(") and name != "published":
            continue  # title:(a OR b) applies the field to the group
        value = _VALUE.match(rest).group()  # type: ignore[union-attr]  # matches the empty string too
        if not value or value.startswith(":"):
            return QueryProblem(f"'{match.group(1)}:' needs a value after the colon", column)
        if name == "has" and value.lower() not in {"passage", "passages"}:
            return QueryProblem("has: takes passage (documents with a tagged passage)", column)
        if name == "is" and value.lower() not in READING_STATES:
            return QueryProblem("is: takes read, unread or starred", column)
        if name == "published" and not _valid_date_value(text[match.end() :]):
            return QueryProblem("published: takes a year, month or day (2025, 2025-06, 2025-06-30), "
                                "a comparison (>2024-06) or a range ([2013 to 2014])", column)
    return None


def _inside_quotes(text: str, position: int) -> bool:
    return text.count('"', 0, position) % 2 == 1


def _valid_date_value(rest: str) -> bool:
    if rest[:1] in "[{":
        inner = rest[1 : min(i for i in (rest.find("]"), rest.find("}")) if i != -1)]
        ends = [e.strip() for e in re.split(r"\s+to\s+|^\s*to\s+|\s+to\s*$", inner, flags=re.IGNORECASE)]
        return all(period(e) is not None for e in ends if e)
    value = _VALUE.match(rest).group()  # type: ignore[union-attr]  # matches the empty string too
    comparison = _COMPARISON.match(value)
    if comparison:
        value = value[comparison.end() :]
    return period(value) is not None


def plain_words(text: str) -> str:
    """The words of a query with its syntax removed: what runs when the syntax is wrong."""
    text = _FIELD.sub(" ", text)
    text = _WORD_SYNTAX.sub(" ", text)
    return " ".join(w for w in text.split() if w not in _OPERATORS)
