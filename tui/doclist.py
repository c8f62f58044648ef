"""The document list: a Line API view, so 100,000 results render as fast as 10.

Each document takes two lines (title; source, date and hit count). Rows arrive a page at a time:
the list knows the total and asks for the pages it needs when the cursor or the view reaches
rows not loaded yet.
"""

from __future__ import annotations

from rich.segment import Segment
from rich.style import Style
from textual.geometry import Region, Size
from textual.message import Message
from textual.reactive import reactive
from textual.scroll_view import ScrollView
from textual.strip import Strip

from margin.search.results import ResultRow, SearchResults

from .keymap import bindings

LINES_PER_ROW = 2


class DocumentList(ScrollView, can_focus=True):
    BINDINGS = bindings("document_list")
    COMPONENT_CLASSES = {"doclist--cursor", "doclist--selected", "doclist--row"}
    DEFAULT_CSS = """
    DocumentList { border: round $primary 40%; scrollbar-gutter: stable; }
    DocumentList:focus { border: round $primary; }
    DocumentList > .doclist--cursor { background: $accent 60%; }
    DocumentList > .doclist--selected { background: $accent 25%; }
    """
    cursor: reactive[int] = reactive(0)

    class Highlighted(Message):
        def __init__(self, row: ResultRow) -> None:
            super().__init__()
            self.row = row

    class Opened(Message):
        def __init__(self, row: ResultRow) -> None:
            super().__init__()
            self.row = row

    class NeedPage(Message):
        def __init__(self, page: int) -> None:
            super().__init__()
            self.page = page

    def __init__(self, **kwargs) -> None:
        super().__init__(**kwargs)
        self.rows: dict[int, ResultRow] = {}
        self.total = 0
        self.documents = 0
        self.page_size = 100
        self.query_text = ""
        self.sort = "relevance"
        self._requested: set[int] = set()

    # ------------------------------------------------------------- contents
    def set_results(self, results: SearchResults, *, keep: str | None = None) -> None:
        """Show a new result set; keep the cursor on document `keep` if it is still there."""
        self.rows = {(results.page - 1) * results.page_size + i: row for i, row in enumerate(results.rows)}
        self.total, self.documents, self.page_size = results.total, results.documents, results.page_size
        self.query_text, self.sort = results.query, results.sort
        self._requested = {results.page}
        self.virtual_size = Size(self.size.width, self.total * LINES_PER_ROW)
        target = next((i for i, r in self.rows.items() if r.doc_id == keep), 0) if keep else 0
        self.set_reactive(DocumentList.cursor, -1 if self.total == 0 else target)
        self._update_title()
        self._cursor_moved(self.cursor)  # even when the index is unchanged, the document may not be

    def add_page(self, results: SearchResults) -> None:
        if results.query != self.query_text or results.sort != self.sort:
            return  # a late page of an older search
        start = (results.page - 1) * results.page_size
        self.rows.update({start + i: row for i, row in enumerate(results.rows)})
        self.refresh()
        if self.cursor in self.rows:
            self.post_message(self.Highlighted(self.rows[self.cursor]))

    @property
    def current(self) -> ResultRow | None:
        return self.rows.get(self.cursor)

    def _update_title(self) -> None:
        matching = f"{self.total} of {self.documents}" if self.query_text.strip() else f"{self.documents}"
        self.border_title = f"{matching} documents"
        self.border_subtitle = "by date" if self.sort == "date" or not self.query_text.strip() else "by relevance"

    def _ensure_loaded(self, index: int) -> None:
        page = index // self.page_size + 1
        if index < self.total and index not in self.rows and page not in self._requested:
            self._requested.add(page)
            self.post_message(self.NeedPage(page))

    # --------------------------------------------------------------- cursor
    def validate_cursor(self, value: int) -> int:
        return -1 if self.total == 0 else max(0, min(value, self.total - 1)) if value >= 0 else value

    def watch_cursor(self, old: int, new: int) -> None:
        self._cursor_moved(new)

    def _cursor_moved(self, new: int) -> None:
        self.refresh()
        if new < 0:
            return
        self.scroll_to_region(self._row_region(new), animate=False)
        self._ensure_loaded(new)
        self.refresh()
        if new in self.rows:
            self.post_message(self.Highlighted(self.rows[new]))

    def _row_region(self, index: int) -> Region:
        return Region(0, index * LINES_PER_ROW, self.size.width, LINES_PER_ROW)

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

    def _rows_per_page(self) -> int:
        return max(1, self.scrollable_content_region.height // LINES_PER_ROW)

    def action_page_down(self) -> None:
        self.cursor += self._rows_per_page()

    def action_page_up(self) -> None:
        self.cursor = max(0, self.cursor - self._rows_per_page())

    def action_open(self) -> None:
        if self.current is not None:
            self.post_message(self.Opened(self.current))

    def on_click(self, event) -> None:
        index = (event.y + int(self.scroll_offset.y)) // LINES_PER_ROW
        if 0 <= index < self.total:
            self.cursor = index

    # -------------------------------------------------------------- drawing
    def render_line(self, y: int) -> Strip:
        width = self.scrollable_content_region.width
        line = y + int(self.scroll_offset.y)
        index, part = divmod(line, LINES_PER_ROW)
        if index >= self.total:
            return Strip.blank(width, self.rich_style)
        self._ensure_loaded(index)
        selected = index == self.cursor
        base = self.get_component_rich_style("doclist--cursor" if selected and self.has_focus
                                             else "doclist--selected" if selected else "doclist--row")
        row = self.rows.get(index)
        if row is None:
            segments = [Segment("…", base)]
        elif part == 0:
            segments = [Segment(row.title, base + Style(bold=True))]
        else:
            # The hit count first: on a narrow list the end of this line is cut off.
            hits = f"{row.hit_count} hit{'s' if row.hit_count != 1 else ''}" if self.query_text.strip() else ""
            meta = " · ".join(p for p in (hits, row.published or "undated", row.source) if p)
            segments = [Segment(meta, base + Style(dim=not selected))]
        strip = Strip(segments).crop_extend(0, width, base)
        return strip.apply_style(base) if selected else strip
