"""Plain words are scored from Whoosh's posting blocks (engine.bm25): the scores and the order
must be Whoosh's own, on one segment and on several with deleted documents; an upgrade of Whoosh
that changes what bm25 reads fails here."""

from __future__ import annotations

from pathlib import Path

import pytest

from margin.search.engine.whoosh.bm25 import query_scores
from margin.search.engine.whoosh.translate import whoosh_query
from margin.search.library import Library

from .conftest import write

QUERIES = ["xiaomi", "lei jun", "xiaomi OR nvidia", "(xiaomi OR huawei) phone", "xiaomi -nvidia",
           "title:xiaomi", "marketing NOT phone"]


def whoosh_scores(library: Library, text: str) -> dict[int, float]:
    searcher = library._current().whoosh
    return dict(searcher.search(whoosh_query(library.parse(text).runnable), limit=None).items())


def test_scores_are_whooshs_on_the_bundled_corpus(bundled: Library):
    for text in QUERIES:
        ours = query_scores(bundled._current().whoosh, whoosh_query(bundled.parse(text).runnable))
        theirs = whoosh_scores(bundled, text)
        assert ours is not None and set(ours) == set(theirs), text
        if "NOT" not in text and "-" not in text:  # Whoosh adds 1.0 for each NOT it satisfies
            assert all(ours[d] == pytest.approx(theirs[d], rel=1e-12) for d in ours), text


def test_deleted_documents_in_other_segments_are_not_scored(tmp_path: Path):
    corpus = tmp_path / "c"
    for i in range(12):
        write(corpus, f"a{i:02}.md", f"# Story {i}\n\nThe dollar moved {'sharply ' * (i % 4)}today, story {i}.")
    Library.open(corpus, tmp_path / "ix").close()
    (corpus / "a03.md").unlink()
    write(corpus, "b00.md", "# Late\n\nA late dollar story, the dollar again.")
    library = Library.open(corpus, tmp_path / "ix")
    searcher = library._current().whoosh
    assert len(searcher.leaf_searchers()) > 1 and searcher.reader().has_deletions()
    ours = query_scores(searcher, whoosh_query(library.parse("dollar").runnable))
    theirs = whoosh_scores(library, "dollar")
    assert ours is not None and len(ours) == 12 and ours == pytest.approx(theirs, rel=1e-12)


def test_phrases_are_left_to_whoosh(bundled: Library):
    assert query_scores(bundled._current().whoosh, whoosh_query(bundled.parse('"lei jun"').runnable)) is None
