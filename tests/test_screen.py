"""What is painted matches the state: cursor, selection, pages of results, layout after a resize
under a dialog, themes, Chinese words. Each test reads the lines Textual would send to the
terminal (the widget's rendered strips, through its line cache), not the widgets' attributes."""

from __future__ import annotations

from pathlib import Path

import pytest

from margin.search import segments
from margin.tui import settings

from .conftest import write
from .tui_helpers import (
    doc_list,
    make_app,
    painted,
    painted_text,
    reader,
    runs_with,
    search,
    settle,
    shown_id,
    sidebar,
    started,
)

SIZE = (150, 45)


@pytest.fixture(autouse=True)
def colour(monkeypatch: pytest.MonkeyPatch) -> None:
    """Colours are what these tests read (the suite otherwise runs with NO_COLOR)."""
    monkeypatch.delenv("NO_COLOR", raising=False)


def reversed_words(app) -> list[str]:
    return runs_with(reader(app), lambda style: bool(style.reverse))


def selected_text(app) -> str:
    return " ".join(runs_with(reader(app), lambda style: style.bgcolor == reader(app).palette.selection.bgcolor)).split()


def cursor_word(app) -> str:
    view = reader(app)
    start, end = segments.words(view.body).at(view.cursor)
    return view.body[start:end]


async def open_article(pilot, query: str = "") -> None:
    await started(pilot)
    if query:
        await search(pilot, query)
    await pilot.press("enter")
    await settle(pilot)


