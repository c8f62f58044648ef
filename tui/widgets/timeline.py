"""The strip above the document list: the results over time, a cursor and a range to narrow to.

Two rows of block characters (the documents with every word in one colour, those with some in
another, stacked), then a line with the first and last dates, or, with the strip focused, what
the cursor's bars hold. `enter` posts Chosen with the range's first and last day, which the
search flow adds to the query as `published:[A to B]`.
"""

from __future__ import annotations

from typing import Any

from rich.style import Style
from rich.text import Text
from textual.message import Message
from textual.widget import Widget

from margin.search.plural import plural
from margin.search.timeline import Timeline
from margin.tui.bars import Cell, cell_width, cells, columns
from margin.tui.keymap import bindings

HEIGHT = 2  # rows of bars


class TimelineStrip(Widget, can_focus=True):
    BINDINGS = bindings("timeline")
    COMPONENT_CLASSES = {"timeline--every", "timeline--some", "timeline--cursor", "timeline--range", "timeline--axis"}
    DEFAULT_CSS = """
    TimelineStrip { height: 3; padding: 0 1; display: none; }
    TimelineStrip.-shown { display: block; }
    TimelineStrip > .timeline--every { color: $accent; }
    TimelineStrip > .timeline--some { color: $primary; }
    TimelineStrip > .timeline--cursor { background: $foreground 25%; }
    TimelineStrip > .timeline--range { background: $foreground 12%; }
    TimelineStrip > .timeline--axis { color: $text-muted; }
    TimelineStrip:focus > .timeline--axis { color: $text; }
    """

    class Chosen(Message):
        """The range of days to narrow the results to (both included)."""

        def __init__(self, first: str, last: str) -> None:
            super().__init__()
            self.first, self.last = first, last

    class Cancelled(Message):
        """Escape: take back the narrowing the strip made, if any."""

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.timeline: Timeline | None = None
        self.cursor = 0  # a column
        self.range_from: int | None = None  # the other end of a range being selected

    def show(self, timeline: Timeline) -> None:
        self.timeline = timeline
        last = max(0, len(self._spans()) - 1)
        self.cursor, self.range_from = min(self.cursor, last), None
        self.refresh()

    def bars_that_fit(self) -> int:
        """How many bars the strip draws one column each (the period is chosen to fit them)."""
        parent = self.parent
        width = self.size.width or (parent.size.width if isinstance(parent, Widget) else 0)  # hidden: its pane's
        return max(10, width - 2)

    def _spans(self) -> list[tuple[int, int]]:
        if self.timeline is None:
            return []
        return columns(self.timeline.bars, max(1, self.size.width - 2))

    def render(self) -> Text:
        found, spans = self.timeline, self._spans()
        if found is None or not spans:
            return Text("No dated results" + (f" · {found.undated:,} undated" if found else ""),
                        style=self.get_component_rich_style("timeline--axis"))
        wide = cell_width(spans, self.size.width - 2)
        text = Text(no_wrap=True, overflow="ellipsis")
        for row in cells(found.bars, spans, HEIGHT):
            for column, cell in enumerate(row):
                text.append(cell.glyph * wide, self._style(cell, column))
            text.append("\n")
        text.append(self._axis(found, spans, max(wide * len(spans), self.size.width - 2)),
                    self.get_component_rich_style("timeline--axis"))
        return text

    def _style(self, cell: Cell, column: int) -> Style:
        style = Style()
        if cell.fg is not None:
            style += Style(color=self.get_component_rich_style(f"timeline--{cell.fg}").color)
        if cell.bg is not None:
            style += Style(bgcolor=self.get_component_rich_style(f"timeline--{cell.bg}").color)
        low, high = self._selected()
        if self.has_focus and low <= column <= high:
            style += self.get_component_rich_style("timeline--cursor" if column == self.cursor else "timeline--range")
        return style

    def _selected(self) -> tuple[int, int]:
        anchor = self.cursor if self.range_from is None else self.range_from
        return min(anchor, self.cursor), max(anchor, self.cursor)

    def _axis(self, found: Timeline, spans: list[tuple[int, int]], width: int) -> str:
        if self.has_focus:
            first, last = self._days(spans)
            low, high = self._selected()
            every = sum(b.every for b in found.bars[spans[low][0]: spans[high][1] + 1])
            total = sum(b.total for b in found.bars[spans[low][0]: spans[high][1] + 1])
            span = first if first == last else f"{first}–{last}"
            return f"{span}: {total:,} ({every:,} every word)"
        left, right = found.range_of(0, len(found.bars) - 1)
        undated = f" · {found.undated:,} undated" if found.undated else ""
        for middle in (f" {plural(found.dated, 'dated result')} by {found.by}{undated} ", f" by {found.by}{undated} ",
                       f" by {found.by} ", " "):
            gap = width - len(left) - len(right) - len(middle)
            if gap >= 0:
                return left + " " * (gap // 2) + middle + " " * (gap - gap // 2) + right
        return left

    def _days(self, spans: list[tuple[int, int]]) -> tuple[str, str]:
        assert self.timeline is not None
        low, high = self._selected()
        return self.timeline.range_of(spans[low][0], spans[high][1])

    def on_focus(self) -> None:
        self.refresh()

    def on_blur(self) -> None:
        self.range_from = None
        self.refresh()

    def _move(self, by: int, *, extend: bool) -> None:
        spans = self._spans()
        if not spans:
            return
        if extend and self.range_from is None:
            self.range_from = self.cursor
        elif not extend:
            self.range_from = None
        self.cursor = max(0, min(len(spans) - 1, self.cursor + by))
        self.refresh()

    def action_bar_left(self) -> None:
        self._move(-1, extend=False)

    def action_bar_right(self) -> None:
        self._move(1, extend=False)

    def action_extend_left(self) -> None:
        self._move(-1, extend=True)

    def action_extend_right(self) -> None:
        self._move(1, extend=True)

    def action_first_bar(self) -> None:
        self._move(-len(self._spans()), extend=False)

    def action_last_bar(self) -> None:
        self._move(len(self._spans()), extend=False)

    def action_narrow(self) -> None:
        spans = self._spans()
        if spans:
            self.post_message(self.Chosen(*self._days(spans)))

    def action_widen(self) -> None:
        self.post_message(self.Cancelled())
