"""The corpus flow: opening the index after the first frame, following the folder while the
reader is open, and the user database opened late.

It sets what the other flows read on the host (`library`, `passages`, `reading`) and says what
opening and updating the index found, in the status line's index notes (status_line.py).
"""

from __future__ import annotations

import gc
import threading
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any, Protocol

from textual.message import Message

from margin.search.errors import MarginError
from margin.search.plural import plural
from margin.tui import messages
from margin.tui.flows.article import ArticleFlow
from margin.tui.flows.entity import EntityFlow
from margin.tui.flows.host import FlowHost
from margin.tui.flows.reading import ReadingHost, ReadingKeeper
from margin.tui.flows.search import SearchFlow
from margin.tui.notices import attention_notes, first_build, rebuild_note, still_computing
from margin.tui.widgets.status_line import StatusLine

if TYPE_CHECKING:
    from margin.search.passages.service import PassageService
    from margin.search.userdata.database import UserData


class CorpusHost(ReadingHost, FlowHost, Protocol):
    """What the corpus flow may touch of the screen."""

    corpus: Path | None
    index: Path | None
    userdata: UserData | None
    userdata_notice: str
    passages: PassageService | None
    reading: ReadingKeeper | None
    status_line: StatusLine
    search: SearchFlow
    entities: EntityFlow
    article: ArticleFlow

    def status(self, message: str, *, problem: bool = False) -> None: ...
    def tell(self, message: str, *, warning: bool = False, timeout: float = 8) -> None: ...
    def report_failure(self, what: str, error: BaseException) -> None: ...
    def succeeded(self, what: str, call: Callable[[], object]) -> bool: ...
    def from_thread(self, call: Callable[..., Any], *args: Any) -> None: ...


