"""A colour per query term (issue 31): each word, phrase and name of the query lit in its own
colour in the reader, a legend under the search box with each term's hits in the article, and a
key that steps through one term's hits."""

from __future__ import annotations

from pathlib import Path

import pytest
from textual.color import Color
from textual.theme import BUILTIN_THEMES

from margin.search.library import Library
from margin.tui.palette import AA, contrast, palette_for
from margin.tui.term_colours import TERM_BACKGROUNDS
from margin.tui.widgets.legend import TermLegend
from margin.tui.widgets.reader import ReaderView

from .tui_helpers import make_app, painted_text, reader, runs_with, search, settle, started

QUERY = 'xiaomi prices "lei jun"'


@pytest.mark.usefixtures("each_engine")
def test_each_hit_knows_its_term(bundled: Library):
    results = bundled.search(QUERY)
    assert results.terms == ('"lei jun"', "xiaomi", "prices")
    document = bundled.document(results.rows[0].doc_id)
    assert document is not None
    seen = {(getattr(document.document, h.field)[h.start:h.end].casefold().rstrip("’s"), h.term)
            for h in bundled.hits(results.rows[0].doc_id, QUERY)}
    assert {("lei jun", 0), ("xiaomi", 1)} <= seen and all(t == 2 for w, t in seen if w.startswith("price"))


def test_every_term_colour_reads_on_every_theme():
    black = Color.parse("#000000")
    assert all(contrast(black, Color.parse(hue)) >= AA for hue in TERM_BACKGROUNDS)
    for theme in BUILTIN_THEMES.values():
        palette = palette_for(theme)
        assert len({str(s.bgcolor) for s in palette.terms}) == len(TERM_BACKGROUNDS)


async def reading_the_first_result(pilot) -> ReaderView:
    """The reader open on the first result for QUERY."""
    await started(pilot)
    await search(pilot, QUERY)
    await pilot.press("enter", "enter")
    await settle(pilot)
    return reader(pilot.app)


async def test_the_reader_lights_terms_apart_and_the_legend_counts_them(tmp_path: Path):
    app = make_app(tmp_path)
    async with app.run_test(size=(140, 40)) as pilot:
        view = await reading_the_first_result(pilot)
        hits = view.hits
        counts = [sum(h.term == n for h in hits) for n in range(3)]
        legend = painted_text(app.query_one(TermLegend))[0]
        library = app.main.library
        among = [library.search(q).total for q in ('"lei jun" xiaomi prices', 'xiaomi "lei jun"', 'prices "lei jun"')]
        assert legend.split() == ['"lei', 'jun"', f"{counts[0]}/{among[0]}", "·", "xiaomi", f"{counts[1]}/{among[1]}",
                                  "·", "prices", f"{counts[2]}/{among[2]}"]
        palette = view.palette
        by_term = {}
        for hit in hits[1:]:  # the first is the current hit, in its own colour
            line = view.line_text(view.line_of(hit.field, hit.start))
            by_term.setdefault(hit.term, {str(s.style.bgcolor) for s in line.spans if s.style.bgcolor})
        assert str(palette.term(0).bgcolor) in by_term[0] and str(palette.term(1).bgcolor) in by_term[1]
        assert palette.term(0).bgcolor != palette.term(1).bgcolor
        first = view.current_hit
        await pilot.press("number_sign")
        await settle(pilot)
        same = [i for i, h in enumerate(hits) if h.term == hits[first].term]
        assert view.current_hit == same[1] != first + 1  # past the other terms' hits, to its own next


@pytest.mark.usefixtures("each_engine")
def test_a_snippet_knows_the_term_of_each_hit_it_shows(bundled: Library):
    row = bundled.search(QUERY).rows[0]
    shown = [text.casefold() for text, is_hit in row.snippet.parts if is_hit]
    assert len(shown) == len(row.snippet.terms) > 0
    expected = {"lei jun": 0, "xiaomi": 1, "xiaomi’s": 1, "prices": 2, "price": 2}
    assert [expected[t] for t in shown] == list(row.snippet.terms)


async def test_a_term_chosen_from_the_legend_is_the_one_hash_follows(tmp_path: Path):
    app = make_app(tmp_path)
    async with app.run_test(size=(140, 40)) as pilot:
        view = await reading_the_first_result(pilot)
        await pilot.press("apostrophe", "apostrophe")  # the first term, then the second: xiaomi
        await settle(pilot)
        underlined = runs_with(app.query_one(TermLegend), lambda s: bool(s.underline))
        assert [run.strip() for run in underlined] == ["xiaomi"]
        start = view.current_hit
        await pilot.press("number_sign")
        await settle(pilot)
        assert view.hits[view.current_hit].term == 1
        assert view.current_hit == next(i for i, h in enumerate(view.hits) if h.term == 1 and i > start)
