"""Turning text into index terms, shared by the indexer and the hit finder.

One function decides what a term is, so the character offsets the reader lights up are computed
from exactly the tokens the index holds. English words are case- and accent-folded and stemmed
with Porter2; runs of Han, kana and similar scripts become overlapping bigrams (plus unigrams when
indexing), so that `山寨` and `山寨机` both find `山寨机` without a dictionary.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterator
from functools import lru_cache
from typing import NamedTuple

from whoosh.lang.porter2 import stem as _porter2

_CJK = "\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\u3005\u3007"
_W = rf"[^\W_{_CJK}]"
_TOKEN = re.compile(rf"(?P<cjk>[{_CJK}]+)|(?P<word>{_W}+(?:[.'’]{_W}+)*)")


class Term(NamedTuple):
    text: str
    pos: int
    start: int
    end: int


def fold_word(word: str) -> str:
    """Case and accent folding without stemming: for prefix, wildcard and fuzzy patterns."""
    folded = word.lower().replace("’", "'")
    if folded.isascii():
        return folded
    return "".join(c for c in unicodedata.normalize("NFKD", folded) if not unicodedata.combining(c))


@lru_cache(maxsize=200_000)
def normalize_word(word: str) -> str:
    """Fold case and accents, then stem; cached because news vocabularies repeat heavily."""
    folded = fold_word(word)
    return _porter2(folded) if folded.isalpha() or "'" in folded else folded


_NORMAL: dict[str, str] = {}  # plain dict in front of the lru_cache: the hot loops' lookup


def _normal(word: str) -> str:
    normal = _NORMAL.get(word)
    if normal is None:
        if len(_NORMAL) > 500_000:
            _NORMAL.clear()
        normal = _NORMAL[word] = normalize_word(word)
    return normal


def _cjk_terms(run: str, start: int, pos: int, query: bool) -> list[Term]:
    """Bigrams of a CJK run (and, when indexing, unigrams at the position of the bigram they start)."""
    if len(run) == 1:
        return [Term(run, pos, start, start + 1)]
    terms = []
    for i in range(len(run) - 1):
        terms.append(Term(run[i : i + 2], pos + i, start + i, start + i + 2))
        if not query:
            terms.append(Term(run[i], pos + i, start + i, start + i + 1))
    if not query:
        last = len(run) - 1
        terms.append(Term(run[last], pos + last - 1, start + last, start + last + 1))
    return terms


def iter_terms(text: str, *, query: bool = False) -> Iterator[Term]:
    """Yield the terms of `text` with positions and character offsets.

    In a query, a CJK run yields only its bigrams (a single character yields itself), so a
    multi-character query becomes a phrase of consecutive bigrams. When indexing, each character
    also yields a unigram at the position of the bigram it starts, so one-character queries work
    and phrase positions stay the same in both modes.
    """
    pos = 0
    for match in _TOKEN.finditer(text):
        word = match.group(2)
        if word is not None:
            normal = _normal(word)
            if normal:
                yield Term(normal, pos, match.start(), match.end())
                pos += 1
            continue
        run = match.group(1)
        yield from _cjk_terms(run, match.start(), pos, query)
        pos += max(1, len(run) - 1)


def find_terms(text: str, wanted: set[str]) -> list[Term]:
    """The terms of `text` (as iter_terms would yield them) that are in `wanted`, in order.

    Result pages find hits in fifty documents at a time; building a Term only for the wanted
    ones makes this loop twice as fast as filtering iter_terms.
    """
    found = []
    pos = 0
    for match in _TOKEN.finditer(text):
        word = match.group(2)
        if word is not None:
            normal = _normal(word)
            if normal in wanted:
                found.append(Term(normal, pos, match.start(), match.end()))
            pos += 1 if normal else 0
            continue
        run = match.group(1)
        found.extend(t for t in _cjk_terms(run, match.start(), pos, False) if t.text in wanted)
        pos += max(1, len(run) - 1)
    return found