class CorpusFlow:
    def __init__(self, host: CorpusHost) -> None:
        self.host = host
        self._stop_following = threading.Event()  # set when the screen goes: the folder watcher ends

    # ---------------------------------------------------------------- opening
    def open(self) -> None:
        self.host.in_thread(self._open, group="open", exclusive=True, description="Opening the index")

    def _open(self) -> None:
        from margin.search.passages.service import open_library  # Whoosh loads here, after the first frame

        post = self.host.post_message
        # The index as last built first (a rebuild or a first build still happens here, with
        # progress); the folder is scanned for changes once the first results are on their way.
        opened = open_library(self.host.corpus, self.host.index, self.host.userdata,
                              progress=_posting(post, messages.Progress), scan_later=True)
        if opened.reading is not None:  # before the results, so that the list shows them marked
            post(messages.MarksReady(opened.reading.marks()))
        post(messages.LibraryOpened(opened))
        library = opened.library
        if library.report.deferred:
            from margin.search.library import Library

            names = _posting(post, messages.NamesProgress) if library.report.names_later else None
            with Library.open(library.corpus, library.index_dir, progress=names) as current:
                report = current.report
            # Changed by this scan, or meanwhile by another margin process (which may have found
            # the names this build left for later): either way the index's notes are said anew.
            if report.touched or library.index_changed():
                post(messages.FolderChanged(report))
        # After the first results are on their way: counting every entity took 0.5 s on Reuters.
        post(messages.CountsReady({(c.type, c.name): c.count for c in library.entities.counts()}))

    def opened(self, message: messages.LibraryOpened) -> None:
        host, opened = self.host, message.opened
        host.library, host.passages = opened.library, opened.passages
        host.reading = ReadingKeeper(host, opened.reading) if opened.reading is not None else None
        gc.freeze()  # the index and the app are long-lived: keep them out of full collections (pauses)
        # What needs the user's attention stays, with the first results (which replace the status line).
        report = opened.library.report
        notes = [*([host.userdata_notice] if host.userdata_notice else []), *rebuild_note(opened),
                 *attention_notes(opened)]
        host.status_line.pending = pending = still_computing(opened)
        host.status_line.names_found = (report.files - report.names_later, report.files) if pending else None
        problem = bool(report.skipped or report.warnings or report.read_only or opened.orphaned or host.userdata_notice)
        host.status_line.set_index_notes(notes, problem=problem)
        host.status(" · ".join(filter(None, [plural(report.documents, "document"), *first_build(opened), *notes,
                                             pending])), problem=problem)
        host.search.again()
        self._follow(opened.library.corpus, opened.library.index_dir)

    # -------------------------------------------------------------- following
    def _follow(self, corpus: Path, index_dir: Path) -> None:
        """Files added, changed or removed while the reader is open are indexed in a thread of its
        own, a burst at a time. Not a Textual worker: it runs as long as the screen, and waiting
        for the workers to finish (tests, `wait_for_complete`) must not wait for it."""
        from margin.search.index.watching import updates

        def run() -> None:
            try:
                for report in updates(corpus, index_dir, self._stop_following):
                    # Nothing to do here may mean a second reader on this corpus did it first.
                    library = self.host.library
                    if report.touched or (library is not None and library.index_changed()):
                        self.host.post_message(messages.FolderChanged(report))
            except Exception as exc:  # the reader goes on without following; say why once
                self.host.from_thread(self.host.report_failure, "Following the corpus folder", exc)

        threading.Thread(target=run, name="margin-follow", daemon=True).start()

    def stop(self) -> None:
        self._stop_following.set()

    def folder_changed(self, message: messages.FolderChanged) -> None:
        host, r = self.host, message.report
        if host.reading is not None and r.renamed:
            store = host.reading.store
            if host.succeeded("Following renamed files", lambda: store.follow_renames(r.renamed)):
                host.documents.set_marks(store.marks())
        if r.added or r.changed or r.removed:
            changes = f"Files changed on disk: {r.added} added, {r.changed} changed, {r.removed} removed"
        elif r.named:
            changes = f"Names found ({plural(r.named, 'file')})"
        else:
            changes = "Files changed on disk: indexed by another margin process"
        notes = [f"{plural(len(r.newly_skipped), 'file')} skipped (first: {r.newly_skipped[0][0]}: "
                 f"{r.newly_skipped[0][1]})"] if r.newly_skipped else []
        if r.unknown_kinds and r.added:
            notes.append(r.unknown_kinds)
        host.status(" · ".join([changes, plural(r.documents, "document"), *notes]),
                    problem=bool(notes))
        if r.added or r.changed or r.removed or r.newly_skipped:  # names found alone keep what opening said
            host.status_line.set_index_notes(notes, problem=bool(notes))  # kept beside the results
        host.status_line.pending, host.status_line.names_found = "", None
        service = host.passages
        if service is None:
            self._show_changes()
            return
        host.in_thread(lambda: self.host.post_message(messages.PassagesFollowed(*service.follow(r))),
                       group="follow", exclusive=False, description="Placing passages again")

    def names_progress(self, message: messages.NamesProgress) -> None:
        """How far the scan after the first results is, beside the result count."""
        percent = 100 * message.done // max(1, message.total)
        line = self.host.status_line
        line.pending = f"names being found: {percent} % ({message.done:,} of {message.total:,} files)"
        if line.names_found is not None:
            files = line.names_found[1]
            line.names_found = (files - message.total + message.done, files)
        if self.host.search.by_entity:  # each round of the names pass is searchable once committed
            self._show_changes()
        else:
            self.host.search.status_again()

    def passages_followed(self, message: messages.PassagesFollowed) -> None:
        lost = message.orphaned - message.relinked
        if lost > 0:
            self.host.tell(f"{plural(lost, 'passage')} lost {'its' if lost == 1 else 'their'} article on disk; "
                           "p lists the orphans", warning=True, timeout=10)
        # Said with the results that follow, as opening says them.
        notes = [*([f"{plural(message.relinked, 'passage')} followed their renamed article"] if message.relinked else []),
                 *([f"{plural(lost, 'passage')} no longer found in their article (p lists them)"] if lost > 0 else [])]
        self.host.status_line.add_index_notes(notes, problem=lost > 0)
        self._show_changes()

    def _show_changes(self) -> None:
        """The list searched again, its cursor kept on the same document, and the open article
        read again, after files changed on disk (or their names were found)."""
        current = self.host.documents.current
        self.host.search.again(keep=current.doc_id if current else None)
        self.host.article.changed_on_disk()

    # -------------------------------------------------------------- user data
    def open_userdata_again(self) -> None:
        """A reader started while another process locked the user database opens it when the
        user asks for passages again, once the lock is gone."""
        from margin.search.passages.service import with_user_data
        from margin.search.userdata.database import UserData

        host = self.host
        if host.library is None or host.userdata is not None:
            return
        try:
            userdata = UserData()
            opened = with_user_data(host.library, userdata)
        except MarginError:
            return
        host.userdata, host.passages, host.userdata_notice = userdata, opened.passages, ""
        if opened.reading is not None:
            host.reading = ReadingKeeper(host, opened.reading)
            host.documents.set_marks(opened.reading.marks())
        host.tell("The user database is open now: tagging, reading state and history are on.")


def _posting(post: Callable[[Message], object], kind: type[messages.Counted],
             every: int = 200) -> Callable[[int, int], None]:
    """An indexing progress callback that posts `kind` every `every` files and at the end."""
    def report(done: int, total: int) -> None:
        if done % every == 0 or done == total:
            post(kind(done, total))

    return report
