"""A timeline drawn in block characters, the two groups stacked: shared by the reader's strip and
`margin timeline`, which colour the cells each their own way.

Each column stands for one or more consecutive bars (summed, when there are more bars than
columns); each cell of a column is a glyph and the group its foreground and background show.
"""

from __future__ import annotations

from dataclasses import dataclass

from margin.search.timeline import Bar

EIGHTHS = " ▁▂▃▄▅▆▇█"
MOST_CELL_WIDTH = 3  # a column's cells when there are few bars: each drawn wider, up to this


@dataclass(frozen=True)
class Cell:
    glyph: str
    fg: str | None  # "every", "some" or None: which group the glyph's ink is
    bg: str | None = None  # the group filling the rest of the cell, when it does


def columns(bars: tuple[Bar, ...], width: int) -> list[tuple[int, int]]:
    """(first bar, last bar) of each column: one column per bar while they fit, else as many
    consecutive bars a column as it takes."""
    if not bars or width <= 0:
        return []
    per = -(-len(bars) // width)  # ceiling: no column holds less than the others but the last
    return [(i, min(i + per, len(bars)) - 1) for i in range(0, len(bars), per)]


def cell_width(spans: list[tuple[int, int]], width: int) -> int:
    """The cells a column takes in `width`: one, or a few when the columns are few."""
    return max(1, min(MOST_CELL_WIDTH, width // max(1, len(spans))))


def cells(bars: tuple[Bar, ...], spans: list[tuple[int, int]], height: int) -> list[list[Cell]]:
    """Rows of cells, top row first, for the columns `spans`, scaled so the tallest fills `height`."""
    sums = [(sum(b.every for b in bars[a:z + 1]), sum(b.total for b in bars[a:z + 1])) for a, z in spans]
    tallest = max((total for _, total in sums), default=0) or 1
    rows: list[list[Cell]] = [[] for _ in range(height)]
    for every, total in sums:
        top = _eighths(total, tallest, height)
        low = min(top, _eighths(every, tallest, height))
        for row in range(height):
            rows[height - 1 - row].append(_cell(low - 8 * row, top - 8 * row))
    return rows


def _eighths(n: int, tallest: int, height: int) -> int:
    """Height in eighths of a cell; any document at all shows at least one eighth."""
    return 0 if n <= 0 else max(1, round(8 * height * n / tallest))


def _cell(every: int, top: int) -> Cell:
    """The cell whose own eighths run from 0 to 8: `every` of them the first group's, up to `top` in all."""
    every, top = max(0, min(8, every)), max(0, min(8, top))
    if every == 8:
        return Cell(EIGHTHS[8], "every")
    if every > 0:
        return Cell(EIGHTHS[every], "every", "some" if top == 8 else None)
    if top > 0:
        return Cell(EIGHTHS[top], "some")
    return Cell(" ", None)
