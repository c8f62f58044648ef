"""The query grammar: a string to margin's query tree, or a problem with its column.

A hand-written lexer and recursive-descent parser: 24 µs a query of `bench search`'s mix and
124 µs a Cranfield question, where Whoosh's parser took 147 and 683 µs (BENCHMARKS.md, issue 27);
no parser library needed for one line. Precedence, tightest first: `NOT`, `AND`, `OR`, then
words side by side (the top level's clauses, which the builder groups). `+word` and `-word` mark
a clause required or excluded. Leaves are analysed as the index was: text fields by the indexer's
terms (several terms make a phrase), entity and user fields as one caseless name, dates as typed.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from margin.search.dates import period
from margin.search.query.fields import ANALYSED_FIELDS, CONTENT, FIELDS, NAME_FIELDS, READING_STATES, field_name
from margin.search.query.terms import fold_word, iter_terms
from margin.search.query.tree import (
    EVERY,
    And,
    AndMaybe,
    Fuzzy,
    Node,
    Not,
    Or,
    Phrase,
    Prefix,
    QueryProblem,
    Range,
    Term,
    Wildcard,
)

_FIELD = re.compile(r"([A-Za-z_]+):")
_COMPARISON = re.compile(r">=|<=|>|<")
_TO = re.compile(r"\s+to\s+|^\s*to\s+|\s+to\s*$", re.IGNORECASE)
_SLOP = re.compile(r"~(\d{1,12})")
_BOOST_SUFFIX = re.compile(r"\^(\d{1,6}(?:\.\d{1,6})?)")
_BOOST = re.compile(_BOOST_SUFFIX.pattern + "$")
_FUZZY = re.compile(r"~(\d{0,12})(?:/(\d{1,3}))?$")
OPERATORS = ("AND", "OR", "NOT")  # an acronym elsewhere, never a content word when typed so
CAPITALS_WORDS = 4  # a line of this many words with no lower-case letter is written in capitals
_PATTERN_SYNTAX = re.compile(r"[*?~]")
_ENDS_WORD = frozenset('()"')
_PUNCTUATION = frozenset("?!.,")  # ending a word: punctuation, so `falling?` is not a wildcard
_NOT_BEFORE_PUNCTUATION = frozenset("?!.,*~([")
_WORD_SYNTAX = re.compile(r"[\"()\[\]{}~*^:?<>=!\\/]|(?<!\w)[+-]")
_PLAIN_FIELD = re.compile(r"(?<![\w:])([A-Za-z_]+):")
_PLAIN_OPERATORS = {"AND", "OR", "NOT", "ANDNOT", "ANDMAYBE", "TO", "to"}


@dataclass(frozen=True)
class Clause:
    """One clause of a group: `sign` is "+" (required), "-" (excluded) or "" (a plain clause)."""

    node: Node
    sign: str = ""


@dataclass(frozen=True)
class _Token:
    kind: str  # ( ) word phrase range field cmp op + -
    text: str
    column: int  # 0-based
    slop: int = 1
    boost: float = 1.0
    ends: tuple[str | None, str | None, bool, bool] = (None, None, False, False)  # a range's


def parse(text: str) -> tuple[list[Clause], list[str]]:
    """(the top-level clauses of `text`, its plain words as typed); raises QueryProblem at the
    first mistake. Plain words are those of the default field, not patterns (`falling` of
    `falling?`): the builder ranks a word as typed above its stem's other words."""
    tokens = _Lexer(text, operators=not written_in_capitals(text)).tokens()
    typed = [t.text for before, t in zip([None, *tokens], tokens)
             if t.kind == "word" and not _PATTERN_SYNTAX.search(t.text) and (before is None or before.kind not in ("field", "cmp"))]
    return _Parser(tokens).clauses(None, top=True), typed


def written_in_capitals(text: str) -> bool:
    """Whether `text` is a line written in capitals (a pasted title, a telex, a collection's
    question): there nothing stands out, so `AND` or `IT` is a word like the others, not an
    operator or a name. NPL's and LISA's questions are written so; a short `US OR UK` is not."""
    letters = [c for c in text if c.isalpha()]
    return bool(letters) and not any(c.islower() for c in letters) and len(text.split()) >= CAPITALS_WORDS


def check(text: str) -> QueryProblem | None:
    """The first problem in `text`, or None when it parses as it is."""
    try:
        _Lexer(text).tokens()
    except QueryProblem as problem:
        return problem
    return None


