"""Ranking on Cranfield (1,400 abstracts, 225 questions with graded judgements), as a reader types.

The collection is written out as a corpus folder (one .txt per abstract: title line, then the
abstract) and indexed like any other. Every question goes through `Library.search` exactly as
written in cran.qry, and the same questions through SQLite FTS5 (porter, OR of the words, bm25)
and tantivy (en_stem, OR) when it is importable. Targets (issue 10): nDCG@10 >= 0.39,
MAP@100 >= 0.31, no question without results.
"""

from __future__ import annotations

import json
import math
import re
import shutil
import sqlite3
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from common import OUT, SHARED

from margin.search.library import Library

DATA = SHARED / "cranfield"
DEPTH = 100


def _records(path: Path) -> list[dict[str, str]]:
    """The `.I` records of a SMART file, each as {field letter: text}."""
    records: list[dict[str, str]] = []
    field = ""
    for line in path.read_text(encoding="utf-8", errors="replace").splitlines():
        if line.startswith(".I"):
            records.append({"I": line[2:].strip()})
            field = ""
        elif re.fullmatch(r"\.[A-Z]", line.strip()):
            field = line.strip()[1]
            records[-1][field] = ""
        elif field:
            records[-1][field] += line + "\n"
    return records


def documents() -> dict[str, tuple[str, str]]:
    """doc number -> (title, abstract without the title it repeats)."""
    docs = {}
    for r in _records(DATA / "cran.all.1400"):
        title = " ".join(r.get("T", "").split())
        body = " ".join(r.get("W", "").split())
        if body.startswith(title):
            body = body[len(title):].strip()
        docs[r["I"]] = (title, body)
    return docs


def questions() -> list[str]:
    """The 225 questions in file order; the judgements number them 1 to 225 in that order."""
    return [" ".join(r.get("W", "").split()) for r in _records(DATA / "cran.qry")]


def judgements() -> dict[int, dict[str, int]]:
    """question number -> {doc number: gain}, gain 5 - code for codes 1 to 4."""
    graded: dict[int, dict[str, int]] = {}
    for line in (DATA / "cranqrel").read_text().splitlines():
        parts = line.split()
        if len(parts) == 3 and 1 <= int(parts[2]) <= 4:
            graded.setdefault(int(parts[0]), {})[parts[1]] = 5 - int(parts[2])
    return graded


def write_corpus(folder: Path, docs: dict[str, tuple[str, str]]) -> None:
    if folder.exists():
        shutil.rmtree(folder)
    folder.mkdir(parents=True)
    for number, (title, body) in docs.items():
        (folder / f"cran-{int(number):04d}.txt").write_text(f"{title}\n\n{body}\n", encoding="utf-8")


def doc_number(doc_id: str) -> str:
    return str(int(doc_id.removeprefix("cran-").removesuffix(".txt")))


def evaluate(rankings: list[list[str]], graded: dict[int, dict[str, int]]) -> dict[str, float]:
    """MAP@100, nDCG@10 and P@10 over the judged questions; empty rankings counted."""
    aps, ndcgs, p10s = [], [], []
    for number, ranking in enumerate(rankings, 1):
        gains = graded.get(number)
        if not gains:
            continue
        hits, precision_sum = 0, 0.0
        for rank, doc in enumerate(ranking[:DEPTH], 1):
            if doc in gains:
                hits += 1
                precision_sum += hits / rank
        aps.append(precision_sum / len(gains))
        dcg = sum(gains.get(doc, 0) / math.log2(rank + 1) for rank, doc in enumerate(ranking[:10], 1))
        ideal = sorted(gains.values(), reverse=True)[:10]
        idcg = sum(g / math.log2(rank + 1) for rank, g in enumerate(ideal, 1))
        ndcgs.append(dcg / idcg)
        p10s.append(sum(doc in gains for doc in ranking[:10]) / 10)
    return {"map100": sum(aps) / len(aps), "ndcg10": sum(ndcgs) / len(ndcgs), "p10": sum(p10s) / len(p10s),
            "empty": sum(not r for r in rankings)}


