"""The reading view: one article wrapped to the pane, hits lit up, entities marked, hit to hit.

A Line API widget: each visual line is a character range of the title or body, drawn on demand
with the spans that overlap it, and cached. The current hit stands out from the others; at the
last hit, `n` asks the app for the next matching document (and `N` at the first, the previous).

A cursor (a character offset in the body, shown on its word) marks where the reader is: it moves
by word, sentence and paragraph, follows `n`/`N` to each hit and stays on screen when the view
scrolls. `v` starts a selection there (as in vim's visual mode) and the mouse drags one; tagged
passages get a gutter mark and a background of their own, and the one under the cursor shows its
tags and note on the line below. Tagging itself is the app's: the view asks with a message.
"""

from __future__ import annotations

from collections import OrderedDict
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

from rich.cells import cell_len
from rich.segment import Segment
from rich.style import Style
from rich.text import Text
from textual import events
from textual.events import MouseDown, MouseMove, MouseUp
from textual.geometry import Region, Size
from textual.message import Message
from textual.reactive import reactive
from textual.scroll_view import ScrollView
from textual.strip import Strip

from margin.search import segments
from margin.search.passages.export import markdown_quote
from margin.search.plural import plural
from margin.search.results import Hit
from margin.search.sanitize import printable
from margin.tui.keymap import bindings
from margin.tui.late_keys import run_late_key

if TYPE_CHECKING:  # the library (and Whoosh) loads after the first frame
    from margin.search.library import StoredDocument
    from margin.search.passages.sync import PlacedPassage
from margin.tui.palette import Palette, palette_for
from margin.tui.widgets.article_lines import ArticleLines, Line
from margin.tui.widgets.article_paint import Spans, build_spans, paint_line, passages_on
from margin.tui.widgets.hit_ruler import RULER, RulerRow, line_at, ruler_rows
from margin.tui.widgets.reading_cursor import ReadingCursor, changed

# The spans' colours come from the theme (palette.py): explicit colours, since the theme maps
# named ANSI ones (it turned "yellow" into the orange of "dark_orange"), readable on its background.
GUTTER = 2  # "▌ " beside lines holding a tagged passage
CACHE_LINES = 2000


