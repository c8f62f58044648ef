"""Words, sentences and paragraphs of an article's text, as character ranges.

The reader moves its cursor and grows a selection by these units, and `t` tags the sentence
under the cursor, so they must hold for any text: news prose with abbreviations ("Mr.", "U.S.",
"Nov. 11"), decimals ("3.5"), quotes closing a sentence, and Chinese or Japanese sentences that
end in 。！？ without a following space. A paragraph is a run of lines between blank lines.

Words and sentences are found only in a window around the offset asked about (`Windowed`):
splitting a whole 1.5 MB article into words took 300 ms, enough to stall the reader when it
opens, and a 5 MB single-line file would take seconds. Paragraph breaks are cheap to find in one pass.

Chinese has no spaces between words, so a run of Han characters is split into words by jieba
(a dictionary segmenter: "比利时卫生部门24日说" is 比利时 / 卫生部门 / 24 / 日 / 说). Loading its
dictionary takes about a second, so it happens once, in a worker (`prepare`), when the first
article with Chinese text opens; English text never loads it.
"""

from __future__ import annotations

import re
import threading
from bisect import bisect_left, bisect_right
from collections.abc import Callable, Iterator
from functools import lru_cache
from typing import Any

from margin.search import paths

_WORD = re.compile(r"\w+(?:['’.\-]\w+)*|[^\w\s]", re.UNICODE)
_HAN = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]")
_PARAGRAPH_BREAK = re.compile(r"\n[ \t]*\n\s*")
# A sentence ends at . ! ? (or CJK 。！？) plus any closing quotes/brackets, then space or end.
_SENTENCE_END = re.compile(r"(?:[.!?…]+[\"'”’)\]]*(?=\s|$)|[。！？]+[」』”’）)]*)")
_ABBREVIATIONS = frozenset(
    "mr mrs ms dr prof sr jr st mt no vs etc inc ltd co corp bros jan feb mar apr jun jul aug sep sept oct "
    "nov dec gen gov sen rep col capt lt sgt rev est approx dept fig e.g i.e a.m p.m u.s u.k u.n".split())

Span = tuple[int, int]


class Units:
    """Sorted, non-overlapping spans of one kind, with their starts for bisecting."""

    def __init__(self, spans: list[Span]) -> None:
        self.spans = spans
        self.starts = [s for s, _ in spans]
        self.ends = [e for _, e in spans]

    def at(self, offset: int) -> Span | None:
        """The unit holding `offset`, else the next one after it, else the last one."""
        if not self.spans:
            return None
        i = bisect_right(self.starts, offset) - 1
        if i >= 0 and offset < self.spans[i][1]:
            return self.spans[i]
        return self.spans[min(i + 1, len(self.spans) - 1)]

    def next_start(self, offset: int) -> int:
        """Start of the first unit after `offset` (or `offset` at the end), like vim's `w`."""
        i = bisect_right(self.starts, offset)
        return self.starts[i] if i < len(self.starts) else offset

    def previous_start(self, offset: int) -> int:
        """Start of the last unit starting before `offset` (or `offset` at the start), like vim's `b`."""
        i = bisect_left(self.starts, offset) - 1
        return self.starts[i] if i >= 0 else offset

    def next_end(self, offset: int) -> int:
        """End of the first unit ending after `offset` (a selection grows to it)."""
        i = bisect_right(self.ends, offset)
        return self.ends[i] if i < len(self.ends) else offset

    def previous_end(self, offset: int, floor: int) -> int:
        """End of the last unit ending before `offset` and after `floor`; past `floor`, a start."""
        i = bisect_left(self.ends, offset) - 1
        return self.ends[i] if i >= 0 and self.ends[i] > floor else self.previous_start(offset)


WINDOW = 4000  # characters on each side of the offset; a unit longer than this may be cut


