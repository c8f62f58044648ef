"""The document list: a Line API view, so 100,000 results render as fast as 10.

Each document takes two lines (title; source, date and hit count). Rows arrive a page at a time:
the list knows the total and asks for the pages it needs when the cursor or the view reaches
rows not loaded yet.
"""

from __future__ import annotations

from typing import Any

from rich.segment import Segment
from rich.style import Style
from textual.message import Message

from margin.search.plural import plural
from margin.search.results import ResultRow, SearchResults

from .keymap import bindings
from .rowlist import RowList


class DocumentList(RowList):
    BINDINGS = bindings("document_list")
    DEFAULT_CSS = """
    DocumentList { border: round $primary 40%; }
    DocumentList:focus { border: round $primary; }
    """

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

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.rows: dict[int, ResultRow] = {}
        self.row_count = 0
        self.documents = 0
        self.page_size = 100
        self.query_text = ""
        self.sort = "relevance"
        self._requested: set[int] = set()
        self._quiet = False  # moving the cursor without announcing it (see show_opened)

    # ------------------------------------------------------------- contents
    def set_results(self, results: SearchResults, *, keep: str | None = None) -> None:
        """Show a new result set; keep the cursor on document `keep` if it is still there."""
        self.rows = {(results.page - 1) * results.page_size + i: row for i, row in enumerate(results.rows)}
        self.row_count, self.documents, self.page_size = results.total, results.documents, results.page_size
        self.query_text, self.sort = results.query, results.sort
        self._requested = {results.page}
        self._update_title()
        # Even when the cursor's index is unchanged, the document under it may not be.
        self.set_total(next((i for i, r in self.rows.items() if r.doc_id == keep), 0) if keep else 0)

    def add_page(self, results: SearchResults) -> None:
        """Rows of a further page of the current search (the screen drops pages of older ones)."""
        start = (results.page - 1) * results.page_size
        self.rows.update({start + i: row for i, row in enumerate(results.rows)})
        self.refresh()
        if self.cursor in self.rows:
            self.post_message(self.Highlighted(self.rows[self.cursor]))

    @property
    def total(self) -> int:
        return self.row_count

    @property
    def current(self) -> ResultRow | None:
        return self.rows.get(self.cursor)

    def _update_title(self) -> None:
        matching = f"{self.total} of " if self.query_text.strip() else ""
        self.border_title = matching + plural(self.documents, "document")
        self.border_subtitle = "by date" if self.sort == "date" or not self.query_text.strip() else "by relevance"

    def _ensure_loaded(self, index: int) -> None:
        """Ask for the page holding row `index` (once). Never called while drawing: a message
        created during a render is sent in the app's name and stops at the screen."""
        page = index // self.page_size + 1
        if 0 <= index < self.total and index not in self.rows and page not in self._requested:
            self._requested.add(page)
            self.post_message(self.NeedPage(page))

    def rows_shown(self, first: int, last: int) -> None:
        for index in (first, min(last, self.total - 1)):
            self._ensure_loaded(index)

    # ------------------------------------------------------- cursor and rows
    def cursor_moved(self, index: int) -> None:
        self._ensure_loaded(index)
        if index in self.rows and not self._quiet:
            self.post_message(self.Highlighted(self.rows[index]))

    def show_opened(self, doc_id: str) -> None:
        """A document opened elsewhere (palette, passages screen): put the cursor on its row, if
        listed, without loading it a second time."""
        index = next((i for i, r in self.rows.items() if r.doc_id == doc_id), None)
        if index is not None:
            self._quiet = True
            try:
                self.cursor = index
            finally:
                self._quiet = False

    def action_open(self) -> None:
        if self.current is not None:
            self.post_message(self.Opened(self.current))

    def row_segments(self, index: int, part: int, base: Style, selected: bool) -> list[Segment]:
        row = self.rows.get(index)
        if row is None:
            return [Segment("…", base)]
        if part == 0:
            return [Segment(row.title, base + Style(bold=True))]
        # The hit count first: on a narrow list the end of this line is cut off.
        hits = plural(row.hit_count, "hit") if self.query_text.strip() else ""
        meta = " · ".join(p for p in (hits, row.published or "undated", row.source) if p)
        return [Segment(meta, base + Style(dim=not selected))]
