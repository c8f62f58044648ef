"""The document list: a Line API view, so 100,000 results render as fast as 10.

Each document takes two lines (title; source, date and hit count). Rows arrive a page at a time:
the list knows the total and asks for the pages it needs when the cursor or the view reaches
rows not loaded yet. When a query's free words split the results into documents with every word
and documents with some, a divider row stands between the two groups; the cursor steps over it.
Row indexes on screen ("display") count the divider; `rows` is keyed by result position.
A row standing for a family of copies says so ("+4 copies"); `z` expands the family in place
(its other members' rows under it, indented) and collapses it again. Display rows therefore
count the expanded copies too (`_locate`).
With the user's reading state (`marks`), an unread document has a dot and a bold title, a read
one a plain title, and a starred one a star.
"""

from __future__ import annotations

from typing import Any

from rich.segment import Segment
from rich.style import Style
from textual import events
from textual.message import Message

from margin.search.plural import plural
from margin.search.results import ResultRow, SearchResults
from margin.search.userdata.reading import Mark
from margin.tui.bars import EIGHTHS
from margin.tui.keymap import bindings
from margin.tui.late_keys import run_late_key
from margin.tui.palette import Palette, palette_for
from margin.tui.render import copies_label
from margin.tui.widgets.rowlist import RowList

