"""A document's similarity sketch: MinHash over its word 3-shingles, made while the build reads it.

MinHash (Broder 1997) keeps the least hash of a document's shingles under each of several hash
functions: two sketches agree in a position with the probability that is the Jaccard similarity
of the two shingle sets. This is one-permutation MinHash (Li, Owen and Zhang 2012): one hash per
shingle, split by its top bits into BINS bins, the least of each bin kept. It costs one sort of
the document's shingle hashes instead of 64 hash functions over every shingle (0.05 ms a document
instead of 0.15). A bin no shingle falls in (a short document) stays EMPTY and is left out of the
comparison. Word hashes are crc32, stable across processes and releases (not Python's seeded
`hash`): a sketch made today must compare with one made next month by another process.
Three-word shingles, not the five of web-page work: a word edited in a news copy then costs three
shingles, not five, while three words in a row are already rare enough that unrelated articles
share few of them.
"""

from __future__ import annotations

import re
import zlib
from dataclasses import dataclass
from typing import cast

import numpy as np
import numpy.typing as npt

from margin.search.query.spelling import surface_words

BINS = 64
SHINGLE = 3  # words a shingle holds
EMPTY = np.iinfo(np.uint32).max  # a sketch position no shingle reached (a document of no words)
# A word is a run of letters or digits; a CJK character is a word of its own (no spaces there).
_CJK = "\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uac00-\ud7af"
_HAS_CJK = re.compile(f"[{_CJK}]")
_WORDS = re.compile(f"[{_CJK}]|[^\\W_{_CJK}]+")
_KNOWN: dict[str, int] = {}  # word -> its hash, kept across a worker's documents
KNOWN_WORDS = 1_000_000  # words remembered, at most (some 100 MB); then the memory starts again
_EDGES = np.arange(BINS + 1, dtype=np.uint64) << np.uint64(64 - 6)  # BINS = 2**6 bins by the top bits
_EDGES[-1] = np.uint64(2**64 - 1)
_MIX = (np.uint64(0x9E3779B97F4A7C15), np.uint64(0xBF58476D1CE4E5B9), np.uint64(0x94D049BB133111EB))

Sketch = npt.NDArray[np.uint32]


@dataclass(frozen=True)
class Sketched:
    """A document's sketch and the number of distinct shingles it was made of (for containment)."""

    mins: Sketch
    shingles: int

    def to_bytes(self) -> bytes:
        return self.mins.astype("<u4").tobytes()


def from_bytes(data: bytes) -> Sketch:
    return np.frombuffer(data, dtype="<u4").astype(np.uint32)


def sketch(text: str, words: list[str] | None = None) -> Sketched:
    """The sketch of a text (a document's body: titles are rewritten from copy to copy)."""
    shingles = shingle_hashes(text, words)  # sorted: each bin's least is its first
    mins = np.full(BINS, EMPTY, dtype=np.uint32)
    if not len(shingles):
        return Sketched(mins, 0)
    starts = np.searchsorted(shingles, _EDGES[:-1])
    filled = starts < np.searchsorted(shingles, _EDGES[1:])
    low = (shingles[starts[filled]] & np.uint64(0xFFFFFFFF)).astype(np.uint32)
    mins[filled] = np.minimum(low, EMPTY - 1)  # EMPTY stays the mark of an empty bin
    return Sketched(mins, len(shingles))


def shingle_hashes(text: str, words: list[str] | None = None) -> npt.NDArray[np.uint64]:
    """The distinct hashes of a text's shingles, in order. Its words are the ones "did you mean"
    counts (`surface_words`, which the build has already made: a tenth of a millisecond an
    article saved), or where CJK is, every word and CJK character."""
    if not text.isascii() and _HAS_CJK.search(text):
        words = _WORDS.findall(text.casefold())
    elif words is None:
        words = surface_words(text)
    if not words:
        return np.empty(0, dtype=np.uint64)
    return _shingles(np.array(_hashes(words), dtype=np.uint64))


def _hashes(words: list[str]) -> list[int]:
    """Each word's hash: looked up by map, in C; the words not known yet (a few an article once
    a build is under way) hashed and remembered."""
    found = list(map(_KNOWN.get, words))
    if None in found:
        found = [h if h is not None else _hash(w) for w, h in zip(words, found, strict=True)]
    return cast(list[int], found)


def _hash(word: str) -> int:
    known = _KNOWN.get(word)
    if known is None:
        if len(_KNOWN) >= KNOWN_WORDS:
            _KNOWN.clear()
        known = _KNOWN[word] = zlib.crc32(word.encode("utf-8", "surrogatepass"))
    return known


def _shingles(words: npt.NDArray[np.uint64]) -> npt.NDArray[np.uint64]:
    """The distinct hashes of every run of SHINGLE words (of all words, when there are fewer)."""
    width = min(SHINGLE, len(words))
    runs = len(words) - width + 1
    combined = np.zeros(runs, dtype=np.uint64)
    with np.errstate(over="ignore"):
        for at in range(width):
            combined = combined * _MIX[0] + words[at : at + runs]
        return np.unique(_mixed(combined))


def _mixed(values: npt.NDArray[np.uint64]) -> npt.NDArray[np.uint64]:
    """SplitMix64's finaliser: neighbouring shingle sums become unrelated hashes."""
    values = (values ^ (values >> np.uint64(30))) * _MIX[1]
    values = (values ^ (values >> np.uint64(27))) * _MIX[2]
    return values ^ (values >> np.uint64(31))
