"""The search box: an Input with query history and keys from keymap.yaml."""

from __future__ import annotations

from typing import Any

from textual.message import Message
from textual.widgets import Input

from margin.tui.keymap import bindings


class SearchBox(Input):
    BINDINGS = bindings("search_box")
    DEFAULT_CSS = """
    SearchBox { border: round $primary 40%; }
    SearchBox:focus { border: round $primary; }
    """

    class Leave(Message):
        """Escape: clear the query if there is one, else hand focus back to the panes."""

    class Go(Message):
        """Enter: the user is done typing; move to the results."""

    class Unrefined(Message):
        """Backspace with nothing typed after a refinement's `AND`: back to the query before it."""

    def __init__(self, history: list[str], **kwargs: Any) -> None:
        super().__init__(placeholder="Search: words, \"phrases\", person:\"Lei Jun\", published:2025 …", **kwargs)
        self.history = history
        self._position = len(history)
        self.refining = ""  # "oil prices AND ": the query the words typed after it search within

    def remember(self, query: str) -> None:
        query = query.strip()
        if query and (not self.history or self.history[-1] != query):
            if query in self.history:
                self.history.remove(query)
            self.history.append(query)
        self._position = len(self.history)

    def action_delete_left(self) -> None:
        if self.refining and self.value == self.refining and self.cursor_position == len(self.value):
            self.post_message(self.Unrefined())
            return
        super().action_delete_left()

    def action_submit_search(self) -> None:
        self.post_message(self.Go())

    def action_leave_search(self) -> None:
        self.post_message(self.Leave())

    def action_history_back(self) -> None:
        if self._position > 0:
            self._position -= 1
            self.value = self.history[self._position]
            self.cursor_position = len(self.value)

    def action_history_forward(self) -> None:
        if self._position < len(self.history):
            self._position += 1
            self.value = self.history[self._position] if self._position < len(self.history) else ""
            self.cursor_position = len(self.value)
