"""Acting on what is shown: one change (tag, read, unread, star, unstar) to every document of
the current results, or the list exported; it says how many documents it will touch before it
does, and ctrl+z takes the last one back whole."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Protocol

from rich.text import Text
from textual.screen import ModalScreen

from margin.search.plural import plural
from margin.tui import messages
from margin.tui.flows.host import FlowHost

if TYPE_CHECKING:
    from margin.search.userdata.reading import Mark
    from margin.tui.flows.reading import ReadingKeeper
    from margin.tui.widgets.doclist import DocumentList

EXPORT = "export"
ACTIONS = (("tag", "Tag {n}…"), ("read", "Mark {n} read"), ("unread", "Mark {n} unread"), ("star", "Star {n}"),
           ("unstar", "Unstar {n}"), (EXPORT, "Export the list of {n} to a Markdown file"))


class BatchHost(FlowHost, Protocol):
    reading: ReadingKeeper | None

    @property
    def documents(self) -> DocumentList: ...
    def ask(self, dialog: ModalScreen[str | None], answered: Callable[[str | None], None]) -> None: ...
    def bell(self) -> None: ...


class BatchFlow:
    def __init__(self, host: BatchHost) -> None:
        self.host = host
        self.undo: tuple[str, dict[str, Mark]] | None = None  # what the last batch said it did, and the marks before

    def choose(self, query: str, total: int, ids: list[str] | None = None) -> None:
        """The actions, each naming how many documents it will touch: those of the range
        selected in the list (`ids`), else every result."""
        from margin.tui.screens.dialogs import ChoiceScreen

        count = len(ids) if ids is not None else total
        if self.host.library is None or not count:
            self.host.bell()
            return
        n = plural(count, "document")
        can_mark = self.host.reading is not None
        choices = [(key, label.format(n=n)) for key, label in ACTIONS if key == EXPORT or can_mark]
        where = Text.assemble("Act on ", (n, "bold"), " selected") if ids is not None else \
            Text.assemble("Act on the results for ", (query or "every document", "bold"))
        self.host.ask(ChoiceScreen(where, choices), lambda key: self._chosen(key, query, count, ids))

    def _chosen(self, key: str | None, query: str, count: int, ids: list[str] | None) -> None:
        if key == EXPORT:
            self._export(query, ids)
        elif key == "tag":
            from margin.tui.screens.dialogs import AskScreen

            self.host.ask(AskScreen(Text(f"Tag the {plural(count, 'document')} as:"), "tag"),
                          lambda tag: self._change(query, "tag", tag, ids) if tag else None)
        elif key is not None:
            self._change(query, key, ids=ids)

    def _change(self, query: str, change: str, tag: str = "", ids: list[str] | None = None) -> None:
        library, keeper = self.host.library, self.host.reading
        if library is None or keeper is None:
            return
        store = keeper.store
        what = f"tagged #{tag.lstrip('#')}" if change == "tag" else {"read": "marked read", "unread": "marked unread",
                                                                        "star": "starred", "unstar": "unstarred"}[change]

        def work() -> None:
            chosen = ids if ids is not None else library.result_ids(query)
            before = store.change_many(chosen, change, tag)
            self.host.post_message(messages.BatchDone(f"{plural(len(chosen), 'document')} {what}", before, store.marks()))

        self.host.in_thread(work, group="store", exclusive=False, description="Changing the results")

    def done(self, message: messages.BatchDone) -> None:
        if message.marks is not None:
            self.host.documents.set_marks(message.marks)
        if message.before:
            self.undo = (message.said, message.before)
        self.host.say(f"{message.said} · ctrl+z takes it back" if message.before else message.said)

    def take_back(self) -> None:
        keeper, undo = self.host.reading, self.undo
        if keeper is None or undo is None:
            self.host.say("Nothing to take back")
            return
        said, before = undo
        self.undo = None
        store = keeper.store

        def work() -> None:
            store.restore(before)
            self.host.post_message(messages.BatchDone(f"Taken back: {said}", {}, store.marks()))

        self.host.in_thread(work, group="store", exclusive=False, description="Taking the change back")

    def _export(self, query: str, ids: list[str] | None) -> None:
        """The results (or those of the range) as Markdown in margin-results.md here."""
        library = self.host.library
        if library is None:
            return
        from dataclasses import replace

        from margin.tui.commandline.result_export import as_markdown

        path = Path.cwd() / "margin-results.md"

        def work() -> None:
            results = library.search(query, page_size=max(1, library.exact_total(query)), suggest=False)
            if ids is not None:
                wanted = set(ids)
                results = replace(results, rows=[r for r in results.rows if r.doc_id in wanted])
            path.write_text(as_markdown(results, lambda row: {}), encoding="utf-8")
            self.host.post_message(messages.BatchDone(f"{plural(len(results.rows), 'result')} written to {path}", {}, None))

        self.host.in_thread(work, group="export", exclusive=True, description="Exporting the results")
