"""A failure anywhere in the reader becomes one line in the status bar; the reader stays up, and a
store write that failed is never reported as done."""

from __future__ import annotations

from pathlib import Path

import pytest

from margin.search.library import Library
from margin.search.passages.service import PassageService
from margin.search.passages.store import PassageStore
from margin.search.userdata.database import UserData, UserDataError
from margin.tui import messages
from margin.tui.screens.dialogs import SavedSearchesScreen

from .conftest import write
from .tui_helpers import doc_list, make_app, reader, search, settle, shown_id, started

SIZE = (130, 40)


def status(app) -> str:
    return app.main.query_one("#status").text


def boom(*args, **kwargs):
    raise RuntimeError("injected failure")


async def test_a_failure_while_opening_the_index_is_one_line(tmp_path: Path, monkeypatch):
    monkeypatch.setattr("margin.search.passages.service.Library.open", boom)
    app = make_app(tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        assert app.is_running
        assert status(app) == "Opening the index failed: RuntimeError: injected failure"


async def wait_for_failure(pilot, what: str) -> None:
    await settle(pilot)
    assert pilot.app.is_running and status(pilot.app).startswith(f"{what} failed: RuntimeError: injected failure")


async def test_a_failing_search_leaves_the_reader_usable(tmp_path: Path, monkeypatch):
    app = make_app(tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        await started(pilot)
        monkeypatch.setattr(Library, "search", boom)
        await search(pilot, "huawei")
        await wait_for_failure(pilot, "Search")
        monkeypatch.undo()
        await search(pilot, "nvidia")
        assert doc_list(app).total == 1 and "1 of 14 documents" in status(app)


async def test_a_failing_page_load(tmp_path: Path, monkeypatch):
    corpus = tmp_path / "many"
    for i in range(60):
        write(corpus, f"{i:02}.txt", f"Article {i}\nshared words")
    app = make_app(tmp_path, corpus=corpus)
    async with app.run_test(size=SIZE) as pilot:
        await started(pilot)
        real = Library.search
        monkeypatch.setattr(Library, "search", lambda self, text, page=1, **kw: boom() if page > 1
                            else real(self, text, page=page, **kw))
        await pilot.press("G")
        await wait_for_failure(pilot, "Loading more results")


@pytest.mark.parametrize(("owner", "name", "key", "what"), [
    (Library, "document", "j", "Opening the article"),
    (PassageService, "listing", "p", "Listing passages"),
    (UserData, "saved_searches", "ctrl+o", "Listing saved searches"),
])
async def test_a_failing_worker_is_one_line_and_the_reader_goes_on(tmp_path: Path, monkeypatch, owner, name, key,
                                                                   what):
    app = make_app(tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        await started(pilot)
        monkeypatch.setattr(owner, name, boom)
        await pilot.press(key)
        await wait_for_failure(pilot, what)
        monkeypatch.undo()
        assert app.screen is app.main  # no half-opened screen over it
        await pilot.press("j")
        await settle(pilot)
        assert shown_id(app) == doc_list(app).current.doc_id


async def test_a_refused_delete_in_the_passages_screen_is_not_reported_as_done(tmp_path: Path, monkeypatch):
    app = make_app(tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        await started(pilot)
        await pilot.press("enter", "t", *"kept", "enter")
        await settle(pilot)
        await pilot.press("p")
        await settle(pilot)

        def locked(*args, **kwargs):
            raise UserDataError("the user database is locked by another program")

        monkeypatch.setattr(PassageStore, "delete", locked)
        await pilot.press("d")
        await settle(pilot)
        notes = [n.message for n in app._notifications]
        assert not any("Passage deleted" in n for n in notes)
        assert any("Deleting the passage failed: the user database is locked" in n for n in notes)
        assert len(app.screen.shown_rows()) == 1 and len(app.main.passages.search()) == 1
        await pilot.press("u")  # nothing was deleted, so nothing to undo
        assert len(app.main.passages.search()) == 1


async def test_saved_searches_move_with_j_k_and_delete_with_undo(tmp_path: Path, monkeypatch):
    app = make_app(tmp_path)
    for name, query in (("alpha", "huawei"), ("beta", "nvidia"), ("gamma", "su7")):
        app.userdata.save_search(name, query)
    async with app.run_test(size=SIZE) as pilot:
        await started(pilot)
        await pilot.press("ctrl+o")
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, SavedSearchesScreen)
        listing = screen.query_one("SavedList")
        await pilot.press("j", "j", "k")
        assert listing.highlighted == 1
        await pilot.press("d")
        assert [s.name for s in app.userdata.saved_searches()] == ["alpha", "gamma"]
        await pilot.press("u")
        assert [s.name for s in app.userdata.saved_searches()] == ["alpha", "beta", "gamma"]

        def locked(*args, **kwargs):
            raise UserDataError("the user database is locked by another program")

        monkeypatch.setattr(UserData, "delete_search", locked)
        await pilot.press("d")
        await settle(pilot)
        assert app.is_running and len(screen.searches) == 3
        assert "Deleting the saved search failed" in status(app)


async def test_workers_post_typed_messages(tmp_path: Path):
    seen: list = []
    app = make_app(tmp_path)
    async with app.run_test(size=SIZE, message_hook=seen.append) as pilot:
        await started(pilot)
        await search(pilot, "nvidia")
        kinds = [type(m) for m in seen]
        assert messages.LibraryOpened in kinds and messages.CountsReady in kinds
        results = [m for m in seen if isinstance(m, messages.ResultsReady)]
        assert results[-1].results.query == "nvidia" and results[-1].results.total == 1
        documents = [m for m in seen if isinstance(m, messages.DocumentReady)]
        assert documents[-1].document.document.doc_id == shown_id(app)
        assert reader(app).document is documents[-1].document


@pytest.mark.parametrize("kind", [messages.ResultsReady, messages.DocumentReady, messages.Progress])
def test_a_newer_result_replaces_a_queued_one(kind):
    fields = {messages.ResultsReady: (1, None, None), messages.DocumentReady: (None, [], [], None, []),
              messages.Progress: (1, 2)}[kind]
    older, newer = kind(*fields), kind(*fields)
    assert older.can_replace(newer) and not older.can_replace(messages.PageReady(1, None))


async def test_a_damaged_user_database_is_said_inside_the_reader(tmp_path: Path):
    """The notice went to stderr before the reader took the screen: seen only after quitting."""
    from textual.widgets._toast import Toast

    from margin.search import paths
    from margin.tui.app import MarginApp
    from margin.tui.commandline.opening import load_userdata as _load_userdata

    from .test_screen import painted_text

    paths.data_dir().mkdir(parents=True, exist_ok=True)
    (paths.data_dir() / "margin.sqlite").write_bytes(b"this is not a database" * 100)
    userdata, notice = _load_userdata()
    assert userdata is not None and "was damaged" in notice
    app = MarginApp(paths.bundled_corpus(), tmp_path / "index", None, userdata, notice)
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        await started(pilot)
        shown = "".join(painted_text(app.main.query_one("#status")))
        assert "margin.sqlite was damaged" in shown  # the whole of it in the notification (the path may take the rest)
        # The toast's lines without its border, so that the test does not depend on where the temporary path wraps.
        toast = " ".join(line.replace("▌", " ") for t in app.screen.query(Toast) for line in painted_text(t))
        assert "User database" in toast and "recovered from it: 0 passages" in " ".join(toast.split())


async def test_notifications_show_brackets_as_typed(tmp_path: Path):
    """A query like `a [/b]` in a notification was read as markup: MarkupError, reader gone."""
    from textual.widgets._toast import Toast

    from .test_screen import painted_text

    app = make_app(tmp_path)
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        await started(pilot)
        await search(pilot, "xiaomi [/b]")
        await pilot.press("ctrl+s", *"odd", "enter")
        await settle(pilot)
        assert app.is_running
        toast = " ".join(" ".join(painted_text(t)) for t in app.screen.query(Toast))
        assert "Saved “odd”: xiaomi [/b]" in toast


async def test_a_rebuilt_index_is_said_beside_the_first_results(tmp_path: Path):
    """An index of an older format is rebuilt on opening; the reader said so only until the first
    results replaced the status line (the command line said it)."""
    import json

    from margin.search.engine.schema import SCHEMA_VERSION

    from .test_screen import painted_text

    app = make_app(tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        await started(pilot)
    manifest = tmp_path / "index" / "margin-manifest.json"
    data = json.loads(manifest.read_text())
    manifest.write_text(json.dumps({**data, "schema": SCHEMA_VERSION - 1}))
    again = make_app(tmp_path)
    async with again.run_test(size=SIZE) as pilot:
        await started(pilot)
        shown = "".join(painted_text(again.main.query_one("#status")))
        assert "14 documents" in shown and f"index rebuilt: index format changed (version {SCHEMA_VERSION - 1} ->" in shown
