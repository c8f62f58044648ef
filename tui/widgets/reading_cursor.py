"""Where the reader is in an article: the cursor, the selection and the passage under them.

A plain model (offsets in the body, no terminal): the motions say where the cursor goes, the
view moves it there and repaints what changed. Kept apart so the rules of visual mode and of
what `t` tags can be read, and tested, without the drawing.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from margin.search import segments

if TYPE_CHECKING:
    from margin.search.passages.sync import PlacedPassage

Range = tuple[int, int]


class ReadingCursor:
    """The cursor (an offset in the body, -1 with no body) and the selection's anchor word."""

    def __init__(self) -> None:
        self.body = ""
        self.offset = -1
        self.mark: Range | None = None  # the word where the selection started (visual mode)
        self.passages: list[PlacedPassage] = []

    def reset(self, body: str, passages: list[PlacedPassage]) -> None:
        """A new article: the cursor on its first word, no selection."""
        self.body, self.passages, self.mark = body, passages, None
        self.offset = self.word_start(0) if body else -1

    def clamp(self, offset: int) -> int:
        return max(0, min(offset, len(self.body)))

    def selection(self) -> Range | None:
        """The selected body range (visual mode or a mouse drag), or None."""
        if self.mark is None or self.offset < 0:
            return None
        start, end = self.mark
        return (self.offset, end) if self.offset < start else (start, max(end, self.offset))

    def word_start(self, offset: int) -> int:
        word = segments.words(self.body).at(offset)
        return word[0] if word else offset

    def cursor_word(self, offset: int) -> Range | None:
        """The word the cursor lights at `offset` (none while selecting: the selection shows)."""
        if offset < 0 or self.mark is not None:
            return None
        return segments.words(self.body).at(offset)

    def target(self, units: segments.Units | segments.Windowed, direction: int) -> int | None:
        """Normal mode: the start of the next/previous unit. Visual mode: the moving end goes to
        unit ends after the selection's start and to unit starts before it, so `v)` takes a sentence."""
        here = self.offset
        if here < 0:
            return None
        if self.mark is None:
            return units.next_start(here) if direction > 0 else units.previous_start(here)
        if here >= self.mark[0]:
            return units.next_end(here) if direction > 0 else units.previous_end(here, self.mark[0])
        target = units.next_start(here) if direction > 0 else units.previous_start(here)
        return min(target, self.mark[0])

    def anchor_word(self) -> Range:
        """`v`: the word the selection starts from."""
        return segments.words(self.body).at(self.offset) or (self.offset, self.offset)

    def passage_at(self, offset: int) -> PlacedPassage | None:
        """The innermost (last started) passage holding `offset`."""
        found = [p for p in self.passages if p.start <= offset < p.end]
        return found[-1] if found else None

    def here(self) -> PlacedPassage | None:
        return self.passage_at(self.offset) if self.offset >= 0 else None

    def tag_range(self, unit: str) -> Range | None:
        """What `t` tags: the selection, else the sentence (or paragraph) under the cursor."""
        selection = self.selection()
        if selection is not None:
            return segments.trimmed(self.body, *selection)
        units = segments.paragraphs(self.body) if unit == "paragraph" else segments.sentences(self.body)
        return units.at(self.offset) if self.offset >= 0 else None

    def note(self) -> str:
        """The line under the view: what a selection would tag, or the passage under the cursor."""
        selection = self.selection()
        if selection is not None:
            words = len(self.body[selection[0] : selection[1]].split())
            return f"selecting {words} word{'s' if words != 1 else ''} · t tags them · escape cancels"
        here = self.here()
        if here is None:
            return ""
        tags = " ".join(f"#{t}" for t in here.passage.tags)
        note = " ".join(here.passage.note.split())
        approximate = "" if here.exact else " (the text here changed since it was tagged)"
        if tags or note:
            return "▌ " + " · ".join(p for p in (tags, note) if p) + approximate
        return "▌ tagged passage" + approximate


def changed(old: Range | None, new: Range | None) -> list[Range]:
    """The parts of the body whose selection colour differs between two selections: where each end
    moved (a long selection growing by a word repaints one or two lines, not all of it)."""
    if old is None or new is None:
        return [s for s in (old, new) if s is not None]
    return [(min(old[0], new[0]), max(old[0], new[0])), (min(old[1], new[1]), max(old[1], new[1]))]
