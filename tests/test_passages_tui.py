"""Tagging passages in the reader, driven by keys and mouse as a user would."""

from __future__ import annotations

import shutil
from pathlib import Path

from textual.widgets import Input, TextArea

from margin.search import paths, segments
from margin.tui.screens.passages import PassageDialog, PassageList, PassagesScreen
from margin.tui.widgets.reader import GUTTER

from .tui_helpers import doc_list, make_app, reader, search, settle, shown_id, sidebar, started

SIZE = (150, 45)


def body(app) -> str:
    return reader(app).body


def sentence_after_first(app) -> tuple[int, int]:
    """The second sentence of the open article (where `)` puts the cursor)."""
    return segments.sentences(body(app)).all()[1]


async def open_reader(pilot) -> None:
    await started(pilot)
    await pilot.press("enter")
    await settle(pilot)


async def tag(pilot, *keys: str, tags: str = "", note: str = "") -> None:
    """Press keys that open the dialog, then type tags (and a note) and save."""
    await pilot.press(*keys)
    await settle(pilot)
    assert isinstance(pilot.app.screen, PassageDialog)
    if tags:
        await pilot.press(*tags)
    if note:
        pilot.app.screen.query_one(TextArea).text = note
    await pilot.press("ctrl+s")
    await settle(pilot)