class ReaderView(ScrollView, can_focus=True):
    BINDINGS = bindings("reader")
    ALLOW_SELECT = False  # the view's own selection (keyboard and mouse) tags passages
    DEFAULT_CSS = """
    ReaderView { border: round $primary 40%; padding: 0 1 0 0; scrollbar-size-vertical: 0; }
    ReaderView:focus { border: round $primary; }
    """
    current_hit: reactive[int] = reactive(-1)
    # "hit 3/17 · 40%": shown under the reader by the app. Not in the border: a border change
    # repaints the whole view, and n/N should repaint only the two lines whose hit changed.
    position: reactive[str] = reactive("", layout=False, repaint=False)
    # The tags and note of the passage under the cursor (or what a selection would tag).
    note: reactive[str] = reactive("", layout=False, repaint=False)

    class HitsExhausted(Message):
        """n past the last hit (+1) or N before the first (-1): the app moves to another document."""

        def __init__(self, direction: int) -> None:
            super().__init__()
            self.direction = direction

    class TermChosen(Message):
        """The term `#` follows was chosen (None: the one under the cursor again), for the legend."""

        def __init__(self, term: int | None) -> None:
            super().__init__()
            self.term = term

    class Engaged(Message):
        """The user moved in the article with the reader focused (scrolled, moved the cursor): it is
        being read, not previewed from the list. Posted once per article shown."""

        def __init__(self, doc_id: str) -> None:
            super().__init__()
            self.doc_id = doc_id

    class PassageAction(Message):
        """Tag body[start:end] (editing `passage` when the cursor is on one), delete `passage`, or undo."""

        def __init__(self, kind: str, start: int = 0, end: int = 0, passage: PlacedPassage | None = None) -> None:
            super().__init__()
            self.kind, self.start, self.end, self.passage = kind, start, end, passage


    async def on_key(self, event: events.Key) -> None:
        await run_late_key(self, "reader", event)
    def __init__(self, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.document: StoredDocument | None = None
        self.hits: list[Hit] = []
        self.meta_text = ""
        self.model = ReadingCursor()
        self.wrapped = ArticleLines()
        self._dragging = False
        self._ruler_key: tuple[int, int, int, int, int] | None = None
        self.chosen_term: int | None = None  # the term `#` follows, chosen with `'` (None: the one at hand)
        self._ruler_rows: list[RulerRow] = []
        self._hit_lines: list[tuple[int, int]] = []
        self._hit_lines_for: tuple[int, int] | None = None
        self._spans: Spans = {}
        self._cache: OrderedDict[tuple[int, int], Strip] = OrderedDict()
        self._engaged = False  # Engaged was posted for the article shown

    # The model's state, as the flows and tests read it.
    @property
    def cursor(self) -> int:
        return self.model.offset

    @property
    def mark(self) -> tuple[int, int] | None:
        return self.model.mark

    @property
    def passages(self) -> list[PlacedPassage]:
        return self.model.passages

    @property
    def lines(self) -> list[Line]:
        return self.wrapped.lines

    def selection(self) -> tuple[int, int] | None:
        """The selected body range (visual mode or a mouse drag), or None."""
        return self.model.selection()

    def passage_at(self, offset: int) -> PlacedPassage | None:
        return self.model.passage_at(offset)

    def line_of(self, field: str, offset: int) -> int:
        return self.wrapped.line_of(field, offset)

    # ------------------------------------------------------------ contents
    @property
    def body(self) -> str:
        return self.document.document.body if self.document else ""

    def show(self, document: StoredDocument | None, hits: list[Hit], *, at_hit: int | None = 0,
             passages: Sequence[PlacedPassage] = ()) -> None:
        """Display a document; with hits, go to hit `at_hit` (negative counts from the end)."""
        self.document, self.hits = document, hits
        if self.chosen_term is not None and not any(h.term == self.chosen_term for h in hits):
            self.chosen_term = None  # another query's term
            self.post_message(self.TermChosen(None))
        self._engaged = False
        self._cache.clear()
        doc = document.document if document else None
        self.meta_text = " · ".join(p for p in (doc.source, doc.author, doc.published or "undated", printable(doc.doc_id))
                                    if p) if doc else ""
        self._spans = build_spans(self.document, self.hits, self.palette)
        self.model.reset(self.body, list(passages))
        self._rewrap()  # the same text with other hits keeps its lines: 1 MB takes 160 ms to wrap
        self.scroll_to(0, 0, animate=False)
        if hits and at_hit is not None:
            self.current_hit = at_hit % len(hits)
            self._cursor_to_hit(self.current_hit)  # the watcher does not run when the index is unchanged
            self._scroll_to_current()
        else:
            self.current_hit = -1
        self._update_position()
        self.note = self.model.note()
        self.refresh()

    def reading_position(self) -> tuple[int, int] | None:
        """(offset of the first body line shown, cursor offset): where to come back to. Offsets,
        not lines, so that a terminal of another width finds the same place."""
        if not self.body or not self.lines:
            return None
        line = self.lines[min(int(self.scroll_offset.y), len(self.lines) - 1)]
        return (line.start if line.field == "body" else 0), max(0, self.cursor)

    def restore_position(self, top: int, cursor: int) -> None:
        """Come back to where reading stopped (offsets past the end of a shortened text are clamped)."""
        if not self.body:
            return
        self._set_cursor(self.model.word_start(min(cursor, len(self.body))))
        if top > 0:
            # force: coming from a short article, the view has no scroll bar yet to allow scrolling
            self.scroll_to(0, self.line_of("body", min(top, len(self.body))), animate=False, force=True)
        self._update_position()

    def go_to_passage(self, passage_id: int) -> None:
        """Put the cursor on a passage (opened from the passages screen), centred."""
        placed = next((p for p in self.passages if p.passage.id == passage_id), None)
        if placed is None:
            return
        self._set_cursor(placed.start)
        self.scroll_to_region(Region(0, self.line_of("body", placed.start), 1, 1), animate=False, center=True)

    def set_passages(self, passages: list[PlacedPassage]) -> None:
        """Redraw with the document's passages as they are now (after tagging, editing or deleting)."""
        self.model.passages = list(passages)
        self._cache.clear()
        self.note = self.model.note()
        self.refresh()

    def _rewrap(self) -> None:
        width, texts = max(1, self.scrollable_content_region.width - GUTTER - RULER), self._texts()
        if (width, texts) == (self.wrapped.width, self.wrapped.texts):
            return
        self.wrapped = ArticleLines(texts, width)
        self._cache.clear()
        self.virtual_size = Size(width + GUTTER + RULER, len(self.lines))

    def _texts(self) -> tuple[str, str, str] | None:
        doc = self.document.document if self.document else None
        return (doc.title, self.meta_text, doc.body) if doc else None

    def on_resize(self) -> None:
        """Re-wrap to the new width and keep the cursor in view (not the current hit: the note line
        appearing under the view when `v` starts a selection shrinks it by a line, and jumping back
        to the hit then dragged the selection's end along)."""
        self._rewrap()
        self.refresh()  # the ruler's rows stand for other lines at another height
        if self.cursor >= 0 and self.lines:
            y = self.line_of("body", self.cursor)
            if self._off_screen(y):
                self.scroll_to_region(Region(0, y, 1, 1), animate=False)  # as little as it takes
        else:
            self._scroll_to_current()
        self._update_position()  # "40%" depends on the height

    def on_mount(self) -> None:
        self.app.theme_changed_signal.subscribe(self, self._theme_changed)

    @property
    def palette(self) -> Palette:
        return palette_for(self.app.current_theme)

    def _theme_changed(self, _theme: object) -> None:
        """Cached lines carry the old theme's colours: draw every line again, with the spans (the
        entity and hit colours) made anew for the theme."""
        self._spans = build_spans(self.document, self.hits, self.palette)
        self._cache.clear()
        self.refresh()

    # ----------------------------------------------------------- navigation
    def _scroll_to_current(self) -> None:
        """Bring the current hit into view, centred, unless it is already on screen."""
        if not 0 <= self.current_hit < len(self.hits):
            return
        hit = self.hits[self.current_hit]
        y = self.line_of(hit.field, hit.start)
        if self._off_screen(y):
            self.scroll_to_region(Region(0, y, 1, 1), animate=False, center=True)

    def _off_screen(self, y: int) -> bool:
        """Visual line `y` is outside the view (never, while the view has no height yet)."""
        top, height = int(self.scroll_offset.y), self.scrollable_content_region.height
        return bool(height) and not top <= y < top + height

    def watch_current_hit(self, old: int, new: int) -> None:
        """Redraw only the lines of the hit that stops being current and of the one that starts,
        and the ruler."""
        size = self.scrollable_content_region
        self.refresh(Region(size.width - RULER, 0, RULER, size.height))
        for index in (old, new):
            if 0 <= index < len(self.hits):
                hit = self.hits[index]
                self._refresh_range(hit.field, hit.start, hit.end)
        self._cursor_to_hit(new)
        self._update_position()
        self.call_after_refresh(self._prepare_next_hit)

    def _cursor_to_hit(self, index: int) -> None:
        """The cursor follows the current hit (in the body), unless a selection is being made."""
        if 0 <= index < len(self.hits) and self.hits[index].field == "body" and self.mark is None:
            self._set_cursor(self.hits[index].start)

    def _refresh_range(self, field: str, start: int, end: int) -> None:
        """Forget and repaint the visual lines showing field[start:end] (in this frame: the lines
        are marked dirty in Textual's line cache, not only in ours)."""
        first, last = self.line_of(field, start), self.line_of(field, max(start, end - 1))
        for line in range(first, last + 1):
            self._cache.pop((line, self.wrapped.width), None)
        self.refresh_lines(first, last - first + 1)

    def watch_scroll_y(self, old: float, new: float) -> None:
        super().watch_scroll_y(old, new)
        self._keep_cursor_in_view()
        self._update_position()
        self._engage()

    def _engage(self) -> None:
        if self.has_focus and self.document is not None and not self._engaged:
            self._engaged = True
            self.post_message(self.Engaged(self.document.document.doc_id))

    def _update_position(self) -> None:
        if not self.lines:
            self.position = ""
            return
        height = max(1, self.scrollable_content_region.height)
        seen = min(len(self.lines), int(self.scroll_offset.y) + height)
        percent = 100 if len(self.lines) <= height else round(100 * seen / len(self.lines))
        where = f"hit {self.current_hit + 1}/{len(self.hits)} · " if self.hits and self.current_hit >= 0 else (
            f"{plural(len(self.hits), 'hit')} · " if self.hits else "")
        self.position = f"{where}{percent}%"

    def action_next_hit(self) -> None:
        if self.current_hit + 1 < len(self.hits):
            self.current_hit += 1
            self._scroll_to_current()
        else:
            self.post_message(self.HitsExhausted(+1))

    def action_choose_term(self) -> None:
        """The next of the article's terms for `#` to follow (after the last: none chosen)."""
        terms = sorted({h.term for h in self.hits})
        if not terms:
            return
        later = [t for t in terms if self.chosen_term is None or t > self.chosen_term]
        self.chosen_term = later[0] if later else None
        self.post_message(self.TermChosen(self.chosen_term))

    def action_next_term_hit(self) -> None:
        """The next hit of one term (one word of the query, one phrase, one name): the term chosen
        with `'`, else of the hit under the reading cursor, else of the current hit; round to the
        first after the last."""
        if not self.hits:
            return
        under = next((i for i, h in enumerate(self.hits) if h.field == "body" and h.start <= self.cursor < h.end), None)
        at = under if under is not None else max(0, self.current_hit)
        term = self.hits[at].term if self.chosen_term is None else self.chosen_term
        if not any(h.term == term for h in self.hits):
            return
        later = [i for i, h in enumerate(self.hits) if h.term == term and i > at]
        self.current_hit = later[0] if later else next(i for i, h in enumerate(self.hits) if h.term == term)
        self._scroll_to_current()

    def action_previous_hit(self) -> None:
        if self.current_hit > 0:
            self.current_hit -= 1
            self._scroll_to_current()
        else:
            self.post_message(self.HitsExhausted(-1))

    def action_scroll_down(self) -> None:
        self.scroll_relative(y=1, animate=False)

    def action_scroll_up(self) -> None:
        self.scroll_relative(y=-1, animate=False)

    def action_reader_top(self) -> None:
        """The view and the cursor to the first word, as vim's `gg` (`g t` tagged the sentence the
        cursor had been left on)."""
        self.scroll_home(animate=False)
        self._set_cursor(self.model.word_start(0))

    def action_reader_bottom(self) -> None:
        self.scroll_end(animate=False)
        self._set_cursor(self.model.word_start(max(0, len(self.body.rstrip()) - 1)))

    def action_reader_page_down(self) -> None:
        self.scroll_page_down(animate=False)

    def action_reader_page_up(self) -> None:
        self.scroll_page_up(animate=False)

    # --------------------------------------------------- cursor and selection
    def _set_cursor(self, offset: int, *, scroll: bool = False) -> None:
        """Move the cursor, repainting only the lines whose cursor or selection changed."""
        if not self.body:
            return
        self._engage()
        model = self.model
        old_sel, old = model.selection(), model.offset
        model.offset = model.clamp(offset)
        new_sel = model.selection()
        words = filter(None, (model.cursor_word(old), model.cursor_word(model.offset)))
        for start, end in [*changed(old_sel, new_sel), *words]:
            self._refresh_range("body", start, end)
        if scroll:
            y = self.line_of("body", max(0, model.offset - (1 if new_sel and model.offset == new_sel[1] else 0)))
            self.scroll_to_region(Region(0, y, 1, 1), animate=False)
        self.note = model.note()

    def _keep_cursor_in_view(self) -> None:
        """Scrolling carries the cursor along (so j/k also extend a selection), as in vim."""
        if self.cursor < 0 or self._dragging or not self.lines:
            return
        y = self.line_of("body", self.cursor)
        if not self._off_screen(y):
            return
        top, height = int(self.scroll_offset.y), self.scrollable_content_region.height
        first_body = self.wrapped.first_body_line()
        target = max(top, first_body) if y < top else min(len(self.lines) - 1, top + height - 1)
        line = self.lines[max(target, first_body)]
        offset = line.start if y < top or self.mark is None else line.end
        self._set_cursor(self.model.word_start(offset) if self.mark is None else offset)

    def _move(self, units: segments.Units | segments.Windowed, direction: int) -> None:
        target = self.model.target(units, direction)
        if target is not None:
            self._set_cursor(target, scroll=True)

    def action_next_word(self) -> None:
        self._move(segments.words(self.body), +1)

    def action_previous_word(self) -> None:
        self._move(segments.words(self.body), -1)

    def action_next_sentence(self) -> None:
        self._move(segments.sentences(self.body), +1)

    def action_previous_sentence(self) -> None:
        self._move(segments.sentences(self.body), -1)

    def action_next_paragraph(self) -> None:
        self._move(segments.paragraphs(self.body), +1)

    def action_previous_paragraph(self) -> None:
        self._move(segments.paragraphs(self.body), -1)

    def action_select(self) -> None:
        """v: start a selection on the word under the cursor; v again (or escape) drops it."""
        if self.mark is not None:
            self.clear_selection()
        elif self.cursor >= 0:
            word = self.model.anchor_word()
            self._refresh_range("body", *word)
            self.model.mark = word
            self._set_cursor(word[1])

    def clear_selection(self) -> None:
        selection = self.selection()
        if selection is None:
            return
        self.model.mark = None
        self._refresh_range("body", *selection)
        self._set_cursor(self.model.word_start(selection[0]))

    def action_clear_selection(self) -> None:
        self.clear_selection()

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        """Escape drops a selection; with none, it goes on to the screen (back to the list)."""
        return self.mark is not None if action == "clear_selection" else True

    # -------------------------------------------------------------- passages
    def _request_tag(self, unit: str) -> None:
        target = self.model.tag_range(unit)
        if target is None or target[0] >= target[1]:
            self.app.bell()
            return
        existing = self.model.here() if self.mark is None and unit == "sentence" else None
        self.post_message(self.PassageAction("tag", *target, passage=existing))

    def action_tag_passage(self) -> None:
        self._request_tag("sentence")

    def action_tag_paragraph(self) -> None:
        self._request_tag("paragraph")

    def action_delete_passage(self) -> None:
        here = self.model.here()
        if here is None:
            self.app.bell()
            return
        self.post_message(self.PassageAction("delete", here.start, here.end, passage=here))

    def action_undo_delete(self) -> None:
        self.post_message(self.PassageAction("undo"))

    def action_copy_quote(self) -> None:
        """y: the selection, else the passage under the cursor, else its sentence, copied as a
        Markdown quote with the article's reference (OSC 52: works over SSH too)."""
        here = self.model.here()
        if self.mark is not None:
            span, what = self.model.tag_range("sentence"), "selection"
        elif here is not None:
            span, what = (here.start, here.end), "passage"
        else:
            span, what = self.model.tag_range("sentence"), "sentence"
        if self.document is None or span is None or span[0] >= span[1]:
            self.app.bell()
            return
        quote = self.body[span[0] : span[1]]
        self.app.copy_to_clipboard(markdown_quote(quote, self.document.document))
        self.notify(f"Copied the {what} ({plural(len(quote.split()), 'word')}) with its reference", timeout=4)

    # ----------------------------------------------------------------- mouse
    def offset_at(self, x: int, y: int) -> int | None:
        """The body offset under content cell (x, y) of the view, or None off the body."""
        index = y + int(self.scroll_offset.y)
        if not 0 <= index < len(self.lines) or self.lines[index].field != "body":
            return None
        line = self.lines[index]
        column, offset = max(0, x - GUTTER), line.start
        while offset < line.end and column > 0:
            column -= cell_len(self.body[offset])
            if column >= 0:
                offset += 1
        return offset

    def on_mouse_down(self, event: MouseDown) -> None:
        where = event.get_content_offset(self)
        if where is not None and self._ruler_clicked(*where):
            return
        offset = self.offset_at(*where) if where is not None else None
        if offset is None:
            return
        self.focus()
        self.clear_selection()
        self.model.mark = (offset, offset)
        self._dragging = True
        self.capture_mouse()
        self._set_cursor(offset)

    def on_mouse_move(self, event: MouseMove) -> None:
        if self._dragging:
            offset = self.offset_at(*event.get_content_offset_capture(self))
            if offset is not None:
                self._set_cursor(offset)

    def on_mouse_up(self, event: MouseUp) -> None:
        if not self._dragging:
            return
        self._dragging = False
        self.release_mouse()
        selection = self.selection()
        if selection is None or selection[0] == selection[1]:  # a click: the cursor goes there
            self.model.mark = None
            self._set_cursor(self.model.word_start(self.cursor))

    # -------------------------------------------------------------- drawing
    def line_text(self, index: int) -> Text:
        """The styled text of visual line `index` (what the tests and render_line see)."""
        line = self.lines[index]
        doc = self.document.document if self.document else None
        source = self.meta_text if line.field == "meta" else getattr(doc, line.field, "")
        current = self.hits[self.current_hit] if 0 <= self.current_hit < len(self.hits) else None
        return paint_line(line, source, self.rich_style, self._spans, current, self.model, self.palette)

    def gutter_strip(self, index: int) -> Strip:
        """The mark beside a line that holds (part of) a tagged passage."""
        line = self.lines[index]
        passages = passages_on(self.passages, line) if line.field == "body" else []
        if not passages:
            return Strip.blank(GUTTER, self.rich_style)
        style = self.palette.passage_mark if all(p.exact for p in passages) else self.palette.approximate_mark
        return Strip([Segment("▌", self.rich_style + style), Segment(" ", self.rich_style)])

    def render_line(self, y: int) -> Strip:
        index = y + int(self.scroll_offset.y)
        width = self.scrollable_content_region.width
        line = self._strip(index) if index < len(self.lines) else Strip.blank(width, self.rich_style)
        return Strip.join([line.crop(0, width - RULER), self._ruler_cell(y)])

    # ------------------------------------------------------------ the ruler
    def _ruler_cell(self, y: int) -> Strip:
        rows = self._ruler()
        row = rows[y] if y < len(rows) else None
        if row is None:
            return Strip.blank(RULER, self.rich_style)
        palette, style = self.palette, self.rich_style
        if row.in_view:
            style += Style(bgcolor=palette.background.blend(palette.text, 0.18).hex)
        if row.current:
            return Strip([Segment("█", style + Style(color=palette.current.bgcolor))])
        if row.term is not None:
            return Strip([Segment("▐", style + Style(color=palette.term(row.term).bgcolor))])
        return Strip([Segment(" ", style)])

    def _ruler(self) -> list[RulerRow]:
        """The ruler's rows for the view as it is (made again when the view, the hits or the
        current hit change; a 1 MB article's 9,000 hits take a few ms)."""
        height, top = self.scrollable_content_region.height, int(self.scroll_offset.y)
        key = (id(self.hits), len(self.lines), height, top, self.current_hit)
        if self._ruler_key != key:
            if self._hit_lines_for != (id(self.hits), len(self.lines)):
                self._hit_lines = [(self.line_of(h.field, h.start), h.term) for h in self.hits]
                self._hit_lines_for = (id(self.hits), len(self.lines))
            current = self._hit_lines[self.current_hit][0] if 0 <= self.current_hit < len(self.hits) else None
            self._ruler_rows = ruler_rows(self._hit_lines, current, len(self.lines), height, top)
            self._ruler_key = key
        return self._ruler_rows

    def _ruler_clicked(self, x: int, y: int) -> bool:
        """A click in the ruler goes to the first hit of the part of the article its row stands
        for (that hit becomes the current one), or to that part when it holds none."""
        if x < self.scrollable_content_region.width - RULER:
            return False
        height, lines = self.scrollable_content_region.height, len(self.lines)
        first, end = line_at(y, lines, height), line_at(y + 1, lines, height) if y + 1 < height else lines
        self._ruler()  # the hits' lines, as the ruler drew them
        inside = next((i for i, (line, _) in enumerate(self._hit_lines) if first <= line < max(end, first + 1)), None)
        if inside is not None:
            self.current_hit = inside
            self._scroll_to_current()
        else:
            self.scroll_to(y=first, animate=False)
        return True

    def _strip(self, index: int) -> Strip:
        key = (index, self.wrapped.width)
        strip = self._cache.get(key)
        if strip is None:
            text = self.line_text(index)
            segments_ = list(text.render(self.app.console)) if text.plain else []
            strip = Strip.join([self.gutter_strip(index), Strip(segments_)]).crop_extend(
                0, self.scrollable_content_region.width, self.rich_style)
            self._cache[key] = strip
            if len(self._cache) > CACHE_LINES:
                self._cache.popitem(last=False)
        return strip

    def _prepare_next_hit(self) -> None:
        """While idle, draw the screen `n` would scroll to, so the jump only composes cached lines
        (a scrolling jump otherwise renders a whole screen of new lines: the missed `n` target)."""
        following = self.current_hit + 1
        if not 0 <= following < len(self.hits):
            return
        hit = self.hits[following]
        y, height = self.line_of(hit.field, hit.start), self.scrollable_content_region.height
        if self._off_screen(y):
            for index in range(max(0, y - height // 2 - 1), min(len(self.lines), y + height // 2 + 2)):
                self._strip(index)
