"""Words, sentences and paragraphs of an article's text, as character ranges.

The reader moves its cursor and grows a selection by these units, and `t` tags the sentence
under the cursor, so they must hold for any text: news prose with abbreviations ("Mr.", "U.S.",
"Nov. 11"), decimals ("3.5"), quotes closing a sentence, and Chinese or Japanese sentences that
end in 。！？ without a following space. A paragraph is a run of lines between blank lines.
"""

from __future__ import annotations

import re
from bisect import bisect_left, bisect_right
from functools import lru_cache

_WORD = re.compile(r"\w+(?:['’.\-]\w+)*|[^\w\s]", re.UNICODE)
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


@lru_cache(maxsize=8)
def words(text: str) -> Units:
    """Words (letters and digits with inner apostrophes, dots and hyphens) and single punctuation marks."""
    return Units([m.span() for m in _WORD.finditer(text)])


@lru_cache(maxsize=8)
def paragraphs(text: str) -> Units:
    """Paragraphs, without their surrounding whitespace."""
    spans, start = [], 0
    for brk in _PARAGRAPH_BREAK.finditer(text):
        spans.append(trimmed(text, start, brk.start()))
        start = brk.end()
    spans.append(trimmed(text, start, len(text)))
    return Units([s for s in spans if s[0] < s[1]])


@lru_cache(maxsize=8)
def sentences(text: str) -> Units:
    """Sentences, never crossing a paragraph; abbreviations, initials and decimals do not end one."""
    spans: list[Span] = []
    for p_start, p_end in paragraphs(text).spans:
        start = p_start
        for end in [*_sentence_ends(text, p_start, p_end), p_end]:
            span = trimmed(text, start, end)
            if span[0] < span[1]:
                spans.append(span)
            start = end
    return Units(spans)


def _sentence_ends(text: str, start: int, end: int):
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
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    return start, end