def plain_words(text: str) -> str:
    """The words of a query with its syntax removed: what runs when the syntax is wrong."""
    text = _PLAIN_FIELD.sub(" ", text)
    text = _WORD_SYNTAX.sub(" ", text)
    return " ".join(w for w in text.split() if w not in _PLAIN_OPERATORS)


class _Lexer:
    def __init__(self, text: str, *, operators: bool = True) -> None:
        self.text = text
        self.operators = OPERATORS if operators else ()
        self.i = 0
        self.out: list[_Token] = []
        self.opened: list[int] = []

    def tokens(self) -> list[_Token]:
        text = self.text
        while self.i < len(text):
            char = text[self.i]
            if char.isspace():
                self.i += 1
            elif char in "()":
                self._paren(char)
            elif char == '"':
                self._phrase()
            elif self._at_start() and char in "[{":
                self._range()
            elif self._at_start() and char in "+-" and self.i + 1 < len(text) and not text[self.i + 1].isspace():
                self.out.append(_Token(char, char, self.i))
                self.i += 1
            elif self._at_start() and (field := _FIELD.match(text, self.i)):
                self._field(field)
            else:
                self._word()
        if self.opened:
            raise QueryProblem("'(' is not closed", self.opened[-1] + 1)
        return self.out

    def _at_start(self) -> bool:
        """Whether a token starts here: after a space, a bracket or a sign (`-is:read`)."""
        if self.i == 0 or self.text[self.i - 1].isspace() or self.text[self.i - 1] in "()":
            return True
        last = self.out[-1] if self.out else None
        return last is not None and last.kind in "+-" and last.column == self.i - 1

    def _paren(self, char: str) -> None:
        if char == "(":
            self.opened.append(self.i)
        elif not self.opened:
            raise QueryProblem("')' has no matching '('", self.i + 1)
        else:
            self.opened.pop()
        self.out.append(_Token(char, char, self.i))
        self.i += 1

    def _phrase(self) -> None:
        start = self.i
        close = self.text.find('"', start + 1)
        if close == -1:
            raise QueryProblem('quote \'"\' is not closed', start + 1)
        self.i = close + 1
        slop = _SLOP.match(self.text, self.i)
        if slop:
            self.i = slop.end()
        boost = self._boost_suffix()
        self.out.append(_Token("phrase", self.text[start + 1 : close], start, slop=int(slop.group(1)) if slop else 1,
                               boost=boost))

    def _boost_suffix(self) -> float:
        found = _BOOST_SUFFIX.match(self.text, self.i)
        if not found:
            return 1.0
        self.i = found.end()
        return float(found.group(1))

    def _range(self) -> None:
        start, opening = self.i, self.text[self.i]
        closes = [j for j in (self.text.find("]", start), self.text.find("}", start)) if j != -1]
        if not closes:
            raise QueryProblem(f"range '{opening}' is not closed with ']' or '}}'", start + 1)
        close = min(closes)
        inner = self.text[start + 1 : close]
        if not _TO.search(inner):
            raise QueryProblem("a range needs 'to', as in [2013 to 2014]", start + 1)
        low, high = (e.strip() or None for e in _TO.split(inner, maxsplit=1))
        self.out.append(_Token("range", inner, start, ends=(low, high, opening == "{", self.text[close] == "}")))
        self.i = close + 1

    def _field(self, match: re.Match[str]) -> None:
        start, raw = self.i, match.group(1)
        name = field_name(raw)
        if name is None:
            known = ", ".join(f + ":" for f in FIELDS)
            raise QueryProblem(f"unknown field '{raw}:' (fields: {known})", start + 1)
        self.i = match.end()
        rest = self.text[self.i :]
        if not rest or rest[0].isspace() or rest[0] in "):":
            raise QueryProblem(f"'{raw}:' needs a value after the colon", start + 1)
        self.out.append(_Token("field", name, start))
        if name == "published":
            self._date_value(start)
        elif rest[0] == "(":
            return  # title:(a OR b) applies the field to the group
        elif rest[0] == '"':
            self._phrase()
        elif rest[0] in "[{":
            self._range()
        elif comparison := _COMPARISON.match(rest):
            self.out.append(_Token("cmp", comparison.group(), self.i))
            self.i += comparison.end()
            self._word()
        else:
            self._word()
            self._check_value(name, self.out[-1].text, start)

    def _date_value(self, start: int) -> None:
        """published: takes a period, a comparison or a range of periods."""
        rest = self.text[self.i :]
        comparison = _COMPARISON.match(rest)
        if rest[0] in "[{":
            self._range()
            ends = [e for e in self.out[-1].ends[:2] if e is not None]
        elif comparison:
            self.out.append(_Token("cmp", comparison.group(), self.i))
            self.i += comparison.end()
            ends = [self._word().text] if self.i < len(self.text) and not self.text[self.i].isspace() else [""]
        else:
            ends = [self._word().text]
        if not all(isinstance(e, str) and period(e) is not None for e in ends):
            raise QueryProblem("published: takes a year, month or day (2025, 2025-06, 2025-06-30), "
                               "a comparison (>2024-06) or a range ([2013 to 2014])", start + 1)

    @staticmethod
    def _check_value(name: str, value: str, start: int) -> None:
        if name == "has" and value.lower() not in {"passage", "passages"}:
            raise QueryProblem("has: takes passage (documents with a tagged passage)", start + 1)
        if name == "is" and value.lower() not in READING_STATES:
            raise QueryProblem("is: takes read, unread or starred", start + 1)

    def _word(self) -> _Token:
        text, start = self.text, self.i
        end = start
        while end < len(text) and not text[end].isspace() and text[end] not in _ENDS_WORD:
            end += 1
        self.i = end
        word = text[start:end]
        if end == len(text) or text[end].isspace() or text[end] == ")":
            word = _without_trailing_punctuation(word)
        token = _Token("op" if word in self.operators else "word", word, start)
        self.out.append(token)
        return token


