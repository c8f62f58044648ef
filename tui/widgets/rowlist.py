"""A Line API list of rows a few lines tall, with a cursor: the document list and the passages list.

Only the visible lines are drawn, so 100,000 rows cost what 10 do (an OptionList lays out every
option: 1,000 passages took 0.7 s to show). Subclasses say how tall a row is, how many there
are, and what each line of a row shows.
"""

from __future__ import annotations

from rich.cells import cell_len
from rich.segment import Segment
from rich.style import Style
from textual.events import Click
from textual.geometry import Region, Size
from textual.reactive import reactive
from textual.scroll_view import ScrollView
from textual.strip import Strip


class RowList(ScrollView, can_focus=True):
    COMPONENT_CLASSES = {"rowlist--cursor", "rowlist--selected", "rowlist--row", "rowlist--range"}
    DEFAULT_CSS = """
    RowList { scrollbar-gutter: stable; }
    RowList > .rowlist--cursor { background: $accent 60%; }
    RowList > .rowlist--selected { background: $accent 25%; }
    RowList > .rowlist--range { background: $accent 12%; }
    """
    LINES_PER_ROW = 2
    cursor: reactive[int] = reactive(0)

    @property
    def total(self) -> int:
        raise NotImplementedError

    def row_segments(self, index: int, part: int, base: Style, selected: bool) -> list[Segment]:
        """The segments of line `part` of row `index`, drawn over `base`."""
        raise NotImplementedError

    def cursor_moved(self, index: int) -> None:
        """Called when the cursor lands on a row (also when a new set of rows keeps its index)."""

    def set_total(self, cursor: int) -> None:
        """After the rows changed: size the view and put the cursor on row `cursor`."""
        self.virtual_size = Size(self.size.width, self.total * self.LINES_PER_ROW)
        self.set_reactive(RowList.cursor, -1 if self.total == 0 else max(0, min(cursor, self.total - 1)))
        self._cursor_moved(self.cursor)

    # --------------------------------------------------------------- cursor
    def validate_cursor(self, value: int) -> int:
        return -1 if self.total == 0 else max(0, min(value, self.total - 1)) if value >= 0 else value

    def watch_cursor(self, old: int, new: int) -> None:
        if self.range_from is not None:
            self.refresh()  # the range grows or shrinks with the cursor
        for index in (old, new):  # only the two rows change (a scroll repaints the rest itself)
            self.refresh_lines(index * self.LINES_PER_ROW, self.LINES_PER_ROW)
        self._cursor_moved(new, repaint=False)

    # ---------------------------------------------------------------- range
    range_from: int | None = None  # the row a range of rows was started on (V), the cursor its other end

    def selected_range(self) -> tuple[int, int] | None:
        """(first, last) rows of the range being selected, both included; None when there is none."""
        if self.range_from is None or self.cursor < 0:
            return None
        return min(self.range_from, self.cursor), max(self.range_from, self.cursor)

    def toggle_range(self) -> None:
        self.range_from = None if self.range_from is not None or self.cursor < 0 else self.cursor
        self.refresh()

    def _cursor_moved(self, new: int, *, repaint: bool = True) -> None:
        if repaint:
            self.refresh()
        if new >= 0:
            self.scroll_to_region(Region(0, new * self.LINES_PER_ROW, self.size.width, self.LINES_PER_ROW),
                                  animate=False)
            self.cursor_moved(new)

    def move_to(self, index: int) -> None:
        self.cursor = index

    def action_cursor_down(self) -> None:
        self.cursor += 1

    def action_cursor_up(self) -> None:
        self.cursor = max(0, self.cursor - 1)

    def action_top(self) -> None:
        self.cursor = 0

    def action_bottom(self) -> None:
        self.cursor = self.total - 1

    def rows_per_page(self) -> int:
        return max(1, self.scrollable_content_region.height // self.LINES_PER_ROW)

    def action_page_down(self) -> None:
        self.cursor += self.rows_per_page()

    def action_page_up(self) -> None:
        self.cursor = max(0, self.cursor - self.rows_per_page())

    def on_mount(self) -> None:
        self.app.theme_changed_signal.subscribe(self, lambda _theme: self.refresh())

    def watch_scroll_y(self, old: float, new: float) -> None:
        super().watch_scroll_y(old, new)
        self._shown_from(new)

    def on_resize(self) -> None:
        self._shown_from(self.scroll_y)  # a taller pane shows rows that may not be loaded yet

    def _shown_from(self, scroll_y: float) -> None:
        self.rows_shown(int(scroll_y) // self.LINES_PER_ROW,
                        (int(scroll_y) + self.scrollable_content_region.height) // self.LINES_PER_ROW + 1)

    def rows_shown(self, first: int, last: int) -> None:
        """Rows first..last are (or are about to be) on screen: a chance to fetch what they need."""

    def on_click(self, event: Click) -> None:
        index = (event.y + int(self.scroll_offset.y)) // self.LINES_PER_ROW
        if 0 <= index < self.total:
            self.cursor = index

    # -------------------------------------------------------------- drawing
    def render_line(self, y: int) -> Strip:
        width = self.scrollable_content_region.width
        index, part = divmod(y + int(self.scroll_offset.y), self.LINES_PER_ROW)
        if index >= self.total:
            return Strip.blank(width, self.rich_style)
        selected = index == self.cursor
        chosen = self.selected_range()
        in_range = chosen is not None and chosen[0] <= index <= chosen[1]
        base = self.get_component_rich_style("rowlist--cursor" if selected and self.has_focus
                                             else "rowlist--selected" if selected
                                             else "rowlist--range" if in_range else "rowlist--row")
        strip = fitted(Strip(self.row_segments(index, part, base, selected)), width, base)
        return strip.apply_style(base) if selected else strip


def fitted(strip: Strip, width: int, base: Style) -> Strip:
    """A line cut to `width` cells: at a word's end when one is near, and with "…" where it was cut
    (titles were cut mid-word with nothing to say so)."""
    if strip.cell_length <= width:
        return strip.crop_extend(0, width, base)
    cropped = strip.crop(0, max(0, width - 1))
    text = cropped.text
    space = text.rstrip().rfind(" ")
    if space >= (2 * width) // 3:
        cropped = strip.crop(0, cell_len(text[:space]))
    last = next((segment.style for segment in reversed(list(cropped)) if segment.text), base)
    return Strip([*cropped, Segment("…", last)]).crop_extend(0, width, base)
