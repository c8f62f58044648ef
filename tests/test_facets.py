"""Facets over the results (issue 31): the entities, sources, authors and folders of a result
set, counted by each engine's columns; each count is what searching with the facet finds."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from margin.search.library import Library
from margin.tui.cli import main
from margin.tui.widgets.sidebar import EntitySidebar

from .conftest import write
from .tui_helpers import highlight, make_app, painted_text, search, settle, started

pytestmark = pytest.mark.usefixtures("each_engine")

STORIES = {
    "energy/a.md": ("Reuters", "Ann Lee", "Oil prices rose after Saudi Arabia cut output, said Ali Naimi in Riyadh."),
    "energy/b.md": ("Reuters", "Ann Lee", "Oil traders in London watched Saudi Arabia and OPEC closely."),
    "energy/gas/c.md": ("Bloomberg", "Bo Chan", "Gas and oil output fell in Norway, Statoil said on Monday."),
    "markets/d.md": ("Bloomberg", "", "Oil shares lifted the London market as prices recovered."),
    "markets/e.md": ("Reuters", "", "Coffee prices fell in London as Brazil's harvest grew."),
}


@pytest.fixture
def library(tmp_path: Path) -> Library:
    for name, (source, author, text) in STORIES.items():
        write(tmp_path / "c", name, f"---\nsource: {source}\nauthor: {author}\n---\n# {name}\n\n{text}")
    return Library.open(tmp_path / "c", tmp_path / "index")


def test_each_facet_counts_what_searching_with_it_finds(library: Library):
    facets = library.facets("oil")
    by_kind = {(f.kind, f.value): (f.in_results, f.in_corpus) for f in facets}
    assert by_kind[("source", "Reuters")] == (2, 3) and by_kind[("source", "Bloomberg")] == (2, 2)
    assert by_kind[("path", "energy")] == (3, 3) and by_kind[("path", "energy/gas")] == (1, 1)
    assert by_kind[("author", "Ann Lee")] == (2, 2) and by_kind[("place", "London")] == (2, 3)
    for facet in facets:
        assert library.search(f"oil {facet.clause}").total == facet.in_results, facet
        assert library.search(facet.clause).total == facet.in_corpus, facet
    assert library.search('oil -path:"energy"').total == 4 - by_kind[("path", "energy")][0]


def test_the_command_line_prints_them(library: Library, capsys: pytest.CaptureFixture[str]):
    args = ["--corpus", str(library.corpus), "--index", str(library.index_dir)]
    assert main(["facets", *args, "--json", "oil"]) == 0
    printed = json.loads(capsys.readouterr().out)["facets"]
    assert {"value": "Reuters", "in_results": 2, "in_corpus": 3, "query": 'source:"Reuters"'} in printed["source"]
    assert main(["search", *args, "--json", "--limit", "0", 'oil source:"Reuters"']) == 0
    assert json.loads(capsys.readouterr().out)["total"] == 2
    assert main(["facets", *args, "oil"]) == 0
    assert "Sources\n  Bloomberg  2 of 2\n  Reuters  2 of 3" in capsys.readouterr().out


async def test_the_sidebar_shows_the_results_facets_and_narrows_to_one(library: Library, tmp_path: Path):
    app = make_app(tmp_path / "app", library.corpus)
    async with app.run_test(size=(140, 40)) as pilot:
        await started(pilot)
        await search(pilot, "oil")
        bar = app.query_one(EntitySidebar)
        bar.focus()
        await pilot.press("f")
        await settle(pilot)
        lines = [line.strip("│ ") for line in painted_text(bar)]
        assert "Results · 4 documents" in lines[0] and "Sources" in lines and "Folders" in lines
        assert any(line.startswith("Reuters  2 of 3") for line in lines)
        highlight(bar, "source\tReuters")
        await pilot.press("enter")
        await settle(pilot)
        assert app.main.search_box.value == 'oil source:"Reuters"'
        assert "Results · 2 documents" in painted_text(bar)[0]
        highlight(bar, "path\tenergy")
        await pilot.press("minus")
        await settle(pilot)
        assert app.main.search_box.value == 'oil source:"Reuters" -path:"energy"'
        await pilot.press("f")
        await settle(pilot)
        assert "entit" in painted_text(bar)[0]  # this article's entities again


def test_the_users_tags_are_facets_too(library: Library, tmp_path: Path):
    from margin.search.userdata.database import UserData
    from margin.search.userdata.reading import ReadingStore

    library.reading = ReadingStore(UserData(tmp_path / "user.sqlite"), str(library.corpus))
    library.reading.change_many(["energy/a.md", "markets/d.md", "markets/e.md"], "tag", "later")
    tags = [f for f in library.facets("oil") if f.kind == "tag"]
    assert [(f.value, f.in_results, f.in_corpus, f.clause) for f in tags] == [("later", 2, 3, 'tag:"later"')]
    assert library.search('oil tag:"later"').total == 2
