"""From a typed query to what an engine runs: the grammar's clauses grouped and rewritten.

Free words make two groups (documents with every word, then those with some); function words
are left out; names are matched as written; calendar periods become date ranges, `entity:` the
four entity fields, `tag:`/`note:`/`has:`/`is:` the documents the user database names, names and
aliases (`雷军`, `lei`) the canonical names the index holds, and patterns the terms they stand for.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import replace
from typing import Protocol

from margin.search.dates import period
from margin.search.entities.gazetteer import Gazetteer
from margin.search.entities.known import canonical as known_entity
from margin.search.query import grammar
from margin.search.query.fields import CONTENT, ENTITY_FIELDS, EXACT, TEXT_FIELDS, TYPE_OF_FIELD, USER_FIELDS
from margin.search.query.function_words import FUNCTION_WORDS
from margin.search.query.grammar import Clause, plain_words
from margin.search.query.terms import normalize_word, surface_form
from margin.search.query.tree import (
    EVERY,
    NOTHING,
    PATTERNS,
    UNMATCHED,
    And,
    AndMaybe,
    ConstantScore,
    DateRange,
    Fuzzy,
    Node,
    Not,
    Or,
    ParsedQuery,
    Pattern,
    Phrase,
    Prefix,
    QueryProblem,
    Range,
    Term,
    Wildcard,
    field_of,
    mapped,
    normalized,
)
from margin.search.sanitize import clean_line, from_terminal

MAX_QUERY_CHARS = 1000  # a 20,000-character word took 16 s in Whoosh's parser
MAX_EDITS = 2
MAX_EXPANSION = 2000  # words a prefix, wildcard or fuzzy pattern may stand for
MAX_SLOP = 20  # `"a b"~N`: words at most N apart
MAX_SLOP_WORDS = 12  # words of a phrase with `~N`; a longer one is searched as its words
TITLE_BOOST = 0.5
EXACT_BOOST = 0.3  # a word as typed, beside its stem (chosen with FEEDBACK_WEIGHT across collections, issue 30)
PROSE_WORDS = 12  # a query of more words reads as prose (see `prose`)
QTF_K3 = 4.0  # saturation of a query word's weight by how often it is said; 0: linear (see `_weighted`)
_ANY_WORD = re.compile(r"\w+")
_WORD = re.compile(r"(?<![\w:])[^\W\d_]+(?:['’][^\W\d_]+)?(?![\w:*?~])")  # a plain word, not a field or pattern
FUNCTION_TERMS = frozenset(normalize_word(w) for w in FUNCTION_WORDS)  # as the index holds them (stems)
_EXPLICIT_AND = re.compile(r"(?<![\w\"])AND(?!\w)")
_CAPITALISED = re.compile(r"\b[A-Z]{2,}\b")


class QueryContext(Protocol):
    """What rewriting a query needs to know of the corpus (the library answers)."""

    def names_in(self, field: str) -> list[str]: ...
    def expand(self, pattern: Pattern) -> list[str]: ...
    def user_docs(self, field: str, value: str) -> set[str]: ...  # tag:, note:, has:, is: (read, starred)
    def surnames_of(self, field: str, name: str) -> list[str]: ...
    def written_as_name(self, word: str) -> bool: ...  # matched unstemmed
    def corrected(self, field: str, text: str) -> list[tuple[str, str]] | None: ...  # after the user's corrections
    def like(self, value: str) -> Node | str: ...  # like:ID, like:ID@START-END: more like it, or why not


class QueryBuilder:
    """Parse and rewrite query strings for one corpus."""

    def __init__(self, gazetteer: Gazetteer, context: QueryContext) -> None:
        self.gazetteer = gazetteer
        self.context = context
        self._notes: list[str] = []  # what the query being parsed had capped

    def parse(self, text: str) -> ParsedQuery:
        text, self._notes = bounded(text)
        problem: QueryProblem | None = None
        try:
            clauses, typed = grammar.parse(text)
        except QueryProblem as found:
            problem = found
            clauses, typed = grammar.parse(plain_words(text))  # words alone always parse
        words_ran = plain_words(text) if problem else ""
        if not clauses:  # blank (or nothing but a mistake): every document; only punctuation: none
            query = None if not (words_ran if problem else text).strip() else NOTHING
            return ParsedQuery(text, query, problem, self._noted(), words_ran=words_ran)
        every, some, boosts, free = self._grouped(clauses, words_ran or text, typed)
        return ParsedQuery(text, every, problem, self._noted(), some, boosts, free, words_ran)

    def _grouped(self, clauses: list[Clause], source: str, typed: list[str]) -> tuple[Node, Node | None, tuple[Node, ...], int]:
        """(documents with every free word, documents with some of them, the boosts, how many
        free words) for the top level's clauses.

        Free words are the plain words of the top level (not phrases, fields, groups or `-word`).
        Function words among them are dropped, unless nothing else was asked. Everything else
        keeps its meaning in both groups; an explicit AND or a `+word` means no second group.
        """
        excluded = [Not(self._rewrite(c.node)) for c in clauses if c.sign == "-"]
        said = [p for c in clauses if c.sign == "" for p in _top_parts(c.node)]
        quoted: list[Node] = []
        if prose(source):  # a pasted paragraph: its quotations rank, never filter
            quoted = [p for p in said if isinstance(p, Phrase) and not p.compound and p.field == CONTENT]
            said = [w for p in said for w in (_words_of(p) if isinstance(p, Phrase) and p in quoted else (p,))]
        parts = _weighted(said)
        marked = [c.node for c in clauses if c.sign == "+"]
        if marked:  # `+word other`: the marked words required, the others only scored
            parts = [AndMaybe(And(tuple(marked)), Or(tuple(parts))) if parts else And(tuple(marked))]
        free = [p for p in parts if _free_word(p)]
        required = [p for p in parts if not _free_word(p)]
        explicit = bool(_EXPLICIT_AND.search(source)) and not grammar.written_in_capitals(source)
        capitals = set() if grammar.written_in_capitals(source) else \
            {normalize_word(w) for w in _CAPITALISED.findall(source) if w not in grammar.OPERATORS}
        content = [p for p in free if not _function_word(p, capitals)]
        if (content or required) and not explicit:
            free = content
        required = [self._rewrite(p) for p in required]
        free, exact = self._as_written([self._rewrite(p) for p in free], _surface_words(typed))
        every = normalized(And((*required, *free, *excluded)))
        some = None
        if len(free) > 1 and not explicit:
            some = normalized(And((*required, Or(tuple(free)), *excluded)))
        quoted = [self._rewrite(q) for q in quoted]  # bounded as any phrase is (`~N`, its length)
        return every, some, (*_in_title(free, exact), *quoted), len(free)

    def note(self, text: str) -> None:
        """Something the query's context says of what it made of a clause (what `like:` took)."""
        self._notes.append(text)

    def _noted(self) -> tuple[str, ...]:
        """What parsing this query capped, each once (a pattern may be expanded twice)."""
        return tuple(dict.fromkeys(self._notes))

    def _rewrite(self, q: Node) -> Node:
        field = field_of(q)
        if field == "published":
            return _date_query(q)
        if field == "path":  # `path:sport`, `path:"2024/05"`: the documents in that folder of the corpus
            folder = q.text.strip("/") if isinstance(q, Term) else ""
            return Prefix("id", folder + "/") if folder else NOTHING
        if field == "entity" and isinstance(q, Term):
            return Or(tuple(self._entity_term(f, q.text) for f in ENTITY_FIELDS))
        if field == "entity" and isinstance(q, PATTERNS):  # `entity:bank*`, `entity:reuters~1`: in each entity field
            return Or(tuple(self._rewrite(replace(q, field=f)) for f in ENTITY_FIELDS))
        if field in USER_FIELDS:
            return self._user_query(q)
        if field == "like":
            return self._like(q)
        if isinstance(q, Phrase) and q.slop > 1:
            return self._bounded_phrase(q)
        if field in ENTITY_FIELDS and isinstance(q, Term):
            return self._entity_term(field, q.text)
        if isinstance(q, Fuzzy):
            return self._fuzzy(q)
        if isinstance(q, (Prefix, Wildcard)) and field in TEXT_FIELDS:
            return self._expanded(q, constant=True)
        return mapped(q, self._rewrite)

    def _fuzzy(self, q: Fuzzy) -> Node:
        """A fuzzy word as the stems it stands for: the lexicon holds stems. Keeping the first
        letter fixed and the distance at most 2 bounds the expansion (`~9` took 22 s and GBs)."""
        word = normalize_word(q.text) if q.field in TEXT_FIELDS else q.text
        if not word:
            return NOTHING  # a lone combining accent
        if q.maxdist > MAX_EDITS:
            self._notes.append(f"edit distance capped at {MAX_EDITS} (~{q.maxdist} asked)")
        return self._expanded(Fuzzy(q.field, word, min(q.maxdist, MAX_EDITS), max(1, q.prefix), q.boost), constant=False)

    def _bounded_phrase(self, q: Phrase) -> Node:
        """A phrase with `~N`, within bounds on both engines: tantivy allocated gigabytes for a
        quoted paragraph with `~10` and aborted, and `~10000000` took 16 s."""
        if len(q.words) > MAX_SLOP_WORDS:
            self._notes.append(f"a quotation of {len(q.words)} words with ~ was searched as its words "
                               f"(~ takes up to {MAX_SLOP_WORDS})")
            return And(tuple(Term(q.field, w, q.boost) for w in q.words))
        if q.slop > MAX_SLOP:
            asked = f"{q.slop:,}" if q.slop < 10**9 else f"{q.slop:.1e}"
            self._notes.append(f"word distance capped at {MAX_SLOP} (~{asked} asked)")
        return replace(q, slop=min(q.slop, MAX_SLOP))

    def _like(self, q: Node) -> Node:
        """`like:ID`: the documents most like that one, its own family left out (stories.similar)."""
        found = self.context.like(q.text) if isinstance(q, Term) else "like: takes a document id (like:\"a/b.md\")"
        if isinstance(found, str):
            self._notes.append(found)
            return NOTHING
        return found

    def _user_query(self, q: Node) -> Node:
        """The documents the user database names: `is:unread` is every document not read."""
        if not isinstance(q, Term):
            self._notes.append(f"{q.field}: takes whole words, not patterns ({q.field}:{getattr(q, 'text', '')!s:.40})")  # type: ignore[union-attr]
            return NOTHING
        value = q.text.lower()
        unread = q.field == "is" and value == "unread"
        ids = sorted(self.context.user_docs(q.field, "read" if unread else value))
        either: Node = Or(tuple(Term("id", doc_id) for doc_id in ids)) if ids else NOTHING
        if unread:
            return And((EVERY, Not(either))) if ids else EVERY
        return either

    def _as_written(self, free: list[Node], written: dict[str, str]) -> tuple[list[Node], list[Node]]:
        """Free words with names matched as written, and the surface forms of the others (boosts).

        A word the corpus writes as a name (`federer`, `gates`) searches the unstemmed `exact`
        field only: its stem would also find "federal", "gate". Any other word keeps its stem and
        ranks documents holding it as typed above its variants. A name always matches as typed, so
        it weighs as much as a word found as typed: without that, `is chelsea unbeatable` ranked a
        festival story's one "unbeatable" above "Chelsea sack Mutu" and its ten "Chelsea".
        """
        matched: list[Node] = []
        boosts: list[Node] = []
        for q in free:
            surface = written.get(q.text) if isinstance(q, Term) else None
            if surface is None:
                matched.append(q)
            elif self.context.written_as_name(surface):  # as typed, so its bonus too
                matched.append(Term(EXACT, surface, q.boost * (1 + EXACT_BOOST)))
            else:
                matched.append(q)
                boosts.append(Term(EXACT, surface, EXACT_BOOST * q.boost))
        return matched, boosts

    def _expanded(self, pattern: Prefix | Wildcard | Fuzzy, *, constant: bool) -> Node:
        """A pattern as the terms it matches, found once: the search and the highlighter share them.

        Prefixes and wildcards score as one constant; fuzzy terms by BM25.
        """
        words = self.context.expand(pattern)
        if len(words) > MAX_EXPANSION:
            self._notes.append(f"a pattern matched {len(words):,} words; the first {MAX_EXPANSION:,} were searched")
            words = words[:MAX_EXPANSION]
        if not words:
            return UNMATCHED
        either = Or(tuple(Term(pattern.field, t, pattern.boost) for t in words))
        return ConstantScore(either, pattern.boost) if constant else either

    def _entity_term(self, field: str, text: str) -> Node:
        """An entity name, alias or single name part, resolved to the canonical names indexed."""
        corrected = self.context.corrected(field, text)
        if corrected is not None:
            return Or(tuple(Term(f, t) for f, t in corrected)) if corrected else NOTHING
        entity = self.gazetteer.canonical(text) or known_entity(text)
        if entity is not None and TYPE_OF_FIELD[field] == entity.type:
            # The known name, and the forms standing for it here ("Texaco Inc" for Texaco).
            name = entity.name.casefold()
            return _either(field, [name, *self.context.surnames_of(field, name)])
        # The name itself or any name it is one part of; and lone surnames standing for it here
        # ("Mr Blair" articles, when this corpus's Blair is Tony Blair).
        matches = [n for n in self.context.names_in(field) if n == text or text in n.split()]
        matches += self.context.surnames_of(field, text)
        return _either(field, matches or [text])