def timed_rankings(rank: Callable[[str], list[str]], asked: list[str]) -> tuple[list[list[str]], float]:
    rankings, started = [], time.perf_counter()
    for question in asked:
        rankings.append(rank(question))
    return rankings, (time.perf_counter() - started) * 1000 / len(asked)


def margin_rank(folder: Path) -> Callable[[str], list[str]]:
    library = Library.open(folder, OUT / "cranfield-index", rebuild=True)

    def rank(question: str) -> list[str]:
        return [doc_number(r.doc_id) for r in library.search(question, page_size=DEPTH, suggest=False).rows]

    return rank


def fts5_rank(docs: dict[str, tuple[str, str]]) -> Callable[[str], list[str]]:
    db = sqlite3.connect(":memory:")
    db.execute("CREATE VIRTUAL TABLE docs USING fts5(title, body, tokenize='porter unicode61')")
    db.executemany("INSERT INTO docs (rowid, title, body) VALUES (?, ?, ?)",
                   [(int(n), t, b) for n, (t, b) in docs.items()])

    def rank(question: str) -> list[str]:
        words = " OR ".join(f'"{w}"' for w in re.findall(r"\w+", question))
        rows = db.execute("SELECT rowid FROM docs WHERE docs MATCH ? ORDER BY bm25(docs) LIMIT ?", (words, DEPTH))
        return [str(row[0]) for row in rows]

    return rank


def tantivy_rank(docs: dict[str, tuple[str, str]]) -> Callable[[str], list[str]] | None:
    try:
        import tantivy
    except ImportError:
        return None
    builder = tantivy.SchemaBuilder()
    builder.add_text_field("title", stored=False, tokenizer_name="en_stem")
    builder.add_text_field("body", stored=False, tokenizer_name="en_stem")
    builder.add_integer_field("number", stored=True)
    schema = builder.build()
    index = tantivy.Index(schema)
    writer = index.writer()
    for number, (title, body) in docs.items():
        writer.add_document(tantivy.Document(title=title, body=body, number=int(number)))
    writer.commit()
    index.reload()
    searcher = index.searcher()

    def rank(question: str) -> list[str]:
        words = " ".join(re.findall(r"\w+", question))
        query = index.parse_query(words, ["title", "body"])
        return [str(searcher.doc(address)["number"][0]) for _, address in searcher.search(query, DEPTH).hits]

    return rank


def run() -> dict[str, Any]:
    docs, asked, graded = documents(), questions(), judgements()
    folder = OUT / "cranfield-corpus"
    write_corpus(folder, docs)
    results: dict[str, Any] = {"questions": len(asked), "documents": len(docs)}
    engines: list[tuple[str, Callable[[str], list[str]] | None]] = [
        ("margin", margin_rank(folder)), ("SQLite FTS5", fts5_rank(docs)), ("tantivy", tantivy_rank(docs))]
    for name, rank in engines:
        if rank is None:
            results[name] = None
            continue
        rankings, ms = timed_rankings(rank, asked)
        results[name] = {**evaluate(rankings, graded), "ms_per_question": ms}
    (OUT / "cranfield.json").write_text(json.dumps(results, indent=2))
    return results


def report(r: dict[str, Any]) -> str:
    lines = [f"Cranfield: {r['documents']:,} abstracts, {r['questions']} questions as written "
             "(targets: nDCG@10 >= 0.39, MAP@100 >= 0.31, none empty)",
             f"  {'engine':<12} {'MAP@100':>8} {'nDCG@10':>8} {'P@10':>6} {'empty':>6} {'ms/question':>12}"]
    for name in ("margin", "SQLite FTS5", "tantivy"):
        e = r[name]
        if e is None:
            lines.append(f"  {name:<12} (not installed)")
        else:
            lines.append(f"  {name:<12} {e['map100']:>8.3f} {e['ndcg10']:>8.3f} {e['p10']:>6.3f} {e['empty']:>6} "
                         f"{e['ms_per_question']:>12.1f}")
    return "\n".join(lines)
