"""The query language on top of Whoosh's parser: plugins, dates, entity names and aliases.

Parsing happens in two steps. Whoosh builds a query tree from the string; `rewrite` then turns
the parts Whoosh cannot know about into plain index queries: calendar periods into text ranges
over ISO dates, `entity:` into the four entity fields, and names or aliases (`雷军`, `lei`) into
the canonical names the index holds.
"""

from __future__ import annotations

import copy
import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from whoosh import qparser, query
from whoosh.query import Query

from ..dates import period
from ..function_words import FUNCTION_WORDS
from ..gazetteer import Gazetteer
from ..known_entities import canonical as known_entity
from ..sanitize import clean_line, from_terminal
from ..syntax import FIELD_ALIASES, QueryProblem, check, plain_words
from ..terms import iter_terms, normalize_word, surface_form
from .date_filter import DateRange
from .schema import CONTENT, ENTITY_FIELDS, EXACT, TEXT_FIELDS, USER_FIELDS, term_text

_PATTERNS = (query.Prefix, query.Wildcard, query.Regex)
MAX_QUERY_CHARS = 1000  # a 20,000-character word took 16 s in Whoosh's parser
MAX_EDITS = 2
MAX_EXPANSION = 2000  # words a prefix, wildcard or fuzzy pattern may stand for
MAX_SLOP = 20  # `"a b"~N`: words at most N apart
MAX_SLOP_WORDS = 12  # words of a phrase with `~N`; a longer one is searched as its words
TYPE_OF_FIELD = {"person": "person", "org": "organization", "place": "place", "product": "product"}
TITLE_BOOST = 0.5
EXACT_BOOST = 0.3  # a word as typed, beside its stem
_WORD = re.compile(r"(?<![\w:])[^\W\d_]+(?:['’][^\W\d_]+)?(?![\w:*?~])")  # a plain word, not a field or pattern
FUNCTION_TERMS = frozenset(normalize_word(w) for w in FUNCTION_WORDS)  # as the index holds them (stems)
# ? ! . , ending a word are punctuation: `falling?` is not a one-letter wildcard.
_TRAILING_PUNCTUATION = re.compile(r"(?<=[^\s?!.,*~(\[])[?!.,]+(?=[\s)]|$)")
_EXPLICIT_AND = re.compile(r"(?<![\w\"])AND(?!\w)")
_CAPITALISED = re.compile(r"\b[A-Z]{2,}\b")
_MINUS = r"(?<![^\s(])-(?=\S)"  # `-word` only at the start of a word: e-commerce and 2024-06 stay whole


@dataclass(frozen=True)
class ParsedQuery:
    """What the user typed, what ran, and the problem that made them differ (if any)."""

    text: str
    query: Query | None  # None: the empty query, every document; else documents with every free word
    problem: QueryProblem | None = None
    notes: tuple[str, ...] = ()  # what was capped to keep the query within its time and memory budget
    some: Query | None = None  # documents with at least one of two or more free words (None: no such group)
    boost: Query | None = None  # scored beside either group, never matched alone (see _in_title)
    free_words: int = 0  # how many free words the groups were made of (function words left out)

    @property
    def runnable(self) -> Query:
        """The query to give the searcher: the empty query matches every document."""
        return self.query if self.query is not None else query.Every()

    @property
    def ran(self) -> str:
        return plain_words(self.text) if self.problem else self.text


class _AliasedFieldsPlugin(qparser.FieldsPlugin):
    """`organization:` and friends mean `org:`; field names are case-insensitive."""

    class FieldnameTagger(qparser.RegexTagger):
        def create(self, parser: Any, match: Any) -> Any:
            name = match.group("text").lower()
            return qparser.syntax.FieldnameNode(FIELD_ALIASES.get(name, name), match.group(0))

    def taggers(self, parser: Any) -> Any:
        return [(self.FieldnameTagger(self.expr), 0)]


