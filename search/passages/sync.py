"""Keeping passages attached to the corpus as its files change, move and disappear.

The passage store knows quotes and offsets; the library knows which articles exist and what they
say. This module joins the two: a passage whose article is gone becomes an orphan; an orphan
whose exact article text reappears under another name (a renamed file) is attached to it again;
and a reader's "re-attach" looks for the quote anywhere in the corpus.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from margin.search.index.corpus import sha1_bytes
from margin.search.passages.store import Passage, PassageStore
from margin.search.query.terms import words_of

if TYPE_CHECKING:  # the library imports Whoosh; the store works without it
    from margin.search.index.indexing import UpdateReport
    from margin.search.library import Library

QUOTE_WORDS = 8  # a phrase of this many of the quote's words finds the candidate articles
CANDIDATES = 20


@dataclass(frozen=True)
class PlacedPassage:
    """A passage where it is in the article now; `exact` is False when the text there differs."""

    passage: Passage
    start: int
    end: int
    exact: bool


def text_sha1(text: str) -> str:
    """The hash of an article's text that a passage keeps, to recognise the same text elsewhere."""
    return sha1_bytes(text.encode("utf-8"))


def placed_in(store: PassageStore, doc_id: str, text: str) -> tuple[list[PlacedPassage], int]:
    """The document's passages placed in its current text, and how many became orphans just now."""
    placed, orphaned = [], 0
    for passage, placement in store.reanchor(doc_id, text, text_sha1(text)):
        if placement is None:
            orphaned += not passage.orphan
        else:
            placed.append(PlacedPassage(passage, placement.start, placement.end, placement.exact))
    placed.sort(key=lambda p: (p.start, p.end))
    return placed, orphaned


def reconcile(library: Library, store: PassageStore, report: UpdateReport | None = None) -> tuple[int, int]:
    """After an index update: place the passages of changed articles again, orphan those of
    deleted ones (or that no longer fit), and re-attach orphans to renamed articles.

    Returns (orphaned, re-attached). Nothing is read when the update changed nothing; renames
    show up as a removed and an added file, so the search for a new home runs only then.
    `report` is the update (the library's own, made when it opened, unless given: a live update).
    """
    report = report or library.report
    if not (report.added or report.changed or report.removed or report.rebuilt):
        return 0, 0
    orphaned = 0
    for doc_id in store.placed_doc_ids():
        stored = library.document(doc_id)
        if stored is None:
            orphaned += store.orphan_document(doc_id)
        else:
            orphaned += placed_in(store, doc_id, stored.document.body)[1]
    relinked = 0
    if report.added or report.rebuilt:
        for passage in store.orphans():
            if find_home(library, store, passage, same_text=True) is not None:
                relinked += 1
    return orphaned, relinked


def find_home(library: Library, store: PassageStore, passage: Passage, *, same_text: bool = False) -> Passage | None:
    """Attach an orphan to an article holding its quote exactly (with `same_text`, only to an
    article whose whole text is the one it was tagged in). Returns the re-attached passage."""
    for doc_id in _candidates(library, passage.anchor.exact):
        stored = library.document(doc_id)
        if stored is None:
            continue
        body = stored.document.body
        digest = text_sha1(body)
        if same_text and digest != passage.doc_sha1:
            continue
        relinked = store.relink(passage.id, doc_id, body, digest, exact_only=True)
        if relinked is not None:
            return relinked
    return None


def _candidates(library: Library, quote: str) -> list[str]:
    """Articles holding the quote's first words as a phrase, cut as the index cut them: a split at
    the apostrophe of `NVIDIA’s` made "NVIDIA s", which no article holds."""
    words = words_of(quote)[:QUOTE_WORDS]
    if not words:
        return []
    results = library.search('"' + " ".join(words) + '"', page_size=CANDIDATES, suggest=False)
    return [row.doc_id for row in results.rows]
