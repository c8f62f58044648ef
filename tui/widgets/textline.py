"""One line of text that changes often: the status line and the reader's position line."""

from __future__ import annotations

from rich.text import Text
from textual.reactive import reactive
from textual.widget import Widget


class TextLine(Widget):
    """A reactive repaints only this line, where Static.update() would lay out the whole screen
    (measured: the reader's position moving on every scroll cost a full relayout each time)."""

    DEFAULT_CSS = "TextLine { height: 1; padding: 0 1; color: $text-muted; text-wrap: nowrap; text-overflow: ellipsis; }"
    text: reactive[str] = reactive("")

    def render(self) -> Text:
        return Text(self.text)  # plain: a note's "[b]" is not markup
