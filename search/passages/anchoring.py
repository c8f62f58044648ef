"""Anchoring a passage to an article's text so that it survives edits, as Hypothesis does.

A passage is stored as a W3C TextQuoteSelector (the exact text with about 32 characters of prefix
and suffix) and a TextPositionSelector (start and end). To place it again in a possibly edited
text: the old position, if it still holds the exact text; else an exact search for the quote,
the prefix, suffix and closeness deciding between several; else an approximate match
(diff-match-patch's bitap, scored by the quote, prefix, suffix and closeness); else, when part
of it was deleted or moved away, its longest surviving piece if that is most of it. What cannot be
placed with confidence is an orphan, never a guess. Only "position" and "quote" placements hold
the exact quote; "fuzzy" ones differ from it and must be shown as approximate.
"""

from __future__ import annotations

from dataclasses import dataclass
from difflib import SequenceMatcher

from diff_match_patch import diff_match_patch

CONTEXT = 32
MIN_SIMILARITY = 0.8  # of the fuzzy candidate to the quote; below, the passage is an orphan
MIN_CONTEXT_SIMILARITY = 0.75  # of the candidate with its surroundings to prefix + quote + suffix
SHORT_QUOTE = 32  # a quote shorter than this recurs by chance: placing it elsewhere needs its context
COVERAGE = 0.95  # of the quote found, in order, in a candidate with words inserted into it
MAX_GROWTH = 3  # how much longer than the quote such a candidate may be
PIECE_SHARE = 0.6  # at half, a passage split in two by a moved sentence landed on either half
PIECE_REACH = 2000  # how far from its old place a surviving piece of a quote is looked for
FUZZY_QUOTE = 5000  # longer quotes are placed exactly or not at all: matching is quadratic in length


@dataclass(frozen=True)
class Anchor:
    exact: str
    prefix: str
    suffix: str
    start: int
    end: int


@dataclass(frozen=True)
class Placement:
    start: int
    end: int
    method: str  # "position", "quote" or "fuzzy"
    similarity: float = 1.0  # the share of the quote found, in order, at the place (below 1: fuzzy)

    @property
    def exact(self) -> bool:
        return self.method != "fuzzy"


def anchor_for(text: str, start: int, end: int) -> Anchor:
    """The selectors of text[start:end]."""
    return Anchor(text[start:end], text[max(0, start - CONTEXT) : start], text[end : end + CONTEXT], start, end)


def place(text: str, anchor: Anchor) -> Placement | None:
    """Where the passage is in `text` now, or None (an orphan)."""
    if not anchor.exact:
        return None
    if text[anchor.start : anchor.end] == anchor.exact:
        return Placement(anchor.start, anchor.end, "position")
    exactly = _by_quote(text, anchor) or _by_case(text, anchor)
    if exactly or len(anchor.exact) > FUZZY_QUOTE:  # 5,000 characters: 0.3 s; 20,000: 4 s; 1 MB: hours
        return exactly
    return _by_approximation(text, anchor)


def _context_matched(text: str, anchor: Anchor, start: int, end: int) -> tuple[int, int]:
    """How many characters of the stored prefix and suffix stand unchanged beside [start, end)."""
    before = text[max(0, start - len(anchor.prefix)) : start]
    after = text[end : end + len(anchor.suffix)]
    return _common_suffix(before, anchor.prefix), _common_prefix(after, anchor.suffix)


def _context_score(text: str, anchor: Anchor, start: int, end: int) -> float:
    """How well the text around [start, end) matches the stored prefix and suffix, and the old place."""
    before, after = _context_matched(text, anchor, start, end)
    prefix = before / max(1, len(anchor.prefix))
    suffix = after / max(1, len(anchor.suffix))
    closeness = 1 / (1 + abs(start - anchor.start) / max(1, len(text)))
    return 2 * prefix + 2 * suffix + closeness


def _by_quote(text: str, anchor: Anchor) -> Placement | None:
    starts = []
    at = text.find(anchor.exact)
    while at != -1:
        starts.append(at)
        at = text.find(anchor.exact, at + 1)
    if not starts:
        return None
    size = len(anchor.exact)
    best = max(starts, key=lambda s: _context_score(text, anchor, s, s + size))
    if size < SHORT_QUOTE and _context_share(text, anchor, best, best + size) < 0.5:
        return None  # the same few words, but not in the same place (measured on scripted edits)
    return Placement(best, best + size, "quote")


def _context_share(text: str, anchor: Anchor, start: int, end: int) -> float:
    """The share of the stored prefix and suffix found unchanged next to [start, end)."""
    return sum(_context_matched(text, anchor, start, end)) / max(1, len(anchor.prefix) + len(anchor.suffix))


