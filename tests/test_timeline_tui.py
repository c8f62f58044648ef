"""The timeline strip above the list (issue 31): painted bars in two colours, a range chosen
with the keys, the query narrowed where it can be read, and escape taking it back."""

from __future__ import annotations

from pathlib import Path

import pytest

from margin.tui.widgets.legend import TermLegend
from margin.tui.widgets.searchbox import SearchBox
from margin.tui.widgets.timeline import TimelineStrip

from .conftest import write
from .tui_helpers import doc_list, make_app, painted_text, runs_with, settle, started

pytestmark = pytest.mark.usefixtures("each_engine")
MONTHS = ["2024-01-10", "2024-01-20", "2024-02-05", "2024-04-01", "2024-04-02", "2024-04-03"]


def dated_corpus(root: Path) -> Path:
    for i, day in enumerate(MONTHS):
        words = "oil prices rose" if i % 2 else "oil output fell"
        write(root, f"n{i}.md", f"---\npublished: {day}\n---\n# Story {i}\n\nThe {words} again this week.")
    write(root, "undated.md", "# Notes\n\nOil prices, undated.")
    return root


async def test_the_strip_draws_both_groups_and_narrows_to_a_range(tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    monkeypatch.delenv("NO_COLOR")  # the two groups are told apart by colour
    app = make_app(tmp_path, dated_corpus(tmp_path / "c"))
    async with app.run_test(size=(120, 30)) as pilot:
        await started(pilot)
        await pilot.press("slash", *"oil prices", "enter")
        await settle(pilot)
        strip = app.query_one(TimelineStrip)
        lines = painted_text(strip)
        assert strip.display and lines[2].split()[0] == "2024-01-08" and lines[2].split()[-1] == "2024-04-07"
        assert "by week · 1 undated" in lines[2] and any(c in "".join(lines[:2]) for c in "▁▂▃▄▅▆▇█")
        every = strip.get_component_rich_style("timeline--every").color.triplet
        some = strip.get_component_rich_style("timeline--some").color.triplet
        assert every != some
        assert runs_with(strip, lambda s: s.color is not None and s.color.triplet == every)
        assert runs_with(strip, lambda s: s.color is not None and s.color.triplet == some)
        await pilot.press("ctrl+g", "right", "shift+right")
        await settle(pilot)
        assert painted_text(strip)[2].startswith(" 2024-01-15–2024-01-28: 1 (1 every word)")
        await pilot.press("enter")
        await settle(pilot)
        assert app.query_one(SearchBox).value == "oil prices published:[2024-01-15 to 2024-01-28]"
        assert "1 with every word · 0 with some" in painted_text(doc_list(app))[0]
        assert strip.has_focus and strip.display  # the strip stays while it narrows the results
        await pilot.press("escape")
        await settle(pilot)
        assert app.query_one(SearchBox).value == "oil prices"


async def test_a_key_hides_the_strip_and_it_stays_hidden(tmp_path: Path):
    app = make_app(tmp_path, dated_corpus(tmp_path / "c"))
    async with app.run_test(size=(120, 30)) as pilot:
        await started(pilot)
        strip = app.query_one(TimelineStrip)
        assert strip.display
        await pilot.press("ctrl+t")
        await pilot.press("slash", *"oil", "enter")
        await settle(pilot)
        assert not strip.display and strip.region.height == 0
        assert doc_list(app).region.y == app.query_one(TermLegend).region.bottom  # the list took its rows
