"""Stories in the reader: a family's copies in the list, more like this, a copy against the
story's earliest one (and the next), an article against its previous version.

Each asks the library in a thread worker and posts its answer back (CopiesReady,
ComparisonReady); the compare screen is pushed when the first comparison arrives.
"""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING, Protocol

from margin.search.stories.compare import compare
from margin.search.stories.similar import like_clause
from margin.tui import messages
from margin.tui.flows.host import FlowHost
from margin.tui.screens.compare import CompareScreen, Passage, Shown
from margin.tui.widgets.doclist import DocumentList
from margin.tui.widgets.reader import ReaderView

if TYPE_CHECKING:
    from margin.search.library import Library
    from margin.search.passages.service import PassageService
    from margin.search.passages.sync import PlacedPassage
    from margin.tui.flows.search import SearchFlow


class StoriesHost(FlowHost, Protocol):
    passages: PassageService | None
    search: SearchFlow

    @property
    def documents(self) -> DocumentList: ...
    @property
    def reader(self) -> ReaderView: ...
    def push(self, screen: CompareScreen) -> None: ...
    def bell(self) -> None: ...


class StoriesFlow:
    def __init__(self, host: StoriesHost) -> None:
        self.host = host
        self._compared: tuple[str, list[str], int] | None = None  # (this copy, its family, the one compared with)
        self._screen: CompareScreen | None = None

    # ----------------------------------------------------------------- list
    def copies_wanted(self, event: DocumentList.CopiesWanted) -> None:
        library, generation = self.host.library, self.host.search.generation
        if library is None:
            return
        query, result, doc_id = self.host.search.current_query, event.result, event.row.doc_id
        self.host.in_thread(lambda: self.host.post_message(
            messages.CopiesReady(generation, result, library.copies(doc_id, query))),
            group="copies", exclusive=True, description="The story's copies")

    def copies_ready(self, message: messages.CopiesReady) -> None:
        if message.generation == self.host.search.generation:
            self.host.documents.expand_family(message.result, message.rows)

    # ------------------------------------------------------ more like this
    def more_like_this(self) -> None:
        """Search for the documents most like the article shown, or the part of it selected."""
        reader = self.host.reader
        if reader.document is None:
            self.host.say("Open an article first: more like this searches for the documents most like it")
            return
        part = reader.selection()
        self.host.search.set_query(like_clause(reader.document.document.doc_id, part))

    # ------------------------------------------------------------ compare
    def compare_copy(self, *, step: bool = False) -> None:
        """The article against its family's earliest member; again (`step`), against the next."""
        library, reader = self.host.library, self.host.reader
        if library is None or reader.document is None:
            return
        doc_id = reader.document.document.doc_id
        family = library.families().copies(doc_id)
        others = [d for d in family if d != doc_id]
        if not others:
            self.host.say("This article has no copy in the corpus (R compares it with its previous version)")
            return
        at = 0
        if step and self._compared is not None and self._compared[0] == doc_id:
            at = (self._compared[2] + 1) % len(others)
        self._compared = (doc_id, others, at)
        other = others[at]
        heading = f"{len(family)} copies of this story · compared with {{title}} ({at + 1} of {len(others)}; c: the next)"
        self.host.in_thread(lambda: self._compare_copies(library, doc_id, other, heading, step),
                            group="compare", exclusive=True, description="Comparing the copies")

    def _compare_copies(self, library: Library, doc_id: str, other: str, heading: str, step: bool) -> None:
        this, that = library.document(doc_id), library.document(other)
        if this is None or that is None:
            return
        who = " · ".join(p for p in (that.document.source, that.document.published, other) if p)
        shown = Shown(heading.format(title=f"“{that.document.title}” ({who})"), this.document.body,
                      compare(this.document.body, that.document.body))
        self.host.post_message(messages.ComparisonReady(shown, step))

    def compare_version(self) -> None:
        """The article against the text it had before it last changed, with its passages."""
        library, reader = self.host.library, self.host.reader
        if library is None or reader.document is None:
            return
        doc_id, body = reader.document.document.doc_id, reader.document.document.body
        if library.last_change(doc_id) is None:  # not every kept text read and unpacked here, on the screen's thread
            self.host.say("This article has not changed since margin first indexed it")
            return
        placed = list(reader.passages)
        made_on = self.host.passages.store.made_on(doc_id) if self.host.passages is not None else {}
        self.host.in_thread(lambda: self._compare_versions(library, doc_id, body, placed, made_on),
                            group="compare", exclusive=True, description="Comparing the versions")

    def _compare_versions(self, library: Library, doc_id: str, body: str, placed: list[PlacedPassage],
                          made_on: dict[int, str]) -> None:
        versions = library.versions(doc_id)
        names = {v.sha1: f"made on the version replaced {_when(v.replaced)}" for v in versions}
        passages = tuple(Passage(body[p.start : p.end], p.passage.anchor.exact, p.exact,
                                 names.get(made_on.get(p.passage.id, p.passage.doc_sha1), "made on this version"))
                         for p in placed)
        since = " (since you tagged it)" if any(p.made != "made on this version" for p in passages) else ""
        heading = (f"What changed on {_when(versions[0].replaced)}{since}; "
                   f"{len(versions)} earlier version{'s' if len(versions) > 1 else ''} kept")
        shown = Shown(heading, body, compare(body, versions[0].body), passages)
        self.host.post_message(messages.ComparisonReady(shown, False))

    def comparison_ready(self, message: messages.ComparisonReady) -> None:
        screen = self._screen
        if message.step and screen is not None and screen.is_attached:
            screen.show(message.shown)
            return
        self._screen = CompareScreen(message.shown, lambda: self.compare_copy(step=True))
        self.host.push(self._screen)



def _when(seconds: float) -> str:
    return dt.datetime.fromtimestamp(seconds).strftime("%Y-%m-%d %H:%M")
