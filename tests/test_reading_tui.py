"""Reading state in the reader: what the list paints for read, unread and starred documents, the
keys that change it, the position an article reopens at, next unread, `o` and `y`. Assertions
read the painted lines (and their styles), the clipboard and the calls to the browser."""

from __future__ import annotations

from pathlib import Path

import pytest

from margin.tui import launch

from .conftest import write
from .tui_helpers import doc_list, make_app, painted, painted_text, reader, search, settle, shown_id, started

SIZE = (150, 40)
LONG = "\n\n".join(f"Paragraph {n} says something about topic {n}. It has a second sentence here." for n in range(1, 120))


@pytest.fixture
def folder(tmp_path: Path) -> Path:
    root = tmp_path / "corpus"
    write(root, "a.md", "---\ntitle: Alpha article\npublished: 2024-03-03\nurl: https://example.com/alpha\n---\n"
          "Alpha is first. The second sentence of alpha.")
    write(root, "b.md", "---\ntitle: Beta article\npublished: 2024-02-02\n---\n" + LONG)
    write(root, "c.md", "---\ntitle: Gamma article\npublished: 2024-01-01\n---\nGamma text here.")
    return root


def row_line(app, title: str) -> list:
    """The painted segments of the list line holding `title`."""
    lines = painted(doc_list(app))
    return next(line for line in lines if title in "".join(s.text for s in line))


def flag_and_bold(app, title: str) -> tuple[str, bool]:
    line = row_line(app, title)
    text = "".join(s.text for s in line).strip("│ ")
    bold = any(s.style is not None and s.style.bold and title in s.text for s in line)
    return text[:1] if text[:1] in "●★" else "", bold


async def test_a_preview_marks_nothing_read_reading_does_m_toggles_and_star(tmp_path: Path, folder: Path):
    """Issue 26: pausing on a row (the reader previews it) marked the article read; the first row
    was read at launch without a key."""
    app = make_app(tmp_path, folder)
    async with app.run_test(size=SIZE) as pilot:
        await started(pilot)
        await pilot.pause(2.0)  # longer than the old 1.5 s on screen
        await settle(pilot)
        assert flag_and_bold(app, "Alpha article") == ("●", True)
        await pilot.press("j")
        await pilot.pause(2.0)
        await settle(pilot)
        assert flag_and_bold(app, "Beta article") == ("●", True)  # previewed, not read
        await pilot.press("tab", "j")  # the reader focused, and moved in: read
        await settle(pilot)
        assert flag_and_bold(app, "Beta article") == ("", False)
        await pilot.press("shift+tab", "k", "enter")  # opened with enter: read at once
        await settle(pilot)
        await pilot.press("shift+tab")
        await settle(pilot)
        assert flag_and_bold(app, "Alpha article") == ("", False)
        assert flag_and_bold(app, "Gamma article") == ("●", True)
        await pilot.press("m")
        await settle(pilot)
        assert flag_and_bold(app, "Alpha article") == ("●", True)
        assert "Marked unread: a.md" in painted_text(app.main.query_one("#status"))[0]
        await pilot.pause(0.2)  # marked unread on purpose: showing it longer does not mark it again
        assert flag_and_bold(app, "Alpha article") == ("●", True)
        await pilot.press("asterisk")
        await settle(pilot)
        assert flag_and_bold(app, "Alpha article") == ("★", True)
        await search(pilot, "is:starred")
        rows = [r.strip("│ ") for r in painted_text(doc_list(app)) if "article" in r]
        assert rows == ["★ Alpha article"]
        await search(pilot, "is:unread")
        titles = " ".join(painted_text(doc_list(app)))
        assert "Alpha article" in titles and "Beta article" not in titles and "Gamma article" in titles


async def test_a_state_survives_a_restart(tmp_path: Path, folder: Path):
    app = make_app(tmp_path, folder)
    async with app.run_test(size=SIZE) as pilot:
        await started(pilot)
        await pilot.press("j", "asterisk")
        await settle(pilot)
    again = make_app(tmp_path, folder)
    async with again.run_test(size=SIZE) as pilot:
        await started(pilot)
        assert flag_and_bold(again, "Beta article")[0] == "★"


async def test_the_position_is_restored_when_the_article_is_opened_again(tmp_path: Path, folder: Path):
    app = make_app(tmp_path, folder)
    async with app.run_test(size=SIZE) as pilot:
        await started(pilot)
        await pilot.press("j", "enter", "space", "space", "right_curly_bracket")
        await settle(pilot)
        view = reader(app)
        top_line = painted_text(view)[1]
        cursor = view.cursor
        assert "Paragraph 1 " not in top_line
        await pilot.press("escape", "j")  # another article, then back
        await settle(pilot)
        assert shown_id(app) == "c.md"
        await pilot.press("k")
        await settle(pilot)
        assert shown_id(app) == "b.md" and painted_text(view)[1] == top_line and view.cursor == cursor
    again = make_app(tmp_path, folder)  # and after quitting
    async with again.run_test(size=SIZE) as pilot:
        await started(pilot)
        await pilot.press("j")
        await settle(pilot)
        assert painted_text(reader(again))[1] == top_line


