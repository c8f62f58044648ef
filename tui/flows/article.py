"""The article flow: the article the list's cursor or a chosen passage opens, with its hits,
entities and passages; the reading state's keys; the passages screen; an article's link.

It reaches the screen only through `ArticleHost`. The reading state is kept by `ReadingKeeper`
and the reader's passage keys by `ReaderPassages`, each given the same host.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any, Protocol, TypeVar

from textual.timer import Timer
from textual.worker import get_current_worker

from margin.search.plural import plural
from margin.tui import messages
from margin.tui.flows.entity import EntityFlow
from margin.tui.flows.host import FlowHost
from margin.tui.flows.passages import ReaderPassages
from margin.tui.flows.reading import ReadingKeeper
from margin.tui.flows.search import SearchFlow
from margin.tui.widgets.doclist import DocumentList
from margin.tui.widgets.legend import TermLegend
from margin.tui.widgets.reader import ReaderView
from margin.tui.widgets.sidebar import EntitySidebar

if TYPE_CHECKING:
    from margin.search.library import Library
    from margin.search.passages.service import PassageService, Placed
    from margin.search.passages.store import Passage
    from margin.search.userdata.reading import ReadingStore

T = TypeVar("T")
LOAD_DELAY_S = 0.02


class ArticleHost(FlowHost, Protocol):
    """What the article flow may touch of the screen."""

    passages: PassageService | None
    reading: ReadingKeeper | None
    search: SearchFlow
    entities: EntityFlow

    @property
    def documents(self) -> DocumentList: ...
    @property
    def reader(self) -> ReaderView: ...
    @property
    def sidebar(self) -> EntitySidebar: ...
    @property
    def legend(self) -> TermLegend: ...
    def box_has_focus(self) -> bool: ...
    def tell(self, message: str, *, warning: bool = False, timeout: float = 8) -> None: ...
    def bell(self) -> None: ...
    def attempt(self, what: str, call: Callable[[], T]) -> T | None: ...
    def succeeded(self, what: str, call: Callable[[], object]) -> bool: ...
    def ask(self, screen: Any, answered: Callable[[Any], None]) -> None: ...
    def later(self, seconds: float, call: Callable[[], object]) -> Timer: ...
    def write_later(self, what: str, call: Callable[[], object], undo: Callable[[], None] | None = None) -> None: ...
    def open_userdata_again(self) -> None: ...
    def copy(self, text: str) -> None: ...
    def open_url(self, url: str) -> None: ...


class ArticleFlow:
    def __init__(self, host: ArticleHost) -> None:
        self.host = host
        self._load_timer: Timer | None = None
        self._pending_hit: int | None = 0  # where the next article opens: its first hit, its last (N)
        self._changed_article: tuple[str, str] | None = None  # (id, text) shown when files changed on disk

    # ---------------------------------------------------------------- opening
    def highlighted(self, doc_id: str) -> None:
        """Load the article a moment later: the list redraws first, and holding j skips articles."""
        if self._load_timer is not None:
            self._load_timer.stop()
        at_hit, self._pending_hit = self._pending_hit, 0
        self._load_timer = self.host.later(LOAD_DELAY_S, lambda: self.load(doc_id, at_hit))

    def load(self, doc_id: str, at_hit: int | None = 0, passage_id: int | None = None) -> None:
        library = self.host.library
        if library is None:
            return
        passages, query = self.host.passages, self.host.search.current_query
        store = self.host.reading.store if self.host.reading is not None else None
        self.host.in_thread(lambda: self._read(library, passages, store, doc_id, query, at_hit, passage_id),
                            group="document", exclusive=True, description="Opening the article")

    def _read(self, library: Library, passages: PassageService | None, reading: ReadingStore | None,
              doc_id: str, query: str, at_hit: int | None, passage_id: int | None) -> None:
        from margin.search import segments
        from margin.search.passages.service import Placed

        stored = library.document(doc_id)
        hits = library.hits(doc_id, query) if query.strip() else []
        entities = library.entities.count_mentions(stored.mentions) if stored is not None else []
        placed, tags = Placed([]), []
        if stored is not None and passages is not None:
            placed = passages.place(stored.document)
            tags = passages.tag_counts(doc_id)
        if stored is not None:
            segments.prepare(stored.document.body)  # a Chinese article loads the word segmenter here, not on `w`
        position = reading.position(doc_id) if reading is not None else None
        changed = _changed_since(library, reading, doc_id, placed) if stored is not None else ""
        if not get_current_worker().is_cancelled:
            self.host.post_message(messages.DocumentReady(stored, hits, entities, placed, tags, at_hit, passage_id,
                                                          position, changed))

    def ready(self, message: messages.DocumentReady) -> None:
        host = self.host
        before, self._changed_article = self._changed_article, None
        if before is not None and message.document is not None and message.document.document.doc_id == before[0] \
                and message.document.document.body != before[1]:
            host.tell("This article changed on disk; its passages were placed again.")
        reader = host.reader
        # The same article again (a change on disk, a new query) stays where it is, read or not.
        again = reader.document is not None and message.document is not None \
            and reader.document.document.doc_id == message.document.document.doc_id
        position = reader.reading_position() if again else message.position
        if host.reading is not None and not again:
            host.reading.leave()
        at_hit = None if message.passage_id is not None else message.at_hit
        reader.show(message.document, message.hits, at_hit=at_hit, passages=message.placed.passages)
        host.legend.show_hits(message.hits)
        if message.passage_id is not None:
            reader.go_to_passage(message.passage_id)
        elif position is not None and (at_hit is None or not message.hits):
            reader.restore_position(*position)  # a search's hits come first
        if host.reading is not None and message.document is not None and not again:
            host.reading.shown(message.document.document.doc_id)
        host.sidebar.show(message.entities, host.entities.counts, message.tags, keep_row=again)
        if message.changed and not again:
            host.tell(f"This article {message.changed}: R shows what changed", timeout=10)
        if message.placed.newly_orphaned:
            host.tell(f"{plural(message.placed.newly_orphaned, 'passage')} of this article could not be found "
                      "in its new text; p lists them as orphans", warning=True, timeout=10)

    def open(self, doc_id: str, passage_id: int | None = None) -> None:
        """Open an article chosen elsewhere (the palette, the passages screen): read, as with enter."""
        self.host.documents.show_opened(doc_id)
        self.load(doc_id, 0, passage_id)
        self.host.reader.focus()
        self._read_now(doc_id)

    def opened(self, doc_id: str) -> None:
        """enter in the list."""
        if not self.host.box_has_focus():  # else `/` came after enter: the keys typed since are the box's
            self.host.reader.focus()
        self._read_now(doc_id)

    def _read_now(self, doc_id: str) -> None:
        """Opened on purpose: read now, not in a moment."""
        reading = self.host.reading
        if reading is not None and not reading.mark(doc_id).read:
            reading.set_read(doc_id, True)

    def reload(self) -> None:
        """Read the open article again (its text, marks and sidebar may have changed)."""
        shown = self.host.reader.document
        if shown is not None:
            self.load(shown.document.doc_id, at_hit=None)

    def changed_on_disk(self) -> None:
        """Files changed: read the open article again, and say so if its text changed."""
        shown = self.host.reader.document
        self._changed_article = (shown.document.doc_id, shown.document.body) if shown is not None else None
        self.reload()

    def hits_exhausted(self, direction: int) -> None:
        """n after the last hit opens the next matching document at its first hit; N, the previous at its last."""
        documents, query = self.host.documents, self.host.search.current_query
        target = documents.cursor + direction
        if not query.strip() or not 0 <= target < documents.total:
            self.host.bell()
            self.host.say("No hits: the query is empty" if not query.strip() else
                          "That was the last hit of the last matching article" if direction > 0 else
                          "That was the first hit of the first matching article")
            return
        self._pending_hit = 0 if direction > 0 else -1
        documents.move_to(target)

    # --------------------------------------------------------------- passages
    def engaged(self, doc_id: str) -> None:
        if self.host.reading is not None:
            self.host.reading.engaged(doc_id)

    def passage_action(self, event: ReaderView.PassageAction) -> None:
        if self.host.passages is None:
            self.host.open_userdata_again()
        if self.host.passages is None:
            self.host.tell("Tagging needs the user database, which could not be opened (see the status line).",
                           warning=True)
            return
        ReaderPassages(self.host, self.host.passages).run(event)

    def refresh_passages(self) -> None:
        """Redraw the open article's passages and tags after a change."""
        if self.host.passages is not None:
            ReaderPassages(self.host, self.host.passages).refresh()

    def list_passages(self) -> None:
        if self.host.passages is None:
            self.host.open_userdata_again()
        service = self.host.passages
        if service is None or self.host.library is None:
            self.host.tell("Passages need the open index and the user database.", warning=True)
            return
        self.host.in_thread(lambda: self.host.post_message(messages.PassagesListed(service.listing())),
                            group="passages", exclusive=True, description="Listing passages")

    def passages_listed(self, message: messages.PassagesListed) -> None:
        from margin.tui.screens.passages import PassagesScreen

        if self.host.passages is not None:
            self.host.ask(PassagesScreen(message.rows, self.host.passages, self.host.attempt), self._passages_closed)

    def _passages_closed(self, chosen: Passage | str | None) -> None:
        """A passage (or an article's id) to open; the article tags edited there show in the list."""
        if self.host.reading is not None:
            marks = self.host.attempt("Reading the marks", self.host.reading.store.marks)
            if marks is not None:
                self.host.documents.set_marks(marks)
        if isinstance(chosen, str):
            self.open(chosen)
        elif chosen is not None:
            self.open(chosen.doc_id, chosen.id)
        else:
            self.refresh_passages()

    # ---------------------------------------------------------- reading state
    def _target(self) -> str | None:
        """The document the reading keys act on: from the list, its highlighted row (the reader may
        still show the row before: `j*` starred the article being left); else the reader's."""
        shown, row = self.host.reader.document, self.host.documents.current
        if row is not None and (self.host.documents.has_focus or shown is None):
            return row.doc_id
        return shown.document.doc_id if shown is not None else None

    def _reading_target(self) -> tuple[ReadingKeeper, str] | None:
        if self.host.reading is None:
            self.host.tell("The reading state needs the user database.", warning=True)
            return None
        doc_id = self._target()
        return (self.host.reading, doc_id) if doc_id is not None else None

    def toggle_read(self) -> None:
        target = self._reading_target()
        if target is not None:
            self.host.say(f"Marked {'read' if target[0].toggle_read(target[1]) else 'unread'}: {target[1]}")

    def toggle_star(self) -> None:
        target = self._reading_target()
        if target is not None:
            self.host.say(f"{'Starred' if target[0].toggle_star(target[1]) else 'Unstarred'}: {target[1]}")

    def tag_document(self) -> None:
        """Tag the article itself (notmuch's way), not a passage of it: tag: finds both."""
        target = self._reading_target()
        if target is None:
            return
        keeper, doc_id = target
        from margin.tui.screens.passages import article_tags_dialog

        service = self.host.passages
        known = (self.host.attempt("Reading the tags", service.all_tags) if service else None) or []

        def answered(tags: str | None) -> None:
            if tags is not None:
                kept = keeper.set_tags(doc_id, tags.split())
                self.host.say(f"Tagged {' '.join('#' + t for t in kept)}: {doc_id}" if kept else f"No tags: {doc_id}")

        self.host.ask(article_tags_dialog(doc_id, keeper.mark(doc_id).tags, known), answered)

    # ------------------------------------------------------------------ links
    def open_link(self) -> None:
        """o: the article's link in the browser, or its file in the system's viewer."""
        from margin.tui import launch

        shown, library = self.host.reader.document, self.host.library
        if shown is None or library is None:
            self.host.bell()
            return
        link = launch.web_link(shown.document.url)
        path = library.corpus / shown.file
        if not launch.windows_can_open():
            self.host.copy(link or str(path))
            self.host.say(f"No window system here to open it; copied instead: {link or path}")
        elif link is not None:
            self.host.open_url(link)
            self.host.say(f"Opening {link}")
        elif self.host.succeeded("Opening the file", lambda: launch.open_file(path)):
            self.host.say(f"Opening {path}")


def _changed_since(library: Library, reading: ReadingStore | None, doc_id: str, placed: Placed) -> str:
    """"changed on 2026-12-07 since you last read it" (or tagged it), when margin kept the text
    the article had before; "" when it did not change since then, or margin kept nothing."""
    import datetime as dt

    changed = library.last_change(doc_id)
    if changed is None:
        return ""
    when = dt.datetime.fromtimestamp(changed).strftime("%Y-%m-%d %H:%M")
    read = reading.last_read(doc_id) if reading is not None else None
    if read is not None and read < changed:
        return f"changed on {when}, since you last read it"
    if any(p.passage.created < changed for p in placed.passages):
        return f"changed on {when}, since you tagged it"
    return ""