class Windowed:
    """Units of a long text found in a window around each offset asked about, with Units' questions.

    A window's first and last units may be cut by its edges, so they are dropped unless the edge
    is the text's own; the window is wide enough that the unit before and after are inside it.
    """

    def __init__(self, text: str, find: Callable[[str, int, int], list[Span]]) -> None:
        self.text, self.find = text, find  # find(text, start, end) -> spans inside [start, end)
        self._window: tuple[int, int, Units] | None = None  # the offsets it answers for, and its units

    def _units(self, offset: int) -> Units:
        if self._window is not None:
            usable_low, usable_high, units = self._window
            if usable_low <= offset <= usable_high:
                return units
        low, high = max(0, offset - WINDOW), min(len(self.text), offset + WINDOW)
        spans = self.find(self.text, low, high)
        if low > 0 and spans:
            spans = spans[1:]
        if high < len(self.text) and spans:
            spans = spans[:-1]
        # From the last kept unit's start on (or up to the first's end), an answer may need a unit
        # the edge cut, or one dropped as possibly cut (a whole sentence before trailing spaces
        # was): such offsets get a window of their own.
        usable_low = low if low == 0 else max(low + WINDOW // 2, spans[0][1] + 1 if spans else high)
        usable_high = high if high == len(self.text) else min(high - WINDOW // 2, spans[-1][0] - 1 if spans else low)
        self._window = (usable_low, usable_high, Units(spans))
        return self._window[2]

    def at(self, offset: int) -> Span | None:
        return self._units(offset).at(offset)

    def next_start(self, offset: int) -> int:
        return self._units(offset).next_start(offset)

    def previous_start(self, offset: int) -> int:
        return self._units(offset).previous_start(offset)

    def next_end(self, offset: int) -> int:
        return self._units(offset).next_end(offset)

    def previous_end(self, offset: int, floor: int) -> int:
        return self._units(offset).previous_end(offset, floor)

    def all(self) -> list[Span]:
        """Every unit of the text (one pass; for short texts and tests)."""
        return self.find(self.text, 0, len(self.text))


@lru_cache(maxsize=8)
def words(text: str) -> Windowed:
    """Words (letters and digits with inner apostrophes, dots and hyphens; Chinese words as jieba
    finds them) and single punctuation marks."""
    return Windowed(text, _words_between)


def _words_between(text: str, start: int, end: int) -> list[Span]:
    spans: list[Span] = []
    for match in _WORD.finditer(text, start, end):
        if _HAN.search(match.group()):
            spans.extend((match.start() + a, match.start() + b) for a, b in _chinese_words(match.group()))
        else:
            spans.append(match.span())
    return spans


def _chinese_words(run: str) -> list[Span]:
    return [(a, b) for _, a, b in segmenter().tokenize(run)]


_LOADING = threading.Lock()


def segmenter() -> Any:
    """jieba's tokenizer with its dictionary loaded (once; its cache file lives in margin's cache)."""
    with _LOADING:
        return _loadedsegmenter()


@lru_cache(maxsize=1)
def _loadedsegmenter() -> Any:
    import jieba

    jieba.setLogLevel(60)  # it prints "Building prefix dict..." to stderr otherwise
    tokenizer = jieba.Tokenizer()
    try:
        folder = paths.cache_dir()
        folder.mkdir(parents=True, exist_ok=True)
        tokenizer.tmp_dir = str(folder)
    except OSError:
        pass  # an unwritable cache folder: jieba keeps its cache in the system's temporary folder
    tokenizer.initialize()
    return tokenizer


def prepare(text: str) -> None:
    """Load the word segmenter now if `text` has Chinese (call it off the UI thread)."""
    if _HAN.search(text):
        segmenter()


@lru_cache(maxsize=8)
def sentences(text: str) -> Windowed:
    """Sentences, never crossing a paragraph; abbreviations, initials and decimals do not end one."""
    return Windowed(text, _sentences_between)


@lru_cache(maxsize=8)
def paragraphs(text: str) -> Units:
    """Paragraphs, without their surrounding whitespace."""
    return Units(_paragraphs_between(text, 0, len(text)))


def _paragraphs_between(text: str, start: int, end: int) -> list[Span]:
    spans = []
    for brk in _PARAGRAPH_BREAK.finditer(text, start, end):
        spans.append(trimmed(text, start, brk.start()))
        start = brk.end()
    spans.append(trimmed(text, start, end))
    return [s for s in spans if s[0] < s[1]]


def _sentences_between(text: str, start: int, end: int) -> list[Span]:
    spans: list[Span] = []
    for p_start, p_end in _paragraphs_between(text, start, end):
        begin = p_start
        for stop in [*_sentence_ends(text, p_start, p_end), p_end]:
            span = trimmed(text, begin, stop)
            if span[0] < span[1]:
                spans.append(span)
            begin = stop
    return spans


def _sentence_ends(text: str, start: int, end: int) -> Iterator[int]:
    for match in _SENTENCE_END.finditer(text, start, end):
        if not (match.group().startswith(".") and _is_abbreviation(text, match.start())):
            yield match.end()


def _is_abbreviation(text: str, dot: int) -> bool:
    """A dot after a known abbreviation, an initial ("J.") or dotted letters ("U.S.") ends no sentence."""
    begin = dot
    while begin > 0 and (text[begin - 1].isalpha() or text[begin - 1] == "."):
        begin -= 1
    word = text[begin:dot]
    if word.casefold() in _ABBREVIATIONS:
        return True
    return all(len(part) == 1 and part.isalpha() for part in word.split(".")) and word[:1].isupper()


def trimmed(text: str, start: int, end: int) -> Span:
    """The span without whitespace at either end."""
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    return start, end
