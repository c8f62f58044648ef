"""Re-anchoring passages after the article changed: a table of edits, and a property test."""

from __future__ import annotations

from difflib import SequenceMatcher

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from margin.search import paths
from margin.search.passages.anchoring import anchor_for, place
from margin.search.readers.documents import read_document

ROOT = paths.bundled_corpus()
TEXT = read_document(ROOT, ROOT / "000-lei-jun-marketing-nauseous.md").body
QUOTE = "Now, whenever I hear the word 'marketing,' I feel a bit nauseous."
START = TEXT.index(QUOTE)
ANCHOR = anchor_for(TEXT, START, START + len(QUOTE))


def edited(text: str, at: int, remove: int = 0, insert: str = "") -> str:
    return text[:at] + insert + text[at + remove :]


EDITS = [
    ("unchanged", TEXT, "position", QUOTE),
    ("words inserted before", edited(TEXT, 100, insert="Breaking: a new paragraph. " * 3), "quote", QUOTE),
    ("words deleted before", edited(TEXT, 50, remove=40), "quote", QUOTE),
    ("a word inserted inside", TEXT.replace("I feel a bit", "I feel quite a bit"), "fuzzy",
     "Now, whenever I hear the word 'marketing,' I feel quite a bit nauseous."),
    ("case changed", TEXT.replace(QUOTE, QUOTE.upper()), "fuzzy", None),
    ("sentence moved to the end", TEXT.replace(QUOTE, "") + " " + QUOTE, "quote", QUOTE),
    ("a long sentence inserted inside", TEXT.replace("I feel a bit", "I feel (he said at length, to a room of "
     "reporters and analysts gathered in Beijing) a bit"), "fuzzy", None),
    ("its first words cut", TEXT.replace("Now, whenever", ""), "fuzzy", None),
    ("most of it deleted", TEXT.replace(QUOTE[:50], ""), None, None),
    ("passage deleted", TEXT.replace(QUOTE, ""), None, None),
    ("whole text replaced", "Something else entirely. " * 200, None, None),
]


@pytest.mark.parametrize("name, text, method, expected", EDITS, ids=[e[0] for e in EDITS])
def test_edits(name, text, method, expected):
    placement = place(text, ANCHOR)
    if method is None:
        assert placement is None
        return
    assert placement is not None and placement.method == method
    if expected is not None:
        assert text[placement.start : placement.end] == expected


def test_duplicate_elsewhere_keeps_the_original_by_its_context():
    text = QUOTE + " (quoted again) " + edited(TEXT, 10, insert="x" * 15)
    placement = place(text, ANCHOR)
    assert placement.method == "quote" and placement.start == START + 15 + len(QUOTE) + 16


def test_case_changed_is_placed_on_the_same_words_but_flagged():
    text = TEXT.replace(QUOTE, QUOTE.upper())
    placement = place(text, ANCHOR)
    assert not placement.exact and text[placement.start : placement.end].lower() == QUOTE.lower()


@settings(max_examples=200, deadline=None)
@given(st.integers(0, len(TEXT) - 1), st.integers(1, 200), st.lists(
    st.tuples(st.integers(0, len(TEXT)), st.integers(0, 30), st.text(max_size=20)), max_size=4))
def test_random_edits_never_place_silently_on_different_text(start, length, edits):
    end = min(len(TEXT), start + length)
    anchor = anchor_for(TEXT, start, end)
    text = TEXT
    for at, remove, insert in edits:
        text = edited(text, min(at, len(text)), remove, insert)
    placement = place(text, anchor)
    if placement is not None and placement.exact:
        assert text[placement.start : placement.end] == anchor.exact
    if placement is not None and not placement.exact:  # flagged, and mostly the quote's own text
        found = SequenceMatcher(None, text[placement.start : placement.end], anchor.exact, autojunk=False)
        matched = sum(block.size for block in found.get_matching_blocks())
        assert matched >= 0.5 * len(anchor.exact) and abs(placement.similarity - matched / len(anchor.exact)) < 0.01


def test_a_very_long_quote_is_placed_exactly_or_orphaned_at_once(monkeypatch):
    """Approximate matching is quadratic in the quote's length (20,000 characters: 4 s; an orphaned
    1 MB quote took hours on every opening): past FUZZY_QUOTE it is not tried."""
    from margin.search.passages import anchoring

    monkeypatch.setattr(anchoring, "_by_approximation", lambda *a: pytest.fail("approximate matching tried"))
    text = " ".join(f"word{i}" for i in range(20_000))  # no phrase repeats
    anchor = anchor_for(text, 1_000, 1_000 + anchoring.FUZZY_QUOTE + 1)
    assert place(text[:3_000] + " edited " + text[3_000:], anchor) is None
    placed = place("An added first line. " + text, anchor)
    assert placed is not None and placed.method == "quote" and placed.start == 1_021