def _without_trailing_punctuation(word: str) -> str:
    cut = len(word)
    while cut > 0 and word[cut - 1] in _PUNCTUATION:
        cut -= 1
    if cut == len(word) or cut == 0 or word[cut - 1] in _NOT_BEFORE_PUNCTUATION:
        return word
    return word[:cut]


class _Parser:
    def __init__(self, tokens: list[_Token]) -> None:
        self.tokens = tokens
        self.at = 0

    def _peek(self) -> _Token | None:
        return self.tokens[self.at] if self.at < len(self.tokens) else None

    def _take(self) -> _Token:
        token = self.tokens[self.at]
        self.at += 1
        return token

    def _peek_op(self, name: str) -> bool:
        token = self._peek()
        return token is not None and token.kind == "op" and token.text == name

    def _operand_follows(self) -> bool:
        token = self._peek()
        return token is not None and token.kind != ")" and not (token.kind == "op" and token.text != "NOT")

    def clauses(self, field: str | None, *, top: bool = False) -> list[Clause]:
        found: list[Clause] = []
        while (token := self._peek()) is not None and token.kind != ")":
            if token.kind == "op" and (token.text != "NOT" or not self._operand_after_not()):
                self.at += 1  # an operator with nothing to join is a word (`OR` for Oregon)
                clause = _as_word(field, token)
            else:
                clause = self._or(field)
            if clause is not None:
                found.append(clause)
        if not top and self._peek() is not None:
            self.at += 1  # the group's ")"
        return found

    def _operand_after_not(self) -> bool:
        self.at += 1
        follows = self._operand_follows()
        self.at -= 1
        return follows

    def _or(self, field: str | None) -> Clause | None:
        return self._joined(field, "OR", Or, self._and)

    def _and(self, field: str | None) -> Clause | None:
        return self._joined(field, "AND", And, self._not)

    def _joined(self, field: str | None, op: str, kind: type[And] | type[Or], inner: object) -> Clause | None:
        parts = [inner(field)]  # type: ignore[operator]  # _and or _not
        while self._peek_op(op):
            self.at += 1
            if not self._operand_follows():
                self.at -= 1  # `x OR`: the operator is a word (see clauses)
                break
            parts.append(inner(field))  # type: ignore[operator]
        kept = [p for p in parts if p is not None]
        if len(kept) <= 1:
            return kept[0] if kept else None
        return Clause(kind(tuple(_signed(p) for p in kept)))

    def _not(self, field: str | None) -> Clause | None:
        if self._peek_op("NOT") and self._operand_after_not():
            self.at += 1
            inner = self._not(field)
            return Clause(Not(_signed(inner))) if inner is not None else None
        sign = ""
        token = self._peek()
        if token is not None and token.kind in "+-":
            sign = self._take().kind
        node = self._atom(field)
        return Clause(node, sign) if node is not None else None

    def _atom(self, field: str | None) -> Node | None:
        token = self._peek()
        if token is None or token.kind == ")" or token.kind == "op":
            return None
        self.at += 1
        if token.kind == "(":
            return group(self.clauses(field))
        if token.kind == "field":
            return self._atom(token.text)
        name = field or CONTENT
        if token.kind == "phrase":
            return phrase(name, token.text, token.slop, token.boost)
        if token.kind == "range":
            low, high, low_out, high_out = token.ends
            return Range(name, _folded(name, low), _folded(name, high), low_out, high_out)
        if token.kind == "cmp":
            value = self._take().text if self._peek() is not None and self._peek().kind == "word" else ""  # type: ignore[union-attr]
            return _comparison(name, token.text, _folded(name, value))
        if token.kind in "+-":  # a sign inside a field (`title:-x`) or doubled (`--x`): a word
            return self._atom(field)
        return word(name, token.text)


