"""`bench stories --scale`: families, expanding one, the comparison and more like this at 100,000.

On make-corpus 100,000 (bench/out/scale-100000) as margin indexed it (the index `bench scale`
or `margin index` made, given as --index, else built here). More like this is timed beside SQLite
FTS5 and tantivy alone running the same 25 terms as one OR query, on indexes of the same files.
"""

from __future__ import annotations

import random
import sqlite3
import time
from pathlib import Path

import tantivy
import tantivy_alone
from common import OUT, median_p95
from search_bench import fts5_build

from margin.search.library import Library
from margin.search.query.tree import Term, leaves
from margin.search.stories.compare import compare
from margin.search.stories.similar import like_clause

QUESTIONS = 100


def _ms(seconds: list[float]) -> dict[str, float]:
    median, p95 = median_p95(seconds)
    return {"median ms": round(1000 * median, 1), "p95 ms": round(1000 * p95, 1)}


def run(corpus: Path, index: Path | None) -> dict[str, object]:
    library = Library.open(corpus, index, scan_later=True, engine="tantivy")
    families = library.families()
    rng = random.Random(3)
    heads = rng.sample(sorted(families.members), min(50, len(families.members)))
    expand = [_timed(lambda h=h: library.copies(h, "")) for h in heads]
    diff = [_timed(lambda h=h: _comparison(library, families.members[h][-1], h)) for h in heads]
    ids = rng.sample([r.doc_id for r in library.search("", page_size=5000, copies=True).rows], QUESTIONS)
    like = [_timed(lambda d=d: library.search(like_clause(d), page_size=25, suggest=False)) for d in ids]
    terms = [[t.text for t in leaves(library.parse(like_clause(d)).runnable) if isinstance(t, Term) and t.field == "content"]
             for d in ids]
    out: dict[str, object] = {
        "documents": library.ix.doc_count(), "families": len(families.members),
        "in families": len(families.family_of),
        "expand a family": _ms(expand), "open the comparison": _ms(diff), "more like this (margin)": _ms(like),
    }
    out["more like this (SQLite FTS5, same terms)"] = _ms(_fts5(corpus, terms))
    out["more like this (tantivy alone, same terms)"] = _ms(_tantivy(corpus, terms))
    library.close()
    return out


def _timed(call: object) -> float:
    started = time.perf_counter()
    call()  # type: ignore[operator]
    return time.perf_counter() - started


def _comparison(library: Library, doc_id: str, other: str) -> None:
    this, that = library.document(doc_id), library.document(other)
    assert this is not None and that is not None
    compare(this.document.body, that.document.body)


def _fts5(corpus: Path, terms: list[list[str]]) -> list[float]:
    db = OUT / "stories-fts5.sqlite"
    if not db.is_file():
        fts5_build(corpus, db)
    con = sqlite3.connect(db)
    sql = "SELECT rowid, title FROM docs WHERE docs MATCH ? ORDER BY rank LIMIT 25"
    queries = [" OR ".join(f'"{t}"' for t in words) for words in terms if words]
    seconds = [_timed(lambda q=q: con.execute(sql, (q,)).fetchall()) for q in queries]
    con.close()
    return seconds


def _tantivy(corpus: Path, terms: list[list[str]]) -> list[float]:
    folder = OUT / "stories-tantivy-alone"
    if not (folder / "meta.json").is_file():
        tantivy_alone.build(corpus, folder)
    index = tantivy.Index.open(str(folder))
    searcher = index.searcher()
    seconds = []
    for words in terms:
        if words:
            query = index.parse_query(" OR ".join(f'"{w}"' for w in words), ["title", "body"])
            seconds.append(_timed(lambda q=query: searcher.search(q, 25).hits))
    return seconds


def report(result: dict[str, object]) -> str:
    lines = [f"stories at scale: {result['documents']:,} documents, {result['families']:,} families "
             f"holding {result['in families']:,} documents"]
    lines += [f"  {key}: {value}" for key, value in result.items() if isinstance(value, dict)]
    return "\n".join(lines)
