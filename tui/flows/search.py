"""The search flow: from keys in the search box to rows in the list and a line in the status bar.

Typing, searching in a worker, pages as the list scrolls, the exact count where the first page
estimated it, "did you mean", the sort, the query history and the next unread result. The flow
holds the search state (query, sort, generation); it reaches the screen only through `SearchHost`.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import replace
from typing import TYPE_CHECKING, Protocol

from textual.timer import Timer
from textual.worker import get_current_worker

from margin.tui import messages
from margin.tui.flows.host import FlowHost
from margin.tui.widgets.doclist import DocumentList
from margin.tui.widgets.legend import TermLegend
from margin.tui.widgets.searchbox import SearchBox
from margin.tui.widgets.sidebar import RESULTS, EntitySidebar
from margin.tui.widgets.status_line import StatusLine
from margin.tui.widgets.timeline import TimelineStrip

if TYPE_CHECKING:
    from margin.search.library import Library
    from margin.search.results import SearchResults
    from margin.search.userdata.database import UserData
    from margin.tui.flows.batch import BatchFlow

DEBOUNCE_S = 0.04  # coalesces a burst of typing; longer makes every character feel late
# A search's pages hold the rows the list shows and a few more (at least MIN_PAGE); the list asks
# for the next page as it scrolls. Each row costs its snippet and hits: at 100,000 documents a
# page of 50 took about twice as long as one of 24, and every typed character waits for one.
MIN_PAGE, PAGE_MARGIN = 20, 5
COUNT_AFTER_S = 0.3  # an estimated count is finished when no key came for this long
SUMMARY_AFTER_S = 0.15  # the timeline and the facets, likewise (sooner: they are drawn, not counted)


class SearchHost(FlowHost, Protocol):
    """What the search flow may touch of the screen."""

    userdata: UserData | None
    status_line: StatusLine

    @property
    def documents(self) -> DocumentList: ...
    @property
    def search_box(self) -> SearchBox: ...
    @property
    def timeline(self) -> TimelineStrip: ...
    @property
    def sidebar(self) -> EntitySidebar: ...
    @property
    def legend(self) -> TermLegend: ...
    def status(self, message: str, *, problem: bool = False) -> None: ...
    def bell(self) -> None: ...
    def key_for(self, action: str) -> str: ...
    def later(self, seconds: float, call: Callable[[], object]) -> Timer: ...
    def write_later(self, what: str, call: Callable[[], object], undo: Callable[[], None] | None = None) -> None: ...
    def show_no_article(self) -> None: ...


class SearchFlow:
    def __init__(self, host: SearchHost) -> None:
        self.host = host
        self.sort = "relevance"
        self.current_query = ""
        self.generation = 0  # bumped by every search: pages and results of older ones are dropped
        self.suggestion: str | None = None  # "did you mean", for the key that accepts it
        self._debounce: Timer | None = None
        self._typed_at = 0.0  # when the last key reached the search box (time.monotonic)
        self._answered = 0  # the generation of the last search whose results arrived
        self._shown: SearchResults | None = None  # the result set the status line describes
        self.timeline_wanted: bool | None = None  # the user's choice; None: shown when the results span months
        self._before_narrowing: str | None = None  # the query the timeline's range was added to
        self.refinements: list[str] = []  # the queries "search within these results" started from
        self.copies = False  # every copy of a story listed (D), not one row a family

    # ---------------------------------------------------------------- typing
    def typed(self, value: str) -> None:
        """Search at once when the last search has answered and no key came in the last
        DEBOUNCE_S (typing at a reader's pace); else when the burst of keys pauses. Waiting for
        the pause every time made every character 40 ms later than its search needed."""
        if self._debounce is not None:
            self._debounce.stop()
        self._before_narrowing = None  # typed over: the narrowed query is the user's own now
        box = self.host.search_box
        if box.refining and not value.startswith(box.refining):
            self._drop_refinements()  # the query before the AND was edited: a query of its own now
        self._show_trail(value)
        typed_at, self._typed_at = self._typed_at, time.monotonic()
        if self._answered == self.generation and self._typed_at - typed_at >= DEBOUNCE_S:
            self.start(value)
        else:
            self._debounce = self.host.later(DEBOUNCE_S, lambda: self.start(value))

    def start(self, query: str, *, keep: str | None = None) -> None:
        """Search for `query` (`keep`: the document the list keeps its cursor on)."""
        self.current_query = query
        self.generation += 1
        library = self.host.library
        if library is None:
            return
        generation, sort, copies = self.generation, self.sort, self.copies
        page_size = max(MIN_PAGE, self.host.documents.rows_per_page() + PAGE_MARGIN)
        bars, facets = self.host.timeline.bars_that_fit(), self.host.sidebar.view == RESULTS
        self.host.in_thread(lambda: self._search(library, generation, query, (sort, copies), page_size, keep, bars, facets),
                            group="search", exclusive=True, description="Search")

    def again(self, *, keep: str | None = None) -> None:
        """The current query searched again (the index or the user data changed)."""
        self.start(self.current_query, keep=keep)

    def _search(self, library: Library, generation: int, query: str, order: tuple[str, bool], page_size: int,
                keep: str | None, bars: int, facets: bool) -> None:
        sort, copies = order
        results = library.search(query, page_size=page_size, sort=sort, suggest=False, copies=copies)
        if get_current_worker().is_cancelled:
            return
        self.host.post_message(messages.ResultsReady(generation, results, None, keep))
        # "Did you mean" after the results: finding it takes up to 50 ms on Reuters for a word
        # half typed, which every keystroke would otherwise wait for.
        suggestion = library.suggest(query) if query.strip() else None
        if suggestion and not get_current_worker().is_cancelled:
            self.host.post_message(messages.SuggestionReady(generation, suggestion))
        # The timeline and the facets once typing pauses: at 100,000 documents they take 40 and
        # 100-230 ms under the library's lock, which the next character's search waited for
        # (typed character p95 76 ms, where it was 33-42 without them).
        time.sleep(SUMMARY_AFTER_S)
        if get_current_worker().is_cancelled:
            return
        self.host.post_message(messages.TimelineReady(generation, library.timeline(query, most=bars)))
        if results.collapsed and results.total and not get_current_worker().is_cancelled:
            self.host.post_message(messages.StoriesCounted(generation, library.story_count(query)))
        if results.terms and not get_current_worker().is_cancelled:
            self.host.post_message(messages.TermDocumentsReady(generation, library.term_documents(query)))
        if facets and not get_current_worker().is_cancelled:
            self.host.post_message(messages.FacetsReady(generation, library.facets(query), results.total))
        # An estimated count ("about N") is finished here, after the rows, on a searcher of its
        # own so that the next search does not wait for the lock; and once typing has paused,
        # since counting a long question walks every match in Whoosh and would share the
        # processor with the next character's search.
        if results.exact_total:
            return
        time.sleep(COUNT_AFTER_S - SUMMARY_AFTER_S)
        if not get_current_worker().is_cancelled:
            total = library.exact_total(query)
            if not get_current_worker().is_cancelled:
                self.host.post_message(messages.CountReady(generation, total))

    # --------------------------------------------------------------- answers
    def results_ready(self, message: messages.ResultsReady) -> None:
        self._answered = max(self._answered, message.generation)
        if message.generation != self.generation:
            return  # a newer search is on its way
        results = message.results
        self.host.documents.set_results(results, keep=message.keep)
        self.host.legend.show_terms(results.terms)
        self._shown = results
        self.show_status(results, message.suggestion)
        if results.total == 0:
            self.host.show_no_article()

    def count_ready(self, message: messages.CountReady) -> None:
        if message.generation == self.generation and self._shown is not None:
            self._counted(replace(self._shown, total=message.total, exact_total=True))

    def _counted(self, results: SearchResults) -> None:
        """A count the first page estimated, known now: the list's title and the status line say it."""
        self._shown = results
        self.host.documents.recount(results)
        self.show_status(results, self.suggestion)

    def suggestion_ready(self, message: messages.SuggestionReady) -> None:
        if message.generation == self.generation and self._shown is not None:
            self.show_status(self._shown, message.suggestion)

    @property
    def by_entity(self) -> bool:
        """The results shown answer a query by entity (person:"…"), which names found later widen."""
        return self._shown is not None and self._shown.by_entity

    def status_again(self) -> None:
        """The status line said again for the results shown (the index's notes changed)."""
        if self._shown is not None:
            self.show_status(self._shown, self.suggestion)

    def show_status(self, results: SearchResults, suggestion: str | None) -> None:
        self.suggestion = suggestion
        line, problem = self.host.status_line.for_results(results, suggestion, self.host.key_for("accept_suggestion"))
        self.host.status(line, problem=problem)

    def need_page(self, page: int) -> None:
        library = self.host.library
        if library is None:
            return
        generation, query, sort, size = self.generation, self.current_query, self.sort, self.host.documents.page_size
        copies = self.copies

        def load() -> None:
            results = library.search(query, page=page, page_size=size, sort=sort, suggest=False, copies=copies)
            self.host.post_message(messages.PageReady(generation, results))

        self.host.in_thread(load, group="pages", exclusive=False, description="Loading more results")

    def page_ready(self, message: messages.PageReady) -> None:
        if message.generation == self.generation:
            self.host.documents.add_page(message.results)
            shown, more = self._shown, message.results
            if shown is not None and not shown.exact_total and more.exact_total:  # a later page counted it
                self._counted(replace(shown, total=more.total, exact_total=True))

    # ----------------------------------------------------------- the timeline
    def timeline_ready(self, message: messages.TimelineReady) -> None:
        if message.generation != self.generation:
            return
        strip = self.host.timeline
        strip.show(message.timeline)
        wanted = self.timeline_wanted
        if wanted is None:  # shown when the results span months, and while it narrows them
            wanted = message.timeline.spans_months() or self._before_narrowing is not None or strip.has_focus
        strip.set_class(wanted, "-shown")

    def toggle_timeline(self) -> None:
        strip = self.host.timeline
        self.timeline_wanted = not strip.has_class("-shown")
        strip.set_class(self.timeline_wanted, "-shown")
        if not self.timeline_wanted and strip.has_focus:
            self.host.documents.focus()

    def narrow_to(self, first: str, last: str) -> None:
        """The results of these dates only: `published:[first to last]` added to the query, where
        it can be seen and edited; `widen` takes it back."""
        base = self._before_narrowing if self._before_narrowing is not None else self.current_query
        self.set_query(f"{base} published:[{first} to {last}]".strip())
        self._before_narrowing = base

    def widen(self) -> None:
        if self._before_narrowing is None:
            self.host.documents.focus()
            return
        query, self._before_narrowing = self._before_narrowing, None
        self.set_query(query)

    # ------------------------------------------------------------- facets
    def view_changed(self, view: str) -> None:
        """The sidebar now shows the results' facets: count them for the results shown."""
        library, generation, query = self.host.library, self.generation, self.current_query
        if view != RESULTS or library is None:
            return
        total = self._shown.total if self._shown is not None else 0

        def count() -> None:
            self.host.post_message(messages.FacetsReady(generation, library.facets(query), total))

        self.host.in_thread(count, group="facets", exclusive=True, description="Counting the results' facets")

    def term_documents_ready(self, message: messages.TermDocumentsReady) -> None:
        if message.generation == self.generation:
            self.host.legend.show_documents(message.documents)

    def facets_ready(self, message: messages.FacetsReady) -> None:
        if message.generation == self.generation:
            self.host.sidebar.show_facets(message.facets, message.results, self.host.documents.stories)

    def facet_chosen(self, clause: str, exclude: bool) -> None:
        """The results narrowed to a facet (`person:"…"`), or without it (`-person:"…"`)."""
        self.set_query(f"{self.current_query} {'-' if exclude else ''}{clause}".strip())

    def act_on_results(self, batch: BatchFlow) -> None:
        """Every document of the results shown: the batch flow says what it can do to them."""
        shown = self._shown
        batch.choose(self.current_query, shown.total if shown is not None else 0, self.host.documents.range_ids())

    # ------------------------------------------------------------ refining
    def refine(self) -> None:
        """Search within these results: the box holds `QUERY AND `, the words typed after it
        narrow the results, backspace past them goes back (`unrefine`)."""
        query = self.current_query.strip()
        if not query:
            self.host.say("Refining needs a query: type one first")
            return
        self.refinements.append(query)
        box = self.host.search_box
        box.refining = f"{query} AND "
        with box.prevent(SearchBox.Changed):
            box.value = box.refining
        box.cursor_position = len(box.value)
        box.focus()
        self._show_trail(box.value)

    def unrefine(self) -> None:
        if not self.refinements:
            return
        query = self.refinements.pop()
        box = self.host.search_box
        box.refining = f"{self.refinements[-1]} AND " if self.refinements else ""
        with box.prevent(SearchBox.Changed):
            box.value = query
        box.cursor_position = len(query)
        self._show_trail(query)
        self.start(query)

    def _drop_refinements(self) -> None:
        self.refinements.clear()
        self.host.search_box.refining = ""

    def _show_trail(self, query: str) -> None:
        """The list's title: each refinement's words in turn (`oil prices › opec`)."""
        box = self.host.search_box
        if not self.refinements:
            self.host.documents.set_trail([])
            return
        steps = [self.refinements[0], *(later.removeprefix(f"{before} AND ")
                                        for before, later in zip(self.refinements, self.refinements[1:]))]
        typed = query.removeprefix(box.refining).strip()
        self.host.documents.set_trail([*steps, typed] if typed else steps)

    # ------------------------------------------------------------ the box
    def go(self) -> None:
        self.remember(self.host.search_box.value)
        self.host.documents.focus()

    def leave(self) -> None:
        box = self.host.search_box
        if box.value:
            box.value = ""
        else:
            self.host.documents.focus()

    def remember(self, query: str) -> None:
        self.host.search_box.remember(query)
        userdata = self.host.userdata
        if userdata is not None and query.strip():
            self.host.write_later("Saving the query history", lambda: userdata.add_history(query))

    def set_query(self, query: str, *, sort: str | None = None) -> None:
        """Put a query in the search box and run it now (entity filter, saved search, palette)."""
        if sort is not None:
            self.sort = sort
        box = self.host.search_box
        if box.refining and not query.startswith(box.refining):
            self._drop_refinements()
        self._show_trail(query)
        with box.prevent(SearchBox.Changed):
            box.value = query
        self.remember(query)
        self.start(query)

    def stories_counted(self, message: messages.StoriesCounted) -> None:
        if message.generation == self.generation:
            self.host.documents.set_stories(message.stories)  # before the facets, which say it too

    def toggle_copies(self) -> None:
        """Every copy of a story listed, or one row a family (the setting `dupes:` overrides)."""
        self.copies = not self.copies
        self.host.say("Every copy of a story listed (D: one row a story)" if self.copies
                      else "One row a story: z on a row shows its copies (D: every copy)")
        self.again(keep=self.host.documents.current.doc_id if self.host.documents.current else None)

    def toggle_sort(self) -> None:
        if not self.current_query.strip():  # every document, newest first: relevance needs a query
            self.host.say("With no query the list is newest first; sorting by relevance needs a query")
            return
        self.sort = "date" if self.sort == "relevance" else "relevance"
        current = self.host.documents.current
        self.again(keep=current.doc_id if current else None)

    def accept_suggestion(self) -> None:
        """Search for the "did you mean" suggestion shown in the status line."""
        if not self.suggestion:
            self.host.bell()
            return
        self.set_query(self.suggestion)

    # ---------------------------------------------------------- next unread
    def next_unread(self, read: set[str]) -> None:
        """Move to the first unread result after the cursor, paging on as far as it takes."""
        library = self.host.library
        if library is None:
            self.host.bell()
            return
        from margin.search.userdata.reading import first_unread

        generation, query, sort = self.generation, self.current_query, self.sort
        start = self.host.documents.result_at_cursor() + 1

        def find() -> None:
            found = first_unread(lambda page, size: library.search(query, page=page, page_size=size, sort=sort,
                                                                   suggest=False).rows, start, read)
            self.host.post_message(messages.UnreadFound(generation, found))

        self.host.in_thread(find, group="unread", exclusive=True, description="Finding the next unread document")

    def unread_found(self, message: messages.UnreadFound) -> None:
        if message.generation != self.generation:
            return
        if message.index is None:
            self.host.say("No unread document in these results")
            self.host.bell()
            return
        self.host.documents.move_to_result(message.index)