def make_parser(schema: Any) -> Any:
    parser = qparser.QueryParser(CONTENT, schema, group=qparser.AndGroup)
    parser.remove_plugin_class(qparser.SingleQuotePlugin)
    parser.remove_plugin_class(qparser.FieldsPlugin)
    parser.add_plugin(_AliasedFieldsPlugin())
    parser.add_plugin(qparser.FuzzyTermPlugin())
    parser.add_plugin(qparser.PlusMinusPlugin(plusexpr=r"(?<![^\s(])\+", minusexpr=_MINUS))
    parser.add_plugin(qparser.GtLtPlugin())
    return parser


class QueryBuilder:
    """Parse and rewrite query strings for one index; `names_in(field)` lists its entity names."""

    def __init__(self, schema: Any, gazetteer: Gazetteer, names_in: Callable[[str], list[str]],
                 expand: Callable[[query.Query], list[str]],
                 user_docs: Callable[[str, str], set[str]],
                 surnames_of: Callable[[str, str], list[str]], as_written: Callable[[str], bool],
                 corrected: Callable[[str, str], list[tuple[str, str]] | None] = lambda field, text: None) -> None:
        self.parser = make_parser(schema)
        self.gazetteer = gazetteer
        self.names_in = names_in
        self.expand = expand
        self.user_docs = user_docs  # (field, value) -> ids: tag:, note:, has:, is: (read, starred)
        self.surnames_of = surnames_of
        self.as_written = as_written  # words the corpus writes as names: matched unstemmed
        self.corrected = corrected  # the index terms an entity name means after the user's corrections
        self._notes: list[str] = []  # what the query being parsed had capped

    def parse(self, text: str) -> ParsedQuery:
        text, self._notes = bounded(text)
        problem = check(text)
        source = _TRAILING_PUNCTUATION.sub("", plain_words(text) if problem else text)
        if not source.strip():
            return ParsedQuery(text, None, problem, self._noted())
        try:
            parsed = self._parsed(source)
        except Exception as exc:  # Whoosh's parser has crash bugs ('<<'); never let them reach the user
            problem = problem or QueryProblem(f"could not parse the query ({type(exc).__name__})", 1)
            try:
                parsed = self.parser.parse(_TRAILING_PUNCTUATION.sub("", plain_words(text)))
            except Exception:
                return ParsedQuery(text, query.NullQuery, problem, self._noted())
        every, some, boost, free = self._grouped(parsed, source)
        return ParsedQuery(text, every, problem, self._noted(), some, boost, free)

    def _parsed(self, source: str) -> query.Query:
        """Whoosh's parse of `source`; where it fails on a `-word` inside a group that an OR joins
        (`(heatwave -xiaomi) OR nvidia` raised NotImplementedError), each `-word` is read as `NOT word`."""
        try:
            return self.parser.parse(source)
        except NotImplementedError:
            return self.parser.parse(re.sub(_MINUS, "NOT ", source))

    def _grouped(self, parsed: query.Query, source: str) -> tuple[query.Query, query.Query | None, query.Query | None, int]:
        """(documents with every free word, documents with some of them, a boost, how many free
        words) for a parsed query.

        Free words are the plain words of the top level (not phrases, fields, groups or `-word`).
        Function words among them are dropped, unless nothing else was asked. Everything else
        keeps its meaning in both groups; an explicit AND or a `+word` means no second group.
        """
        positive, negative = (parsed.a, parsed.b) if isinstance(parsed, query.AndNot) else (parsed, None)
        parts = list(positive.subqueries) if type(positive) is query.And else [positive]
        quoted = {tuple(t.text for t in iter_terms(q, query=True)) for q in _QUOTED.findall(source)}
        free = [p for p in parts if _free_word(p, quoted)]
        required = [p for p in parts if p not in free]
        explicit = bool(_EXPLICIT_AND.search(source))
        capitals = {normalize_word(w) for w in _CAPITALISED.findall(source)}
        content = [p for p in free if not _function_word(p, capitals)]
        if (content or required) and not explicit:
            free = content
        required = [self._rewrite(p) for p in required]
        written = _surface_words(source)
        free, exact = self._as_written([self._rewrite(p) for p in free], written)
        every: query.Query = query.And([*required, *free])
        some: query.Query | None = None
        if len(free) > 1 and not explicit:
            some = query.And([*required, query.Or(free)])
        boost = _in_title(free, exact)
        if negative is not None:
            excluded = self._rewrite(negative)
            every, some = query.AndNot(every, excluded), query.AndNot(some, excluded) if some else None
        return _sound(every), _sound(some) if some is not None else None, boost, len(free)

    def _noted(self) -> tuple[str, ...]:
        """What parsing this query capped, each once (a pattern may be expanded twice)."""
        return tuple(dict.fromkeys(self._notes))

    def _rewrite(self, q: query.Query) -> query.Query:
        field = q.field() if q.is_leaf() else None
        if field == "published":
            return _date_query(q)
        if field == "path":  # `path:sport`, `path:"2024/05"`: the documents in that folder of the corpus
            folder = q.text.strip("/") if isinstance(q, query.Term) else ""
            return query.Prefix("id", folder + "/") if folder else query.NullQuery
        if field == "entity" and isinstance(q, query.Term):
            return query.Or([self._entity_term(f, q.text) for f in ENTITY_FIELDS])
        if field == "entity":  # a pattern (`entity:bank*`, `entity:reuters~1`): the same in each entity field
            return query.Or([self._rewrite(_in_field(q, f)) for f in ENTITY_FIELDS])
        if field in USER_FIELDS and not isinstance(q, query.Term):
            self._notes.append(f"{field}: takes whole words, not patterns ({field}:{q.text!s:.40})")
            return query.NullQuery
        if isinstance(q, query.Phrase) and q.slop > 1:
            return self._bounded_phrase(q)
        if field in ENTITY_FIELDS and isinstance(q, query.Term):
            return self._entity_term(field, q.text)
        if field in USER_FIELDS and isinstance(q, query.Term):
            return self._user_query(field, q.text)
        if isinstance(q, query.FuzzyTerm):
            # Whoosh hands fuzzy words over unstemmed; the lexicon holds stems. Keeping the first
            # letter fixed and the distance at most 2 bounds the expansion (`~9` took 22 s and GBs).
            word = normalize_word(q.text) if field in TEXT_FIELDS else q.text
            if not word:
                return query.NullQuery  # a lone combining accent: Whoosh's FuzzyTerm fails on ""
            if q.maxdist > MAX_EDITS:
                self._notes.append(f"edit distance capped at {MAX_EDITS} (~{q.maxdist} asked)")
            fuzzy = query.FuzzyTerm(field, word, q.boost, min(q.maxdist, MAX_EDITS), max(1, q.prefixlength))
            return self._expanded(fuzzy, constant=False)
        if isinstance(q, _PATTERNS) and field in TEXT_FIELDS:
            return self._expanded(q, constant=True)
        return q.apply(self._rewrite)

    def _bounded_phrase(self, q: query.Phrase) -> query.Query:
        """A phrase with `~N`, within bounds on both engines: tantivy allocated gigabytes for a
        quoted paragraph with `~10` and aborted, and `~10000000` took 16 s."""
        if len(q.words) > MAX_SLOP_WORDS:
            self._notes.append(f"a quotation of {len(q.words)} words with ~ was searched as its words "
                               f"(~ takes up to {MAX_SLOP_WORDS})")
            return query.And([query.Term(q.fieldname, w, boost=q.boost) for w in q.words])
        if q.slop > MAX_SLOP:
            asked = f"{q.slop:,}" if q.slop < 10**9 else f"{q.slop:.1e}"
            self._notes.append(f"word distance capped at {MAX_SLOP} (~{asked} asked)")
        return query.Phrase(q.fieldname, q.words, slop=min(q.slop, MAX_SLOP), boost=q.boost, char_ranges=q.char_ranges)

    def _user_query(self, field: str, value: str) -> query.Query:
        """The documents the user database names: `is:unread` is every document not read."""
        value = value.lower()
        unread = field == "is" and value == "unread"
        ids = sorted(self.user_docs(field, "read" if unread else value))
        either = query.Or([query.Term("id", doc_id) for doc_id in ids]) if ids else query.NullQuery
        if unread:
            return query.AndNot(query.Every(), either) if ids else query.Every()
        return either

    def _as_written(self, free: list[query.Query], written: dict[str, str]) -> tuple[list[query.Query], list[query.Query]]:
        """Free words with names matched as written, and the surface forms of the others (boosts).

        A word the corpus writes as a name (`federer`, `gates`) searches the unstemmed `exact`
        field only: its stem would also find "federal", "gate". Any other word keeps its stem and
        ranks documents holding it as typed above its variants.
        """
        matched, boosts = [], []
        for q in free:
            surface = written.get(q.text) if type(q) is query.Term else None
            if surface is None:
                matched.append(q)
            elif self.as_written(surface):
                matched.append(query.Term(EXACT, surface))
            else:
                matched.append(q)
                boosts.append(query.Term(EXACT, surface, boost=EXACT_BOOST))
        return matched, boosts

    def _expanded(self, pattern: query.Query, *, constant: bool) -> query.Query:
        """A pattern as the terms it matches, found once: the search and the highlighter share them.

        Prefixes and wildcards score as one constant, as Whoosh scores them; fuzzy terms by BM25.
        """
        words = self.expand(pattern)
        if len(words) > MAX_EXPANSION:
            self._notes.append(f"a pattern matched {len(words):,} words; the first {MAX_EXPANSION:,} were searched")
            words = words[:MAX_EXPANSION]
        terms = [query.Term(pattern.field(), t, boost=pattern.boost) for t in words]
        if not terms:
            return query.NullQuery
        either = query.Or(terms)
        return query.ConstantScoreQuery(either, pattern.boost) if constant else either

    def _entity_term(self, field: str, text: str) -> query.Query:
        """An entity name, alias or single name part, resolved to the canonical names indexed."""
        corrected = self.corrected(field, text)
        if corrected is not None:
            return query.Or([query.Term(f, t) for f, t in corrected]) if corrected else query.NullQuery
        entity = self.gazetteer.canonical(text) or known_entity(text)
        if entity is not None and TYPE_OF_FIELD[field] == entity.type:
            # The known name, and the forms standing for it here ("Texaco Inc" for Texaco).
            name = entity.name.casefold()
            return _either(field, [name, *self.surnames_of(field, name)])
        # The name itself or any name it is one part of; and lone surnames standing for it here
        # ("Mr Blair" articles, when this corpus's Blair is Tony Blair).
        matches = [n for n in self.names_in(field) if n == text or text in n.split()]
        matches += self.surnames_of(field, text)
        return _either(field, matches or [text])