def _as_word(field: str | None, token: _Token) -> Clause | None:
    node = word(field or CONTENT, token.text)
    return Clause(node) if node is not None else None


def group(clauses: list[Clause]) -> Node:
    """A parenthesised group: `+` clauses required, `-` clauses excluded, plain ones as And
    (or, beside a `+` clause, only scored)."""
    excluded = [c.node for c in clauses if c.sign == "-"]
    required = [c.node for c in clauses if c.sign == "+"]
    plain = [c.node for c in clauses if c.sign == ""]
    positive: Node
    if required and plain:
        positive = AndMaybe(And(tuple(required)), Or(tuple(plain)))
    elif required or plain:
        positive = And(tuple(required or plain))
    else:
        positive = EVERY
    return And((positive, *(Not(n) for n in excluded))) if excluded else positive


def _signed(clause: Clause) -> Node:
    return Not(clause.node) if clause.sign == "-" else clause.node


def _comparison(field: str, op: str, value: str | None) -> Node:
    if op.startswith(">"):
        return Range(field, value, None, start_excluded=op == ">")
    return Range(field, None, value, end_excluded=op == "<")


def _folded(field: str, text: str | None) -> str | None:
    if text is None or field not in ANALYSED_FIELDS:
        return _name(text) if text is not None and field in NAME_FIELDS else text
    return fold_word(text)


def _name(text: str) -> str:
    return " ".join(text.split()).casefold()


def word(field: str, raw: str) -> Node | None:
    """One typed word in `field`: a term, a phrase (a word the analyser splits), a pattern; None
    when nothing of it is a term (`-`, `…`)."""
    boost = 1.0
    found = _BOOST.search(raw)
    if found and found.start() > 0:
        raw, boost = raw[: found.start()], float(found.group(1))
    fuzzy = _FUZZY.search(raw)
    if fuzzy:
        text = _folded(field, raw[: fuzzy.start()]) or ""
        return Fuzzy(field, text, int(fuzzy.group(1) or 1), int(fuzzy.group(2) or 0), boost) if text else None
    if "*" in raw or "?" in raw:
        return _pattern(field, raw, boost)
    return _terms(field, raw, boost, slop=1, compound=True)


def _pattern(field: str, raw: str, boost: float) -> Node:
    literal = raw.replace("*", "").replace("?", "")
    if not literal:
        return EVERY  # `*` alone: any word
    folded = _folded(field, raw) or ""
    if raw.endswith("*") and "*" not in raw[:-1] and "?" not in raw:
        return Prefix(field, folded[:-1], boost)
    return Wildcard(field, folded, boost)


def phrase(field: str, text: str, slop: int, boost: float) -> Node | None:
    return _terms(field, text, boost, slop=slop, compound=False)


def _terms(field: str, text: str, boost: float, *, slop: int, compound: bool) -> Node | None:
    if field in NAME_FIELDS:
        name = _name(text)
        return Term(field, name, boost) if name else None
    if field not in ANALYSED_FIELDS:
        return Term(field, text, boost) if text else None
    words = tuple(t.text for t in iter_terms(text, query=True))
    if not words:
        return None
    if len(words) == 1:
        return Term(field, words[0], boost)
    return Phrase(field, words, slop, boost, compound)
