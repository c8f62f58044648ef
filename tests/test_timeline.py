"""The results over time (issue 31): bars per period from each engine's date column, the two
groups apart, counts equal to the list's."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from margin.search.library import Library
from margin.search.timeline import timeline
from margin.tui.cli import main

from .conftest import write

pytestmark = pytest.mark.usefixtures("each_engine")

DATED = {
    "a.md": ("2024-01-03", "Oil prices rose as the cartel met."),
    "b.md": ("2024-01-20", "Oil output was cut again."),
    "c.md": ("2024-03-02", "Prices of grain fell."),
    "d.md": ("2024-03-30", "Oil prices and grain prices moved together."),
    "e.md": ("2024-06", "Oil, a month without a day."),
    "f.md": ("", "Undated oil notes and prices."),
}


@pytest.fixture
def library(tmp_path: Path) -> Library:
    for name, (published, text) in DATED.items():
        head = f"---\npublished: {published}\n---\n" if published else ""
        write(tmp_path / "c", name, f"{head}# {name}\n\n{text}")
    return Library.open(tmp_path / "c", tmp_path / "index")


def test_the_months_of_a_query_in_both_groups(library: Library):
    found = library.timeline("oil prices", by="month")
    assert [(b.start, b.every, b.some) for b in found.bars] == [
        ("2024-01-01", 1, 1), ("2024-02-01", 0, 0), ("2024-03-01", 1, 1), ("2024-04-01", 0, 0),
        ("2024-05-01", 0, 0), ("2024-06-01", 0, 1)]
    assert (found.undated_every, found.undated_some) == (1, 0)
    assert found.dated + found.undated == library.search("oil prices").total
    assert found.range_of(0, 2) == ("2024-01", "2024-03")
    weeks = library.timeline("oil prices", by="week")  # e.md's month is no week's: undated there
    assert (weeks.undated, weeks.dated) == (2, 4) and weeks.range_of(0, 0) == ("2024-01-01", "2024-01-07")
    narrowed = library.search(f"oil prices published:[{found.range_of(5, 5)[0]} to {found.range_of(5, 5)[1]}]")
    assert [r.doc_id for r in narrowed.rows] == ["e.md"]


def test_the_period_fits_the_span_and_every_document_counts(library: Library):
    found = library.timeline("")
    assert found.by == "week" and found.spans_months()
    assert found.dated + found.undated == len(DATED)
    assert library.timeline("grain", by="year").bars == timeline(
        {"2024-03-02": 1, "2024-03-30": 1}, {}, "year").bars


def test_the_command_line_counts_what_search_finds(library: Library, capsys: pytest.CaptureFixture[str]):
    """`margin timeline --json` against `margin search --json --limit 0`, counted apart."""
    args = ["--corpus", str(library.corpus), "--index", str(library.index_dir)]
    assert main(["timeline", *args, "--by", "month", "--json", "oil", "prices"]) == 0
    drawn = json.loads(capsys.readouterr().out)
    assert main(["search", *args, "--json", "--limit", "0", "oil", "prices"]) == 0
    found = json.loads(capsys.readouterr().out)
    assert drawn["dated"] + drawn["undated"]["total"] == found["total"]
    assert sum(b["every"] for b in drawn["bars"]) + drawn["undated"]["every"] == found["every_word"]
    assert main(["timeline", *args, "oil", "prices"]) == 0
    assert "4 dated results by week · every word █ · some █ · 2 undated" in capsys.readouterr().out