async def test_a_search_goes_to_the_hit_not_the_saved_position(tmp_path: Path, folder: Path):
    app = make_app(tmp_path, folder)
    async with app.run_test(size=SIZE) as pilot:
        await started(pilot)
        await pilot.press("j", "enter", "G")
        await settle(pilot)
        await search(pilot, "topic")
        await settle(pilot)
        assert "Paragraph 1 says" in " ".join(painted_text(reader(app)))


async def test_n_in_the_list_goes_to_the_next_unread_and_says_when_there_is_none(tmp_path: Path, folder: Path):
    app = make_app(tmp_path, folder)
    async with app.run_test(size=SIZE) as pilot:
        await started(pilot)
        for expected in ("b.md", "c.md", "a.md"):  # previewed on the way, so still unread: round to the top
            await pilot.press("n")
            await settle(pilot)
            assert shown_id(app) == expected
        for _ in range(3):  # each opened with enter: read
            await pilot.press("enter", "escape", "n")
            await settle(pilot)
        assert "No unread document in these results" in painted_text(app.main.query_one("#status"))[0]
        await pilot.press("m", "n")  # marked unread by hand: the next unread again
        await settle(pilot)
        assert flag_and_bold(app, "Alpha article") == ("●", True) or flag_and_bold(app, "Gamma article") == ("●", True)


async def test_o_opens_the_link_or_the_file(tmp_path: Path, folder: Path, monkeypatch: pytest.MonkeyPatch):
    opened: list[str] = []
    monkeypatch.setattr(launch, "windows_can_open", lambda: True)
    monkeypatch.setattr(launch, "open_file", lambda path: opened.append(str(path)))
    app = make_app(tmp_path, folder)
    monkeypatch.setattr(app, "open_url", lambda url, **_: opened.append(url))
    async with app.run_test(size=SIZE) as pilot:
        await started(pilot)
        await pilot.press("o")
        await pilot.press("j")
        await settle(pilot)
        await pilot.press("o")
        await settle(pilot)
        assert opened == ["https://example.com/alpha", str(folder.resolve() / "b.md")]
        assert painted_text(app.main.query_one("#status"))[0].strip().startswith("Opening ")


async def test_o_without_a_window_system_copies_the_link(tmp_path: Path, folder: Path, monkeypatch: pytest.MonkeyPatch):
    monkeypatch.setattr(launch, "windows_can_open", lambda: False)
    app = make_app(tmp_path, folder)
    async with app.run_test(size=SIZE) as pilot:
        await started(pilot)
        await pilot.press("o")
        await settle(pilot)
        assert app.clipboard == "https://example.com/alpha"
        assert "copied instead: https://example.com/alpha" in painted_text(app.main.query_one("#status"))[0]


async def test_y_copies_the_sentence_selection_or_passage_with_its_reference(tmp_path: Path, folder: Path):
    app = make_app(tmp_path, folder)
    async with app.run_test(size=SIZE) as pilot:
        await started(pilot)
        await pilot.press("enter", "y")
        await settle(pilot)
        reference = "> — *Alpha article* · 2024-03-03 · https://example.com/alpha\n"
        assert app.clipboard == "> Alpha is first.\n>\n" + reference
        await pilot.press("v", "w", "w", "y")
        assert app.clipboard == "> Alpha is first\n>\n" + reference
        await pilot.press("escape", "right_parenthesis", "t")
        await settle(pilot)
        await pilot.press("ctrl+s")
        await settle(pilot)
        await pilot.press("y")
        assert app.clipboard == "> The second sentence of alpha.\n>\n" + reference
        assert any("Copied the passage (5 words)" in str(n.message) for n in app._notifications)


async def test_a_key_pressed_right_after_moving_in_the_list_acts_on_the_highlighted_row(tmp_path: Path, folder: Path):
    """`j*` at once: the reader still shows the first article, the star goes to the second."""
    app = make_app(tmp_path, folder)
    async with app.run_test(size=SIZE) as pilot:
        await started(pilot)
        doc_list(app).move_to(1)  # the article loads a moment later
        await pilot.press("asterisk")
        await settle(pilot)
        assert flag_and_bold(app, "Beta article")[0] == "★" and flag_and_bold(app, "Alpha article")[0] != "★"


