"""Where a query matches inside one document: character spans for the reader and the snippets.

The positive parts of the query tree (not under NOT) are collected once per query: terms,
phrases, and entity names (prefix, wildcard and fuzzy parts arrive expanded by the parser).
Each document is then scanned with the indexer's own tokenizer, so offsets agree with what the
index matched, with no 32 KB highlighting limit.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterator
from dataclasses import dataclass, field
from itertools import takewhile
from typing import Any

from whoosh import query

from ..entities import FIELD_OF_TYPE
from ..spans import merge_spans
from ..terms import iter_terms, surface_spans, term_spans
from .schema import CONTENT, ENTITY_FIELDS, EXACT, TEXT_FIELDS


@dataclass
class Targets:
    terms: dict[str, set[str]] = field(default_factory=lambda: defaultdict(set))
    phrases: dict[str, list[tuple[list[str], int]]] = field(default_factory=lambda: defaultdict(list))
    entities: set[tuple[str, str]] = field(default_factory=set)
    exact: set[str] = field(default_factory=set)  # words as written (names), in title and body


def _positive_leaves(q: query.Query) -> Iterator[query.Query]:
    if isinstance(q, query.Not):
        return
    if isinstance(q, query.AndNot):
        yield from _positive_leaves(q.a)
        return
    if q.is_leaf():
        yield q
        return
    for child in q.children():
        yield from _positive_leaves(child)


def collect_targets(q: query.Query | None) -> Targets:
    """What to light up for this query (patterns were expanded to terms when it was parsed)."""
    targets = Targets()
    if q is None:
        return targets
    for leaf in _positive_leaves(q):
        name = leaf.field()
        if name in ENTITY_FIELDS and isinstance(leaf, query.Term):
            targets.entities.add((name, leaf.text))
        elif name == EXACT and isinstance(leaf, query.Term):
            targets.exact.add(leaf.text)
        elif name not in TEXT_FIELDS:
            continue
        elif isinstance(leaf, query.Term):
            targets.terms[name].add(leaf.text)
        elif isinstance(leaf, query.Phrase):
            targets.phrases[name].append((list(leaf.words), max(1, leaf.slop)))
    return targets


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


def entity_spans(mentions: list[Any], name: str, targets: Targets) -> list[tuple[int, int]]:
    """Mentions (field, type, name, start, end) in field `name` of the entities the query names."""
    if not targets.entities:
        return []
    return [(start, end) for where, kind, entity, start, end in mentions
            if where == name and (FIELD_OF_TYPE[kind], entity.casefold()) in targets.entities]