UNREAD = Mark()


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

    class CopiesWanted(Message):
        """The copies of the family at result position `result`, to expand it."""

        def __init__(self, row: ResultRow, result: int) -> None:
            super().__init__()
            self.row = row
            self.result = result


    async def on_key(self, event: events.Key) -> None:
        await run_late_key(self, "document_list", event)
    def __init__(self, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.rows: dict[int, ResultRow] = {}
        self.row_count = 0
        self.documents = 0
        self.page_size = 100
        self.query_text = ""
        self.sort = "relevance"
        self.groups: str | None = None  # "12 with every word · 85 with some"
        self.count = ""  # "10 of 14 documents", as the status line says it
        self.divider: int | None = None  # display index of the row between the groups
        self._last_cursor = 0
        self._requested: set[int] = set()
        self._quiet = False  # moving the cursor without announcing it (see show_opened)
        self.marks: dict[str, Mark] | None = None  # read and starred documents; None: no user database
        self.trail = ""  # the refinements of the results shown (see set_trail)
        self.expanded: dict[int, list[ResultRow]] = {}  # result position -> its family's other rows
        self.stories: int | None = None  # the results as stories (a family once), when it has copies

    def set_marks(self, marks: dict[str, Mark]) -> None:
        self.marks = marks
        self.refresh()

    def set_mark(self, doc_id: str, mark: Mark) -> None:
        """Show one document's new state."""
        if self.marks is not None:
            self.marks[doc_id] = mark
            self.refresh()

    # ------------------------------------------------------------- contents
    def set_results(self, results: SearchResults, *, keep: str | None = None) -> None:
        """Show a new result set; keep the cursor on document `keep` if it is still there."""
        self.rows = {(results.page - 1) * results.page_size + i: row for i, row in enumerate(results.rows)}
        self.row_count, self.documents, self.page_size = results.total, results.documents, results.page_size
        self.query_text, self.sort = results.query, results.sort
        self.groups, self.count = results.groups, results.count
        every = results.every_word
        self.divider = every if every is not None and 0 < every < results.total else None
        self._requested = {results.page}
        self.expanded, self.stories = {}, None
        self.range_from = None  # a range of other results means nothing here
        self._update_title()
        # Even when the cursor's index is unchanged, the document under it may not be.
        kept = next((i for i, r in self.rows.items() if r.doc_id == keep), None) if keep else None
        self.set_total(self._display(kept) if kept is not None else 0)

    def add_page(self, results: SearchResults) -> None:
        """Rows of a further page of the current search (the screen drops pages of older ones)."""
        start = (results.page - 1) * results.page_size
        self.rows.update({start + i: row for i, row in enumerate(results.rows)})
        self.recount(results)
        self.refresh()
        current = self.current
        if current is not None:
            self.post_message(self.Highlighted(current))

    def recount(self, results: SearchResults) -> None:
        """The count and groups of the current search, where an estimate became exact."""
        if (results.total, results.groups, results.count) != (self.row_count, self.groups, self.count):
            self.row_count, self.groups, self.count = results.total, results.groups, results.count
            self._update_title()
            self.set_total(min(self.cursor, self.total - 1))

    @property
    def total(self) -> int:
        """Rows on screen: the results, the divider between the groups if there is one, and the
        copies of the families expanded."""
        return self.row_count + (self.divider is not None) + sum(map(len, self.expanded.values()))

    @property
    def current(self) -> ResultRow | None:
        return self._row_at(self.cursor)

    def _row_at(self, display: int) -> ResultRow | None:
        result, copy = self._locate(display)
        if result is None:
            return None
        return self.expanded[result][copy] if copy is not None else self.rows.get(result)

    def _locate(self, display: int) -> tuple[int | None, int | None]:
        """What display row `display` shows: (result position, None) for a result, (the result
        it was expanded from, which copy) for a copy, (None, None) for the divider."""
        shift = 0
        for result in sorted(self.expanded):
            top = self._plain_display(result) + shift
            if display <= top:
                break
            if display <= top + len(self.expanded[result]):
                return result, display - top - 1
            shift += len(self.expanded[result])
        plain = display - shift
        if self.divider is None or plain < self.divider:
            return plain, None
        return (None, None) if plain == self.divider else (plain - 1, None)

    def _result(self, display: int) -> int | None:
        """The result position shown at display row `display` (None: the divider or a copy)."""
        result, copy = self._locate(display)
        return result if copy is None else None

    def _plain_display(self, result: int) -> int:
        return result + (self.divider is not None and result >= self.divider)

    def _is_divider(self, display: int) -> bool:
        return self._locate(display) == (None, None)

    def result_at_cursor(self) -> int:
        """The cursor's position among the results (on the divider: the first row after it; on
        a copy: the row it was expanded from)."""
        result, _ = self._locate(self.cursor)
        return result if result is not None else (self.divider or 0)

    def move_to_result(self, result: int) -> None:
        self.move_to(self._display(result))

    def _display(self, result: int) -> int:
        return self._plain_display(result) + sum(len(v) for r, v in self.expanded.items() if r < result)

    # ------------------------------------------------------------- families
    def action_toggle_copies(self) -> None:
        """Expand the family under the cursor (its copies asked for), or collapse it."""
        result, _ = self._locate(self.cursor)
        if result is None:
            return
        if result in self.expanded:
            self.collapse_family(result)
            return
        row = self.rows.get(result)
        if row is not None and row.copies:
            self.post_message(self.CopiesWanted(row, result))
        else:
            self.app.bell()

    def expand_family(self, result: int, family: list[ResultRow]) -> None:
        """Show the family's other members under its row (the cursor stays on the row)."""
        row = self.rows.get(result)
        if row is None:
            return
        others = [m for m in family if m.doc_id != row.doc_id]
        if others:
            self.expanded[result] = others
            self.set_total(self._display(result))
            self.refresh()

    def collapse_family(self, result: int) -> None:
        self.expanded.pop(result, None)
        self.set_total(self._display(result))
        self.refresh()

    def set_stories(self, stories: int | None) -> None:
        """The results counted as stories: the title says both counts."""
        self.stories = stories
        self._update_title()

    def set_trail(self, trail: list[str]) -> None:
        """The refinements the results came through (`oil prices › opec`), in the title."""
        self.trail = " › ".join(trail)
        self._update_title()

    def _update_title(self) -> None:
        counted = f"{self.groups} · {plural(self.documents, 'document')}" if self.groups else self.count
        if self.stories is not None and self.stories != self.row_count:
            counted = f"{plural(self.stories, 'story', 'stories')} · {counted}"
        self.border_title = f"{self.trail} · {counted}" if self.trail else counted
        self.border_subtitle = "by date" if self.sort == "date" or not self.query_text.strip() else "by relevance"

    def _ensure_loaded(self, display: int) -> None:
        """Ask for the page holding display row `display` (once). Never called while drawing: a
        message created during a render is sent in the app's name and stops at the screen."""
        index = self._result(display)
        if index is None:
            return
        page = index // self.page_size + 1
        if 0 <= index < self.row_count and index not in self.rows and page not in self._requested:
            self._requested.add(page)
            self.post_message(self.NeedPage(page))

    def rows_shown(self, first: int, last: int) -> None:
        """Ask for each page the rows first..last lie on (a pane made taller can show several)."""
        for index in range(first, min(last, self.total - 1) + 1, max(1, self.page_size)):
            self._ensure_loaded(index)
        self._ensure_loaded(min(last, self.total - 1))

    # ------------------------------------------------------- cursor and rows
    def cursor_moved(self, index: int) -> None:
        if self._is_divider(index):  # step over it, in the direction the cursor was going
            self.cursor = index + 1 if index > self._last_cursor or index == 0 else index - 1
            return
        self._last_cursor = index
        self._ensure_loaded(index)
        current = self.current
        if current is not None and not self._quiet:
            self.post_message(self.Highlighted(current))

    def show_opened(self, doc_id: str) -> None:
        """A document opened elsewhere (palette, passages screen): put the cursor on its row, if
        listed, without loading it a second time."""
        index = next((i for i, r in self.rows.items() if r.doc_id == doc_id), None)
        if index is not None:
            self._quiet = True
            try:
                self.cursor = self._display(index)
            finally:
                self._quiet = False

    def action_select_range(self) -> None:
        self.toggle_range()

    def range_ids(self) -> list[str] | None:
        """The documents of the range selected with V (those loaded; the divider is no document)."""
        chosen = self.selected_range()
        if chosen is None:
            return None
        rows = (self._row_at(display) for display in range(chosen[0], chosen[1] + 1))
        return [row.doc_id for row in rows if row is not None]

    def action_open(self) -> None:
        if self.current is not None:
            self.post_message(self.Opened(self.current))

    @staticmethod
    def _hit_strip(row: ResultRow, base: Style, palette: Palette) -> list[Segment]:
        """Where the row's hits fall in its document, an eighth of the body a cell, each as tall
        as its share of the hits and in the colour of the term most of them are."""
        most = max((n for n, _ in row.hit_places), default=0)
        if not most:
            return []
        cells = [Segment(EIGHTHS[max(1, round(8 * n / most))] if n else "·",
                         base + (Style(color=palette.term(term).bgcolor) if n else Style(dim=True)))
                 for n, term in row.hit_places]
        return [*cells, Segment(" ", base)]

    def row_segments(self, index: int, part: int, base: Style, selected: bool) -> list[Segment]:
        result, copy = self._locate(index)
        if result is None:
            some = self.row_count - (self.divider or 0)
            text = f"── {plural(some, 'document')} with some of the words ──" if part == 0 else ""
            return [Segment(text, base + Style(dim=True, italic=True))]
        row = self.rows.get(result) if copy is None else self.expanded[result][copy]
        if row is None:
            return [Segment("…", base)]
        # The hit count first: on a narrow list the end of this line is cut off.
        hits = plural(row.hit_count, "hit") if self.query_text.strip() and row.hit_count else ""
        folder = row.doc_id.rpartition("/")[0]  # BBC's sport/, business/: the only "where" such files have
        copies = copies_label(row) if row.copies and copy is None else ""
        meta = " · ".join(p for p in (hits, copies, row.published or "undated", row.source or (folder and f"{folder}/")) if p)
        palette = palette_for(self.app.current_theme)
        if copy is not None:  # a copy of the family above, indented under it
            if part == 0:
                return [Segment("  ↳ ", base + Style(dim=True)), Segment(row.title, base)]
            return [Segment("    ", base), Segment(meta, base + Style(dim=not selected))]
        strip = self._hit_strip(row, base, palette) if hits and part == 1 else []
        if self.marks is None:
            title = [Segment(row.title, base + Style(bold=True))]
            return title if part == 0 else [*strip, Segment(meta, base + Style(dim=not selected))]
        mark = self.marks.get(row.doc_id, UNREAD)
        if part == 1:
            tags = [Segment(" ".join(f"#{t}" for t in mark.tags) + "  ", base + palette.tag)] if mark.tags else []
            return [Segment("  ", base), *tags, *strip, Segment(meta, base + Style(dim=not selected))]
        flag = Segment("★ ", base + palette.star) if mark.starred else Segment("● " if not mark.read else "  ", base + palette.dot)
        return [flag, Segment(row.title, base + Style(bold=not mark.read))]
