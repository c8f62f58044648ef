"""The Margin reader: search box, document list, reading view and entity sidebar.

Everything that touches the index runs in thread workers (open, search, load a document, load a
page of results); a newer search cancels an older one. Whoosh is imported only when the library
opens, after the first frame.
"""

from __future__ import annotations

import asyncio
import gc
from pathlib import Path

from textual import on, work
from textual.app import App, ComposeResult
from textual.containers import Horizontal, Vertical
from textual.timer import Timer
from textual.widgets import Footer

from margin.search.errors import MarginError

from . import keymap
from .commands import MarginCommands
from .doclist import DocumentList
from .reader import ReaderView
from .screens import HelpScreen, SavedSearchesScreen, SaveSearchScreen
from .searchbox import SearchBox
from .sidebar import EntitySidebar, entity_query
from .textline import TextLine

DEBOUNCE_S = 0.04  # coalesces a burst of typing; longer makes every character feel late
LOAD_DELAY_S = 0.02
PAGE_SIZE = 50  # rows per request; the list asks for more as it scrolls
NARROW, SINGLE = 100, 60


class MarginApp(App):
    TITLE = "margin"
    BINDINGS = keymap.bindings("anywhere")
    COMMANDS = App.COMMANDS | {MarginCommands}
    CSS = """
    Screen { layout: vertical; }
    #panes { height: 1fr; }
    DocumentList { width: 38%; }
    #reading { width: 1fr; }
    #status.-problem { color: $warning; }
    #position { padding: 0 2; text-align: right; }
    #passage-note { padding: 0 2; color: #5fd787; display: none; }
    #passage-note.-shown { display: block; }
    Screen.-narrow EntitySidebar, Screen.-no-sidebar EntitySidebar { display: none; }
    Screen.-single DocumentList.-hidden, Screen.-single #reading.-hidden { display: none; }
    Screen.-single DocumentList, Screen.-single #reading { width: 1fr; }
    """

    def __init__(self, corpus: Path | None = None, index: Path | None = None, keymap_file: Path | None = None,
                 userdata=None) -> None:
        super().__init__()
        self.corpus, self.index = corpus, index
        self.keys = keymap.load(keymap.user_keymap_files(keymap_file))
        self.userdata = userdata
        self.library = None
        self.entity_counts: dict[tuple[str, str], int] = {}
        self.sort = "relevance"
        self.current_query = ""
        self._debounce: Timer | None = None
        self._load_timer: Timer | None = None
        self._pending_hit: int | None = 0
        self._pending_passage: int | None = None  # a passage id to put the cursor on once its article opens
        self.passages = None  # the PassageStore, once the library is open (needs the user database)
        self._deleted: list = []  # deleted passages, newest last, for undo
        self._open_notes, self._open_problem = "", False  # what opening the index reported
        self._list_width = 38
        self._sidebar_hidden = False

    # ---------------------------------------------------------------- layout
    def compose(self) -> ComposeResult:
        yield SearchBox(self.userdata.history() if self.userdata else [], id="search")
        with Horizontal(id="panes"):
            yield DocumentList(id="list")
            with Vertical(id="reading"):
                yield ReaderView(id="reader")
                yield TextLine(id="passage-note")
                yield TextLine(id="position")
            yield EntitySidebar(id="sidebar")
        yield TextLine(id="status")
        yield Footer()

    def on_mount(self) -> None:
        self.set_keymap(self.keys.overrides)
        if self.keys.problems:
            self.notify("\n".join(self.keys.problems), title="keymap.yaml", severity="warning", timeout=15)
        self.query_one(DocumentList).focus()
        position = self.query_one("#position", TextLine)
        self.watch(self.query_one(ReaderView), "position", lambda text: setattr(position, "text", text))
        self.watch(self.query_one(ReaderView), "note", self._show_note)
        self.status("Opening the index…")
        self._layout_for(self.size.width)
        self.open_library()

    def status(self, message: str, *, problem: bool = False) -> None:
        status = self.query_one("#status", TextLine)
        status.text = message
        status.set_class(problem, "-problem")

    # ------------------------------------------------------------ the index
    @work(thread=True, exclusive=True, group="open")
    def open_library(self) -> None:
        from margin.search.library import Library  # Whoosh loads here, after the first frame

        def progress(done: int, total: int) -> None:
            if done % 200 == 0 or done == total:
                self.call_from_thread(self.status, f"Indexing {done}/{total} files…")

        try:
            library = Library.open(self.corpus, self.index, progress=progress)
            moved = self._attach_passages(library)
        except MarginError as exc:
            self.call_from_thread(self.status, f"margin: {exc}", problem=True)
            return
        self.call_from_thread(self._library_ready, library, moved)
        # After the first results are on their way: counting every entity took 0.5 s on Reuters.
        counts = {(c.type, c.name): c.count for c in library.entity_counts()}
        self.call_from_thread(self._counts_ready, counts)

    def _counts_ready(self, counts: dict[tuple[str, str], int]) -> None:
        self.entity_counts = counts
        self.query_one(EntitySidebar).set_counts(counts)

    def _attach_passages(self, library) -> tuple[int, int]:
        """Give the library the user's passages (for tag:, note:, has:) and follow deleted or renamed files."""
        if self.userdata is None:
            return 0, 0
        from margin.search.passage_sync import reconcile
        from margin.search.passages import PassageStore

        library.passages = PassageStore(self.userdata, str(library.corpus))
        return reconcile(library, library.passages)

    def _library_ready(self, library, moved: tuple[int, int]) -> None:
        from margin.search.library import FIRST_BUILD

        self.library, self.passages = library, library.passages
        gc.freeze()  # the index and the app are long-lived: keep them out of full collections (pauses)
        report = library.report
        built = f"index built in {report.seconds:.1f} s" if report.rebuilt == FIRST_BUILD else (
            f"index rebuilt: {report.rebuilt}" if report.rebuilt else "")
        notes = []
        if report.read_only:
            notes.append(report.read_only)
        if report.skipped:
            notes.append(f"{len(report.skipped)} files skipped (first: {report.skipped[0][0]}: {report.skipped[0][1]})")
        if report.warnings:
            notes.append(f"{len(report.warnings)} warnings (first: {report.warnings[0]})")
        orphaned, relinked = moved
        if orphaned:
            notes.append(f"{orphaned} passages no longer found in their article (p lists them)")
        if relinked:
            notes.append(f"{relinked} passages followed their renamed article")
        # What needs the user's attention stays, with the first results (which replace the status line).
        self._open_notes = " · ".join(notes)
        self._open_problem = bool(report.skipped or report.warnings or report.read_only or orphaned)
        self.status(" · ".join(filter(None, [f"{report.documents} documents", built, *notes])),
                    problem=self._open_problem)
        self.start_search(self.current_query)

    # --------------------------------------------------------------- search
    @on(SearchBox.Changed, "#search")
    def _typed(self, event: SearchBox.Changed) -> None:
        if self._debounce is not None:
            self._debounce.stop()
        self._debounce = self.set_timer(DEBOUNCE_S, lambda: self.start_search(event.value))

    def start_search(self, query: str, *, keep: str | None = None) -> None:
        self.current_query = query
        if self.library is not None:
            self.search_worker(query, self.sort, keep)

    @work(thread=True, exclusive=True, group="search")
    def search_worker(self, query: str, sort: str, keep: str | None) -> None:
        results = self.library.search(query, page_size=PAGE_SIZE, sort=sort, suggest=False)
        suggestion = self.library.vocabulary.suggest_query(results.query) if results.total == 0 and query.strip() \
            else None
        self.call_from_thread(self._show_results, results, keep, suggestion)

    def _show_results(self, results, keep: str | None, suggestion: str | None) -> None:
        if results.query != self.current_query or results.sort != self.sort:
            return  # a newer search is on its way
        self.query_one(DocumentList).set_results(results, keep=keep)
        if results.problem:
            self.status(f"query: {results.problem}", problem=True)
        elif suggestion:
            self.status(f"no documents match; did you mean: {suggestion}", problem=True)
        elif self.library is not None:
            found = f"{results.total} of {results.documents} documents" + (
                f" for {results.query}" if results.query.strip() else "")
            self.status(" · ".join(filter(None, (found, self._open_notes))), problem=self._open_problem)
            self._open_notes, self._open_problem = "", False
        if results.total == 0:
            self.query_one(ReaderView).show(None, [])
            self.query_one(EntitySidebar).show([], {})

    @on(DocumentList.NeedPage)
    def _need_page(self, event: DocumentList.NeedPage) -> None:
        if self.library is not None:
            self.page_worker(self.current_query, self.sort, event.page)

    @work(thread=True, group="pages")
    def page_worker(self, query: str, sort: str, page: int) -> None:
        results = self.library.search(query, page=page, page_size=PAGE_SIZE, sort=sort, suggest=False)
        self.call_from_thread(self.query_one(DocumentList).add_page, results)

    @on(SearchBox.Go)
    def _go(self) -> None:
        self._remember(self.query_one(SearchBox).value)
        self.query_one(DocumentList).focus()

    @on(SearchBox.Leave)
    def _leave(self) -> None:
        box = self.query_one(SearchBox)
        if box.value:
            box.value = ""
        else:
            self.query_one(DocumentList).focus()

    def _remember(self, query: str) -> None:
        self.query_one(SearchBox).remember(query)
        if self.userdata is not None and query.strip():
            try:
                self.userdata.add_history(query)
            except MarginError as exc:
                self.status(str(exc), problem=True)

    def set_query(self, query: str) -> None:
        """Put a query in the search box and run it now (entity filter, saved search, palette)."""
        box = self.query_one(SearchBox)
        with box.prevent(SearchBox.Changed):
            box.value = query
        self._remember(query)
        self.start_search(query)

    # ------------------------------------------------------------ documents
    @on(DocumentList.Highlighted)
    def _highlighted(self, event: DocumentList.Highlighted) -> None:
        """Load the article a moment later: the list redraws first, and holding j skips articles."""
        if self._load_timer is not None:
            self._load_timer.stop()
        at_hit, self._pending_hit = self._pending_hit, 0
        self._load_timer = self.set_timer(
            LOAD_DELAY_S, lambda: self.load_document(event.row.doc_id, self.current_query, at_hit))

    @work(thread=True, exclusive=True, group="document")
    def load_document(self, doc_id: str, query: str, at_hit: int | None) -> None:
        stored = self.library.document(doc_id)
        hits = self.library.hits(doc_id, query) if query.strip() else []
        entities = self.library.count_mentions(stored.mentions) if stored is not None else []
        placed, orphaned = self._placed(stored)
        self.call_from_thread(self._show_document, stored, hits, entities, at_hit, placed, orphaned)

    def _placed(self, stored) -> tuple[list, int]:
        """The article's passages placed in its text as it is now (re-anchored if it changed)."""
        if stored is None or self.passages is None:
            return [], 0
        from margin.search.passage_sync import placed_in

        try:
            return placed_in(self.passages, stored.document.doc_id, stored.document.body)
        except MarginError as exc:
            self.call_from_thread(self.status, str(exc), problem=True)
            return [], 0

    def _show_document(self, stored, hits, entities, at_hit: int | None, placed: list, orphaned: int) -> None:
        reader = self.query_one(ReaderView)
        passage_id, self._pending_passage = self._pending_passage, None
        reader.show(stored, hits, at_hit=None if passage_id is not None else at_hit, passages=placed)
        if passage_id is not None:
            reader.go_to_passage(passage_id)
        tags = self._store_call(self.passages.tag_counts, stored.document.doc_id) if stored and self.passages else []
        self.query_one(EntitySidebar).show(entities, self.entity_counts, tags or [])
        if orphaned:
            self.notify(f"{orphaned} passages of this article could not be found in its new text; "
                        "p lists them as orphans", severity="warning", timeout=10)

    async def title_matches(self, query: str, limit: int = 10) -> list:
        """Documents whose title matches, for the command palette (searched off the event loop)."""
        results = await asyncio.to_thread(self.library.search, query, page_size=limit, suggest=False)
        return results.rows

    def open_document(self, doc_id: str, passage_id: int | None = None) -> None:
        self._pending_passage = passage_id
        self.query_one(DocumentList).show_opened(doc_id)
        self.load_document(doc_id, self.current_query, 0)
        self.query_one(ReaderView).focus()

    @on(DocumentList.Opened)
    def _opened(self) -> None:
        self.query_one(ReaderView).focus()

    @on(ReaderView.HitsExhausted)
    def _next_document(self, event: ReaderView.HitsExhausted) -> None:
        """n after the last hit opens the next matching document at its first hit; N, the previous at its last."""
        documents = self.query_one(DocumentList)
        target = documents.cursor + event.direction
        if not self.current_query.strip() or not 0 <= target < documents.total:
            self.bell()
            return
        self._pending_hit = 0 if event.direction > 0 else -1
        documents.move_to(target)

    @on(EntitySidebar.Chosen)
    def _entity_chosen(self, event: EntitySidebar.Chosen) -> None:
        self.set_query(entity_query(event.kind, event.name))
        self.query_one(DocumentList).focus()

    # ------------------------------------------------------------- passages
    def _show_note(self, text: str) -> None:
        note = self.query_one("#passage-note", TextLine)
        note.text = text
        note.set_class(bool(text), "-shown")

    def _store_call(self, method, *args, **kwargs):
        """Run a passage store change; a database problem becomes a message, never a traceback."""
        try:
            return method(*args, **kwargs)
        except MarginError as exc:
            self.notify(str(exc), title="passages", severity="error", timeout=15)
            return None

    @on(ReaderView.PassageAction)
    def _passage_action(self, event: ReaderView.PassageAction) -> None:
        if self.passages is None:
            self.notify("Tagging needs the user database, which could not be opened (see the status line).",
                        severity="error")
            return
        {"tag": self._tag, "delete": self._delete_passage, "undo": self._undo_delete}[event.kind](event)

    def _tag(self, event: ReaderView.PassageAction) -> None:
        """Ask for tags and a note; save a new passage, or the edit of the one under the cursor."""
        from margin.search.passage_sync import text_sha1

        from .passage_screens import PassageDialog, PassageEdit  # with the store: not needed for the first frame

        reader = self.query_one(ReaderView)
        doc, existing = reader.document.document, event.passage
        current = PassageEdit(existing.passage.tags, existing.passage.note) if existing else None
        quote = existing.passage.anchor.exact if existing else doc.body[event.start : event.end]

        def save(edit) -> None:
            if edit is None:
                return
            if existing:
                saved = self._store_call(self.passages.edit, existing.passage.id, tags=list(edit.tags), note=edit.note)
            else:
                saved = self._store_call(self.passages.add, doc.doc_id, doc.body, event.start, event.end,
                                         text_sha1(doc.body), tags=edit.tags, note=edit.note)
            if saved is not None:
                reader.clear_selection()
                self.refresh_passages()

        self.push_screen(PassageDialog(quote, self._store_call(self.passages.all_tags) or [], current), save)

    def _delete_passage(self, event: ReaderView.PassageAction) -> None:
        removed = self._store_call(self.passages.delete, event.passage.passage.id)
        if removed is not None:
            self._deleted.append(removed)
            self.refresh_passages()
            self.notify("Passage deleted · u undoes")

    def _undo_delete(self, event: ReaderView.PassageAction) -> None:
        if not self._deleted:
            self.bell()
            return
        if self._store_call(self.passages.restore, self._deleted.pop()) is not None:
            self.refresh_passages()
            self.notify("Passage restored")

    def refresh_passages(self) -> None:
        """Redraw the open article's passages and tags after a change."""
        reader = self.query_one(ReaderView)
        placed, _ = self._placed(reader.document)
        reader.set_passages(placed)
        doc = reader.document.document if reader.document else None
        tags = self._store_call(self.passages.tag_counts, doc.doc_id) if doc else []
        self.query_one(EntitySidebar).set_tags(tags or [])
        if any(field in self.current_query for field in ("tag:", "note:", "has:")):
            self.start_search(self.current_query, keep=doc.doc_id if doc else None)  # the matches changed

    def action_passages(self) -> None:
        if self.passages is None or self.library is None:
            self.notify("Passages need the open index and the user database.", severity="warning")
            return
        self.passages_worker()

    @work(thread=True, exclusive=True, group="passages")
    def passages_worker(self) -> None:
        """Every passage with its article's title and date (looked up once per article)."""
        from .passage_screens import PassageRow, PassagesScreen

        articles: dict[str, tuple[str, str]] = {}
        rows = []
        for passage in self.passages.search():
            if passage.doc_id not in articles:
                stored = self.library.document(passage.doc_id)
                articles[passage.doc_id] = (stored.document.title, stored.document.published) if stored else ("", "")
            rows.append(PassageRow(passage, *articles[passage.doc_id]))
        self.call_from_thread(self.push_screen, PassagesScreen(rows, self._passage_commands()), self._passages_closed)

    def _passage_commands(self):
        from margin.search.passage_sync import find_home

        from .passage_screens import PassageCommands

        store = self.passages
        return PassageCommands(
            edit=lambda p, e: self._store_call(store.edit, p.id, tags=list(e.tags), note=e.note),
            delete=lambda p: self._store_call(store.delete, p.id),
            restore=lambda p: self._store_call(store.restore, p),
            reattach=lambda p: self._store_call(find_home, self.library, store, p),
            known_tags=lambda: self._store_call(store.all_tags) or [])

    def _passages_closed(self, passage) -> None:
        if passage is not None:
            self.open_document(passage.doc_id, passage.id)
        elif self.query_one(ReaderView).document is not None:
            self.refresh_passages()

    # ------------------------------------------------------------- actions
    def check_action(self, action: str, parameters: tuple) -> bool | None:
        """Over a dialog or the passages screen, the main screen's keys (tab, ctrl+s...) are off."""
        spec = self.keys.actions.get(action)
        return not (spec is not None and spec.context == "anywhere" and len(self.screen_stack) > 1)

    def _panes(self) -> list:
        panes = [self.query_one(DocumentList), self.query_one(ReaderView)]
        sidebar = self.query_one(EntitySidebar)
        if sidebar.display:
            panes.append(sidebar)
        return panes + [self.query_one(SearchBox)]

    def _cycle(self, step: int) -> None:
        panes = self._panes()
        current = self.focused if self.focused in panes else panes[0]
        panes[(panes.index(current) + step) % len(panes)].focus()

    def action_next_pane(self) -> None:
        self._cycle(+1)

    def action_previous_pane(self) -> None:
        self._cycle(-1)

    def action_focus_search(self) -> None:
        self.query_one(SearchBox).focus()

    def action_help(self) -> None:
        self.push_screen(HelpScreen(self.keys.actions))

    def action_toggle_sort(self) -> None:
        self.sort = "date" if self.sort == "relevance" else "relevance"
        current = self.query_one(DocumentList).current
        self.start_search(self.current_query, keep=current.doc_id if current else None)

    def action_toggle_sidebar(self) -> None:
        self._sidebar_hidden = not self._sidebar_hidden
        self.screen.set_class(self._sidebar_hidden, "-no-sidebar")

    def _resize_list(self, step: int) -> None:
        self._list_width = max(15, min(70, self._list_width + step))
        self.query_one(DocumentList).styles.width = f"{self._list_width}%"

    def action_narrow_list(self) -> None:
        self._resize_list(-5)

    def action_widen_list(self) -> None:
        self._resize_list(+5)

    def action_save_search(self) -> None:
        query = self.query_one(SearchBox).value.strip()
        if not query or self.userdata is None:
            self.notify("Type a query first; then ctrl+s saves it.", severity="warning")
            return

        def save(name: str | None) -> None:
            if name:
                try:
                    self.userdata.save_search(name, query, self.sort)
                    self.notify(f"Saved “{name}”: {query}")
                except MarginError as exc:
                    self.notify(str(exc), severity="error")

        self.push_screen(SaveSearchScreen(query), save)

    def action_saved_searches(self) -> None:
        if self.userdata is None or self.library is None:
            return
        self.saved_worker()

    @work(thread=True, exclusive=True, group="saved")
    def saved_worker(self) -> None:
        searches = [(s, self.library.search(s.query, page_size=1, suggest=False).total)
                    for s in self.userdata.saved_searches()]
        self.call_from_thread(self.push_screen, SavedSearchesScreen(searches, self.userdata.delete_search),
                              self.run_saved)

    def run_saved(self, saved) -> None:
        if saved is not None:
            self.sort = saved.sort
            self.set_query(saved.query)
            self.query_one(DocumentList).focus()

    # -------------------------------------------------------------- layout
    def on_resize(self, event) -> None:
        self._layout_for(event.size.width)

    def _layout_for(self, width: int) -> None:
        self.screen.set_class(width < NARROW, "-narrow")
        self.screen.set_class(width < SINGLE, "-single")
        self._single_pane_visibility()

    def on_descendant_focus(self) -> None:
        self._single_pane_visibility()

    def _single_pane_visibility(self) -> None:
        """Below 60 columns one pane shows: the reader while it has focus, else the list."""
        reader_focused = isinstance(self.focused, ReaderView)
        self.query_one(DocumentList).set_class(reader_focused, "-hidden")
        self.query_one("#reading").set_class(not reader_focused, "-hidden")