async def test_word_and_sentence_motions_repaint_the_cursor(tmp_path: Path):
    app = make_app(tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        await open_article(pilot, "xiaomi")
        await pilot.press("n", "n", "n")
        for keys in (["w"], ["w"], ["right_parenthesis"], ["right_parenthesis"], ["h"], ["right_curly_bracket"]):
            await pilot.press(*keys)
            assert reversed_words(app) == [cursor_word(app)], keys  # one cursor, on the right word
        assert reader(app).palette.cursor.reverse


async def test_a_selection_over_three_lines_is_painted_as_it_grows_and_shrinks(tmp_path: Path):
    app = make_app(tmp_path)
    async with app.run_test(size=(110, 40)) as pilot:
        await open_article(pilot)
        view = reader(app)
        await pilot.press("v", *["w"] * 25)
        start, end = view.selection()
        assert view.line_of("body", end - 1) - view.line_of("body", start) >= 2  # three lines or more
        assert selected_text(app) == view.body[start:end].split()
        assert reversed_words(app) == []
        await pilot.press("h", "h", "h")
        start, end = view.selection()
        assert selected_text(app) == view.body[start:end].split()
        await pilot.press("escape")
        assert selected_text(app) == [] and reversed_words(app) == [cursor_word(app)]


async def test_a_mouse_drag_over_two_lines_paints_both(tmp_path: Path):
    app = make_app(tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        await open_article(pilot)
        view = reader(app)
        first = view.line_of("body", 0) - int(view.scroll_offset.y)
        await pilot.mouse_down(view, offset=(8, first + 1))
        await pilot.hover(view, offset=(20, first + 2))
        await pilot.mouse_up(view, offset=(20, first + 2))
        await settle(pilot)
        start, end = view.selection()
        assert view.line_of("body", end - 1) > view.line_of("body", start)
        assert selected_text(app) == view.body[start:end].split()


async def test_n_paints_the_new_current_hit_and_the_cursor_on_it(tmp_path: Path):
    app = make_app(tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        await open_article(pilot, "xiaomi")
        await pilot.press("tab")
        for _ in range(4):
            await pilot.press("n")
            view = reader(app)
            hit = view.hits[view.current_hit]
            current = runs_with(view, lambda style: style.bgcolor is not None and style.bgcolor.name == "#d7005f")
            assert current == [view.document.document.title[hit.start:hit.end] if hit.field == "title"
                               else view.body[hit.start:hit.end]]


def many_articles(tmp_path: Path) -> Path:
    """130 articles that every search for "the" finds: more than one page of results."""
    corpus = tmp_path / "many"
    for i in range(130):
        write(corpus, f"{i:03}.txt", f"Article number {i}\nThe body of article {i} says the same thing.")
    return corpus


async def test_j_loads_further_pages_and_the_reader_follows(tmp_path: Path):
    app = make_app(tmp_path, corpus=many_articles(tmp_path))
    async with app.run_test(size=(120, 40)) as pilot:
        await started(pilot)
        await search(pilot, "the")
        await pilot.press("enter")
        for _ in range(65):
            await pilot.press("j")
        await settle(pilot)
        documents = doc_list(app)
        assert documents.cursor == 65 and shown_id(app) == documents.rows[65].doc_id
        assert not any(line.strip("│ ") == "…" for line in painted_text(documents))
        assert any(documents.rows[65].title in line for line in painted_text(documents))


async def test_a_first_page_fills_the_pane_and_a_taller_one_loads_the_rest(tmp_path: Path):
    """The first page holds the rows the list shows and a few more (not a fixed 50): each row's
    snippet and hits is what a typed character waits for."""
    app = make_app(tmp_path, corpus=many_articles(tmp_path))
    async with app.run_test(size=(120, 30)) as pilot:
        await started(pilot)
        await search(pilot, "the")
        await settle(pilot)
        documents = doc_list(app)
        assert documents.page_size < 50 and len(documents.rows) == documents.page_size
        await pilot.resize_terminal(120, 130)
        await settle(pilot)
        lines = painted_text(documents)
        assert not any(line.strip("│ ") == "…" for line in lines)
        assert documents.rows_per_page() > documents.page_size  # the taller pane needed a second page
        last = documents.rows[documents.rows_per_page() - 1]
        assert any(last.title in line for line in lines)


async def test_resizing_under_a_dialog_lays_the_panes_out_for_the_new_size(tmp_path: Path):
    app = make_app(tmp_path)
    async with app.run_test(size=(55, 30)) as pilot:
        await started(pilot)
        for key in ("question_mark", "ctrl+p", "p"):
            await pilot.resize_terminal(55, 30)
            await settle(pilot)
            await pilot.press(key)
            await settle(pilot)
            await pilot.resize_terminal(160, 45)
            await settle(pilot)
            await pilot.press("escape")
            await settle(pilot)
            assert sidebar(app).display and reader(app).region.width > 40 and doc_list(app).region.width < 100, key
        await pilot.press("question_mark")
        await pilot.resize_terminal(55, 30)
        await settle(pilot)
        await pilot.press("escape")
        await settle(pilot)
        assert not sidebar(app).display and doc_list(app).region.width > 40 and reader(app).region.width == 0


async def test_escape_in_a_narrow_terminal_goes_from_the_article_back_to_the_list(tmp_path: Path):
    app = make_app(tmp_path)
    async with app.run_test(size=(55, 30)) as pilot:
        await open_article(pilot)
        assert reader(app).region.width > 0 and doc_list(app).region.width == 0
        await pilot.press("v", "escape")  # the first escape drops the selection
        assert reader(app).has_focus
        await pilot.press("escape")
        await settle(pilot)
        assert doc_list(app).has_focus and doc_list(app).region.width > 40


async def test_a_theme_repaints_the_article_and_is_restored_at_the_next_start(tmp_path: Path):
    app = make_app(tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        await open_article(pilot)
        before = {s.style.bgcolor for line in painted(reader(app)) for s in line if s.style and s.style.bgcolor}
        app.theme = "solarized-light"
        await settle(pilot)
        after = {s.style.bgcolor for line in painted(reader(app)) for s in line if s.style and s.style.bgcolor}
        assert before.isdisjoint(after - {reader(app).palette.selection.bgcolor})
    assert settings.load().theme == "solarized-light"
    again = make_app(tmp_path)
    async with again.run_test(size=SIZE) as pilot:
        await started(pilot)
        assert again.theme == "solarized-light"


async def test_a_broken_settings_file_is_named_and_the_reader_opens(tmp_path: Path):
    write(settings.settings_file().parent, settings.FILENAME, "theme: [unclosed\n")
    app = make_app(tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        await started(pilot)
        assert any(str(settings.settings_file()) in n.message for n in app._notifications)


CHINESE = ("比利时卫生部门24日说，8月5日该国新增新冠确诊病例，其中包括Lei Jun在布鲁塞尔（首都）的讲话。"
           "卫生部门表示，疫情仍在蔓延！专家建议民众减少外出？\n\n第二段落从这里开始。")


async def test_chinese_words_and_sentences(tmp_path: Path):
    corpus = tmp_path / "zh"
    write(corpus, "zh.md", f"---\ntitle: 比利时疫情\nlanguage: zh\n---\n{CHINESE}")
    app = make_app(tmp_path, corpus=corpus)
    async with app.run_test(size=(80, 30)) as pilot:
        await open_article(pilot)
        assert reversed_words(app) == ["比利时"]
        await pilot.press("w")
        assert reversed_words(app) == ["卫生部门"]
        await pilot.press("w", "w")
        assert reversed_words(app) == ["日"]
        await pilot.press("right_parenthesis")
        assert reversed_words(app) == ["卫生部门"]  # the sentence after the 。
        await pilot.press("right_parenthesis")
        assert reversed_words(app) == ["专家建议"]  # after the ！ (jieba's word)
        lines = [line.strip("│ ▌") for line in painted_text(reader(app))]
        assert not any(line[:1] in "，。！？）" for line in lines if line)


def gutter_marks(app) -> int:
    """Lines painted with the passage bar in the reader's gutter."""
    return sum(1 for line in painted_text(reader(app)) if line.lstrip("│").startswith("▌"))


async def test_passage_marks_are_painted_after_t_d_and_u(tmp_path: Path):
    app = make_app(tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        await open_article(pilot)
        assert gutter_marks(app) == 0
        await pilot.press("t", *"later", "enter")
        await settle(pilot)
        tagged = gutter_marks(app)
        assert tagged >= 1
        await pilot.press("d")
        await settle(pilot)
        assert gutter_marks(app) == 0
        await pilot.press("u")
        await settle(pilot)
        assert gutter_marks(app) == tagged


async def test_v_after_moving_away_from_the_hit_selects_where_the_cursor_is(tmp_path: Path):
    corpus = tmp_path / "long"
    write(corpus, "long.txt", "Long article\n" + "\n\n".join(f"Paragraph {i} says something about oil. " * 3
                                                              for i in range(120)))
    app = make_app(tmp_path, corpus=corpus)
    async with app.run_test(size=(100, 30)) as pilot:
        await open_article(pilot, "oil")
        await pilot.press("tab")
        view = reader(app)
        await pilot.press(*["right_curly_bracket"] * 40)  # far below the current hit
        cursor, top = view.cursor, view.scroll_offset.y
        await pilot.press("v")
        await settle(pilot)
        assert view.selection()[0] == segments.words(view.body).at(cursor)[0]
        assert abs(view.scroll_offset.y - top) <= 1 and reversed_words(app) == []  # the note line takes one
        assert selected_text(app) == view.body[slice(*view.selection())].split()


async def test_the_position_line_counts_what_fits_on_screen(tmp_path: Path):
    app = make_app(tmp_path)
    async with app.run_test(size=(56, 24)) as pilot:
        await open_article(pilot)
        position = app.main.query_one("#position").text
        assert position.endswith("%") and position != "0%"


async def test_the_meta_line_shows_a_hostile_file_name_harmlessly(tmp_path: Path):
    corpus = tmp_path / "c"
    write(corpus, "evil\x1b[2J.txt", "Title\nbody text")
    app = make_app(tmp_path, corpus=corpus)
    async with app.run_test(size=SIZE) as pilot:
        await open_article(pilot)
        text = "".join(painted_text(reader(app)))
        assert "evil\ufffd[2J.txt" in text and "\x1b" not in text


async def test_the_same_article_under_a_new_query_paints_the_new_hits(tmp_path: Path):
    """The reader keeps its wrapped lines when only the hits change (a 1 MB article took 160 ms to
    wrap again); the new hits must be painted and the old ones gone."""
    write(tmp_path / "one", "only.md", "# Only story\n\n" + "Alpha rises while beta falls. " * 40)
    app = make_app(tmp_path, corpus=tmp_path / "one")
    async with app.run_test(size=SIZE) as pilot:
        await open_article(pilot, "alpha")
        lit = lambda style: style.bgcolor is not None and style.bgcolor.name in {"#ffe066", "#d7005f"}  # noqa: E731
        assert set(runs_with(reader(app), lit)) == {"Alpha"}
        await search(pilot, "beta")
        await pilot.press("enter")
        await settle(pilot)
        assert set(runs_with(reader(app), lit)) == {"beta"}
