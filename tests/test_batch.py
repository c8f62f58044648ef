"""Acting on what is shown (issue 31): one change to every document of the results, said with
its count before it is made, written in one transaction, and taken back whole with ctrl+z."""

from __future__ import annotations

from pathlib import Path

from margin.search.userdata.database import UserData
from margin.search.userdata.reading import ReadingStore
from margin.tui.screens.dialogs import ChoiceScreen

from .conftest import write
from .tui_helpers import doc_list, make_app, painted_text, search, settle, started


def corpus(root: Path) -> Path:
    for name, text in {"a.md": "Oil rose.", "b.md": "Oil fell.", "c.md": "Grain rose.", "d.md": "Oil held."}.items():
        write(root, name, f"# {name}\n\n{text}")
    return root


def test_a_change_to_many_is_taken_back_whole(tmp_path: Path):
    store = ReadingStore(UserData(tmp_path / "u.sqlite"), "corpus")
    store.set_starred("a.md", True)
    store.set_tags("b.md", ["kept"])
    before = store.change_many(["a.md", "b.md", "c.md"], "tag", "#later")
    assert {d: m.tags for d, m in store.marks().items()} == {"a.md": ("later",), "b.md": ("kept", "later"), "c.md": ("later",)}
    read = store.change_many(["a.md", "b.md"], "read")
    assert store.mark("a.md").read and store.mark("a.md").starred and not store.mark("c.md").read
    store.restore(read)
    assert not store.mark("a.md").read and store.mark("a.md").starred
    store.restore(before)
    assert store.mark("b.md").tags == ("kept",) and store.mark("a.md").tags == () and store.mark("a.md").starred


def marked_rows(app) -> list[str]:
    return [line.strip("│ ") for line in painted_text(doc_list(app)) if line.strip("│ ").startswith(("●", "# "))]


async def test_the_results_marked_read_say_how_many_first_and_ctrl_z_takes_it_back(tmp_path: Path):
    app = make_app(tmp_path, corpus(tmp_path / "c"))
    async with app.run_test(size=(120, 30)) as pilot:
        await started(pilot)
        await search(pilot, "oil")
        await pilot.press("enter")
        assert len([r for r in marked_rows(app) if r.startswith("●")]) == 3
        await pilot.press("A")
        await settle(pilot)
        dialog = app.screen
        assert isinstance(dialog, ChoiceScreen)
        labels = [str(dialog.query_one("ChoiceList").get_option_at_index(i).prompt) for i in range(6)]
        assert labels[1] == "Mark 3 documents read"
        await pilot.press("down", "enter")
        await settle(pilot)
        assert not [r for r in marked_rows(app) if r.startswith("●")]  # the dots of unread are gone
        assert "3 documents marked read · ctrl+z takes it back" in painted_text(app.query_one("#status"))[0]
        app.main.documents.focus()
        await pilot.press("ctrl+z")
        await settle(pilot)
        assert len([r for r in marked_rows(app) if r.startswith("●")]) == 3
        assert "Taken back: 3 documents marked read" in painted_text(app.query_one("#status"))[0]


async def test_a_range_selected_with_v_is_what_the_change_touches(tmp_path: Path):
    app = make_app(tmp_path, corpus(tmp_path / "c"))
    async with app.run_test(size=(120, 30)) as pilot:
        await started(pilot)
        await search(pilot, "oil")
        await pilot.press("enter", "V", "j")
        await settle(pilot)
        shaded = doc_list(app).get_component_rich_style("rowlist--range").bgcolor
        chosen = doc_list(app).range_ids()
        assert chosen is not None and len(chosen) == 2
        await pilot.press("A")
        await settle(pilot)
        options = app.screen.query_one("ChoiceList")
        assert [str(options.get_option_at_index(i).prompt) for i in range(options.option_count)][:3] == [
            "Tag 2 documents…", "Mark 2 documents read", "Mark 2 documents unread"]
        await pilot.press("down", "down", "down", "enter")  # star them
        await settle(pilot)
        starred = [line for line in painted_text(doc_list(app)) if "★" in line]
        assert len(starred) == 2 and shaded is not None


async def test_a_batch_tag_shows_on_every_row_and_ctrl_z_takes_it_off(tmp_path: Path):
    app = make_app(tmp_path, corpus(tmp_path / "c"))
    async with app.run_test(size=(120, 30)) as pilot:
        await started(pilot)
        await search(pilot, "oil")
        await pilot.press("enter", "A")
        await settle(pilot)
        await pilot.press("enter")  # "Tag 3 documents…"
        await settle(pilot)
        await pilot.press(*"later", "enter")
        await settle(pilot)
        assert sum("#later" in line for line in painted_text(doc_list(app))) == 3
        assert app.main.library.search("tag:later").total == 3
        await pilot.press("ctrl+z")
        await settle(pilot)
        assert not any("#later" in line for line in painted_text(doc_list(app)))
        assert app.main.library.search("tag:later").total == 0


async def test_a_range_is_exported_alone(tmp_path: Path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    app = make_app(tmp_path, corpus(tmp_path / "c"))
    async with app.run_test(size=(120, 30)) as pilot:
        await started(pilot)
        await search(pilot, "oil")
        await pilot.press("enter", "V", "j", "A")
        await settle(pilot)
        await pilot.press("end", "enter")  # the last choice: export
        await settle(pilot)
        written = (tmp_path / "margin-results.md").read_text(encoding="utf-8")
        assert "2 of 3 results" in written and written.count("\n1. ") + written.count("\n2. ") == 2
        assert "\n3. " not in written
