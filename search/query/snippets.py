"""One-line snippets: the window of body text holding the most hits."""

from __future__ import annotations

import re

from margin.search.results import Snippet

_WHITE = re.compile(r"\s+")
WIDTH = 160


def _best_window(spans: list[tuple[int, int]], width: int) -> int:
    """Start offset of the window of `width` characters that covers the most hit spans."""
    best_start, best_count, right = spans[0][0], 0, 0
    for left, (start, _) in enumerate(spans):
        while right < len(spans) and spans[right][1] <= start + width:
            right += 1
        if right - left > best_count:
            best_start, best_count = start, right - left
    return best_start


def make_snippet(text: str, spans: list[tuple[int, int]], width: int = WIDTH, terms: list[int] | None = None) -> Snippet:
    """Hits marked, white space folded, cut at word boundaries, with … where text was left out;
    `terms`, beside `spans`, the query term of each (kept for the hits the snippet shows)."""
    if spans:
        first = _best_window(spans, width)
        start = max(0, first - width // 4)
    else:
        start = 0
    end = min(len(text), start + width)
    if start > 0:
        space = text.find(" ", start, first if spans else end)
        start = space + 1 if space != -1 else start
    if end < len(text):
        space = text.rfind(" ", start, end)
        end = space if space > start else end
    parts: list[tuple[str, bool]] = [("…", False)] if start > 0 else []
    shown: list[int] = []
    cursor = start
    for (s, e), term in zip(spans, terms or [0] * len(spans), strict=True):
        if e <= start or s >= end:
            continue
        s, e = max(s, start), min(e, end)
        if s > cursor:
            parts.append((text[cursor:s], False))
        parts.append((text[s:e], True))
        shown.append(term)
        cursor = e
    if cursor < end:
        parts.append((text[cursor:end], False))
    if end < len(text):
        parts.append(("…", False))
    return Snippet(tuple((_WHITE.sub(" ", t), hit) for t, hit in parts if t), tuple(shown))
