"""Refine (issue 31): search within these results. The box holds `QUERY AND ` and the words typed
after it; the list's title shows the trail; backspace past the AND goes back to the query."""

from __future__ import annotations

from pathlib import Path

from margin.tui.widgets.searchbox import SearchBox

from .tui_helpers import doc_list, make_app, painted_text, search, settle, started


async def test_refining_narrows_shows_the_trail_and_backspace_goes_back(tmp_path: Path):
    app = make_app(tmp_path)
    async with app.run_test(size=(140, 40)) as pilot:
        await started(pilot)
        await search(pilot, "xiaomi")
        before = painted_text(doc_list(app))[0]
        await pilot.press("ctrl+f")
        box = app.query_one(SearchBox)
        assert box.has_focus and box.value == "xiaomi AND "
        await pilot.press(*"marketing")
        await settle(pilot)
        title = painted_text(doc_list(app))[0]
        assert "xiaomi › marketing ·" in title and title != before
        assert app.main.library.search("xiaomi AND marketing").total == doc_list(app).row_count
        await pilot.press("ctrl+f", *"lei")
        await settle(pilot)
        assert box.value == "xiaomi AND marketing AND lei" and "xiaomi › marketing › lei ·" in painted_text(doc_list(app))[0]
        await pilot.press(*["backspace"] * 3)
        await settle(pilot)
        assert box.value == "xiaomi AND marketing AND "
        await pilot.press("backspace")  # nothing typed after the AND: back to the query before
        await settle(pilot)
        assert box.value == "xiaomi AND marketing" and "xiaomi › marketing ·" in painted_text(doc_list(app))[0]
        await pilot.press(*["backspace"] * len("marketing"), "backspace")
        await settle(pilot)
        assert box.value == "xiaomi" and painted_text(doc_list(app))[0] == before