def _top_parts(node: Node) -> tuple[Node, ...]:
    """A top-level clause as parts to group: `a AND b` is two parts (explicit, so one group)."""
    return node.parts if isinstance(node, And) and node.boost == 1.0 else (node,)


def _either(field: str, names: list[str]) -> Node:
    """A term of one of the names (each once)."""
    names = list(dict.fromkeys(names))
    return Or(tuple(Term(field, n) for n in names)) if len(names) > 1 else Term(field, names[0])


def _free_word(q: Node) -> bool:
    """A plain word of the default field; a hyphenated word (`wind-tunnel`, a phrase) too."""
    if isinstance(q, Phrase):
        return q.field == CONTENT and q.compound
    return isinstance(q, (Term, Prefix, Wildcard, Fuzzy)) and q.field == CONTENT


def _surface_words(typed: list[str]) -> dict[str, str]:
    """Stem -> the word as typed (folded), for the plain words of a query (see grammar.parse)."""
    return {normalize_word(w): surface_form(w) for word in typed for w in _WORD.findall(word)}


def _in_title(free: list[Node], exact: list[Node]) -> tuple[Node, ...]:
    """The free words again in the title alone, scored beside a group but never matched alone.

    `content` already holds the title twice; on Cranfield a further title match at half weight
    moved MAP@100 from 0.300 to 0.308 and nDCG@10 from 0.367 to 0.379 (weight 1: 0.300 / 0.371;
    2: 0.286 / 0.362). The engines add the boost's scores at the top rows of each group (Whoosh)
    or as optional clauses (tantivy). Patterns are left out: their expansions score as one constant.
    """
    boosts = list(exact)
    for q in free:
        if isinstance(q, Term):
            boosts.append(Term("title", q.text, TITLE_BOOST * q.boost))
        elif isinstance(q, Phrase):
            boosts.append(Phrase("title", q.words, boost=TITLE_BOOST * q.boost))
    return tuple(boosts)