async def test_a_busy_database_does_not_stop_the_screen(tmp_path: Path, folder: Path, monkeypatch: pytest.MonkeyPatch):
    """Issue 26: `m`, `*` and `enter` wrote SQLite on the event loop: with another process holding the
    write lock the screen stood still for 5 s, and keys typed meanwhile went to the wrong pane."""
    import sqlite3

    monkeypatch.setattr("margin.search.userdata.database.BUSY_SECONDS", 1.0)
    app = make_app(tmp_path, folder)
    async with app.run_test(size=SIZE) as pilot:
        await started(pilot)
        other = sqlite3.connect(tmp_path / "user.sqlite", isolation_level=None)
        other.execute("BEGIN IMMEDIATE")
        await pilot.press("asterisk")
        await pilot.pause(0.1)  # the write waits for the lock in a worker; the screen has moved on
        assert flag_and_bold(app, "Alpha article")[0] == "★"
        await pilot.press("j")
        await pilot.pause(0.1)
        assert doc_list(app).cursor == 1  # the next key went where it was typed, at once
        await settle(pilot)
        await pilot.pause(1.2)
        await settle(pilot)
        assert flag_and_bold(app, "Alpha article")[0] != "★"  # refused: taken back, and said
        assert "Saving the star failed" in " ".join(painted_text(app.main.query_one("#status")))
        other.execute("ROLLBACK")
        other.close()


async def test_keys_that_do_nothing_say_why_and_replies_give_way(tmp_path: Path, folder: Path, monkeypatch: pytest.MonkeyPatch):
    """Issue 26: no feedback for `n` past the last hit of the last article, `s` on an empty query;
    "Starred: …" stayed in the status line long after."""
    monkeypatch.setattr("margin.tui.screens.main.SAY_S", 1.0)
    app = make_app(tmp_path, folder)
    async with app.run_test(size=SIZE) as pilot:
        await started(pilot)

        def status() -> str:
            return " ".join(painted_text(app.main.query_one("#status")))

        lasting = status()
        await pilot.press("s")
        await pilot.pause(0.05)
        assert "sorting by relevance needs a query" in status()
        await pilot.pause(1.2)
        assert status() == lasting  # the reply gave way to the lasting line
        await search(pilot, "gamma")
        await pilot.press("enter")  # the box to the list
        await settle(pilot)
        await pilot.press("enter")  # the list to the article
        await settle(pilot)
        await pilot.press("n", "n", "n", "n")
        await pilot.pause(0.1)
        assert "last hit of the last matching article" in status()


async def test_plus_tags_the_article_itself_the_list_shows_it_and_tag_finds_it(tmp_path: Path, folder: Path):
    """Issue 26: document tags (notmuch's way), beside the passages' tags."""
    from textual.widgets import Input

    app = make_app(tmp_path, corpus=folder)
    async with app.run_test(size=SIZE) as pilot:
        await started(pilot)
        await pilot.press("j", "plus")  # Beta article
        await settle(pilot)
        box = app.screen.query_one(Input)
        box.value = "follow-up  #Later"
        await pilot.press("enter")
        await settle(pilot)
        assert app.screen is app.main
        lines = painted_text(doc_list(app))
        beta = next(i for i, line in enumerate(lines) if "Beta article" in line)
        assert "#Later #follow-up" in lines[beta + 1] and "2024-02-02" in lines[beta + 1]
        assert sum("#" in line for line in lines) == 1
        await search(pilot, "tag:later")
        assert doc_list(app).total == 1 and shown_id(app) == "b.md"
        await pilot.press("escape", "escape", "p")  # the passages screen lists the article, marked as a whole article
        await settle(pilot)
        from margin.tui.screens.passages import PassageList

        listed = painted_text(app.screen.query_one(PassageList))
        assert "ARTICLE Beta article" in listed[0] and "#Later #follow-up" in listed[1]
        assert "the whole article" in listed[2] and "b.md" in listed[2]
        await pilot.press("enter")  # opens it, and opening it is reading it
        await settle(pilot)
        assert app.screen is app.main and shown_id(app) == "b.md" and flag_and_bold(app, "Beta article") == ("", False)
        await pilot.press("escape", "escape")
        await settle(pilot)
        await pilot.press("g", "j", "plus")  # again: what it has, ready to edit; an empty line removes them
        await settle(pilot)
        box = app.screen.query_one(Input)
        assert box.value == "Later follow-up"
        box.value = ""
        await pilot.press("enter")
        await settle(pilot)
    again = make_app(tmp_path, corpus=folder)
    async with again.run_test(size=SIZE) as pilot:
        await started(pilot)
        assert not any("#" in line for line in painted_text(doc_list(again)))


async def test_a_row_without_source_names_its_folder(tmp_path: Path):
    """Issue 26: BBC News's files have no source or date; the list now says their folder."""
    root = tmp_path / "bbc"
    write(root, "sport/1.txt", "Chelsea sack Mutu\n\nChelsea have sacked Adrian Mutu.")
    write(root, "top.txt", "A file at the top\n\nNo folder here.")
    app = make_app(tmp_path, corpus=root)
    async with app.run_test(size=SIZE) as pilot:
        await started(pilot)
        lines = painted_text(doc_list(app))
        chelsea = next(i for i, line in enumerate(lines) if "Chelsea sack Mutu" in line)
        top = next(i for i, line in enumerate(lines) if "A file at the top" in line)
        assert "undated · sport/" in lines[chelsea + 1] and lines[top + 1].strip("│ ") == "undated"