async def test_v_and_sentence_motion_select_and_t_tags_the_selection(tmp_path: Path):
    app = make_app(tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        await open_reader(pilot)
        start, end = sentence_after_first(app)
        await pilot.press("right_parenthesis")
        assert reader(app).cursor == start
        await pilot.press("v", "right_parenthesis")
        assert reader(app).selection() == (start, end)
        line = reader(app).line_of("body", start)
        assert reader(app).palette.selection in [span.style for span in reader(app).line_text(line).spans]
        assert "selecting" in app.query_one("#passage-note").text
        await tag(pilot, "t", tags="stance, marketing")
        [passage] = app.main.passages.search()
        assert passage.anchor.exact == body(app)[start:end]
        assert passage.tags == ("marketing", "stance") and passage.doc_id == shown_id(app)
        assert reader(app).selection() is None
        assert reader(app).palette.passage in [span.style for span in reader(app).line_text(line).spans]
        assert reader(app).gutter_strip(line).text.startswith("▌")
        assert any(segment.style and segment.style.color == reader(app).palette.passage_mark.color
                   for segment in reader(app).gutter_strip(line))
        # The cursor is on the passage, so its tags show under the reader.
        assert "#marketing #stance" in app.query_one("#passage-note").text


async def test_word_motions_grow_and_shrink_a_selection(tmp_path: Path):
    app = make_app(tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        await open_reader(pilot)
        words = segments.words(body(app)).all()
        await pilot.press("v", "w", "w")
        assert reader(app).selection() == (words[0][0], words[2][1])
        await pilot.press("h")
        assert reader(app).selection() == (words[0][0], words[1][1])
        await pilot.press("escape")
        assert reader(app).selection() is None and app.main.passages.search() == []


async def test_t_tags_the_sentence_and_shift_t_the_paragraph(tmp_path: Path):
    app = make_app(tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        await open_reader(pilot)
        first_sentence = segments.sentences(body(app)).all()[0]
        first_paragraph = segments.paragraphs(body(app)).spans[0]
        await tag(pilot, "t", tags="one")
        await pilot.press("right_curly_bracket")
        await tag(pilot, "T", tags="two")
        by_tag = {p.tags: p.anchor for p in app.main.passages.search()}
        assert (by_tag[("one",)].start, by_tag[("one",)].end) == first_sentence
        second_paragraph = segments.paragraphs(body(app)).spans[1]
        assert (by_tag[("two",)].start, by_tag[("two",)].end) == second_paragraph
        assert first_paragraph != second_paragraph


async def test_escape_in_the_dialog_saves_nothing(tmp_path: Path):
    app = make_app(tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        await open_reader(pilot)
        await pilot.press("t")
        await settle(pilot)
        await pilot.press("i", "d", "e", "a", "escape")
        await settle(pilot)
        assert not isinstance(app.screen, PassageDialog)
        assert app.main.passages.search() == [] and reader(app).passages == []


async def test_edit_the_note_then_delete_and_undo(tmp_path: Path):
    app = make_app(tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        await open_reader(pilot)
        await tag(pilot, "t", tags="draft")
        [original] = app.main.passages.search()
        # t on a passage edits it: the dialog comes filled in.
        await pilot.press("t")
        await settle(pilot)
        assert app.screen.query_one("#tags", Input).value == "draft"
        app.screen.query_one(TextArea).text = "check the numbers\nagainst the filing"
        await pilot.press("ctrl+s")
        await settle(pilot)
        [edited] = app.main.passages.search()
        assert edited.id == original.id and edited.note == "check the numbers\nagainst the filing"
        assert "check the numbers against the filing" in app.query_one("#passage-note").text
        await pilot.press("d")
        await settle(pilot)
        assert app.main.passages.search() == [] and reader(app).passages == []
        await pilot.press("u")
        await settle(pilot)
        [restored] = app.main.passages.search()
        assert restored.uuid == original.uuid and restored.note == edited.note
        assert len(reader(app).passages) == 1


async def test_tags_complete_from_those_already_used(tmp_path: Path):
    app = make_app(tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        await open_reader(pilot)
        await tag(pilot, "t", tags="strategy")
        await pilot.press("right_parenthesis", "t")
        await settle(pilot)
        assert "#strategy" in str(app.screen.query(".hint").first().render())
        await pilot.press("s", "t", "r")
        await settle(pilot)
        await pilot.press("right")
        assert app.screen.query_one("#tags", Input).value == "strategy"
        await pilot.press("space", "f", "u")
        await settle(pilot)
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert sorted(p.tags for p in app.main.passages.search()) == [("fu", "strategy"), ("strategy",)]


async def test_passages_screen_filters_and_opens_the_article_at_the_passage(tmp_path: Path):
    app = make_app(tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        await open_reader(pilot)
        first_doc = shown_id(app)
        await tag(pilot, "right_parenthesis", "t", tags="stance")
        doc_list(app).focus()
        await pilot.press("j", "j", "enter")
        await settle(pilot)
        assert shown_id(app) != first_doc
        await tag(pilot, "t", tags="other")
        await pilot.press("p")
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, PassagesScreen) and len(screen.shown_rows()) == 2
        await pilot.press("slash", "#", "s", "t", "a")
        await settle(pilot)
        assert [row.passage.tags for row in screen.shown_rows()] == [("stance",)]
        [passage] = [p for p in app.main.passages.search() if p.tags == ("stance",)]
        assert passage.anchor.exact in str(screen.query_one("#full").render())
        await pilot.press("enter", "enter")
        await settle(pilot)
        assert not isinstance(app.screen, PassagesScreen)
        assert shown_id(app) == first_doc and doc_list(app).current.doc_id == first_doc
        assert reader(app).cursor == passage.anchor.start
        assert app.focused is reader(app)


async def test_passages_screen_deletes_with_undo(tmp_path: Path):
    app = make_app(tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        await open_reader(pilot)
        await tag(pilot, "t", tags="gone")
        await pilot.press("p")
        await settle(pilot)
        await pilot.press("d")
        assert app.main.passages.search() == [] and app.screen.shown_rows() == []
        await pilot.press("u")
        assert len(app.main.passages.search()) == 1 and len(app.screen.shown_rows()) == 1
        await pilot.press("escape")
        await settle(pilot)
        assert len(reader(app).passages) == 1


async def test_mouse_drag_selects_text_to_tag(tmp_path: Path):
    app = make_app(tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        await open_reader(pilot)
        view = reader(app)
        line = view.wrapped.first_body_line()
        y = view.styles.gutter.top + line - int(view.scroll_offset.y)
        x0 = view.styles.gutter.left + GUTTER
        await pilot.mouse_down(view, offset=(x0, y))
        await pilot.hover(view, offset=(x0 + 10, y))
        await pilot.mouse_up(view, offset=(x0 + 10, y))
        start = view.lines[line].start
        assert view.selection() == (start, start + 10)
        await tag(pilot, "t", tags="mouse")
        [passage] = app.main.passages.search()
        assert passage.anchor.exact == body(app)[start : start + 10].strip()


async def test_sidebar_lists_the_articles_tags_and_filters_by_one(tmp_path: Path):
    app = make_app(tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        await open_reader(pilot)
        doc_id = shown_id(app)
        await tag(pilot, "t", tags="funding")
        labels = [str(sidebar(app).get_option_at_index(i).prompt) for i in range(sidebar(app).option_count)]
        assert labels[:2] == ["Tags", "#funding  1 passage"]
        sidebar(app).focus()
        sidebar(app).highlighted = 1
        await pilot.press("enter")
        await settle(pilot)
        assert app.main.search.current_query == 'tag:"funding"'
        assert [row.doc_id for row in doc_list(app).rows.values()] == [doc_id]


async def test_deleted_article_orphans_its_passages_and_a_renamed_one_keeps_them(tmp_path: Path):
    corpus = tmp_path / "corpus"
    shutil.copytree(paths.bundled_corpus(), corpus)
    app = make_app(tmp_path, corpus)
    async with app.run_test(size=SIZE) as pilot:
        await open_reader(pilot)
        doc_id = shown_id(app)
        await tag(pilot, "t", tags="kept")
    (corpus / doc_id).rename(corpus / ("renamed-" + doc_id))
    app = make_app(tmp_path, corpus)
    async with app.run_test(size=SIZE) as pilot:
        await started(pilot)
        await settle(pilot)  # the folder is scanned once the first results are shown
        assert "1 passage followed their renamed article" in app.query_one("#status").text
        [passage] = app.main.passages.search()
        assert passage.doc_id == "renamed-" + doc_id and not passage.orphan
    text = (corpus / ("renamed-" + doc_id)).read_text(encoding="utf-8")
    (corpus / ("renamed-" + doc_id)).unlink()
    app = make_app(tmp_path, corpus)
    async with app.run_test(size=SIZE) as pilot:
        await started(pilot)
        await settle(pilot)
        assert "1 passage no longer found in their article" in app.query_one("#status").text
        await pilot.press("p")
        await settle(pilot)
        assert app.screen.shown_rows()[0].passage.orphan
        assert "ORPHAN" in app.screen.query_one(PassageList).render_line(0).text
        await pilot.press("a")  # nowhere to go yet: it stays an orphan
        assert app.main.passages.store.orphans()
        # The text comes back, edited, under a third name: re-attach finds the quote there.
        (corpus / "back.md").write_text(text.replace("\n\n", "\n\nAn added paragraph.\n\n", 1), encoding="utf-8")
    app = make_app(tmp_path, corpus)
    async with app.run_test(size=SIZE) as pilot:
        await started(pilot)
        assert len(app.main.passages.store.orphans()) == 1  # a changed text is not taken for the same article
        await pilot.press("p")
        await settle(pilot)
        await pilot.press("a")
        [passage] = app.main.passages.search()
        assert passage.doc_id == "back.md" and not passage.orphan


async def test_the_cursor_follows_hits_so_t_tags_the_sentence_of_a_hit(tmp_path: Path):
    app = make_app(tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        await started(pilot)
        await search(pilot, "heatwave")
        await pilot.press("enter", "enter")
        await settle(pilot)
        view = reader(app)
        body_hits = [h for h in view.hits if h.field == "body"]
        while view.hits[view.current_hit].field != "body":
            await pilot.press("n")
        hit = view.hits[view.current_hit]
        assert view.cursor == hit.start and hit in body_hits
        await tag(pilot, "t", tags="weather")
        [passage] = app.main.passages.search()
        assert passage.anchor.start <= hit.start < passage.anchor.end
        assert "heatwave" in passage.anchor.exact.lower()


async def test_a_busy_database_keeps_the_dialog_and_what_was_typed_until_the_save_goes_through(tmp_path: Path, monkeypatch):
    """Issue 25: with another process holding the write lock, the dialog and the typed tags were gone."""
    import sqlite3

    from textual.widgets import Label

    from .tui_helpers import painted_text

    monkeypatch.setattr("margin.search.userdata.database.BUSY_SECONDS", 0.2)
    app = make_app(tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        await open_reader(pilot)
        other = sqlite3.connect(tmp_path / "user.sqlite", isolation_level=None)
        other.execute("BEGIN IMMEDIATE")  # another margin writing
        await pilot.press("t")
        await settle(pilot)
        await pilot.press(*"kept")
        await pilot.press("ctrl+s")
        await settle(pilot)
        dialog = app.screen
        assert isinstance(dialog, PassageDialog)
        assert dialog.query_one("#tags", Input).value == "kept"
        problem = " ".join(painted_text(dialog.query_one("#problem", Label)))
        assert "Not saved" in problem and "locked" in problem, problem
        other.execute("ROLLBACK")
        other.close()
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert not isinstance(app.screen, PassageDialog)
        assert [p.tags for p in app.main.passages.search()] == [("kept",)]


async def test_a_reader_started_while_the_database_was_locked_tags_once_it_is_free(tmp_path: Path):
    from margin.tui.app import MarginApp

    app = MarginApp(paths.bundled_corpus(), tmp_path / "index", None, None, "database is locked; passages are off")
    async with app.run_test(size=SIZE) as pilot:
        await open_reader(pilot)
        await tag(pilot, "t", tags="later")
        assert [p.tags for p in app.main.passages.search()] == [("later",)]


async def test_g_and_G_move_the_cursor_with_the_view_so_t_tags_what_is_shown(tmp_path: Path):
    """Issue 26: g/G scrolled without moving the word cursor, so `G t` tagged the first sentence."""
    from .conftest import write

    root = tmp_path / "corpus"
    long = "\n\n".join(f"Paragraph {n} says something about topic {n}. It has a second sentence here." for n in range(1, 120))
    write(root, "b.md", "---\ntitle: Beta article\n---\n" + long)
    app = make_app(tmp_path, root)
    async with app.run_test(size=SIZE) as pilot:
        await open_reader(pilot)
        await pilot.press("j", "j", "j")
        await tag(pilot, "G", "t", tags="last")
        [passage] = app.main.passages.search()
        assert passage.anchor.exact == "It has a second sentence here."
        assert passage.anchor.start > len(body(app)) - 40
        await pilot.press("g")
        await settle(pilot)
        assert reader(app).cursor == 0 and reader(app).scroll_offset.y == 0


def _rgb(color):
    """A rich colour as Textual's, for the contrast checks."""
    from textual.color import Color

    return Color.parse(color.triplet.hex)


def test_every_span_is_readable_in_every_bundled_theme():
    """Issue 26: textual-light and solarized-light kept the dark green passage background under
    dark text (1.7:1). Text stands at 4.5:1 or more on what it is drawn on, in every theme (on a
    passage, as far as the theme's own text allows: solarized-dark's stands at 4.75:1)."""
    from textual.theme import BUILTIN_THEMES

    from margin.tui.palette import AA, contrast, palette_for

    for name, theme in BUILTIN_THEMES.items():
        p = palette_for(theme)
        passage = _rgb(p.passage.bgcolor)
        for style in (p.hit, p.current, p.selection):
            assert contrast(_rgb(style.color), _rgb(style.bgcolor)) >= AA, (name, style)
        assert contrast(p.text, passage) >= min(AA, 0.92 * contrast(p.text, p.background)), name
        for kind, style in p.entity.items():
            for ground in (p.background, passage):
                assert contrast(_rgb(style.color), ground) >= AA, (name, kind)
        for style in (p.star, p.dot, p.tag):
            assert contrast(_rgb(style.color), p.background) >= AA, (name, style)


async def test_a_light_theme_paints_passages_and_names_in_its_own_colours(tmp_path: Path):
    from margin.tui.palette import contrast

    app = make_app(tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        app.theme = "textual-light"
        await open_reader(pilot)
        await tag(pilot, "t", tags="light")
        line = reader(app).line_of("body", reader(app).cursor)
        backgrounds = {s.style.bgcolor for s in reader(app).line_text(line).spans if s.style.bgcolor}
        assert reader(app).palette.passage.bgcolor in backgrounds
        assert contrast(reader(app).palette.text, _rgb(reader(app).palette.passage.bgcolor)) >= 4.5
