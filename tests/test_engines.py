"""Both engines answer alike: the same documents, groups, counts and hits for the same queries on
a real corpus, and an index moves from one engine to the other without losing anything."""

from __future__ import annotations

import os
import random
from collections.abc import Iterator
from pathlib import Path

import pytest

from margin.search.engine.api import ENGINES
from margin.search.library import Library
from margin.search.passages.service import open_library
from margin.search.query.terms import words_of
from margin.search.userdata.database import UserData

from .conftest import SHARED_DATA

BBC = SHARED_DATA / "bbc-news" / "business"


@pytest.fixture(scope="module")
def both(tmp_path_factory: pytest.TempPathFactory) -> Iterator[dict[str, Library]]:
    libraries = {engine: Library.open(BBC, tmp_path_factory.mktemp(engine), engine=engine) for engine in ENGINES}
    yield libraries
    for library in libraries.values():
        library.close()


def generated_queries(library: Library, count: int) -> list[str]:
    """Queries of every kind in the query table, made of the corpus's own words and names."""
    rng = random.Random(13)
    rows = library.search("", page_size=80).rows
    texts = [stored.document.body for row in rows if (stored := library.document(row.doc_id))]
    runs = [[w for w in words_of(text) if w.isalpha()] for text in texts]
    words = [w.lower() for run in runs for w in run if len(w) > 3]
    names = [e.name for e in library.entities.counts()[:60]]
    kinds = {
        "word": lambda: rng.choice(words),
        "two": lambda: f"{rng.choice(words)} {rng.choice(words)}",
        "question": lambda: " ".join(rng.sample(words, 5)),
        "and": lambda: f"{rng.choice(words)} AND {rng.choice(words)}",
        "or": lambda: f"{rng.choice(words)} OR {rng.choice(words)}",
        "not": lambda: f"{rng.choice(words)} -{rng.choice(words)}",
        "phrase": lambda: _phrase(rng, runs, 0),
        "near": lambda: _phrase(rng, runs, 1),
        "prefix": lambda: rng.choice(words)[:4] + "*",
        "wildcard": lambda: (w := rng.choice(words))[:2] + "?" + w[3:5] + "*",
        "fuzzy": lambda: rng.choice(words) + rng.choice(["~", "~2"]),
        "title": lambda: f"title:{rng.choice(words)}",
        "group": lambda: f"({rng.choice(words)} OR {rng.choice(words)}) {rng.choice(words)}",
        "entity": lambda: f'entity:"{rng.choice(names)}"',
        "entity and word": lambda: f'entity:"{rng.choice(names)}" {rng.choice(words)}',
        "required": lambda: f"+{rng.choice(words)} {rng.choice(words)}",
        "not alone": lambda: f"NOT {rng.choice(words)}",
    }
    made = [make() for _ in range(count // len(kinds) + 1) for make in kinds.values()]
    return made[:count]


def _phrase(rng: random.Random, runs: list[list[str]], gap: int) -> str:
    run = rng.choice([r for r in runs if len(r) > 6])
    at = rng.randrange(len(run) - 3)
    words = run[at : at + 2] if not gap else [run[at], run[at + 2]]
    return f'"{" ".join(words)}"' + (f"~{gap + 1}" if gap else "")


@pytest.mark.skipif(not BBC.is_dir(), reason="shared data not beside the checkout")
def test_both_engines_find_the_same_documents(both: dict[str, Library]):
    queries = generated_queries(both["whoosh"], 340)
    differ = []
    for text in queries:
        answers = [both[engine].search(text, page_size=1000, suggest=False, copies=True) for engine in ENGINES]
        shapes = [(r.total, r.every_word, r.problem, sorted((row.doc_id, row.every_word, row.hit_count) for row in r.rows))
                  for r in answers]
        if shapes[0] != shapes[1]:
            differ.append(f"{text!r}: whoosh {shapes[0][:2]}, tantivy {shapes[1][:2]}")
    assert sum(1 for q in queries if both["whoosh"].search(q, page_size=1, suggest=False).total) > 250
    assert not differ, f"{len(differ)} of {len(queries)} queries differ: " + "; ".join(differ[:8])


@pytest.mark.skipif(not BBC.is_dir(), reason="shared data not beside the checkout")
def test_both_engines_count_and_light_up_alike(both: dict[str, Library]):
    whoosh, tantivy = both["whoosh"], both["tantivy"]
    assert whoosh.entities.counts()[:40] == tantivy.entities.counts()[:40]
    first = whoosh.search("oil prices", page_size=5).rows[0].doc_id
    assert whoosh.hits(first, "oil prices") == tantivy.hits(first, "oil prices") != []
    assert whoosh.appearing_with("Yukos")[:10] == tantivy.appearing_with("Yukos")[:10] != []
    assert whoosh.search("", page_size=1).documents == tantivy.search("", page_size=1).documents == 510


def test_switching_engines_rebuilds_and_keeps_passages(tmp_path: Path, corpus: Path,
                                                       monkeypatch: pytest.MonkeyPatch):
    """An index built by one engine, opened after switching the default: one rebuild, said once,
    and the user's passages and reading state still there."""
    index = tmp_path / "index"
    userdata = UserData(tmp_path / "user.sqlite")
    opened = open_library(corpus, index, userdata)
    assert opened.library.report.engine == "whoosh" and opened.passages and opened.reading
    stored = opened.library.document("one.md")
    assert stored is not None
    at = stored.document.body.index("alpha")
    opened.passages.tag(stored.document, at, at + 5, ("later",), "")
    opened.reading.set_read("one.md", True)
    opened.library.close()

    monkeypatch.setenv("MARGIN_ENGINE", "tantivy")
    opened = open_library(corpus, index, userdata)
    report = opened.library.report
    assert report.engine == "tantivy"
    assert report.rebuilt == "index built with whoosh, tantivy asked for; passages and reading state are kept"
    assert opened.passages and [p.passage.anchor.exact for p in opened.passages.listing()] == ["alpha"]
    assert [r.doc_id for r in opened.library.search("tag:later").rows] == ["one.md"]
    assert [r.doc_id for r in opened.library.search("is:read").rows] == ["one.md"]
    opened.library.close()

    monkeypatch.delenv("MARGIN_ENGINE")  # auto keeps the engine the index has: no second rebuild
    with Library.open(corpus, index) as library:
        assert (library.report.engine, library.report.rebuilt) == ("tantivy", None)


def _long_corpus(root: Path) -> Path:
    """Enough text that tantivy's stored documents span many blocks (and pass the fingerprints' 8 KB)."""
    rng = random.Random(1)
    words = "alpha beta gamma delta rocket launch market price oil bank share profit growth".split()
    for i in range(300):
        body = " ".join(rng.choice(words) + str(rng.randrange(999)) for _ in range(300))
        (root / f"{i:03}.md").parent.mkdir(parents=True, exist_ok=True)
        (root / f"{i:03}.md").write_text(f"# Title {i}\n{body}", encoding="utf-8")
    return root


def _damage(path: Path, *, keep_stat: bool) -> None:
    """4,000 bytes overwritten in the middle; with `keep_stat`, size and mtime as they were."""
    st = path.stat()
    with open(path, "r+b") as file:
        file.seek(st.st_size // 2)
        file.write(b"\xff" * 4000)
    if keep_stat:
        os.utime(path, ns=(st.st_atime_ns, st.st_mtime_ns))


def test_a_tantivy_segment_changed_outside_margin_is_rebuilt_at_opening(tmp_path: Path):
    corpus, index = _long_corpus(tmp_path / "c"), tmp_path / "ix"
    Library.open(corpus, index, engine="tantivy").close()
    _damage(next((index / "tantivy").glob("*.idx")), keep_stat=False)
    with Library.open(corpus, index) as library:
        assert library.report.rebuilt == "index files were changed or damaged outside margin"
        assert library.report.engine == "tantivy"  # a rebuild keeps the engine the index had
        assert library.search("title", page_size=1).total == 300


def test_tantivy_damage_met_by_a_search_rebuilds_once_and_answers(tmp_path: Path):
    """Damage no stat can see (bytes changed in place): the search that meets it rebuilds the
    index with the same engine, answers, and says so once."""
    corpus, index = _long_corpus(tmp_path / "c"), tmp_path / "ix"
    Library.open(corpus, index, engine="tantivy").close()
    _damage(next((index / "tantivy").glob("*.store")), keep_stat=True)
    with Library.open(corpus, index) as library:
        assert library.report.rebuilt is None
        results = library.search("", page_size=300)
        assert len(results.rows) == 300
        assert len(results.index_notices) == 1 and results.index_notices[0].startswith("the index was damaged")
        assert library.ix.engine == "tantivy"
        assert library.search("", page_size=300).index_notices == []


def test_a_sloppy_phrase_of_a_repeated_word_needs_two_occurrences(both: dict[str, Library]):
    """tantivy's own slop let "oil oil"~5 match one "oil"; margin's spacing asks for two."""
    counts = {engine: [library.search(q, page_size=1, suggest=False).total
                       for q in ('"oil oil"~5', '"the the"~3', '"as as"~2', '"oil prices"~3')]
              for engine, library in both.items()}
    assert counts["whoosh"] == counts["tantivy"]
    assert counts["tantivy"][0] < both["tantivy"].search("oil", page_size=1, suggest=False).total
