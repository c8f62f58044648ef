"""Ranking on classic test collections, every question exactly as written, as the reader asks it.

Each collection (relevance_sets) is written out as a corpus folder (one .txt per document: the
title line, then the text) and indexed like any other, by each engine. Every question goes
through `Library.search` as written, and the same questions through SQLite FTS5 (porter, OR of
the words, bm25), tantivy alone (en_stem, OR) and a standard BM25 (bm25s, its English stop list
and Snowball's stemmer, k1 1.5, b 0.75), in the same run. Margin also runs with its feedback off,
so that what feedback gives or takes on each collection is printed beside it.

Targets (issue 30): on every collection margin's MAP@100 and nDCG@10 above the best of the
others, and no question without a result.
"""

from __future__ import annotations

import json
import math
import re
import shutil
import sqlite3
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from common import OUT
from relevance_sets import READERS, Collection, load

from margin.search.engine import feedback
from margin.search.library import Library

DEPTH = 100
Rank = Callable[[str], list[str]]


def write_corpus(folder: Path, collection: Collection) -> None:
    """One file per document; a document without a title is headed by its number alone."""
    if folder.exists():
        shutil.rmtree(folder)
    folder.mkdir(parents=True)
    for number, (title, body) in collection.documents.items():
        head = title or f"Document {number}"
        (folder / f"doc-{int(number):05d}.txt").write_text(f"{head}\n\n{body}\n", encoding="utf-8")


def doc_number(doc_id: str) -> str:
    return str(int(doc_id.removeprefix("doc-").removesuffix(".txt")))


def evaluate(rankings: dict[str, list[str]], collection: Collection) -> dict[str, float]:
    """MAP@100, nDCG@10 (graded where the collection is), P@10 and recall@100 over the judged
    questions, an empty ranking counting as 0; and how many questions had no result at all."""
    aps, ndcgs, p10s, recalls = [], [], [], []
    for number, gains in collection.judged.items():
        ranking = rankings.get(number, [])[:DEPTH]
        hits, precision_sum = 0, 0.0
        for rank, doc in enumerate(ranking, 1):
            if doc in gains:
                hits += 1
                precision_sum += hits / rank
        aps.append(precision_sum / len(gains))
        recalls.append(hits / len(gains))
        dcg = sum(gains.get(doc, 0) / math.log2(rank + 1) for rank, doc in enumerate(ranking[:10], 1))
        ideal = sorted(gains.values(), reverse=True)[:10]
        ndcgs.append(dcg / sum(g / math.log2(rank + 1) for rank, g in enumerate(ideal, 1)))
        p10s.append(sum(doc in gains for doc in ranking[:10]) / 10)
    n = len(aps)
    return {"map100": sum(aps) / n, "ndcg10": sum(ndcgs) / n, "p10": sum(p10s) / n, "recall100": sum(recalls) / n,
            "empty": sum(not r for r in rankings.values())}


def timed_rankings(rank: Rank, questions: dict[str, str]) -> tuple[dict[str, list[str]], float]:
    rankings, started = {}, time.perf_counter()
    for number, question in questions.items():
        rankings[number] = rank(question)
    return rankings, (time.perf_counter() - started) * 1000 / len(questions)


def margin_rank(folder: Path, engine: str) -> Rank:
    library = Library.open(folder, OUT / f"relevance-index-{engine}", rebuild=True, engine=engine)

    def rank(question: str) -> list[str]:
        return [doc_number(r.doc_id) for r in library.search(question, page_size=DEPTH, suggest=False).rows]

    return rank


@contextmanager
def feedback_off() -> Iterator[None]:
    """Margin with pseudo-relevance feedback never run (the bench's ablation, not a setting)."""
    kept = feedback.FEEDBACK_WEIGHT
    feedback.FEEDBACK_WEIGHT = 0.0
    try:
        yield
    finally:
        feedback.FEEDBACK_WEIGHT = kept


def _words(question: str) -> list[str]:
    return re.findall(r"\w+", question)


def fts5_rank(collection: Collection) -> Rank:
    db = sqlite3.connect(":memory:")
    db.execute("CREATE VIRTUAL TABLE docs USING fts5(title, body, tokenize='porter unicode61')")
    db.executemany("INSERT INTO docs (rowid, title, body) VALUES (?, ?, ?)",
                   [(int(n), t, b) for n, (t, b) in collection.documents.items()])

    def rank(question: str) -> list[str]:
        either = " OR ".join(f'"{w}"' for w in _words(question))
        rows = db.execute("SELECT rowid FROM docs WHERE docs MATCH ? ORDER BY bm25(docs) LIMIT ?", (either, DEPTH))
        return [str(row[0]) for row in rows]

    return rank


