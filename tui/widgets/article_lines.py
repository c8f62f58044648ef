"""An article laid out as visual lines: character ranges of its title, meta line and body.

Kept apart from the view so that the layout (what offset is on which line) is plain data a test
or a motion can ask without a terminal; the view only draws the lines it is given.
"""

from __future__ import annotations

from bisect import bisect_right
from typing import NamedTuple

from margin.tui.wrap import wrap_ranges


class Line(NamedTuple):
    """A visual line: a range of one field (a tuple: a 1 MB article has 55,000 of them)."""

    field: str  # "title", "meta", "body" or "" for a blank line
    start: int
    end: int


class ArticleLines:
    """The visual lines of one article at one width, and the index from offsets to lines."""

    def __init__(self, texts: tuple[str, str, str] | None = None, width: int = -1) -> None:
        self.texts, self.width = texts, width
        self.lines: list[Line] = []
        self._index: dict[str, tuple[list[int], list[int]]] = {}
        if texts is not None:
            title, meta, body = texts
            self._add("title", wrap_ranges(title, width))
            self._add("meta", wrap_ranges(meta, width))
            self._add("", [(0, 0)])
            self._add("body", wrap_ranges(body, width))

    def _add(self, name: str, ranges: list[tuple[int, int]]) -> None:
        first = len(self.lines)
        self.lines.extend(Line(name, start, end) for start, end in ranges)
        self._index[name] = ([start for start, _ in ranges], list(range(first, len(self.lines))))

    def line_of(self, field: str, offset: int) -> int:
        """Index of the visual line holding `offset` of `field` (lines of a field are in order)."""
        starts, indexes = self._index.get(field, ([], []))
        i = bisect_right(starts, offset) - 1
        return indexes[i] if i >= 0 else 0

    def first_body_line(self) -> int:
        return self._index.get("body", ([], [0]))[1][0]
