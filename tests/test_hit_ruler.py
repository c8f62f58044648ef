"""The hit ruler (issue 31): the reader's right column shows where the hits are in the whole
article, the current one brighter, and a click there scrolls to it; each list row shows a strip
of where its document's hits fall."""

from __future__ import annotations

from pathlib import Path

from margin.tui.widgets.hit_ruler import ruler_rows

from .conftest import write
from .tui_helpers import doc_list, make_app, painted_text, reader, search, settle, started


def test_rows_stand_for_equal_parts_of_the_article():
    rows = ruler_rows([(0, 1), (95, 0), (99, 0)], current_line=95, lines=100, height=10, top=0)
    assert [r.term for r in rows] == [1, None, None, None, None, None, None, None, None, 0]
    assert rows[9].current and [r.in_view for r in rows] == [True] * 1 + [False] * 9


def long_article(root: Path) -> Path:
    filler = "\n\n".join(f"Paragraph {i} says nothing much about anything at all, at some length." for i in range(300))
    write(root, "long.md", f"# A long story\n\n{filler}\n\nAt the very end the needle is found, and a needle again.")
    write(root, "short.md", "# Short\n\nA needle at the start, then hay.")
    return root


async def test_the_ruler_marks_hits_at_the_end_and_a_click_goes_there(tmp_path: Path):
    app = make_app(tmp_path, long_article(tmp_path / "c"))
    async with app.run_test(size=(120, 30)) as pilot:
        await started(pilot)
        await search(pilot, "needle")
        await pilot.press("enter")
        view = reader(app)
        for _ in range(3):
            await pilot.press("j")  # to the long article
            await settle(pilot)
            if view.document.document.doc_id == "long.md":
                break
        lines = painted_text(view)[1:-1]  # inside the border
        ruler = "".join(line[-3] for line in lines)
        assert ruler.rstrip()[-1] in "█▐" and set(ruler[: len(ruler) // 2]) <= {" "}  # hits at the end only
        assert "needle" not in "".join(lines)  # the top of the article: the ruler shows the hits below
        region = view.scrollable_content_region
        await pilot.click(view, offset=(region.x - view.region.x + region.width - 1, region.height))
        await settle(pilot)
        assert view.scroll_offset.y > 0 and "needle" in "".join(painted_text(view))


async def test_each_row_shows_where_its_hits_fall(tmp_path: Path):
    app = make_app(tmp_path, long_article(tmp_path / "c"))
    async with app.run_test(size=(120, 30)) as pilot:
        await started(pilot)
        await search(pilot, "needle")
        strips = [line.strip("│ ").split()[0] for line in painted_text(doc_list(app)) if " hit" in line]
        assert sorted(strips) == ["·······█", "█·······"], painted_text(doc_list(app))