def tantivy_rank(collection: Collection) -> Rank | None:
    try:
        import tantivy
    except ImportError:
        return None
    builder = tantivy.SchemaBuilder()
    builder.add_text_field("title", stored=False, tokenizer_name="en_stem")
    builder.add_text_field("body", stored=False, tokenizer_name="en_stem")
    builder.add_integer_field("number", stored=True)
    index = tantivy.Index(builder.build())
    writer = index.writer()
    for number, (title, body) in collection.documents.items():
        writer.add_document(tantivy.Document(title=title, body=body, number=int(number)))
    writer.commit()
    index.reload()
    searcher = index.searcher()

    def rank(question: str) -> list[str]:
        words = " ".join(w for w in _words(question) if w.upper() not in {"AND", "OR", "NOT", "IN", "TO"})
        if not words:
            return []
        query = index.parse_query(words, ["title", "body"])
        return [str(searcher.doc(address)["number"][0]) for _, address in searcher.search(query, DEPTH).hits]

    return rank


def bm25s_rank(collection: Collection) -> Rank | None:
    """The textbook BM25 the issue names: bm25s's English stop words, Snowball, k1 1.5, b 0.75."""
    try:
        import bm25s
        import Stemmer
    except ImportError:
        return None
    numbers = list(collection.documents)
    stemmer = Stemmer.Stemmer("english")
    texts = [f"{t} {b}" for t, b in collection.documents.values()]
    retriever = bm25s.BM25(k1=1.5, b=0.75)
    retriever.index(bm25s.tokenize(texts, stopwords="en", stemmer=stemmer, show_progress=False), show_progress=False)

    def rank(question: str) -> list[str]:
        tokens = bm25s.tokenize([question], stopwords="en", stemmer=stemmer, show_progress=False)
        if not tokens.ids[0]:
            return []
        found, scores = retriever.retrieve(tokens, k=min(DEPTH, len(numbers)), show_progress=False)
        return [numbers[i] for i, s in zip(found[0], scores[0]) if s > 0]

    return rank


SYSTEMS = ("margin", "margin, no feedback", "margin (tantivy)", "SQLite FTS5", "tantivy alone", "BM25 (bm25s)")


def run_one(collection: Collection) -> dict[str, Any]:
    folder = OUT / f"relevance-{collection.name.lower()}"
    write_corpus(folder, collection)
    whoosh = margin_rank(folder, "whoosh")
    result: dict[str, Any] = {"documents": len(collection.documents), "questions": len(collection.questions),
                              "judged": len(collection.judged),
                              "words": sum(len(_words(q)) for q in collection.questions.values()) / len(collection.questions)}
    ranks: dict[str, Rank | None] = {"margin": whoosh, "margin (tantivy)": margin_rank(folder, "tantivy"),
                                     "SQLite FTS5": fts5_rank(collection), "tantivy alone": tantivy_rank(collection),
                                     "BM25 (bm25s)": bm25s_rank(collection)}
    for name in SYSTEMS:
        if name == "margin, no feedback":
            with feedback_off():
                rankings, ms = timed_rankings(whoosh, collection.questions)
        elif (rank := ranks[name]) is None:
            result[name] = None
            continue
        else:
            rankings, ms = timed_rankings(rank, collection.questions)
        result[name] = {**evaluate(rankings, collection), "ms_per_question": ms}
    return result


def run(only: str | None = None) -> dict[str, Any]:
    results: dict[str, Any] = {}
    for name in READERS:
        if only and name != only:
            continue
        found = load(name)
        results[name] = found if isinstance(found, str) else run_one(found)
        (OUT / "relevance.json").write_text(json.dumps(results, indent=2))
    return results


def report(results: dict[str, Any]) -> str:
    lines = ["Relevance: every question as written (targets: margin above the best other system on MAP@100 "
             "and nDCG@10, no question empty)"]
    for name, r in results.items():
        if isinstance(r, str):
            lines.append(f"  {r}")
            continue
        lines.append(f"  {name}: {r['documents']:,} documents, {r['questions']} questions ({r['judged']} judged), "
                     f"{r['words']:.0f} words a question")
        lines.append(f"    {'system':<22} {'MAP@100':>8} {'nDCG@10':>8} {'P@10':>6} {'R@100':>6} {'empty':>6} {'ms/q':>7}")
        for system in SYSTEMS:
            e = r[system]
            if e is None:
                lines.append(f"    {system:<22} (not installed)")
                continue
            lines.append(f"    {system:<22} {e['map100']:>8.3f} {e['ndcg10']:>8.3f} {e['p10']:>6.3f} {e['recall100']:>6.3f} "
                         f"{e['empty']:>6} {e['ms_per_question']:>7.1f}")
    return "\n".join(lines)