def _either(field: str, names: list[str]) -> query.Query:
    """A term of one of the names (each once)."""
    names = list(dict.fromkeys(names))
    return query.Or([query.Term(field, n) for n in names]) if len(names) > 1 else query.Term(field, names[0])


_FREE = (query.Term, query.Prefix, query.Wildcard)  # FuzzyTerm is a Term
_QUOTED = re.compile(r'"([^"]*)"')


def _sound(q: query.Query) -> query.Query:
    """`q` normalised, each `a -b` (AndNot) as `a AND NOT b`.

    Whoosh's AndNot matcher checks the excluded postings only when both start at the same
    document: `heatwave -xiaomi` listed the one heatwave story although it names Xiaomi (the
    Xiaomi postings start at an earlier document). Its And with a Not excludes correctly.
    """
    def split(part: query.Query) -> query.Query:
        return query.And([part.a, query.Not(part.b)]) if isinstance(part, query.AndNot) else part

    return q.normalize().accept(split)


def _free_word(q: query.Query, quoted: set[tuple[str, ...]]) -> bool:
    """A plain word of the default field; a hyphenated word (`wind-tunnel`, a phrase to Whoosh) too."""
    if isinstance(q, query.Phrase):
        return q.fieldname == CONTENT and tuple(q.words) not in quoted
    return isinstance(q, _FREE) and q.field() == CONTENT


