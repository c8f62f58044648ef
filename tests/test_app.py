"""The reader, driven headless with Pilot: what each pane holds after each key."""

from __future__ import annotations

from pathlib import Path

import pytest

from margin.tui.keymap import CONTEXTS
from margin.tui.screens.dialogs import HelpScreen, SavedSearchesScreen, SaveSearchScreen
from margin.tui.widgets.searchbox import SearchBox

from .conftest import write
from .tui_helpers import (
    doc_list,
    highlight,
    hit_texts,
    make_app,
    painted_text,
    reader,
    search,
    settle,
    shown_id,
    sidebar,
    sidebar_at,
    started,
    styles_on_line_of,
    until,
)

pytestmark = pytest.mark.usefixtures("each_engine")  # every test on both engines

SIZE = (130, 40)


async def test_opens_on_the_bundled_corpus_newest_first(tmp_path: Path):
    app = make_app(tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        await started(pilot)
        documents = doc_list(app)
        assert documents.total == 14 and documents.border_title == "14 documents"
        assert documents.has_focus and documents.cursor == 0
        assert shown_id(app) == "000-lei-jun-marketing-nauseous.md"
        assert "14 documents" in str(app.query_one("#status").render())


async def test_browse_with_j_k_g_G(tmp_path: Path):
    app = make_app(tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        await started(pilot)
        await pilot.press("j", "j")
        await settle(pilot)
        assert doc_list(app).cursor == 2 and shown_id(app) == "001-weibo-xiaomi-draws-kudos.md"
        await pilot.press("k")
        await settle(pilot)
        assert shown_id(app) == "004-xiaomi-marketing-model-backlash.md"
        await pilot.press("G")
        await settle(pilot)
        assert doc_list(app).cursor == 13
        await pilot.press("g")
        await settle(pilot)
        assert doc_list(app).cursor == 0 and shown_id(app) == "000-lei-jun-marketing-nauseous.md"
        await pilot.press("down", "pagedown")
        assert doc_list(app).cursor > 1


async def test_typing_a_query_narrows_the_list_and_lights_hits(tmp_path: Path):
    app = make_app(tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        await started(pilot)
        await search(pilot, "雷军")
        assert doc_list(app).total == 1 and doc_list(app).border_title == "1 of 14 documents"
        assert shown_id(app).startswith("004-") and hit_texts(app) == ["雷军"] * 4
        view = reader(app)
        assert str(reader(app).palette.current) in styles_on_line_of(app, view.hits[0])
        assert "hit 1/4" in view.position and "hit 1/4" in str(app.query_one("#position").render())
        await pilot.press("enter")
        assert doc_list(app).has_focus


async def test_n_and_N_walk_hits_and_carry_on_into_the_next_document(tmp_path: Path):
    app = make_app(tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        await started(pilot)
        await search(pilot, "huang OR huawei")
        await pilot.press("enter", "tab")
        assert reader(app).has_focus
        first = shown_id(app)
        count = len(reader(app).hits)
        assert count >= 2 and reader(app).current_hit == 0
        await pilot.press("n")
        assert reader(app).current_hit == 1 and "hit 2/" in reader(app).position
        await pilot.press(*["n"] * (count - 1))
        await settle(pilot)
        assert shown_id(app) != first and doc_list(app).cursor == 1 and reader(app).current_hit == 0
        await pilot.press("N")
        await settle(pilot)
        assert shown_id(app) == first and reader(app).current_hit == count - 1
        assert str(reader(app).palette.hit) in styles_on_line_of(app, reader(app).hits[0])


async def test_filter_by_entity_from_the_sidebar(tmp_path: Path):
    app = make_app(tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        await started(pilot)
        await sidebar_at(pilot, "nvidia", "person\tLei Jun")
        await pilot.press("e")
        await settle(pilot)
        assert app.query_one(SearchBox).value == 'person:"Lei Jun"'
        assert doc_list(app).total == 9 and doc_list(app).has_focus
        rows = doc_list(app).rows
        doc_list(app).move_to(next(i for i, r in rows.items() if r.doc_id.startswith("004-")))
        await settle(pilot)
        assert set(hit_texts(app)) == {"Lei Jun", "雷军"}


async def test_who_appears_with_an_entity_and_the_documents_naming_both(tmp_path: Path):
    """Issue 11: w on Lei Jun in the Nvidia brief lists Jensen Huang; enter searches for both."""
    from margin.tui.screens.dialogs import WithList

    from .test_screen import painted_text

    app = make_app(tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        await started(pilot)
        await sidebar_at(pilot, "nvidia", "person\tLei Jun")
        await pilot.press("w")
        await settle(pilot)
        listing = app.screen.query_one(WithList)
        painted = "\n".join(painted_text(listing))
        assert "Appearing with Lei Jun in the results for nvidia" in painted
        assert "Xiaomi  organization  1 document in common" in painted
        assert "Lei Jun  person" not in painted
        rows = [listing.get_option_at_index(i).prompt.plain for i in range(listing.option_count)]
        listing.highlighted = next(i for i, r in enumerate(rows) if r.startswith("Jensen Huang"))
        await pilot.press("enter")
        await settle(pilot)
        assert app.query_one(SearchBox).value == '(nvidia) person:"Lei Jun" person:"Jensen Huang"'
        assert doc_list(app).total == 1 and "Nvidia’s Jensen Huang" in "".join(painted_text(doc_list(app)))


def corpus_copy(tmp_path: Path) -> Path:
    """The bundled corpus where its entity corrections can be written."""
    import shutil

    from margin.search import paths

    corpus = tmp_path / "c"
    shutil.copytree(paths.bundled_corpus(), corpus, ignore=shutil.ignore_patterns("__*"))
    return corpus


async def test_entity_corrections_from_the_sidebar_are_painted_and_undone(tmp_path: Path):
    """m merges (asking for the other entity), x hides, u undoes; the sidebar shows each at once."""
    from .test_screen import painted_text

    app = make_app(tmp_path, corpus=corpus_copy(tmp_path))
    async with app.run_test(size=SIZE) as pilot:
        await started(pilot)
        bar = await sidebar_at(pilot, "nvidia", "person\tLei Jun")

        def shown() -> str:
            return "\n".join(painted_text(bar))

        assert "Lei Jun  3× · 9 docs" in shown()
        await pilot.press("m")
        await pilot.press(*"Jensen H")
        await settle(pilot)
        from textual.widgets import Input

        assert "Jensen Huang" in "".join(painted_text(app.screen.query_one("#name", Input)))  # completed
        await pilot.press(*"uang", "enter")
        await settle(pilot)
        assert "Jensen Huang  8× · 9 docs" in shown() and "Lei Jun" not in shown()
        highlight(bar, "organization\tNVIDIA")
        await pilot.press("x")
        await settle(pilot)
        assert "NVIDIA" not in shown() and "{hide: NVIDIA}" in "".join(painted_text(app.main.query_one("#status")))
        bar.focus()
        await pilot.press("u", "u")
        await settle(pilot)
        assert "NVIDIA  4× · 1 doc" in shown() and "Lei Jun  3× · 9 docs" in shown()


async def test_the_sidebar_row_stays_after_a_correction(tmp_path: Path):
    """Issue 26: after a correction the sidebar's cursor jumped to the top, so the next `x` hid
    another entity. It stays on the corrected row, or on the row that took its place."""
    app = make_app(tmp_path, corpus=corpus_copy(tmp_path))
    async with app.run_test(size=SIZE) as pilot:
        await started(pilot)
        bar = await sidebar_at(pilot, "nvidia", "organization\tNVIDIA")
        ids = [bar.get_option_at_index(i).id for i in range(bar.option_count)]
        after = next(i for i in ids[ids.index("organization\tNVIDIA") + 1:] if i)  # the row below it
        highlight(bar, "organization\tNVIDIA")
        await pilot.press("x")
        await settle(pilot)
        assert bar.get_option_at_index(bar.highlighted).id == after
        highlight(bar, "person\tLei Jun")
        await pilot.press("r")
        await settle(pilot)
        from textual.widgets import Input

        app.screen.query_one("#name", Input).value = "Lei Jun Jr"
        await pilot.press("enter")
        await settle(pilot)
        assert bar.get_option_at_index(bar.highlighted).id == "person\tLei Jun Jr"  # renamed in its place


async def test_a_bad_correction_is_refused_in_its_dialog_and_every_article_still_opens(tmp_path: Path):
    """Issue 26: retype to `car` was written, and every article then failed to open (KeyError: 'car')."""
    from textual.widgets import Input, Label

    from margin.tui.screens.dialogs import AskScreen

    from .test_screen import painted_text

    corpus = corpus_copy(tmp_path)
    app = make_app(tmp_path, corpus=corpus)
    async with app.run_test(size=SIZE) as pilot:
        await started(pilot)
        await sidebar_at(pilot, "nvidia", "person\tLei Jun")
        await pilot.press("t")
        await settle(pilot)
        app.screen.query_one("#name", Input).value = ""
        await pilot.press(*"car", "enter")
        await settle(pilot)
        assert isinstance(app.screen, AskScreen) and app.screen.query_one("#name", Input).value == "car"
        problem = " ".join(painted_text(app.screen.query_one("#problem", Label)))
        assert "'car' is not one of person, organization, place, product" in problem, problem
        await pilot.press("escape")
        await settle(pilot)
        assert not (corpus / "entity-corrections.yaml").exists() or "car" not in (corpus / "entity-corrections.yaml").read_text()
        await pilot.press("m")
        await pilot.press(*"Lei Jun", "enter")  # into itself
        await settle(pilot)
        assert "cannot be merged into itself" in " ".join(painted_text(app.screen.query_one("#problem", Label)))
        await pilot.press("escape")
    (corpus / "entity-corrections.yaml").write_text("- {retype: Lei Jun, to: car}\n- {merge: Lei Jun, into: Nobody}\n")
    app = make_app(tmp_path, corpus=corpus)
    async with app.run_test(size=SIZE) as pilot:
        await started(pilot)
        await search(pilot, "xiaomi")
        await pilot.press("enter")
        await settle(pilot)
        assert "failed" not in "".join(painted_text(app.main.query_one("#status")))
        assert reader(app).document is not None


async def test_toggle_sort(tmp_path: Path):
    app = make_app(tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        await started(pilot)
        await search(pilot, "xiaomi marketing")
        await pilot.press("enter")
        assert doc_list(app).border_subtitle == "by relevance"
        await pilot.press("s")
        await settle(pilot)
        rows = [doc_list(app).rows[i] for i in range(doc_list(app).row_count)]
        assert doc_list(app).border_subtitle == "by date"
        for group in (True, False):  # newest first within each group (every word, then some)
            dated = [r.published for r in rows if r.published and r.every_word == group]
            assert dated == sorted(dated, reverse=True)
        assert rows[0].published == "2026-01-08"


async def test_help_lists_live_keys(tmp_path: Path):
    keymap = write(tmp_path, "keymap.yaml", "reader:\n  next_hit: {keys: \"ctrl+n\"}\n")
    app = make_app(tmp_path, keymap_file=keymap)
    async with app.run_test(size=SIZE) as pilot:
        await started(pilot)
        await pilot.press("question_mark")
        assert isinstance(app.screen, HelpScreen)
        assert ("ctrl+n", "Next hit") in app.screen.rows("reader")
        assert len(app.screen.query(".help-group")) == len(CONTEXTS)
        await pilot.press("escape")
        assert not isinstance(app.screen, HelpScreen)


async def test_user_keymap_remaps_a_key(tmp_path: Path):
    keymap = write(tmp_path, "keymap.yaml", "document_list:\n  cursor_down: {keys: \"x\"}\nquit: ctrl+q\n")
    app = make_app(tmp_path, keymap_file=keymap)
    async with app.run_test(size=SIZE) as pilot:
        await started(pilot)
        assert app.keys.problems == []
        await pilot.press("x")
        assert doc_list(app).cursor == 1
        await pilot.press("j")
        assert doc_list(app).cursor == 1
        await pilot.press("q")
        assert app.is_running
        await pilot.press("ctrl+q")
    assert not app.is_running


async def test_malformed_keymap_is_reported_and_defaults_kept(tmp_path: Path):
    keymap = write(tmp_path, "keymap.yaml", "\n".join([
        "reader:",
        "  no_such_action: {keys: \"z\"}",
        "  next_hit: {keys: \"j\"}",
        "search_box:",
        "  leave_search: {keys: \"x\"}",
        "document_list:",
        "  cursor_down: 5",
        "passage_dialog:",
        "  save_passage: {keys: \"s\"}",
    ]) + "\n")
    app = make_app(tmp_path, keymap_file=keymap)
    async with app.run_test(size=SIZE) as pilot:
        await started(pilot)
        problems = app.keys.problems
        assert f"{keymap} line 2: unknown action id 'no_such_action'" in problems
        assert any(p.startswith(f"{keymap} line 3: 'j' is already bound to 'scroll_down'") for p in problems)
        assert any(p.startswith(f"{keymap} line 5: 'x' for 'leave_search' would be typed") for p in problems)
        assert f"{keymap} line 9: 's' for 'save_passage' would be typed into the tagging dialog; use a ctrl key, " \
            "an F-key, an arrow, enter or escape" in problems
        assert len(problems) == 4  # "5" is a key name (the digit), so line 7 is accepted
        await pilot.press("tab")
        await pilot.press("n")
        assert reader(app).has_focus


async def test_broken_keymap_yaml_names_the_line(tmp_path: Path):
    keymap = write(tmp_path, "keymap.yaml", "reader:\n  next_hit: [unclosed\n")
    app = make_app(tmp_path, keymap_file=keymap)
    async with app.run_test(size=SIZE) as pilot:
        await started(pilot)
        assert len(app.keys.problems) == 1 and app.keys.problems[0].startswith(f"{keymap} line 3:")
        await pilot.press("j")
        assert doc_list(app).cursor == 1


async def test_narrow_terminals_hide_the_sidebar_then_show_one_pane(tmp_path: Path):
    app = make_app(tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        await started(pilot)
        assert sidebar(app).display
        await pilot.resize_terminal(90, 30)
        await pilot.pause()
        assert not sidebar(app).display and app.query_one("#results").display and reader(app).display
        await pilot.resize_terminal(50, 24)
        await pilot.pause()
        assert app.query_one("#results").display and not app.query_one("#reading").display
        await pilot.press("enter")
        await pilot.pause()
        assert app.query_one("#reading").display and not app.query_one("#results").display


async def test_sidebar_toggle_and_list_width(tmp_path: Path):
    app = make_app(tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        await started(pilot)
        await pilot.press("ctrl+b")
        await pilot.pause()
        assert not sidebar(app).display
        width = doc_list(app).size.width
        await pilot.press("right_square_bracket")
        await pilot.pause()
        assert doc_list(app).size.width > width


async def test_escape_clears_then_leaves_the_search_box(tmp_path: Path):
    app = make_app(tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        await started(pilot)
        await search(pilot, "huawei")
        box = app.query_one(SearchBox)
        await pilot.press("escape")
        await settle(pilot)
        assert box.has_focus and box.value == "" and doc_list(app).total == 14
        await pilot.press("escape")
        assert doc_list(app).has_focus


async def test_syntax_error_and_did_you_mean_in_the_status_line(tmp_path: Path):
    app = make_app(tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        await started(pilot)
        await search(pilot, '"lei jun')
        status = str(app.query_one("#status").render())
        assert "quote '\"' is not closed (column 1)" in status and doc_list(app).total == 9
        await search(pilot, "heatwve")
        assert "did you mean: heatwave" in str(app.query_one("#status").render())


async def test_history_survives_a_restart(tmp_path: Path):
    app = make_app(tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        await started(pilot)
        await search(pilot, "huawei")
        await pilot.press("enter")
        await search(pilot, "nvidia")
        await pilot.press("enter")
    again = make_app(tmp_path)
    async with again.run_test(size=SIZE) as pilot:
        await started(pilot)
        await pilot.press("slash", "up")
        assert again.query_one(SearchBox).value == "nvidia"
        await pilot.press("up")
        assert again.query_one(SearchBox).value == "huawei"
        await pilot.press("down", "down")
        assert again.query_one(SearchBox).value == ""


async def test_save_and_open_a_saved_search(tmp_path: Path):
    app = make_app(tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        await started(pilot)
        await search(pilot, "product:su7")
        await pilot.press("ctrl+s")
        assert isinstance(app.screen, SaveSearchScreen)
        await pilot.press(*"cars", "enter")
        await pilot.pause()
        assert [s.name for s in app.userdata.saved_searches()] == ["cars"]
        await search(pilot, "huawei")
        await pilot.press("enter", "ctrl+o")
        await settle(pilot)
        assert isinstance(app.screen, SavedSearchesScreen)
        assert app.screen.searches[0][1] == 4
        await pilot.press("enter")
        await settle(pilot)
        assert app.query_one(SearchBox).value == "product:su7" and doc_list(app).total == 4
        await pilot.press("ctrl+o")
        await settle(pilot)
        await pilot.press("d")
        assert app.userdata.saved_searches() == [] and app.screen.searches == []


async def test_quit(tmp_path: Path):
    app = make_app(tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        await started(pilot)
        await pilot.press("q")
    assert not app.is_running


async def test_hostile_text_renders_as_plain_text(tmp_path: Path):
    corpus = tmp_path / "hostile"
    write(corpus, "a.txt", "[bold red]Markup[/] title\n\x1b[2J\x1b]0;owned\x07 body [link=x]y[/link] 😀 emoji\n"
                           "שלום עולם مرحبا 雷军山寨机 " + "long" * 2000)
    app = make_app(tmp_path, corpus=corpus)
    async with app.run_test(size=SIZE) as pilot:
        await started(pilot)
        view = reader(app)
        plain = [view.line_text(i).plain for i in range(len(view.lines))]
        assert plain[0] == "[bold red]Markup[/] title"
        assert any("[link=x]y[/link] 😀 emoji" in line for line in plain)
        assert not any("\x1b" in line for line in plain)
        width = view.scrollable_content_region.width
        assert all(len(line) <= width for line in plain) and len(plain) > 50


async def test_command_palette_runs_actions_and_opens_documents_by_title(tmp_path: Path):
    from textual.command import CommandPalette

    app = make_app(tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        await started(pilot)
        # Textual's own Quit and Keys are not listed beside margin's (two Quits, issue 26).
        assert not {"Quit", "Keys"} & {c.title for c in app.get_system_commands(app.screen)}
        await search(pilot, "xiaomi")  # sorting needs a query
        await pilot.press("ctrl+p")
        assert isinstance(app.screen, CommandPalette)
        await pilot.press(*"sort by")
        await settle(pilot)
        await pilot.press("enter")
        await settle(pilot)
        assert app.main.search.sort == "date"
        await pilot.press("ctrl+p", *"apartment")
        await settle(pilot)
        await pilot.press("enter")
        await settle(pilot)
        assert shown_id(app) == "002-07-affordable-apartments.md" and reader(app).has_focus
        assert doc_list(app).current.doc_id == "002-07-affordable-apartments.md"  # the list follows


async def test_a_5_mb_single_line_article_reads_and_wraps(tmp_path: Path):
    corpus = tmp_path / "huge"
    write(corpus, "line.txt", "One very long line\n" + "word " * 1_000_000 + "needle")
    app = make_app(tmp_path, corpus=corpus)
    async with app.run_test(size=SIZE) as pilot:
        await started(pilot)
        view = reader(app)
        width = view.scrollable_content_region.width
        assert len(view.lines) > 5_000_000 // width
        await search(pilot, "needle")
        await pilot.press("enter", "tab")
        assert hit_texts(app) == ["needle"] and view.line_of("body", view.hits[0].start) == len(view.lines) - 1
        assert view.scroll_offset.y > 0


async def test_keys_typed_right_after_slash_go_into_the_search_box(tmp_path: Path):
    """A burst (`/oil p` queued before the reader handled the `/`, as when it is busy) must not
    reach the list, where `p` opens the passages screen; `/` inside the search box is typed."""
    from textual import events

    from margin.tui.widgets.searchbox import SearchBox

    from .tui_helpers import make_app, painted_text, settle, started

    app = make_app(tmp_path)
    async with app.run_test(size=(120, 36)) as pilot:
        await started(pilot)
        for key, char in [("slash", "/"), ("o", "o"), ("i", "i"), ("l", "l"), ("space", " "), ("p", "p")]:
            app.post_message(events.Key(key, char))
        await settle(pilot)
        box = app.query_one(SearchBox)
        assert app.screen is app.main and box.value == "oil p"
        await pilot.press("slash", "s")
        await settle(pilot)
        assert box.value == "oil p/s" and "oil p/s" in "".join(painted_text(box))


def burst(app, text: str) -> None:
    """Keys queued at once, as `tmux send-keys -l` or a paste without bracketed paste sends them."""
    from textual import events

    names = {"/": "slash", " ": "space", "\r": "enter"}
    for char in text:
        app.post_message(events.Key(names.get(char, char), char))


async def test_every_key_of_a_burst_lands_in_the_box_in_order(tmp_path: Path):
    """Issue 26: `24/7 AC/DC` sent at once showed `//247 ACDC` (the `/` went in at the cursor
    before the keys queued ahead of it)."""
    from margin.tui.widgets.searchbox import SearchBox

    from .tui_helpers import make_app, painted_text, settle, started

    app = make_app(tmp_path)
    async with app.run_test(size=(120, 36)) as pilot:
        await started(pilot)
        await pilot.press("slash")
        burst(app, "24/7 AC/DC a/b/c")
        await settle(pilot)
        box = app.query_one(SearchBox)
        assert box.value == "24/7 AC/DC a/b/c" and "24/7 AC/DC a/b/c" in "".join(painted_text(box))


async def test_enter_then_slash_in_one_burst_leaves_every_later_key_in_the_box(tmp_path: Path):
    """Issue 26: `enter / a b c` from the list put `abc` in the box, but the enter, handled after
    the `/` had moved the focus, was taken as the box's own enter: the list got the focus back and
    the next keys went to it."""
    from margin.tui.widgets.searchbox import SearchBox

    from .tui_helpers import make_app, painted_text, settle, started

    app = make_app(tmp_path)
    async with app.run_test(size=(120, 36)) as pilot:
        await started(pilot)
        burst(app, "\r/abc")
        await settle(pilot)
        burst(app, " de")
        await settle(pilot)
        box = app.query_one(SearchBox)
        assert box.value == "abc de" and "abc de" in "".join(painted_text(box))
        assert app.focused is box



async def test_a_long_title_is_cut_at_a_word_with_an_ellipsis(tmp_path: Path):
    """Issue 26: list titles were cut mid-word, with nothing to say so."""
    from .test_screen import painted_text

    app = make_app(tmp_path)
    async with app.run_test(size=(120, 36)) as pilot:
        await started(pilot)
        title = "Lei Jun: Now, whenever I hear the word 'marketing', I feel a bit nauseous"
        line = next(line for line in painted_text(doc_list(app)) if "Lei Jun: Now" in line)
        shown = line.strip("│ ●").rstrip()
        assert shown.endswith("…") and len(shown) < len(title)
        assert title.startswith(shown[:-1].rstrip()) and title[len(shown[:-1].rstrip())] == " "  # a whole word


async def test_the_footer_shows_every_key_of_each_pane_at_160_columns(tmp_path: Path):
    """Issue 26: in the reader the footer was cut at 160 columns ("s Sort b"), losing Passages,
    Quit and Keys; the footer now names its actions shortly (help keeps the long descriptions)."""
    from margin.tui.keymap import defaults

    app = make_app(tmp_path)
    async with app.run_test(size=(160, 45)) as pilot:
        await started(pilot)
        for pane in (app.query_one(SearchBox), doc_list(app), reader(app), sidebar(app)):
            pane.focus()
            await settle(pilot)
            bottom = "".join(s.text for s in app.screen._compositor.render_strips()[-1])
            shown = [b.description for (_, b, enabled, _) in app.active_bindings.values() if b.show and enabled]
            assert shown and all(label in bottom for label in shown), (type(pane).__name__, bottom)
            assert "Quit" in bottom or pane is app.query_one(SearchBox)
        assert defaults()["tag_passage"].description == "Tag selection or sentence"  # help still says it in full


async def test_the_list_title_and_the_status_line_say_the_same_count(tmp_path: Path):
    """Issue 26: the list said "14 documents" while the status line said "10 of 14"."""
    app = make_app(tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        await started(pilot)
        for query, count in (("", "14 documents"), ("雷军", "1 of 14 documents")):
            await search(pilot, query)
            await settle(pilot)
            title = next(line for line in painted_text(doc_list(app)) if "document" in line)
            status = "".join(painted_text(app.main.query_one("#status")))
            assert f"─ {count} ─" in title and status.strip().startswith(count), (title, status)


def test_keys_are_named_as_printed_on_the_keyboard():
    """`+` showed as "plus" in the help and the palette (Textual names no character for it)."""
    from margin.tui.screens.dialogs import key_label

    assert key_label("plus,slash,minus,asterisk,ctrl+p,space") == "+, /, -, *, ctrl+p, space"


async def test_a_folder_never_seen_shows_results_first_and_its_chinese_names_after(tmp_path: Path, monkeypatch):
    """Issue 28: the first results do not wait for jieba's tagger; the status line says what is
    still being found, and the scan after the first results finds it."""
    import asyncio
    import threading

    from margin.search.entities import chinese_names
    from margin.search.library import Library

    corpus = tmp_path / "corpus"
    write(corpus, "en.md", "---\ntitle: Plain\npublished: 2024-01-01\n---\nTony Blair met Gordon Brown.\n")
    write(corpus, "zh.md", "---\ntitle: 会见\npublished: 2024-01-02\n---\n国家主席习近平在北京会见了美国总统拜登。\n")
    write(corpus, "empty.md", "")  # skipped: what opening says of it stays after the names come
    chinese_names._tagger.cache_clear()  # as in a reader that has not loaded it yet
    scan_allowed = threading.Event()
    opened = Library.open.__func__

    def held_back(cls, *args, **kwargs):
        if not kwargs.get("scan_later"):  # the scan after the first results waits for the test
            scan_allowed.wait(20)
        return opened(cls, *args, **kwargs)

    monkeypatch.setattr(Library, "open", classmethod(held_back))
    app = make_app(tmp_path, corpus)
    async with app.run_test(size=(120, 30)) as pilot:
        for _ in range(400):  # not settle(): the worker opening the index waits for the test
            status = "".join(painted_text(app.main.query_one("#status")))
            if doc_list(app).total == 2 and "2 documents" in status:
                break
            await asyncio.sleep(0.02)
        assert "names still being found (1 file)" in status
        # A query by entity says how much of the corpus its names cover so far.
        await pilot.press("slash", *'person:"Tony Blair"')
        for _ in range(400):
            status = "".join(painted_text(app.main.query_one("#status")))
            if "entities:" in status:
                break
            await asyncio.sleep(0.02)
        assert 'for person:"Tony Blair" · entities: 50 % of documents so far' in status
        app.query_one(SearchBox).value = ""
        for _ in range(400):
            if doc_list(app).total == 2:
                break
            await asyncio.sleep(0.02)
        await pilot.press("enter")
        await pilot.press("j")  # the second row: the list and the article stay on it when the names come
        for _ in range(400):
            if reader(app).document is not None and reader(app).document.document.doc_id == "en.md":
                break
            await asyncio.sleep(0.02)
        scan_allowed.set()
        await until(pilot, lambda: "still being found" not in "".join(painted_text(app.main.query_one("#status"))))
        assert shown_id(app) == "en.md" and any("Plain" in line for line in painted_text(reader(app)))
        assert "1 file skipped" in "".join(painted_text(app.main.query_one("#status")))
        await search(pilot, "会见")
        await pilot.press("enter")
        await settle(pilot)
        assert "习近平" in "".join(painted_text(sidebar(app)))
