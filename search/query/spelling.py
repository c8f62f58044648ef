"""Did you mean: the surface words of the corpus and the closest one to a word it lacks.

Stemming alone cannot tell that `xiaomy` is a typo (Porter2 maps it onto `xiaomi`), so we keep
the unstemmed words seen while indexing and suggest when a query word is not among them.
"""

from __future__ import annotations

import re
from collections import defaultdict

from rapidfuzz import process
from rapidfuzz.distance import OSA, Levenshtein

from margin.search.query.function_words import FUNCTION_WORDS

_WORD = re.compile(r"[^\W\d_]{3,}")
_ASCII_WORD = re.compile(r"[a-z]{3,}")  # _WORD in lower-cased ASCII: a set the engine scans twice as fast
_FROM_CJK = re.compile("[\u3000-\U0010ffff]")  # the words starting there are left out
_QUERY_WORD = re.compile(r'(?P<fielded>[A-Za-z_]+:(?:"[^"]*"?|\([^)]*\)?|\[[^\]]*\]?|\S*))'
                         r"|(?P<word>[^\W\d_]{3,})(?![\w:])")
_OPERATORS = {"AND", "OR", "NOT", "ANDNOT", "ANDMAYBE", "TO"}


def surface_words(text: str) -> list[str]:
    """Lower-cased alphabetic words of three letters or more (CJK runs left out). A list, not a
    Counter: the build counts a batch's lists with one Counter.update, in C."""
    lowered = text.lower()
    if lowered.isascii():
        return _ASCII_WORD.findall(lowered)
    words: list[str] = _WORD.findall(lowered)
    if _FROM_CJK.search(text):
        return [w for w in words if w[0] < "\u3000"]
    return words


# A capitalised word after a lower-case word, a digit or a comma: mid-sentence, so written as a name.
# The capital before the look-behind, so that the engine scans for it (a third faster).
_MID_SENTENCE_CAPITAL = re.compile(r"[A-Z](?<=[a-z0-9,] [A-Z])[a-z]{2,}(?![\w-])")


def capitalised_words(text: str) -> list[str]:
    """Lower-cased words the text writes capitalised in mid-sentence ("... said Federer")."""
    return " ".join(_MID_SENTENCE_CAPITAL.findall(text)).lower().split()


def names_as_written(vocabulary: dict[str, int], capitalised: dict[str, int]) -> frozenset[str]:
    """Words the corpus writes as names (capitalised mid-sentence at least half the time, twice or
    more): matched as written, not through their stem (like Lucene's KeywordMarkerFilter)."""
    return frozenset(w for w, n in capitalised.items() if n >= 2 and 2 * n >= vocabulary.get(w, 0))


def distance(a: str, b: str, limit: int, *, transpositions: bool = True) -> int:
    """Edit distance with transpositions (optimal string alignment), more than `limit` when it is
    beyond it; without them, as Whoosh's fuzzy terms count (`from~` does not find "form").
    RapidFuzz's, in C++: the Python one took 60-70 % of a fuzzy query at 100,000 documents."""
    found: int = (OSA if transpositions else Levenshtein).distance(a, b, score_cutoff=limit)
    return found


class Vocabulary:
    def __init__(self, counts: dict[str, int]) -> None:
        self.counts = counts
        self._by_initial: dict[str, list[str]] | None = None

    def closest(self, word: str) -> str | None:
        """The most frequent known word within one edit (two for longer words) that the search
        would use (never a function word), or None."""
        word = word.lower()
        if word in self.counts or len(word) < 3:
            return None
        if self._by_initial is None:
            self._by_initial = defaultdict(list)
            for known in self.counts:
                if known not in FUNCTION_WORDS:  # the search drops them: `hate` never becomes `have`
                    self._by_initial[known[0]].append(known)
        limit = 1 if len(word) <= 4 else 2
        near = process.extract(word, self._by_initial.get(word[0], ()), scorer=OSA.distance, score_cutoff=limit,
                               limit=None)
        best = min(((d, -self.counts[known], known) for known, d, _ in near), default=None)
        return best[2] if best else None

    def suggest_query(self, text: str) -> str | None:
        """The query with each unknown free word replaced by its closest known word (fields left as typed)."""
        changed = False

        def fix(match: re.Match[str]) -> str:
            nonlocal changed
            word = match.group("word")
            skip = match.group("fielded") or word in _OPERATORS or word.lower() in FUNCTION_WORDS
            better = None if skip else self.closest(word)
            if better is None:
                return match.group()
            changed = True
            return better

        fixed = _QUERY_WORD.sub(fix, text)
        return fixed if changed else None