def _surface_words(source: str) -> dict[str, str]:
    """Stem -> the word as typed (folded), for the plain words of a query string."""
    return {normalize_word(w): surface_form(w) for w in _WORD.findall(_QUOTED.sub(" ", source))}


def _in_title(free: list[query.Query], exact: list[query.Query]) -> query.Query | None:
    """The free words again in the title alone, scored beside a group but never matched alone.

    `content` already holds the title twice; on Cranfield a further title match at half weight
    moved MAP@100 from 0.300 to 0.308 and nDCG@10 from 0.367 to 0.379 (weight 1: 0.300 / 0.371;
    2: 0.286 / 0.362). Whoosh's AndMaybe scored it wrongly (0.290 / 0.364): engine.ranking adds
    the boost's scores at the top rows of each group instead. Patterns are left out: their
    expansions are scored as one constant.
    """
    boosts: list[query.Query] = list(exact)
    for q in free:
        if type(q) is query.Term:
            boosts.append(query.Term("title", q.text, boost=TITLE_BOOST))
        elif isinstance(q, query.Phrase):
            boosts.append(query.Phrase("title", q.words, boost=TITLE_BOOST))
    return query.Or(boosts) if boosts else None


def _function_word(q: query.Query, capitals: set[str]) -> bool:
    return type(q) is query.Term and q.text in FUNCTION_TERMS and q.text not in capitals


