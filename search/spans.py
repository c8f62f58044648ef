"""Character spans: overlap tests and merging, shared by entities and hit finding."""

from __future__ import annotations

from bisect import bisect_left
from typing import TypeVar, cast


class SpanSet:
    """Sorted, non-overlapping spans with a logarithmic overlap test (long articles have many)."""

    def __init__(self, spans: list[tuple[int, int]]) -> None:
        self.spans = sorted(spans)
        self.starts = [s for s, _ in self.spans]

    def overlaps(self, start: int, end: int) -> bool:
        i = bisect_left(self.starts, end)
        return i > 0 and self.spans[i - 1][1] > start


Span = TypeVar("Span", tuple[int, int], tuple[int, int, int])  # (start, end), or with a query term


def merge_spans(spans: list[Span]) -> list[Span]:
    """Union of possibly overlapping spans, sorted; touching spans stay separate hits. A span
    with a term keeps the term of the one that starts first."""
    merged: list[Span] = []
    for span in sorted(spans):
        if merged and span[0] < merged[-1][1]:
            last: tuple[int, ...] = merged[-1]
            merged[-1] = cast(Span, (last[0], max(span[1], last[1]), *last[2:]))
        else:
            merged.append(span)
    return merged
