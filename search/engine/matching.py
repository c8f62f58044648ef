"""Where a query matches inside one document: character spans for the reader and the snippets.

The positive parts of margin's query tree (not under NOT) are collected once per query: terms,
phrases, and entity names (prefix, wildcard and fuzzy parts arrive expanded by the parser).
Each document is then scanned with the indexer's own tokenizer, so offsets agree with what the
index matched, with no 32 KB highlighting limit.
"""

from __future__ import annotations

import re
from collections import defaultdict
from dataclasses import dataclass, field
from itertools import takewhile
from typing import Any

from margin.search.entities.mentions import FIELD_OF_TYPE
from margin.search.query.fields import CONTENT, ENTITY_FIELDS, EXACT, TEXT_FIELDS
from margin.search.query.terms import iter_terms, normalize_word, surface_spans, term_spans
from margin.search.query.tree import Node, Or, ParsedQuery, Phrase, Term, positive_leaves
from margin.search.spans import merge_spans

_QUOTED = re.compile(r'"([^"]+)"')


@dataclass
class Targets:
    terms: dict[str, set[str]] = field(default_factory=lambda: defaultdict(set))
    phrases: dict[str, list[tuple[list[str], int]]] = field(default_factory=lambda: defaultdict(list))
    entities: set[tuple[str, str]] = field(default_factory=set)
    exact: set[str] = field(default_factory=set)  # words as written (names), in title and body


def collect_targets(q: Node | None) -> Targets:
    """What to light up for this query (patterns were expanded to terms when it was parsed)."""
    targets = Targets()
    if q is None:
        return targets
    for leaf in positive_leaves(q):
        if isinstance(leaf, Term) and leaf.field in ENTITY_FIELDS:
            targets.entities.add((leaf.field, leaf.text))
        elif isinstance(leaf, Term) and leaf.field == EXACT:
            targets.exact.add(leaf.text)
        elif isinstance(leaf, Term) and leaf.field in TEXT_FIELDS:
            targets.terms[leaf.field].add(leaf.text)
        elif isinstance(leaf, Phrase) and leaf.field in TEXT_FIELDS:
            targets.phrases[leaf.field].append((list(leaf.words), max(1, leaf.slop)))
    return targets


@dataclass(frozen=True)
class QueryTerms:
    """The query's terms as the reader tells them apart (a colour each), in the order typed:
    each word (its stem, whether matched by stem, as typed or as a name), each phrase, each
    entity. `key_of` maps what a hit's text analyses to (a stem, a phrase's stems joined by
    spaces, "field\tname" for an entity) to its term's number."""

    labels: tuple[str, ...] = ()
    key_of: dict[str, int] = field(default_factory=dict)
    nodes: tuple[Node, ...] = ()  # what each term matches (its leaves, any of them)

    def term_of(self, hit_text: str) -> int:
        words = [t.text for t in iter_terms(hit_text)]
        found = self.key_of.get(" ".join(words))
        if found is None and words:
            found = self.key_of.get(words[0])
        return found or 0


def query_terms(parsed: ParsedQuery) -> QueryTerms:
    """The terms of the query, labelled as typed where its boosts hold the typed form (`prices`,
    not its stem `price`) and phrases as quoted in the text that ran."""
    q = parsed.query
    labels: list[str] = []
    key_of: dict[str, int] = {}
    leaves_of: list[list[Node]] = []
    typed = {normalize_word(b.text): b.text for b in parsed.boosts if isinstance(b, Term) and b.field == EXACT}
    quoted = {" ".join(t.text for t in iter_terms(raw, query=True)): raw for raw in _QUOTED.findall(parsed.ran)}
    for leaf in positive_leaves(q) if q is not None else ():
        if isinstance(leaf, Term) and leaf.field in ENTITY_FIELDS:
            key, label = f"{leaf.field}\t{leaf.text}", leaf.text
        elif isinstance(leaf, Term) and leaf.field == EXACT:
            key, label = normalize_word(leaf.text), leaf.text
        elif isinstance(leaf, Term) and leaf.field in TEXT_FIELDS:
            key, label = leaf.text, typed.get(leaf.text, leaf.text)
        elif isinstance(leaf, Phrase) and leaf.field in TEXT_FIELDS:
            key = " ".join(leaf.words)
            label = f'"{" ".join(quoted.get(key, key).split())}"'
        else:
            continue
        if key not in key_of:
            key_of[key] = len(labels)
            labels.append(label)
            leaves_of.append([])
        leaves_of[key_of[key]].append(leaf)
    return QueryTerms(tuple(labels), key_of, tuple(Or(tuple(found)) if len(found) > 1 else found[0] for found in leaves_of))


def text_spans(text: str, name: str, targets: Targets) -> list[tuple[int, int]]:
    """Spans of `text` (stored field `name`: title or body) that match the targets.

    What the query asked of `content` applies to both the title and the body.
    """
    terms = targets.terms.get(name, set()) | targets.terms.get(CONTENT, set())
    phrases = [*targets.phrases.get(name, ()), *targets.phrases.get(CONTENT, ())]
    written = surface_spans(text, targets.exact) if targets.exact else []
    if not terms and not phrases:
        return merge_spans(written)
    if written:
        return merge_spans(written + text_spans(text, name, Targets(targets.terms, targets.phrases)))
    spans = term_spans(text, terms) if terms else []
    for words, slop in phrases:
        spans.extend(phrase_spans(text, words, slop))
    return merge_spans(spans)


def phrase_spans(text: str, words: list[str], slop: int) -> list[tuple[int, int]]:
    """Each place in `text` where the words occur in order, each within `slop` positions of the
    one before: looked for only after each occurrence of the first word (found by term_spans),
    not along the whole text (a token walk over fifty articles was half of a phrase search)."""
    reach = (len(words) - 1) * slop
    wanted = set(words)
    spans: list[tuple[int, int]] = []
    for start, _ in term_spans(text, {words[0]}):
        by_pos: dict[int, list[Any]] = defaultdict(list)
        for term in takewhile(lambda t: t.pos <= reach, iter_terms(text, start=start)):
            if term.text in wanted:
                by_pos[term.pos].append(term)
        spans.extend(s for s in _phrase_spans(by_pos, words, slop) if s[0] == start)
    return spans


def _phrase_spans(by_pos: dict[int, list[Any]], words: list[str], slop: int) -> list[tuple[int, int]]:
    """Each place where the words occur in order, each within `slop` positions of the one before."""
    found = []
    starts = [(pos, t) for pos, terms in by_pos.items() for t in terms if t.text == words[0]]
    for pos, first in starts:
        last, current = first, pos
        for word in words[1:]:
            nxt = next(((p, t) for p in range(current + 1, current + slop + 1)
                        for t in by_pos.get(p, ()) if t.text == word), None)
            if nxt is None:
                break
            current, last = nxt
        else:
            found.append((first.start, last.end))
    return found


def entity_spans(mentions: list[Any], name: str, targets: Targets, terms: QueryTerms) -> list[tuple[int, int, int]]:
    """Mentions (field, type, name, start, end) in field `name` of the entities the query names,
    each with its term's number."""
    if not targets.entities:
        return []
    found = []
    for where, kind, entity, start, end in mentions:
        key = (FIELD_OF_TYPE[kind], entity.casefold())
        if where == name and key in targets.entities:
            found.append((start, end, terms.key_of.get("\t".join(key), 0)))
    return found
