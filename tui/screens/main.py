"""The reader's main screen: it composes the panes and routes what its workers find to them.

Everything that touches the index runs in a thread worker that posts a typed message
(messages.py); the handlers here hand each result to the pane that shows it. A worker that fails
reports through one handler (`_worker_changed`) and the screen stays up. Passage work goes
through the search side's PassageService; a store write that fails is reported, never shown as done.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar

from textual import events, on, work
from textual.app import ComposeResult
from textual.containers import Horizontal, Vertical
from textual.keys import format_key
from textual.reactive import reactive
from textual.screen import Screen
from textual.timer import Timer
from textual.widgets import Footer
from textual.worker import Worker, WorkerState

from margin.search.errors import MarginError
from margin.tui import keymap, messages
from margin.tui.flows.article import ArticleFlow
from margin.tui.flows.batch import BatchFlow
from margin.tui.flows.corpus import CorpusFlow
from margin.tui.flows.entity import EntityFlow
from margin.tui.flows.reading import ReadingKeeper
from margin.tui.flows.search import SearchFlow
from margin.tui.flows.stories import StoriesFlow
from margin.tui.screens.dialogs import SavedSearchesScreen, SaveSearchScreen
from margin.tui.widgets.doclist import DocumentList
from margin.tui.widgets.legend import TermLegend
from margin.tui.widgets.reader import ReaderView
from margin.tui.widgets.searchbox import SearchBox
from margin.tui.widgets.sidebar import EntitySidebar
from margin.tui.widgets.status_line import StatusLine
from margin.tui.widgets.textline import TextLine
from margin.tui.widgets.timeline import TimelineStrip

if TYPE_CHECKING:  # the library (and Whoosh) loads after the first frame
    from margin.search.library import Library
    from margin.search.passages.service import PassageService
    from margin.search.results import ResultRow
    from margin.search.userdata.database import SavedSearch, UserData

T = TypeVar("T")
LOAD_DELAY_S = 0.02
SAY_S = 8.0  # a reply to a key stays this long in the status line
NARROW, SINGLE = 100, 60
LIST_WIDTH = 38  # percent of the panes' width
APP_ACTIONS = frozenset({"quit", "help", "command_palette"})  # bound on the app, over every screen


class MainScreen(Screen[None]):
    BINDINGS = keymap.bindings("anywhere", exclude=APP_ACTIONS)
    HORIZONTAL_BREAKPOINTS = [(0, "-single"), (SINGLE, "-narrow"), (NARROW, "-wide")]
    DEFAULT_CSS = """
    MainScreen { layout: vertical; }
    MainScreen #panes { height: 1fr; }
    MainScreen #reading { width: 1fr; }
    MainScreen #status.-problem { color: $warning; }
    MainScreen #position { padding: 0 2; text-align: right; }
    MainScreen #passage-note { padding: 0 2; color: #5fd787; display: none; }
    MainScreen #passage-note.-shown { display: block; }
    MainScreen.-narrow EntitySidebar, MainScreen.-single EntitySidebar, MainScreen.-no-sidebar EntitySidebar {
        display: none;
    }
    MainScreen.-single #results.-hidden, MainScreen.-single #reading.-hidden { display: none; }
    """
    # Pane state: the list's share of the width and whether the user hid the sidebar.
    list_width: reactive[int] = reactive(LIST_WIDTH)
    sidebar_hidden: reactive[bool] = reactive(False)

    def __init__(self, corpus: Path | None, index: Path | None, userdata: UserData | None,
                 userdata_notice: str = "") -> None:
        super().__init__()
        self.corpus, self.index, self.userdata = corpus, index, userdata
        self.userdata_notice = userdata_notice  # a damaged or refused user database: said in here, not on stderr
        self.library: Library | None = None
        self.passages: PassageService | None = None  # needs the user database
        self.reading: ReadingKeeper | None = None  # likewise
        self.status_line = StatusLine()
        self.search = SearchFlow(self)
        self.entities = EntityFlow(self)
        self.article = ArticleFlow(self)
        self.corpus_flow = CorpusFlow(self)
        self.batch_flow = BatchFlow(self)
        self.stories = StoriesFlow(self)
        self._lasting: tuple[str, bool] = ("", False)  # the status line a reply to a key gives way to
        self._say_timer: Timer | None = None

    # ---------------------------------------------------------------- layout
    def compose(self) -> ComposeResult:
        yield SearchBox(self.userdata.history() if self.userdata else [], id="search")
        yield TermLegend(id="legend")
        with Horizontal(id="panes"):
            with Vertical(id="results"):
                yield TimelineStrip(id="timeline")
                yield DocumentList(id="list")
            with Vertical(id="reading"):
                yield ReaderView(id="reader")
                yield TextLine(id="passage-note")
                yield TextLine(id="position")
            yield EntitySidebar(id="sidebar")
        yield TextLine(id="status")
        yield Footer()

    def on_mount(self) -> None:
        self.documents.focus()
        position = self.query_one("#position", TextLine)
        self.watch(self.reader, "position", lambda text: setattr(position, "text", text))
        self.watch(self.reader, "note", self._show_note)
        self.status("Opening the index…")
        if self.userdata_notice:
            self.notify(self.userdata_notice, title="User database", severity="warning", timeout=30, markup=False)
        self.corpus_flow.open()

    @property
    def documents(self) -> DocumentList:
        return self.query_one(DocumentList)

    @property
    def legend(self) -> TermLegend:
        return self.query_one(TermLegend)

    @property
    def timeline(self) -> TimelineStrip:
        return self.query_one(TimelineStrip)

    @property
    def reader(self) -> ReaderView:
        return self.query_one(ReaderView)

    @property
    def sidebar(self) -> EntitySidebar:
        return self.query_one(EntitySidebar)

    @property
    def search_box(self) -> SearchBox:
        return self.query_one(SearchBox)

    def status(self, message: str, *, problem: bool = False) -> None:
        """What stays in the status line until something replaces it (results, the index, a failure)."""
        self._lasting = (message, problem)
        self._paint_status(message, problem)

    def say(self, message: str) -> None:
        """A reply to a key ("Starred: …"), shown for SAY_S, then the lasting line again: such
        replies stayed long after they were true."""
        self._paint_status(message, False)
        if self._say_timer is not None:
            self._say_timer.stop()
        self._say_timer = self.set_timer(SAY_S, lambda: self._unsay(message))

    def _unsay(self, message: str) -> None:
        if self.query_one("#status", TextLine).text == message:
            self._paint_status(*self._lasting)

    def _paint_status(self, message: str, problem: bool) -> None:
        status = self.query_one("#status", TextLine)
        status.text = message
        status.set_class(problem, "-problem")

    # ------------------------------------------------- what the flows may use
    def bell(self) -> None:
        self.app.bell()

    def key_for(self, action: str) -> str:
        """The first key bound to `action`, as the status line names it."""
        entry = getattr(self.app, "keys", None)
        found = entry.actions.get(action) if entry is not None else None
        return found.key_list[0] if found is not None and found.key_list else action

    def later(self, seconds: float, call: Callable[[], object]) -> Timer:
        return self.set_timer(seconds, call)

    def in_thread(self, work: Callable[[], object], *, group: str, exclusive: bool, description: str) -> None:
        """A thread worker; its failure is reported by `_worker_changed`, the screen stays up."""
        self.run_worker(work, thread=True, group=group, exclusive=exclusive, exit_on_error=False, description=description)

    def box_has_focus(self) -> bool:
        return self.focused is self.search_box

    def tell(self, message: str, *, warning: bool = False, timeout: float = 8) -> None:
        """A notification (what `say` would lose in the status line)."""
        self.notify(message, severity="warning" if warning else "information", timeout=timeout, markup=False)

    def copy(self, text: str) -> None:
        self.app.copy_to_clipboard(text)

    def open_url(self, url: str) -> None:
        self.app.open_url(url)

    def show_no_article(self) -> None:
        self.reader.show(None, [])
        self.sidebar.show([], {})

    # --------------------------------------------------------------- failures
    def report_failure(self, what: str, error: BaseException) -> None:
        """The one place a failure reaches the user: a line in the status bar and a notification."""
        reason = str(error) if isinstance(error, MarginError) else f"{type(error).__name__}: {error}"
        message = f"{what} failed: {reason}"
        self.status(message, problem=True)
        self.notify(message, severity="error", timeout=15, markup=False)

    def attempt(self, what: str, call: Callable[[], T]) -> T | None:
        """Run a store change now; a failure is reported and gives None (never shown as done)."""
        try:
            return call()
        except MarginError as exc:
            self.report_failure(what, exc)
            return None

    def succeeded(self, what: str, call: Callable[[], object]) -> bool:
        """`attempt` for a change that returns nothing: True once it is done."""

        def run() -> bool:
            call()
            return True

        return self.attempt(what, run) is not None

    def write_later(self, what: str, call: Callable[[], object], undo: Callable[[], None] | None = None) -> None:
        """A store write in a thread worker: with another process holding the database's lock,
        each write waited up to 5 s on the event loop and the screen stood still (keys typed
        meanwhile landed in the wrong pane). The screen shows the change at once; a write that
        fails is reported as every worker failure is, and `undo` takes the change back on screen."""

        def run() -> None:
            try:
                call()
            except MarginError:
                if undo is not None:
                    self.app.call_from_thread(undo)
                raise

        self.run_worker(run, thread=True, group="store", exclusive=False, exit_on_error=False, description=what)

    @on(Worker.StateChanged)
    def _worker_changed(self, event: Worker.StateChanged) -> None:
        if event.state == WorkerState.ERROR and event.worker.error is not None:
            self.report_failure(event.worker.description or event.worker.name, event.worker.error)

    # ------------------------------------------------ the corpus (corpus_flow.py)
    def on_progress(self, message: messages.Progress) -> None:
        self.status(f"Indexing {message.done}/{message.total} files…")

    def on_marks_ready(self, message: messages.MarksReady) -> None:
        self.documents.set_marks(message.marks)

    def on_counts_ready(self, message: messages.CountsReady) -> None:
        self.entities.counts_ready(message.counts)

    def on_library_opened(self, message: messages.LibraryOpened) -> None:
        self.corpus_flow.opened(message)

    def on_names_progress(self, message: messages.NamesProgress) -> None:
        self.corpus_flow.names_progress(message)

    def on_folder_changed(self, message: messages.FolderChanged) -> None:
        self.corpus_flow.folder_changed(message)

    def on_passages_followed(self, message: messages.PassagesFollowed) -> None:
        self.corpus_flow.passages_followed(message)

    def open_userdata_again(self) -> None:
        self.corpus_flow.open_userdata_again()

    def from_thread(self, call: Callable[..., Any], *args: Any) -> None:
        self.app.call_from_thread(call, *args)

    def on_unmount(self) -> None:
        self.corpus_flow.stop()
        if self.reading is not None:
            self.reading.leave()

    # ----------------------------------------------- search (search_flow.py)
    @on(SearchBox.Changed, "#search")
    def _typed(self, event: SearchBox.Changed) -> None:
        self.search.typed(event.value)

    def on_results_ready(self, message: messages.ResultsReady) -> None:
        self.search.results_ready(message)

    def on_count_ready(self, message: messages.CountReady) -> None:
        self.search.count_ready(message)

    def on_suggestion_ready(self, message: messages.SuggestionReady) -> None:
        self.search.suggestion_ready(message)

    @on(DocumentList.NeedPage)
    def _need_page(self, event: DocumentList.NeedPage) -> None:
        self.search.need_page(event.page)

    def on_page_ready(self, message: messages.PageReady) -> None:
        self.search.page_ready(message)

    def on_unread_found(self, message: messages.UnreadFound) -> None:
        self.search.unread_found(message)

    def on_term_documents_ready(self, message: messages.TermDocumentsReady) -> None:
        self.search.term_documents_ready(message)

    def on_facets_ready(self, message: messages.FacetsReady) -> None:
        self.search.facets_ready(message)

    @on(EntitySidebar.ViewChanged)
    def _sidebar_view(self, event: EntitySidebar.ViewChanged) -> None:
        self.search.view_changed(event.view)

    @on(EntitySidebar.FacetChosen)
    def _facet_chosen(self, event: EntitySidebar.FacetChosen) -> None:
        self.search.facet_chosen(event.clause, event.exclude)

    def on_timeline_ready(self, message: messages.TimelineReady) -> None:
        self.search.timeline_ready(message)

    @on(TimelineStrip.Chosen)
    def _narrow_to_dates(self, event: TimelineStrip.Chosen) -> None:
        self.search.narrow_to(event.first, event.last)

    @on(TimelineStrip.Cancelled)
    def _widen_dates(self) -> None:
        self.search.widen()

    def action_toggle_timeline(self) -> None:
        self.search.toggle_timeline()

    # ----------------------------------------------- stories (flows/stories.py)
    def on_stories_counted(self, message: messages.StoriesCounted) -> None:
        self.search.stories_counted(message)

    def action_toggle_dupes(self) -> None:
        self.search.toggle_copies()

    @on(DocumentList.CopiesWanted)
    def _copies_wanted(self, event: DocumentList.CopiesWanted) -> None:
        self.stories.copies_wanted(event)

    def on_copies_ready(self, message: messages.CopiesReady) -> None:
        self.stories.copies_ready(message)

    def action_more_like_this(self) -> None:
        self.stories.more_like_this()

    def action_compare_copy(self) -> None:
        self.stories.compare_copy()

    def action_compare_version(self) -> None:
        self.stories.compare_version()

    def on_comparison_ready(self, message: messages.ComparisonReady) -> None:
        self.stories.comparison_ready(message)

    def push(self, screen: Screen[Any]) -> None:
        self.app.push_screen(screen)

    def action_focus_timeline(self) -> None:
        if not self.timeline.display:
            self.search.toggle_timeline()
        self.timeline.focus()

    @on(SearchBox.Go)
    def _go(self) -> None:
        self.search.go()

    @on(SearchBox.Leave)
    def _leave(self) -> None:
        self.search.leave()

    @on(SearchBox.Unrefined)
    def _unrefined(self) -> None:
        self.search.unrefine()

    def action_refine(self) -> None:
        self.search.refine()

    def action_act_on_results(self) -> None:
        self.search.act_on_results(self.batch_flow)

    def action_undo_batch(self) -> None:
        self.batch_flow.take_back()

    def on_batch_done(self, message: messages.BatchDone) -> None:
        self.batch_flow.done(message)

    # ------------------------------------------------ articles (article_flow.py)
    @on(DocumentList.Highlighted)
    def _highlighted(self, event: DocumentList.Highlighted) -> None:
        self.article.highlighted(event.row.doc_id)

    def on_document_ready(self, message: messages.DocumentReady) -> None:
        self.article.ready(message)

    def load_document(self, doc_id: str, at_hit: int | None = 0, passage_id: int | None = None) -> None:
        self.article.load(doc_id, at_hit, passage_id)

    def open_document(self, doc_id: str, passage_id: int | None = None) -> None:
        self.article.open(doc_id, passage_id)

    @on(DocumentList.Opened)
    def _opened(self, event: DocumentList.Opened) -> None:
        self.article.opened(event.row.doc_id)

    @on(ReaderView.TermChosen)
    def _term_chosen(self, event: ReaderView.TermChosen) -> None:
        self.legend.choose(event.term)
        if event.term is not None and event.term < len(self.legend.terms):
            self.say(f"# follows {self.legend.terms[event.term]} (' chooses the next term)")

    @on(ReaderView.HitsExhausted)
    def _next_document(self, event: ReaderView.HitsExhausted) -> None:
        self.article.hits_exhausted(event.direction)

    @on(ReaderView.Engaged)
    def _reader_engaged(self, event: ReaderView.Engaged) -> None:
        self.article.engaged(event.doc_id)

    @on(ReaderView.PassageAction)
    def _passage_action(self, event: ReaderView.PassageAction) -> None:
        self.article.passage_action(event)

    def refresh_passages(self) -> None:
        self.article.refresh_passages()

    def action_passages(self) -> None:
        self.article.list_passages()

    def on_passages_listed(self, message: messages.PassagesListed) -> None:
        self.article.passages_listed(message)

    def action_toggle_read(self) -> None:
        self.article.toggle_read()

    def action_toggle_star(self) -> None:
        self.article.toggle_star()

    def action_tag_document(self) -> None:
        self.article.tag_document()

    def action_open_link(self) -> None:
        self.article.open_link()

    async def title_matches(self, query: str, limit: int = 10) -> list[ResultRow]:
        """Documents whose title matches, for the command palette (searched off the event loop)."""
        if self.library is None:
            return []
        try:
            results = await asyncio.to_thread(self.library.search, query, page_size=limit, suggest=False)
        except Exception as exc:  # the palette must not take the reader down with it
            self.report_failure("Searching titles", exc)
            return []
        return results.rows

    # --------------------------------------------- entities (entity_flow.py)
    @on(EntitySidebar.Chosen)
    def _entity_chosen(self, event: EntitySidebar.Chosen) -> None:
        self.entities.chosen(event)

    @on(EntitySidebar.CorrectionWanted)
    def _correction_wanted(self, event: EntitySidebar.CorrectionWanted) -> None:
        self.entities.correction_wanted(event)

    def on_corrected(self, message: messages.Corrected) -> None:
        self.entities.corrected(message)

    @on(EntitySidebar.WithWanted)
    def _with_wanted(self, event: EntitySidebar.WithWanted) -> None:
        self.entities.with_wanted(event)

    def on_appearing_with(self, message: messages.AppearingWith) -> None:
        self.entities.appearing_with(message)

    def ask(self, screen: Any, answered: Callable[[Any], None]) -> None:
        self.app.push_screen(screen, answered)

    def reload_article(self) -> None:
        self.article.reload()

    # ------------------------------------------------------------- user data
    def _show_note(self, text: str) -> None:
        note = self.query_one("#passage-note", TextLine)
        note.text = text
        note.set_class(bool(text), "-shown")

    def action_next_unread(self) -> None:
        if self.reading is None:
            self.app.bell()
            return
        self.search.next_unread(set(self.reading.store.doc_ids("read")))

    # ------------------------------------------------------------- actions
    def _panes(self) -> list[Any]:
        panes: list[Any] = [self.timeline, self.documents, self.reader] if self.timeline.display else \
            [self.documents, self.reader]
        if self.sidebar.display:
            panes.append(self.sidebar)
        return [*panes, self.search_box]

    def _cycle(self, step: int) -> None:
        panes = self._panes()
        current = self.focused if self.focused in panes else panes[0]
        panes[(panes.index(current) + step) % len(panes)].focus()

    def action_next_pane(self) -> None:
        self._cycle(+1)

    def action_previous_pane(self) -> None:
        self._cycle(-1)

    def action_focus_search(self) -> None:
        """`/` is a priority binding (keymap `first`), run before the keys typed after it are handed
        to a pane: with `focus()`, which waits for the events already queued, a burst such as
        `/oil p` typed while the reader was busy went to the list, whose `p` opened the passages
        screen. In the search box itself the key is typed."""
        box = self.search_box
        if not box.has_focus:
            self.set_focus(box)
            return
        entry = getattr(self.app, "keys", None)
        bound = entry.actions.get("focus_search") if entry is not None else None
        typed = [k for k in bound.key_list if keymap.printable(k)] if bound is not None else []
        if typed:
            # Behind the keys already handed to the box, not at its cursor now: a burst such as
            # `24/7 AC/DC` (tmux send-keys, a paste without bracketed paste) became `//247 ACDC`.
            box.post_message(events.Key(typed[0], format_key(typed[0])))

    def action_back_to_list(self) -> None:
        self.documents.focus()

    def action_toggle_sort(self) -> None:
        self.search.toggle_sort()

    def action_toggle_sidebar(self) -> None:
        self.sidebar_hidden = not self.sidebar_hidden

    def watch_sidebar_hidden(self, hidden: bool) -> None:
        self.set_class(hidden, "-no-sidebar")

    def validate_list_width(self, width: int) -> int:
        return max(15, min(70, width))

    def watch_list_width(self) -> None:
        self._apply_widths()

    def action_narrow_list(self) -> None:
        self.list_width -= 5

    def action_widen_list(self) -> None:
        self.list_width += 5

    def action_save_search(self) -> None:
        query = self.search_box.value.strip()
        userdata = self.userdata
        if not query or userdata is None:
            self.notify("Type a query first; then ctrl+s saves it.", severity="warning")
            return

        def save(name: str | None) -> None:
            if name and self.succeeded("Saving the search", lambda: userdata.save_search(name, query, self.search.sort)):
                self.notify(f"Saved “{name}”: {query}", markup=False)

        self.app.push_screen(SaveSearchScreen(query), save)

    def action_accept_suggestion(self) -> None:
        self.search.accept_suggestion()

    def action_saved_searches(self) -> None:
        if self.userdata is not None and self.library is not None:
            self.saved_worker(self.library, self.userdata)

    @work(thread=True, exclusive=True, group="saved", exit_on_error=False, description="Listing saved searches")
    def saved_worker(self, library: Library, userdata: UserData) -> None:
        searches = [(s, library.search(s.query, page_size=1, suggest=False).total) for s in userdata.saved_searches()]
        self.post_message(messages.SavedListed(searches))

    def on_saved_listed(self, message: messages.SavedListed) -> None:
        if self.userdata is not None:
            self.app.push_screen(SavedSearchesScreen(message.searches, self.userdata, self.attempt), self.run_saved)

    def run_saved(self, saved: SavedSearch | None) -> None:
        if saved is not None:
            self.search.set_query(saved.query, sort=saved.sort)
            self.documents.focus()

    # -------------------------------------------------------------- layout
    def on_resize(self, event: events.Resize) -> None:
        self._apply_widths(event.size.width)

    def on_descendant_focus(self) -> None:
        self._apply_widths()

    def _apply_widths(self, width: int | None = None) -> None:
        """Below 60 columns one pane shows, the reader while it has focus, else the list; wider, the
        list takes `list_width` percent. (Also under a dialog: every screen gets the resize.)"""
        single = (self.size.width if width is None else width) < SINGLE
        reader_focused = isinstance(self.focused, ReaderView)
        results = self.query_one("#results")
        results.set_class(single and reader_focused, "-hidden")
        self.query_one("#reading").set_class(single and not reader_focused, "-hidden")
        results.styles.width = "1fr" if single else f"{self.list_width}%"