def _by_case(text: str, anchor: Anchor) -> Placement | None:
    """The quote with its letters' case changed: the same words, but not the same text (flagged)."""
    lowered = text.lower()
    if len(lowered) != len(text):  # a few characters change length when lowered; offsets would drift
        return None
    placed = _by_quote(lowered, Anchor(anchor.exact.lower(), anchor.prefix.lower(), anchor.suffix.lower(),
                                       anchor.start, anchor.end))
    return Placement(placed.start, placed.end, "fuzzy", 1.0) if placed else None


def _end_near(text: str, pattern: str, at: int) -> int:
    """Where `pattern`, matched approximately from `at`, ends: its last characters found nearby."""
    last = pattern[-8:]
    found = text.find(last, at, at + 2 * len(pattern))
    return found + len(last) if found != -1 else at + len(pattern)


def _by_approximation(text: str, anchor: Anchor) -> Placement | None:
    """The quote found approximately where it was, else its longest surviving piece."""
    span = _bitap_span(text, anchor)
    placed = _judged(text, anchor, *span) if span else None
    return placed or _by_piece(text, anchor)


def _bitap_span(text: str, anchor: Anchor) -> tuple[int, int] | None:
    """Bitap on the quote's first and last 32 characters near where they were."""
    dmp = diff_match_patch()
    dmp.Match_Threshold = 0.4
    dmp.Match_Distance = max(1000, len(text))
    bits = dmp.Match_MaxBits
    start = dmp.match_main(text, anchor.exact[:bits], min(anchor.start, len(text)))
    if start == -1:
        return None
    if len(anchor.exact) <= bits:
        return start, _end_near(text, anchor.exact, start)
    tail = anchor.exact[-bits:]
    guess = start + len(anchor.exact) - len(tail)
    tail_at = dmp.match_main(text, tail, min(max(guess, 0), len(text)))
    if tail_at == -1 or tail_at < start:
        return None
    return start, _end_near(text, tail, tail_at)


def _judged(text: str, anchor: Anchor, start: int, end: int) -> Placement | None:
    """Keep a candidate that resembles the quote, or that holds all of it with words inserted;
    a weak candidate is an orphan."""
    candidate = text[start:end]
    if not candidate:
        return None
    matched = sum(block.size for block in _matcher(candidate, anchor.exact).get_matching_blocks())
    similarity = 2 * matched / (len(candidate) + len(anchor.exact))
    holds_all = matched >= COVERAGE * len(anchor.exact) and len(candidate) <= MAX_GROWTH * len(anchor.exact)
    if similarity < MIN_SIMILARITY and not holds_all:
        return None
    # A short quote resembles many places; its surroundings must match too (measured: 10-14
    # character quotes otherwise landed on look-alike words elsewhere in the article).
    around = text[max(0, start - len(anchor.prefix)) : end + len(anchor.suffix)]
    if not holds_all and _similarity(around, anchor.prefix + anchor.exact + anchor.suffix) < MIN_CONTEXT_SIMILARITY:
        return None
    if len(anchor.exact) < SHORT_QUOTE and _context_share(text, anchor, start, end) < 0.5:
        return None
    return Placement(start, end, "fuzzy", round(matched / len(anchor.exact), 3))


def _by_piece(text: str, anchor: Anchor) -> Placement | None:
    """Part of the passage was deleted or moved away: the longest piece of the quote still found
    unchanged near its old place, if it is most of the quote (PIECE_SHARE; not a chance phrase)."""
    size = len(anchor.exact)
    if size < 2 * SHORT_QUOTE:
        return None
    low = max(0, anchor.start - PIECE_REACH - size)
    high = min(len(text), anchor.end + PIECE_REACH + size)
    window = text[low:high]
    piece = _matcher(window, anchor.exact).find_longest_match(0, len(window), 0, size)
    if piece.size < PIECE_SHARE * size:
        return None
    return Placement(low + piece.a, low + piece.a + piece.size, "fuzzy", round(piece.size / size, 3))


def _matcher(a: str, b: str) -> SequenceMatcher[str]:
    return SequenceMatcher(None, a, b, autojunk=False)


def _similarity(a: str, b: str) -> float:
    return _matcher(a, b).ratio()


def _common_prefix(a: str, b: str) -> int:
    n = 0
    for x, y in zip(a, b):
        if x != y:
            break
        n += 1
    return n


def _common_suffix(a: str, b: str) -> int:
    return _common_prefix(a[::-1], b[::-1])
