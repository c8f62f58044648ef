"""The colours of one visual line of an article: entities, hits, the current hit, tagged passages,
the selection and the cursor word, in that order (later paints over earlier).

Rich text only, no widget: the view caches what this returns per line and width, and the tests
read the same styled text the terminal shows.
"""

from __future__ import annotations

from bisect import bisect_left, bisect_right
from typing import TYPE_CHECKING

from rich.style import Style
from rich.text import Text

from margin.search.results import Hit
from margin.tui.palette import Palette
from margin.tui.widgets.article_lines import Line
from margin.tui.widgets.reading_cursor import ReadingCursor

if TYPE_CHECKING:
    from margin.search.library import StoredDocument
    from margin.search.passages.sync import PlacedPassage

TITLE = Style(bold=True)
META = Style(dim=True)
Spans = dict[str, tuple[list[int], list[tuple[int, int, Style]]]]


def build_spans(document: StoredDocument | None, hits: list[Hit], palette: Palette) -> Spans:
    """Per field, spans sorted by start (entities first so hits paint over them), each hit in
    its query term's colour."""
    per_field: dict[str, list[tuple[int, int, Style]]] = {"title": [], "body": []}
    if document:
        for where, kind, _, start, end in document.mentions:
            per_field[where].append((start, end, palette.entity.get(kind, META)))
    for hit in hits:
        per_field[hit.field].append((hit.start, hit.end, palette.term(hit.term)))
    result = {}
    for field, spans in per_field.items():
        spans.sort(key=lambda s: s[0])
        result[field] = ([s[0] for s in spans], spans)
    return result


def passages_on(passages: list[PlacedPassage], line: Line) -> list[PlacedPassage]:
    return [p for p in passages if p.end > line.start and p.start < line.end or p.start == p.end == line.start]


def paint_line(line: Line, source: str, base: Style, spans: Spans, current: Hit | None,
               model: ReadingCursor, palette: Palette) -> Text:
    """The styled text of one line of `source` (the field the line is a range of)."""
    if line.field == "":
        return Text("")
    if line.field == "meta":
        return _styled(source[line.start : line.end], base + META)
    text = _styled(source[line.start : line.end].replace("\t", " "), base + TITLE if line.field == "title" else base)
    if line.field == "body":
        for passage in passages_on(model.passages, line):
            _stylize(text, line, passage.start, passage.end, palette.passage)
    starts, field_spans = spans[line.field]
    # Spans are short, so only those starting before this line's end and not long before it overlap.
    for start, end, style in field_spans[bisect_left(starts, line.start - 200) : bisect_right(starts, line.end)]:
        _stylize(text, line, start, end, style)
    if current is not None and current.field == line.field:
        _stylize(text, line, current.start, current.end, palette.current)
    if line.field == "body":
        selection = model.selection()
        if selection is not None:
            _stylize(text, line, *selection, palette.selection)
        elif (word := model.cursor_word(model.offset)) is not None:
            _stylize(text, line, *word, palette.cursor)
    return text


def _stylize(text: Text, line: Line, start: int, end: int, style: Style) -> None:
    """Apply `style` to the part of field[start:end] that falls on `line`."""
    if end > line.start and start < line.end:
        text.stylize(style, max(start, line.start) - line.start, min(end, line.end) - line.start)


def _styled(content: str, base: Style) -> Text:
    """Text whose every segment carries `base` (as a span: Text.render drops a plain base style)."""
    text = Text(content)
    text.stylize(base)
    return text
