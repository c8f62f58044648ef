"""What one copy of a story adds to another: sentences new, dropped and changed, word by word.

Sentences are aligned with difflib (the longest matching runs, as `diff` does): a sentence in
both is the same; one only in this copy is new; one only in the other is dropped. Where a run of
sentences was replaced by another, each pair that still shares most of its words
(DIFFERENT_BELOW) is one sentence changed, and its words are aligned again to light the new ones.
The same comparison serves a copy against its family's earliest member and an article against
its previous version.
"""

from __future__ import annotations

import difflib
import re
from dataclasses import dataclass

DIFFERENT_BELOW = 0.5  # word similarity under which a replaced sentence counts as new, not changed
_SENTENCE = re.compile(r"[^\n.!?。！？]*(?:[.!?。！？]+[\"'”’)\]]*|\n|$)")
_WORD = re.compile(r"\w+|[^\w\s]")


@dataclass(frozen=True)
class Sentence:
    start: int
    end: int
    text: str


@dataclass(frozen=True)
class Change:
    """One sentence of the comparison: `same`, `new` or `changed` (a span of this copy's text,
    with the changed sentence's new words), or `dropped` (only the other copy's text)."""

    kind: str
    start: int = -1
    end: int = -1
    other: str = ""  # the other copy's sentence (changed, dropped)
    words: tuple[tuple[int, int], ...] = ()  # changed: this copy's words the other lacks


@dataclass(frozen=True)
class Comparison:
    changes: tuple[Change, ...]

    def of(self, kind: str) -> list[Change]:
        return [c for c in self.changes if c.kind == kind]

    @property
    def summary(self) -> str:
        """"3 new, 2 changed, 1 dropped" (sentences)."""
        counts = [(len(self.of(k)), k) for k in ("new", "changed", "dropped")]
        said = ", ".join(f"{n} {k}" for n, k in counts if n)
        return f"{said} sentences" if said else "the same sentences"


def sentences(text: str) -> list[Sentence]:
    """The text's sentences with their offsets (blank runs left out)."""
    found = []
    for match in _SENTENCE.finditer(text):
        start, end = match.start(), match.end()
        while start < end and text[start].isspace():
            start += 1
        while end > start and text[end - 1].isspace():
            end -= 1
        if start < end:
            found.append(Sentence(start, end, text[start:end]))
    return found


def _key(sentence: Sentence) -> str:
    return " ".join(sentence.text.casefold().split())


def compare(this: str, other: str) -> Comparison:
    """This text against the other: what this one adds, changes and drops."""
    mine, theirs = sentences(this), sentences(other)
    matcher = difflib.SequenceMatcher(None, [_key(s) for s in theirs], [_key(s) for s in mine], autojunk=False)
    changes: list[Change] = []
    for op, a0, a1, b0, b1 in matcher.get_opcodes():
        if op == "equal":
            changes.extend(Change("same", s.start, s.end) for s in mine[b0:b1])
        elif op == "insert":
            changes.extend(Change("new", s.start, s.end) for s in mine[b0:b1])
        elif op == "delete":
            changes.extend(Change("dropped", other=s.text) for s in theirs[a0:a1])
        else:
            changes.extend(_replaced(this, theirs[a0:a1], mine[b0:b1]))
    return Comparison(tuple(changes))


def _replaced(this: str, theirs: list[Sentence], mine: list[Sentence]) -> list[Change]:
    """A run of sentences replaced by another: pairs that share most words are changed, the
    rest are new (this copy's) or dropped (the other's)."""
    out: list[Change] = []
    for i, s in enumerate(mine):
        old = theirs[i] if i < len(theirs) else None
        words = _new_words(this, s, old.text) if old is not None else None
        if old is not None and words is not None:
            out.append(Change("changed", s.start, s.end, old.text, words))
        else:
            if old is not None:
                out.append(Change("dropped", other=old.text))
            out.append(Change("new", s.start, s.end))
    out.extend(Change("dropped", other=s.text) for s in theirs[len(mine):])
    return out


def _new_words(this: str, sentence: Sentence, old: str) -> tuple[tuple[int, int], ...] | None:
    """The spans of this sentence's words the old one lacks, or None when the two share too
    little to be one sentence changed."""
    mine = [(m.start() + sentence.start, m.end() + sentence.start, m.group().casefold())
            for m in _WORD.finditer(sentence.text)]
    theirs = [m.group().casefold() for m in _WORD.finditer(old)]
    matcher = difflib.SequenceMatcher(None, theirs, [w for _, _, w in mine], autojunk=False)
    if matcher.ratio() < DIFFERENT_BELOW:
        return None
    spans = []
    for op, _, _, b0, b1 in matcher.get_opcodes():
        if op in ("insert", "replace") and b0 < b1:
            spans.append((mine[b0][0], mine[b1 - 1][1]))
    return tuple(spans)
