"""Character spans: overlap tests and merging, shared by entities and hit finding."""

from __future__ import annotations

from bisect import bisect_left


class SpanSet:
    """Sorted, non-overlapping spans with a logarithmic overlap test (long articles have many)."""

    def __init__(self, spans: list[tuple[int, int]]) -> None:
        self.spans = sorted(spans)
        self.starts = [s for s, _ in self.spans]

    def overlaps(self, start: int, end: int) -> bool:
        i = bisect_left(self.starts, end)
        return i > 0 and self.spans[i - 1][1] > start


def merge_spans(spans: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """Union of possibly overlapping spans, sorted; touching spans stay separate hits."""
    merged: list[tuple[int, int]] = []
    for start, end in sorted(spans):
        if merged and start < merged[-1][1]:
            merged[-1] = (merged[-1][0], max(end, merged[-1][1]))
        else:
            merged.append((start, end))
    return merged
