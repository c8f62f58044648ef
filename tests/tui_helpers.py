"""Starting the reader headless on a corpus, and waiting until its workers have settled."""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from pathlib import Path

from rich.segment import Segment
from textual.geometry import Region
from textual.pilot import Pilot
from textual.widget import Widget

from margin.search import paths
from margin.search.userdata.database import UserData
from margin.tui.app import MarginApp
from margin.tui.widgets.doclist import DocumentList
from margin.tui.widgets.reader import ReaderView
from margin.tui.widgets.searchbox import SearchBox
from margin.tui.widgets.sidebar import EntitySidebar


def make_app(tmp_path: Path, corpus: Path | None = None, keymap_file: Path | None = None) -> MarginApp:
    return MarginApp(corpus or paths.bundled_corpus(), tmp_path / "index", keymap_file,
                     UserData(tmp_path / "user.sqlite"))


SHORT_TIMER_S = 1.0  # debounce, load and count timers; longer ones (a reply's 8 s) are not waited for


def _pending_timers(app) -> bool:
    """A one-shot timer of the reader (debounce, load, count) has yet to fire."""
    for node in (app, *app.screen_stack, *app.screen.walk_children()):
        for timer in list(getattr(node, "_timers", ())):
            task = getattr(timer, "_task", None)
            one_shot = timer.name.startswith("set_timer#")  # not Textual's own (screen_update) or a blink
            if one_shot and task is not None and not task.done() and timer._interval <= SHORT_TIMER_S:
                return True
    return False


async def settle(pilot: Pilot) -> None:
    """Wait until the reader is quiet: no short timer pending, no worker running, and two rounds
    of messages with nothing new (a worker's message may start another). Waits on what is
    pending, not for a fixed time."""
    quiet = 0
    for _ in range(2000):
        await pilot.pause()
        # A worker that fails is the reader's to report (status line); waiting must not raise it.
        await asyncio.gather(*[worker.wait() for worker in pilot.app.workers], return_exceptions=True)
        if _pending_timers(pilot.app):
            quiet = 0
            await asyncio.sleep(0.005)
            continue
        quiet += 1
        if quiet >= 2:
            return
    raise AssertionError("the reader did not settle")


async def until(pilot: Pilot, condition: Callable[[], bool], what: str = "the reader did not follow the change") -> None:
    """Wait (up to about 20 s) for something the reader does on its own, such as following a change on disk."""
    for _ in range(200):
        await settle(pilot)
        if condition():
            return
        await asyncio.sleep(0.05)
    raise AssertionError(what)


async def started(pilot: Pilot) -> None:
    pilot.app.query_one(SearchBox).cursor_blink = False
    for _ in range(100):
        await settle(pilot)
        if pilot.app.main.library is not None and pilot.app.query_one(ReaderView).document is not None:
            return
    raise AssertionError("the reader did not finish opening")


def doc_list(app) -> DocumentList:
    return app.query_one(DocumentList)


def reader(app) -> ReaderView:
    return app.query_one(ReaderView)


def sidebar(app) -> EntitySidebar:
    return app.query_one(EntitySidebar)


def shown_id(app) -> str:
    return reader(app).document.document.doc_id


def hit_texts(app) -> list[str]:
    doc = reader(app).document.document
    return [getattr(doc, h.field)[h.start:h.end] for h in reader(app).hits]


async def search(pilot: Pilot, query: str) -> None:
    await pilot.press("slash")
    box = pilot.app.query_one(SearchBox)
    box.value = ""
    await pilot.press(*query)
    await settle(pilot)


def styles_on_line_of(app, hit) -> set[str]:
    """The styles drawn on the reader line that holds `hit`."""
    view = reader(app)
    return {str(span.style) for span in view.line_text(view.line_of(hit.field, hit.start)).spans}


async def sidebar_at(pilot: Pilot, query: str, option_id: str) -> EntitySidebar:
    """The first article for `query` opened and the sidebar focused on the row `option_id`
    ("person\\tLei Jun")."""
    await search(pilot, query)
    await pilot.press("enter", "tab", "tab")
    bar = sidebar(pilot.app)
    assert bar.has_focus
    highlight(bar, option_id)
    return bar


def highlight(bar: EntitySidebar, option_id: str) -> None:
    ids = [bar.get_option_at_index(i).id for i in range(bar.option_count)]
    bar.highlighted = ids.index(option_id)


def painted(widget: Widget) -> list[list[Segment]]:
    """The widget's lines as the compositor gets them (cached lines are reused unless marked dirty)."""
    width, height = widget.outer_size
    return [list(strip) for strip in widget.render_lines(Region(0, 0, width, height))]


def painted_text(widget: Widget) -> list[str]:
    return ["".join(s.text for s in line) for line in painted(widget)]


def runs_with(widget: Widget, test) -> list[str]:
    """The text of each run of segments whose style passes `test`, line by line."""
    runs: list[str] = []
    for line in painted(widget):
        current = ""
        for segment in line:
            if segment.style is not None and test(segment.style):
                current += segment.text
            elif current:
                runs.append(current)
                current = ""
        if current:
            runs.append(current)
    return runs
