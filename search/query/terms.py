"""Turning text into index terms, shared by the indexer and the hit finder.

One function decides what a term is, so the character offsets the reader lights up are computed
from exactly the tokens the index holds. English words are case- and accent-folded and stemmed
with Porter2; runs of Han, kana and similar scripts become overlapping bigrams (plus unigrams when
indexing), so that `山寨` and `山寨机` both find `山寨机` without a dictionary.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable, Iterator
from functools import lru_cache
from typing import NamedTuple, cast

import Stemmer

# Snowball's English stemmer (Porter2), in C. Whoosh's pure-Python Porter2 took 8.1 µs a word
# against 1.2 µs, and predates Snowball's later exceptions: it stemmed "university" and
# "universal" alike ("univers"), "organizing" as "organ", "emergency" as "emerg", "paste" as
# "past" (85 of 64,528 words of BBC News, Reuters-21578 and Cranfield differ; SCHEMA_VERSION 11).
_ENGLISH = Stemmer.Stemmer("english")

_CJK = "\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\u3005\u3007"
_W = rf"[^\W_{_CJK}]"
_WORD = rf"{_W}+(?:[.'’]{_W}+)*"
_TOKEN = re.compile(rf"(?P<cjk>[{_CJK}]+)|(?P<word>{_WORD})")
_WORD_ONLY = re.compile(_WORD)
_ASCII_WORD_ONLY = re.compile(r"[a-z0-9]+(?:[.'][a-z0-9]+)*")  # _WORD in folded ASCII: sets scanned faster
_HAS_CJK = re.compile(f"[{_CJK}]")
_WORD_CHAR = re.compile(_W)
_JOINERS = ".'’"


class Term(NamedTuple):
    text: str
    pos: int
    start: int
    end: int


def _lower_case(text: str) -> str:
    """Folding's first step, on a word or a whole text alike: lower case, and ’ written as '."""
    return text.lower().replace("’", "'")


def fold_word(word: str) -> str:
    """Case and accent folding without stemming: for prefix, wildcard and fuzzy patterns."""
    folded = _lower_case(word)
    if folded.isascii():
        return folded
    return "".join(c for c in unicodedata.normalize("NFKD", folded) if not unicodedata.combining(c))


def words_of(text: str) -> list[str]:
    """The words of `text` as the tokenizer cuts them (`NVIDIA’s` stays one word; CJK runs whole)."""
    return [match.group() for match in _TOKEN.finditer(text)]


def surface_form(word: str) -> str:
    """A word as written, folded but not stemmed, without a possessive: "Federer's" -> "federer"."""
    surface = _SURFACE.get(word)
    if surface is None:
        if len(_SURFACE) > 500_000:
            _SURFACE.clear()
        folded = fold_word(word)
        surface = _SURFACE[word] = folded[:-2] if folded.endswith("'s") else folded.rstrip("'")
    return surface


_SURFACE: dict[str, str] = {}  # the indexer's hot loop: news vocabularies repeat heavily


def iter_surface_forms(text: str) -> Iterator[Term]:
    """The words of `text` (not CJK runs) as surface forms, with offsets: the `exact` field."""
    pos = 0
    for match in _TOKEN.finditer(text):
        word = match.group(2)
        if word is not None:
            yield Term(surface_form(word), pos, match.start(), match.end())
            pos += 1
        else:
            pos += max(1, len(match.group(1)) - 1)


def surface_spans(text: str, wanted: set[str]) -> list[tuple[int, int]]:
    """Offsets of the words of `text` whose surface form is in `wanted` (names as written)."""
    if not _all_words(wanted):
        return [(t.start, t.end) for t in iter_surface_forms(text) if t.text in wanted]
    return _spans_by_search(text, wanted, surface_form, wanted)


@lru_cache(maxsize=200_000)
def normalize_word(word: str) -> str:
    """Fold case and accents, then stem; cached because news vocabularies repeat heavily."""
    folded = fold_word(word)
    return str(_ENGLISH.stemWord(folded)) if folded.isalpha() or "'" in folded else folded


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


def iter_terms(text: str, *, query: bool = False, start: int = 0) -> Iterator[Term]:
    """Yield the terms of `text` with positions and character offsets (from the token at
    `start`, whose position is 0).

    In a query, a CJK run yields only its bigrams (a single character yields itself), so a
    multi-character query becomes a phrase of consecutive bigrams. When indexing, each character
    also yields a unigram at the position of the bigram it starts, so one-character queries work
    and phrase positions stay the same in both modes.
    """
    pos = 0
    for match in _TOKEN.finditer(text, start):
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


def plain_terms(text: str) -> tuple[list[str], list[str]] | None:
    """(the terms `iter_terms` yields, the surface forms `iter_surface_forms` yields) of a text
    without CJK runs, from one pass of the regular expression engine: the indexer's hot loop,
    four times faster than the two generators; None for a text with CJK runs (whose unigrams
    share positions with bigrams: use `iter_terms`). An ASCII text is folded whole, so that its
    words come out of findall as their surface forms and look up their stems once."""
    if _HAS_CJK.search(text):
        return None
    folded = _lower_case(text)
    if folded.isascii():  # folded already, word by word as fold_word would: tokens cut alike
        words = _ASCII_WORD_ONLY.findall(folded)
        surface = [w[:-2] if w.endswith("'s") else w for w in words] if "'s" in folded else words
    else:
        words = _WORD_ONLY.findall(text)
        surface = _mapped(words, _SURFACE, surface_form)
    normal = _mapped(words, _NORMAL, _normal)
    if "" in normal:  # a word that folds to nothing is no term
        normal = [n for n in normal if n]
    return normal, surface


def _mapped(words: list[str], cache: dict[str, str], make: Callable[[str], str]) -> list[str]:
    """`make` of each word, looked up in its cache by map, in C; the words it lacks (a few in
    most texts once a build is under way) are found by list.index, also in C, and made."""
    found = list(map(cache.get, words))
    try:
        at = found.index(None)
        while True:  # each search goes on from the last miss: one pass over the list in all
            found[at] = make(words[at])
            at = found.index(None, at + 1)
    except ValueError:  # no more misses
        return cast(list[str], found)


def term_texts(text: str) -> list[str]:
    """The texts of iter_terms(text), from one regular-expression pass where the text allows."""
    plain = plain_terms(text)
    return plain[0] if plain is not None else [t.text for t in iter_terms(text)]


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


def term_spans(text: str, wanted: set[str]) -> list[tuple[int, int]]:
    """Offsets of the terms of `text` in `wanted`: the same spans as find_terms, sorted.

    The text is not walked token by token: its distinct words are collected in C (findall), those
    that normalise to a wanted term are found with str.find, and each occurrence is kept only where
    the tokenizer would start and end a token. A 1 MB article (~170,000 tokens) took 100 ms less;
    a page of 50 Reuters stories takes 40 % less (about 50 against 80 microseconds a story).
    """
    if not _all_words(wanted):
        return sorted((t.start, t.end) for t in find_terms(text, wanted))
    starts = {w[:-1] or w for w in wanted} | {_STEM_STARTS[w] for w in wanted if w in _STEM_STARTS}
    return _spans_by_search(text, wanted, _normal, starts)


def _all_words(wanted: set[str]) -> bool:
    """Whether every wanted term starts with a word character (CJK bigrams need the token walk)."""
    return all(w and _WORD_CHAR.match(w) for w in wanted)


# Porter2's words whose stem is not their start less a letter ("lying" -> "lie"); any other word's
# folded form starts with its stem less its last letter ("pricing" -> "price", "cry" -> "cri";
# checked on the 55,000 words of a 100,000-article corpus, and with Snowball's stemmer on the
# 64,528 of BBC News, Reuters-21578 and Cranfield: "vying" -> "vie" was the one more).
_STEM_STARTS = {"lie": "ly", "die": "dy", "tie": "ty", "vie": "vy"}
_COMBINING = re.compile("[\u0300-\u036f\u1ab0-\u1aff\u1dc0-\u1dff\u20d0-\u20ff\ufe20-\ufe2f]")


def _spans_by_search(text: str, wanted: set[str], form: Callable[[str], str],
                     starts: set[str]) -> list[tuple[int, int]]:
    """Where the words whose `form` is wanted occur as whole tokens, found with str.find.

    Where folding a word is lower-casing it (the text is ASCII, or in NFKD form without combining
    marks) the lower-cased text is searched for the `starts` of the wanted words' tokens: a page
    of 50 articles of 3,000 characters took 12 ms, 60 % of a search at 100,000 documents, in
    collecting and normalising every distinct word.
    """
    if _folds_as_lower_case(text) and all(w.isascii() for w in wanted):
        return _spans_by_start(text, wanted, form, starts)
    # Only the words whose folded form begins as a wanted one can be wanted: stemming every
    # distinct word of a page's articles cost 20 ms a search in a new reader (cold caches).
    beginnings = tuple(starts)
    spans = []
    for surface in {w for w in set(_WORD_ONLY.findall(text)) if fold_word(w).startswith(beginnings) and form(w) in wanted}:
        at = text.find(surface)
        while at != -1:
            end = at + len(surface)
            if _token_starts(text, at) and _token_ends(text, end):
                spans.append((at, end))
            at = text.find(surface, at + 1)
    return sorted(spans)


def _folds_as_lower_case(text: str) -> bool:
    """Whether fold_word is lower() on every word of `text` (and keeps its length)."""
    return text.isascii() or (unicodedata.is_normalized("NFKD", text) and not _COMBINING.search(text))


def _spans_by_start(text: str, wanted: set[str], form: Callable[[str], str], starts: set[str]) -> list[tuple[int, int]]:
    lowered = _lower_case(text)
    spans = set()
    for start in starts:
        for at in _places(lowered, start):
            if _token_starts(text, at):
                token = _WORD_ONLY.match(text, at)
                if token is not None and form(token.group()) in wanted:
                    spans.add((at, token.end()))
    return sorted(spans)


def _places(lowered: str, start: str) -> Iterator[int]:
    """Where `start` occurs, by str.find; a start of one or two letters (the `p` of `oil p`, typed
    so far) is inside most words, and is looked for only where no word character comes before it
    (a cached pattern: checking each place str.find found cost 10 ms a page). A longer start keeps
    str.find, which a pattern beginning with a lookbehind cannot match as fast."""
    if len(start) <= 2:
        yield from (found.start() for found in _word_start(start).finditer(lowered))
        return
    at = lowered.find(start)
    while at != -1:
        yield at
        at = lowered.find(start, at + 1)


@lru_cache(maxsize=256)
def _word_start(start: str) -> re.Pattern[str]:
    return re.compile(rf"(?<!{_W}){re.escape(start)}")


def _is_word_char(text: str, i: int) -> bool:
    return 0 <= i < len(text) and _WORD_CHAR.match(text, i) is not None


def _token_starts(text: str, i: int) -> bool:
    """No word character (nor a joiner after one) right before: the tokenizer starts a token here."""
    if _is_word_char(text, i - 1):
        return False
    return not (i >= 2 and text[i - 1] in _JOINERS and _is_word_char(text, i - 2))


def _token_ends(text: str, end: int) -> bool:
    if _is_word_char(text, end):
        return False
    return not (end < len(text) and text[end] in _JOINERS and _is_word_char(text, end + 1))
