"""Stories in the reader (issue 32): a family's row expanded and collapsed in the painted list,
the comparison of a copy with its story's earliest one, more like this from the article."""

from __future__ import annotations

from pathlib import Path

import pytest
from rich.color import Color
from textual.pilot import Pilot
from textual.widgets import Static

from margin.tui.app import MarginApp
from margin.tui.screens.compare import NEW, CompareScreen
from margin.tui.widgets.searchbox import SearchBox
from margin.tui.widgets.sidebar import EntitySidebar

from .stories_corpus import planted
from .tui_helpers import doc_list, make_app, painted_text, reader, runs_with, settle, started

pytestmark = pytest.mark.usefixtures("each_engine")


def planted_app(tmp_path: Path) -> MarginApp:
    """The reader on the corpus with planted copies (tests.stories_corpus)."""
    planted(tmp_path / "c")
    return make_app(tmp_path, tmp_path / "c")


async def harbour_found(pilot: Pilot) -> None:
    """The reader opened, `harbour` searched for and the list focused on its one family's row."""
    await started(pilot)
    await pilot.press("slash", *"harbour", "enter")
    await settle(pilot)


async def test_a_family_is_one_row_that_expands_and_collapses(tmp_path: Path):
    app = planted_app(tmp_path)
    async with app.run_test(size=(220, 36)) as pilot:
        await harbour_found(pilot)
        listed = doc_list(app)
        lines = painted_text(listed)
        assert "1 story · 4 of 16 documents" in lines[0]
        assert "+3 copies, first 2024-03-01" in lines[2] and "↳" not in "".join(lines)
        await pilot.press("z")
        await settle(pilot)
        lines = painted_text(listed)
        assert sum("↳" in line for line in lines) == 3 and "Harbour plan agreed" in "".join(lines)
        await pilot.press("z")
        await settle(pilot)
        assert "↳" not in "".join(painted_text(listed))
        await pilot.press("D")  # every copy listed
        await settle(pilot)
        assert sum("Harbour" in line for line in painted_text(listed)) == 4


async def test_the_comparison_lights_what_a_copy_adds_and_lists_what_it_dropped(tmp_path: Path,
                                                                                monkeypatch: pytest.MonkeyPatch):
    monkeypatch.delenv("NO_COLOR")
    app = planted_app(tmp_path)
    async with app.run_test(size=(220, 36)) as pilot:
        await started(pilot)
        await pilot.press("slash", *'title:"what it means"', "enter")
        await settle(pilot)
        assert reader(app).document.document.doc_id == "outlets/new-lead.md"
        await pilot.press("c")
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, CompareScreen)
        shown = screen.query_one("#comparison", Static)
        lines = [line.rstrip() for line in painted_text(shown)]
        assert "compared with “Harbour plan agreed” (Wire · 2024-03-01 · wire/original.md) (1 of 3" in lines[0]
        assert lines[1].strip() == "4 new, 4 dropped sentences"
        assert any(line.strip() == "Dropped (4):" for line in lines)
        lead = " ".join(reader(app).document.document.body.split("\n\n")[0].split())
        green = Color.parse(NEW.split(" on ")[1]).triplet
        lit = runs_with(shown, lambda style: style.bgcolor is not None and style.bgcolor.triplet == green)
        assert lit and all(run.strip() in lead for run in lit)  # the new first paragraph, and only it
        await pilot.press("c")  # the next copy
        await settle(pilot)
        assert "(2 of 3" in painted_text(screen.query_one("#comparison", Static))[0]
        await pilot.press("escape")
        assert not isinstance(app.screen, CompareScreen)


async def test_more_like_this_searches_from_the_article(tmp_path: Path):
    app = planted_app(tmp_path)
    async with app.run_test(size=(220, 36)) as pilot:
        await started(pilot)
        doc_id = reader(app).document.document.doc_id
        await pilot.press("M")
        await settle(pilot)
        assert app.query_one(SearchBox).value == f'like:"{doc_id}"'
        assert doc_id not in [row.doc_id for row in doc_list(app).rows.values()]
        assert "documents like" in str(app.query_one("#status").render())


async def test_versions_after_two_edits_show_what_changed_and_where_each_passage_was_made(tmp_path: Path):
    import os
    import time

    from margin.search.passages.service import open_library
    from margin.search.userdata.database import UserData

    planted(tmp_path / "c")
    path = tmp_path / "c" / "alone" / "0.md"
    head, body = path.read_text().split("---\n", 2)[1:]
    first_sentence = body.strip().split(". ")[0] + "."

    def edit(old: str, new: str, seconds: int) -> None:
        path.write_text(path.read_text().replace(old, new))
        os.utime(path, (time.time() + seconds, time.time() + seconds))

    def tag(text: str) -> None:
        opened = open_library(tmp_path / "c", tmp_path / "index", UserData(tmp_path / "user.sqlite"))
        document = opened.library.document("alone/0.md").document
        start = document.body.index(text)
        assert opened.passages is not None
        opened.passages.tag(document, start, start + len(text), ("later",), "")
        opened.library.close()

    tag(first_sentence)  # on the first version
    edit(first_sentence, first_sentence.replace(".", ", said the mayor."), 5)
    second = first_sentence.replace(".", ", said the mayor.")
    tag(second)  # on the second
    edit("said the mayor", "said the town's mayor", 10)
    app = make_app(tmp_path, tmp_path / "c")
    async with app.run_test(size=(160, 40)) as pilot:
        await started(pilot)
        await pilot.press("slash", *'title:"story 0"', "enter")
        await settle(pilot)
        await pilot.press("R")
        await settle(pilot)
        assert isinstance(app.screen, CompareScreen)
        lines = [line.strip() for line in painted_text(app.screen.query_one("#comparison", Static))]
        text = "\n".join(lines)
        assert "(since you tagged it); 2 earlier versions kept" in lines[0] and lines[1] == "1 changed sentences"
        assert "Passages:" in lines
        assert text.count("made on the version replaced") == 2  # one passage on each earlier version
        assert f"was: {second}" in text


async def test_the_facets_title_counts_stories_and_documents(tmp_path: Path):
    app = planted_app(tmp_path)
    async with app.run_test(size=(220, 36)) as pilot:
        await harbour_found(pilot)
        await pilot.press("tab", "tab", "f")
        await settle(pilot)
        bar = app.query_one(EntitySidebar)
        assert "Results · 1 story · 4 docum" in painted_text(bar)[0]  # the pane is narrow: the title is cut