def bounded(text: str) -> tuple[str, list[str]]:
    """Any string a user or a shell can hand over, made safe to parse: undecodable bytes read as
    cp1252, control characters dropped, white space folded, at most MAX_QUERY_CHARS characters."""
    text = clean_line(from_terminal(text))  # clean_line also folds white space
    if len(text) <= MAX_QUERY_CHARS:
        return text, []
    return text[:MAX_QUERY_CHARS], [f"query cut to its first {MAX_QUERY_CHARS:,} characters (of {len(text):,})"]


def expand_pattern(pattern: Query, reader: Any) -> list[str]:
    """The indexed terms a prefix, wildcard or fuzzy query stands for.

    The index holds stems, so a prefix typed past the stem (`apartm*`, whose word is indexed as
    `apart`) also takes an indexed term that it extends by at most four letters (-ment, -ing, -ly).
    """
    terms = [term_text(t) for _, t in pattern.expanded_terms(reader)]
    if isinstance(pattern, query.Prefix):
        text, field = pattern.text, pattern.fieldname
        terms += [text[:cut] for cut in range(max(4, len(text) - 4), len(text)) if (field, text[:cut]) in reader]
    return terms


def _date_query(q: query.Query) -> query.Query:
    """A year, month or day (or a comparison or range of them) as a range over ISO date strings."""
    if isinstance(q, query.Term):
        bounds = period(q.text)
        return DateRange(*bounds) if bounds else query.NullQuery
    if isinstance(q, query.TermRange):
        low = period(q.start) if q.start else None
        high = period(q.end) if q.end else None
        start = (low[1] if q.startexcl else low[0]) if low else None
        end = (high[0] if q.endexcl else high[1]) if high else None
        return DateRange(start, end)
    return query.NullQuery


def _in_field(q: query.Query, field: str) -> query.Query:
    """A copy of a leaf pattern searching another field."""
    moved = copy.copy(q)
    moved.fieldname = field
    return moved
