"""What `t`, `T`, `d` and `u` in the reader do: the dialog, the store write, the repaint.

The reader only says which body range (or which passage) a key is about; this asks for tags and
a note, saves through PassageService with the main screen's `attempt` (a refused write is
reported, never shown as done), and hands the article's re-placed passages back to the reader
and its tags to the sidebar.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any, Protocol, TypeVar

from margin.tui.flows.search import SearchFlow
from margin.tui.widgets.reader import ReaderView
from margin.tui.widgets.sidebar import EntitySidebar

if TYPE_CHECKING:
    from margin.search.passages.service import PassageService
    from margin.search.passages.store import Passage
    from margin.tui.screens.passages import PassageEdit

T = TypeVar("T")


class PassagesHost(Protocol):
    """What the reader's passage keys may touch of the screen."""

    search: SearchFlow

    @property
    def reader(self) -> ReaderView: ...
    @property
    def sidebar(self) -> EntitySidebar: ...
    def attempt(self, what: str, call: Callable[[], T]) -> T | None: ...
    def ask(self, screen: Any, answered: Callable[[Any], None]) -> None: ...
    def say(self, message: str) -> None: ...
    def bell(self) -> None: ...


class ReaderPassages:
    def __init__(self, screen: PassagesHost, service: PassageService) -> None:
        self.screen, self.service = screen, service

    def run(self, event: ReaderView.PassageAction) -> None:
        {"tag": self.tag, "delete": self.delete, "undo": self.undo}[event.kind](event)

    def tag(self, event: ReaderView.PassageAction) -> None:
        """Ask for tags and a note; save a new passage, or the edit of the one under the cursor."""
        from margin.tui.screens.passages import (  # with the store: not needed for the first frame
            PassageDialog,
            PassageEdit,
        )

        screen, service, reader = self.screen, self.service, self.screen.reader
        if reader.document is None:
            return
        doc, existing = reader.document.document, event.passage
        current = PassageEdit(existing.passage.tags, existing.passage.note) if existing else None
        quote = existing.passage.anchor.exact if existing else doc.body[event.start : event.end]

        def save(edit: PassageEdit) -> Passage:
            if existing:
                return service.edit(existing.passage.id, edit.tags, edit.note)
            return service.tag(doc, event.start, event.end, edit.tags, edit.note)

        def saved(_: Passage) -> None:
            reader.clear_selection()
            self.refresh()

        known = screen.attempt("Reading the tags", service.all_tags) or []
        screen.ask(PassageDialog(quote, known, current, save, saved), lambda _: None)

    def delete(self, event: ReaderView.PassageAction) -> None:
        passage = event.passage
        if passage is None:
            return
        if self.screen.attempt("Deleting the passage", lambda: self.service.delete(passage.passage.id)) is not None:
            self.refresh()
            self.screen.say("Passage deleted · u undoes")

    def undo(self, event: ReaderView.PassageAction) -> None:
        if self.screen.attempt("Restoring the passage", self.service.undo) is None:
            self.screen.bell()
            return
        self.refresh()
        self.screen.say("Passage restored")

    def refresh(self) -> None:
        """Redraw the open article's passages and tags after a change."""
        screen, service, reader = self.screen, self.service, self.screen.reader
        if reader.document is None:
            return
        doc = reader.document.document
        placed = screen.attempt("Placing the passages", lambda: service.place(doc))
        reader.set_passages(placed.passages if placed else [])
        screen.sidebar.set_tags(screen.attempt("Reading the tags", lambda: service.tag_counts(doc.doc_id)) or [])
        if any(field in screen.search.current_query for field in ("tag:", "note:", "has:")):
            screen.search.again(keep=doc.doc_id)  # the matches changed
