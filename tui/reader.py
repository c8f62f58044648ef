"""The reading view: one article wrapped to the pane, hits lit up, entities marked, hit to hit.

A Line API widget: each visual line is a character range of the title or body, drawn on demand
with the spans that overlap it, and cached. The current hit stands out from the others; at the
last hit, `n` asks the app for the next matching document (and `N` at the first, the previous).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from bisect import bisect_left, bisect_right
from collections import OrderedDict
from dataclasses import dataclass

from rich.style import Style
from rich.text import Text
from textual.geometry import Region, Size
from textual.message import Message
from textual.reactive import reactive
from textual.scroll_view import ScrollView
from textual.strip import Strip

from margin.search.results import Hit

from .keymap import bindings

if TYPE_CHECKING:  # the library (and Whoosh) loads after the first frame
    from margin.search.library import StoredDocument
from .wrap import wrap_ranges

# Explicit colours: the theme maps named ANSI colours, and turned "yellow" into the same orange
# as "dark_orange", so the current hit did not stand out.
HIT = Style(color="#000000", bgcolor="#ffe066")
CURRENT = Style(color="#ffffff", bgcolor="#d7005f", bold=True)
ENTITY = {"person": Style(color="cyan", underline=True), "organization": Style(color="green", underline=True),
          "place": Style(color="magenta", underline=True), "product": Style(color="blue", underline=True)}
TITLE = Style(bold=True)
META = Style(dim=True)
CACHE_LINES = 2000


@dataclass(frozen=True)
class Line:
    field: str  # "title", "meta", "body" or "" for a blank line
    start: int
    end: int


class ReaderView(ScrollView, can_focus=True):
    BINDINGS = bindings("reader")
    DEFAULT_CSS = """
    ReaderView { border: round $primary 40%; padding: 0 1; scrollbar-gutter: stable; }
    ReaderView:focus { border: round $primary; }
    """
    current_hit: reactive[int] = reactive(-1)
    # "hit 3/17 · 40%": shown under the reader by the app. Not in the border: a border change
    # repaints the whole view, and n/N should repaint only the two lines whose hit changed.
    position: reactive[str] = reactive("", layout=False, repaint=False)

    class HitsExhausted(Message):
        """n past the last hit (+1) or N before the first (-1): the app moves to another document."""

        def __init__(self, direction: int) -> None:
            super().__init__()
            self.direction = direction

    def __init__(self, **kwargs) -> None:
        super().__init__(**kwargs)
        self.document: StoredDocument | None = None
        self.hits: list[Hit] = []
        self.meta_text = ""
        self.lines: list[Line] = []
        self._spans: dict[str, tuple[list[int], list[tuple[int, int, Style]]]] = {}
        self._cache: OrderedDict[tuple, Strip] = OrderedDict()
        self._wrapped_width = -1
        self._line_index: dict[str, tuple[list[int], list[int]]] = {}

    # ------------------------------------------------------------ contents
    def show(self, document: StoredDocument | None, hits: list[Hit], *, at_hit: int | None = 0) -> None:
        """Display a document; with hits, go to hit `at_hit` (negative counts from the end)."""
        self.document, self.hits = document, hits
        self._cache.clear()
        doc = document.document if document else None
        self.meta_text = " · ".join(p for p in (doc.source, doc.author, doc.published or "undated", doc.doc_id)
                                    if p) if doc else ""
        self._spans = self._build_spans()
        self._wrapped_width = -1
        self._rewrap()
        self.scroll_to(0, 0, animate=False)
        if hits and at_hit is not None:
            self.current_hit = at_hit % len(hits)
            self._scroll_to_current()
        else:
            self.current_hit = -1
        self._update_position()
        self.refresh()

    def _build_spans(self) -> dict[str, tuple[list[int], list[tuple[int, int, Style]]]]:
        """Per field, spans sorted by start (entities first so hits paint over them)."""
        per_field: dict[str, list[tuple[int, int, Style]]] = {"title": [], "body": []}
        if self.document:
            for where, kind, _, start, end in self.document.mentions:
                per_field[where].append((start, end, ENTITY.get(kind, META)))
        for hit in self.hits:
            per_field[hit.field].append((hit.start, hit.end, HIT))
        result = {}
        for field, spans in per_field.items():
            spans.sort(key=lambda s: s[0])
            result[field] = ([s[0] for s in spans], spans)
        return result

    def _rewrap(self) -> None:
        width = max(1, self.scrollable_content_region.width)
        if width == self._wrapped_width:
            return
        self._wrapped_width = width
        self._cache.clear()
        doc = self.document.document if self.document else None
        if doc is None:
            self.lines = []
        else:
            title = [Line("title", s, e) for s, e in wrap_ranges(doc.title, width)]
            meta = [Line("meta", s, e) for s, e in wrap_ranges(self.meta_text, width)]
            body = [Line("body", s, e) for s, e in wrap_ranges(doc.body, width)]
            self.lines = title + meta + [Line("", 0, 0)] + body
        self._line_index = {}
        for index, line in enumerate(self.lines):
            starts, indexes = self._line_index.setdefault(line.field, ([], []))
            starts.append(line.start)
            indexes.append(index)
        self.virtual_size = Size(width, len(self.lines))

    def on_resize(self) -> None:
        self._rewrap()
        self._scroll_to_current()

    # ----------------------------------------------------------- navigation
    def line_of(self, field: str, offset: int) -> int:
        """Index of the visual line holding `offset` of `field` (lines of a field are in order)."""
        starts, indexes = self._line_index.get(field, ([], []))
        i = bisect_right(starts, offset) - 1
        return indexes[i] if i >= 0 else 0

    def _scroll_to_current(self) -> None:
        """Bring the current hit into view, centred, unless it is already on screen."""
        if not 0 <= self.current_hit < len(self.hits):
            return
        hit = self.hits[self.current_hit]
        y = self.line_of(hit.field, hit.start)
        top, height = int(self.scroll_offset.y), self.scrollable_content_region.height
        if height and not top <= y < top + height:
            self.scroll_to_region(Region(0, y, 1, 1), animate=False, center=True)

    def watch_current_hit(self, old: int, new: int) -> None:
        """Redraw only the lines of the hit that stops being current and of the one that starts."""
        top = int(self.scroll_offset.y)
        for index in (old, new):
            if 0 <= index < len(self.hits):
                hit = self.hits[index]
                first, last = self.line_of(hit.field, hit.start), self.line_of(hit.field, max(hit.start, hit.end - 1))
                for line in range(first, last + 1):
                    self._cache.pop((line, self._wrapped_width), None)
                # Regions are relative to the widget's outer edge, so step over the border and padding.
                self.refresh(Region(0, first - top + self.styles.gutter.top, self.size.width, last - first + 1))
        self._update_position()

    def watch_scroll_y(self, old: float, new: float) -> None:
        super().watch_scroll_y(old, new)
        self._update_position()

    def _update_position(self) -> None:
        if not self.lines:
            self.position = ""
            return
        height = max(1, self.scrollable_content_region.height)
        seen = min(len(self.lines), int(self.scroll_offset.y) + height)
        percent = 100 if len(self.lines) <= height else round(100 * seen / len(self.lines))
        where = f"hit {self.current_hit + 1}/{len(self.hits)} · " if self.hits and self.current_hit >= 0 else (
            f"{len(self.hits)} hits · " if self.hits else "")
        self.position = f"{where}{percent}%"

    def action_next_hit(self) -> None:
        if self.current_hit + 1 < len(self.hits):
            self.current_hit += 1
            self._scroll_to_current()
        else:
            self.post_message(self.HitsExhausted(+1))

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
        self.scroll_home(animate=False)

    def action_reader_bottom(self) -> None:
        self.scroll_end(animate=False)

    def action_reader_page_down(self) -> None:
        self.scroll_page_down(animate=False)

    def action_reader_page_up(self) -> None:
        self.scroll_page_up(animate=False)

    # -------------------------------------------------------------- drawing
    def line_text(self, index: int) -> Text:
        """The styled text of visual line `index` (what the tests and render_line see)."""
        line = self.lines[index]
        if line.field == "":
            return Text("")
        if line.field == "meta":
            return _styled(self.meta_text[line.start : line.end], self.rich_style + META)
        source = getattr(self.document.document, line.field)
        base = self.rich_style + TITLE if line.field == "title" else self.rich_style
        text = _styled(source[line.start : line.end].replace("\t", " "), base)
        starts, spans = self._spans[line.field]
        # Spans are short, so only those starting before this line's end and not long before it overlap.
        first = bisect_left(starts, line.start - 200)
        last = bisect_right(starts, line.end)
        for start, end, style in spans[first:last]:
            if end > line.start and start < line.end:
                text.stylize(style, max(start, line.start) - line.start, min(end, line.end) - line.start)
        if 0 <= self.current_hit < len(self.hits):
            hit = self.hits[self.current_hit]
            if hit.field == line.field and hit.end > line.start and hit.start < line.end:
                text.stylize(CURRENT, max(hit.start, line.start) - line.start, min(hit.end, line.end) - line.start)
        return text

    def render_line(self, y: int) -> Strip:
        width = self.scrollable_content_region.width
        index = y + int(self.scroll_offset.y)
        if index >= len(self.lines):
            return Strip.blank(width, self.rich_style)
        key = (index, self._wrapped_width)
        strip = self._cache.get(key)
        if strip is None:
            text = self.line_text(index)
            segments = list(text.render(self.app.console)) if text.plain else []
            strip = Strip(segments).crop_extend(0, width, self.rich_style)
            self._cache[key] = strip
            if len(self._cache) > CACHE_LINES:
                self._cache.popitem(last=False)
        return strip


def _styled(content: str, base: Style) -> Text:
    """Text whose every segment carries `base` (as a span: Text.render drops a plain base style)."""
    text = Text(content)
    text.stylize(base)
    return text
