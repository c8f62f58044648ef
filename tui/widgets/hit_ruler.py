"""The reader's right-hand column: where the hits are in the whole article, in their terms'
colours, the current hit brighter, the part of the article in view shaded; in place of a
scrollbar, so a 1 MB article shows at a glance where its hits cluster.

Row r of a view h rows high stands for the article's lines r·n/h to (r+1)·n/h. Plain data from
the hits' line numbers: the reader draws the cells and caches nothing here.
"""

from __future__ import annotations

from dataclasses import dataclass

RULER = 1  # columns


@dataclass(frozen=True)
class RulerRow:
    term: int | None  # the term whose hits are most of this row's, or None for none
    current: bool  # the current hit is in this row
    in_view: bool  # the row stands for lines now on screen


def ruler_rows(hit_lines: list[tuple[int, int]], current_line: int | None, lines: int, height: int,
               top: int) -> list[RulerRow]:
    """The ruler's rows for hits at (line, term), the current hit's line, an article of `lines`
    lines shown from line `top` in a view `height` rows high."""
    if height <= 0:
        return []
    lines = max(1, lines)
    counts: list[dict[int, int]] = [{} for _ in range(height)]
    for line, term in hit_lines:
        row = counts[_row(line, lines, height)]
        row[term] = row.get(term, 0) + 1
    current = _row(current_line, lines, height) if current_line is not None else -1
    first, last = _row(top, lines, height), _row(min(lines - 1, top + height - 1), lines, height)
    return [RulerRow(max(terms, key=lambda t: (terms[t], -t)) if terms else None, r == current, first <= r <= last)
            for r, terms in enumerate(counts)]


def _row(line: int, lines: int, height: int) -> int:
    return min(height - 1, line * height // lines)


def line_at(row: int, lines: int, height: int) -> int:
    """The first article line a ruler row stands for (a click there scrolls to it)."""
    return min(max(0, lines - 1), row * max(1, lines) // max(1, height))