def prose(text: str) -> bool:
    """Whether a query reads as a pasted paragraph or a question, not as typed search words:
    more than PROSE_WORDS words. Its quotations are then boosts, not filters (a quoted title in
    a CISI question emptied it), and its operators stay what they are."""
    return len(_ANY_WORD.findall(text)) > PROSE_WORDS


def _words_of(q: Phrase) -> tuple[Node, ...]:
    return tuple(Term(q.field, w, q.boost) for w in q.words)


def _weighted(said: list[Node]) -> list[Node]:
    """Each part once, in the order said, weighted by how often the query says it: a question
    that says "image" three times is about images. BM25's query-term weight, saturated as
    (k3 + 1) n / (k3 + n): k3 = 4 was chosen in three of four leave-one-collection-out folds
    (BENCHMARKS.md, issue 30); said once, a word weighs 1 as before."""
    counts = Counter(said)
    return [p if n == 1 else replace(p, boost=p.boost * _qtf(n)) for p, n in counts.items()]


def _qtf(n: int) -> float:
    return (QTF_K3 + 1) * n / (QTF_K3 + n) if QTF_K3 else float(n)


def _function_word(q: Node, capitals: set[str]) -> bool:
    return isinstance(q, Term) and q.text in FUNCTION_TERMS and q.text not in capitals


def bounded(text: str) -> tuple[str, list[str]]:
    """Any string a user or a shell can hand over, made safe to parse: undecodable bytes read as
    cp1252, control characters dropped, white space folded, at most MAX_QUERY_CHARS characters."""
    text = clean_line(from_terminal(text))  # clean_line also folds white space
    if len(text) <= MAX_QUERY_CHARS:
        return text, []
    return text[:MAX_QUERY_CHARS], [f"query cut to its first {MAX_QUERY_CHARS:,} characters (of {len(text):,})"]


def _date_query(q: Node) -> Node:
    """A year, month or day (or a comparison or range of them) as a range of ISO dates."""
    if isinstance(q, Term):
        bounds = period(q.text)
        return DateRange(*bounds) if bounds else NOTHING
    if isinstance(q, Range):
        low = period(q.start) if q.start else None
        high = period(q.end) if q.end else None
        start = (low[1] if q.start_excluded else low[0]) if low else None
        end = (high[0] if q.end_excluded else high[1]) if high else None
        return DateRange(start, end)
    return NOTHING
