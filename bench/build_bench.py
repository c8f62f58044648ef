"""A folder never seen, made searchable (issue 28): margin's time to searchable and full build on
each engine, beside reading the files alone and tantivy alone and SQLite FTS5 indexing the text
already read, at the sizes a user brings (the bundled corpus, BBC News subsets, all of BBC News,
Reuters-21578), and the reader's launch to first results on a first run.

What each side does, so that the ratios compare like with like:
- reading: margin's file reader over every file, one process (decoding, front matter, HTML);
- tantivy alone: the text read beforehand, title stored and body stored (margin stores both),
  en_stem analysis, one writer, one commit;
- FTS5: the same rows into an fts5 table (porter unicode61), one transaction;
- margin searchable: a fresh process opening the folder as the reader does (`scan_later`: names
  in Chinese text left for the scan after) and answering the empty query;
- margin full build: a fresh process opening the folder as `margin index` does (everything,
  entities included).
The target: searchable within 2 x (reading + tantivy alone).

usage: bench build [--runs N] [--sizes 14,200,1000,2000,2225,21578,100000]
With $BENCH_MARGIN_PATH (a PYTHONPATH, e.g. a sitecustomize that puts another checkout first),
margin's own figures come from that code: before and after in the same session.
"""

from __future__ import annotations

import os
import shutil
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import tantivy_alone as tantivy_alone_bench
from common import OUT, ROOT, SHARED, median_p95, timed
from reuters import build_corpus
from search_bench import margin_latencies
from tui_bench import first_frame_seconds

from margin.search.document import Document
from margin.search.engine.choice import ENGINE_VARIABLE
from margin.search.errors import UnreadableFile
from margin.search.index.corpus import scan
from margin.search.library import Library
from margin.search.readers.documents import read_document

BBC = SHARED / "bbc-news"
SIZES = (14, 200, 1000, 2000, 2225, 21578)
_OTHER_CODE = {"PYTHONPATH": os.environ["BENCH_MARGIN_PATH"]} if os.environ.get("BENCH_MARGIN_PATH") else {}
WHOOSH_UP_TO = 2225  # Whoosh's builds above this take minutes; its place is at the small sizes

_OPEN = """
import sys, time
t = time.perf_counter()
from pathlib import Path
from margin.search.library import Library
library = Library.open(Path(sys.argv[1]), Path(sys.argv[2]), scan_later=sys.argv[3] == "reader")
library.search("", page_size=20)
print(time.perf_counter() - t, library.report.engine)
"""


def corpus_of(size: int) -> Path:
    """The folder of `size` files: the bundled corpus, a BBC subset (every k-th story, all five
    sections, copied once under bench/out), Reuters-21578 or 100,000 make-corpus articles."""
    if size == 14:
        return ROOT / "corpus"
    if size == 21578:
        return build_corpus()
    if size == 100_000:  # make-corpus's, as bench scale makes it
        from scale_bench import corpus_of as made

        return made(size)
    folder = OUT / f"bbc-{size}"
    if not (folder / ".complete").exists():
        shutil.rmtree(folder, ignore_errors=True)
        stories = sorted(p for p in BBC.glob("*/*.txt"))
        step = len(stories) / size
        for i in range(size):
            story = stories[int(i * step)]
            target = folder / story.parent.name / story.name
            target.parent.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(story, target)
        (folder / ".complete").touch()
    return folder


def read_all(corpus: Path) -> tuple[float, list[Document]]:
    """Every file read as margin reads it, timed (the scan included)."""
    documents: list[Document] = []

    def load() -> None:
        for doc_id in sorted(scan(corpus).files):
            try:
                documents.append(read_document(corpus, corpus / doc_id))
            except UnreadableFile:
                continue

    return timed(load)[0], documents


def tantivy_alone(documents: list[Document], folder: Path) -> float:
    index = tantivy_alone_bench.new_index(folder)
    return timed(lambda: tantivy_alone_bench.add_all(index, documents))[0]


def fts5(documents: list[Document], db_path: Path) -> float:
    db_path.unlink(missing_ok=True)

    def load() -> None:
        con = sqlite3.connect(db_path)
        con.execute("CREATE VIRTUAL TABLE docs USING fts5(title, body, tokenize='porter unicode61')")
        con.executemany("INSERT INTO docs VALUES (?, ?)", [(d.title, d.body) for d in documents])
        con.commit()
        con.close()

    return timed(load)[0]


def margin_open(corpus: Path, index: Path, engine: str, how: str) -> float:
    """A first opening in a fresh process (`how`: "reader" or "index"), the index removed first."""
    shutil.rmtree(index, ignore_errors=True)
    env = {**os.environ, ENGINE_VARIABLE: engine, "MARGIN_CACHE_DIR": str(index.parent / "cache"), **_OTHER_CODE}
    shutil.rmtree(index.parent / "cache", ignore_errors=True)
    out = subprocess.run([sys.executable, "-c", _OPEN, str(corpus), str(index), how], env=env,
                         check=True, capture_output=True, text=True)
    return float(out.stdout.split()[0])


def reader_first_results(corpus: Path, engine: str) -> float:
    """The reader launched on a folder never seen (no index, no caches) until its list shows results."""
    work = OUT / "build-reader"
    index = work / "index"

    def fresh() -> None:
        shutil.rmtree(work, ignore_errors=True)
        work.mkdir(parents=True)

    return first_frame_seconds(corpus, index, runs=1, mark=rb"\d documents", before=fresh,
                               MARGIN_CACHE_DIR=str(work / "cache"), MARGIN_DATA_DIR=str(work / "data"),
                               **{ENGINE_VARIABLE: engine}, **_OTHER_CODE)[0]


def load_average() -> float:
    return os.getloadavg()[0]


def run(sizes: tuple[int, ...] = SIZES, runs: int = 1) -> list[dict[str, object]]:
    rows = []
    for size in sizes:
        corpus = corpus_of(size)
        work = OUT / f"build-{size}"
        work.mkdir(parents=True, exist_ok=True)
        for attempt in range(runs):
            row: dict[str, object] = {"size": size, "run": attempt + 1, "load": load_average()}
            row["read_s"], documents = read_all(corpus)
            row["files"] = len(documents)
            row["tantivy_s"] = tantivy_alone(documents, work / "tantivy-alone")
            row["fts5_s"] = fts5(documents, work / "fts5.sqlite")
            for engine in ("whoosh", "tantivy"):
                if engine == "whoosh" and size > WHOOSH_UP_TO:
                    continue
                row[f"{engine}_searchable_s"] = margin_open(corpus, work / f"{engine}-index", engine, "reader")
                row[f"{engine}_full_s"] = margin_open(corpus, work / f"{engine}-index", engine, "index")
                if not _OTHER_CODE:  # the index another checkout built is not this code's to search
                    with Library.open(corpus, work / f"{engine}-index") as library:
                        row[f"{engine}_query_ms"] = [1000 * s for s in median_p95(margin_latencies(library))]
                if size <= 2225:
                    row[f"{engine}_reader_s"] = reader_first_results(corpus, engine)
            rows.append(row)
            print(report([row]).splitlines()[-1], flush=True)
    return rows


def report(rows: list[dict[str, object]]) -> str:
    lines = ["files | load | reading | tantivy alone | FTS5 | engine: searchable (ratio to reading + tantivy alone) "
             "/ full build / reader launch to first results (first run); the search mix's median / p95"]
    for r in rows:
        floor = float(r["read_s"]) + float(r["tantivy_s"])  # type: ignore[arg-type]
        parts = [f"{r['files']:>6,} | {r['load']:.1f} | {r['read_s']:.2f} s | {r['tantivy_s']:.2f} s | {r['fts5_s']:.2f} s"]
        for engine in ("whoosh", "tantivy"):
            if f"{engine}_searchable_s" in r:
                searchable = float(r[f"{engine}_searchable_s"])  # type: ignore[arg-type]
                reader = f" / {r[f'{engine}_reader_s']:.2f} s" if f"{engine}_reader_s" in r else ""
                median, p95 = r.get(f"{engine}_query_ms", (0.0, 0.0))  # type: ignore[misc]
                parts.append(f"{engine}: {searchable:.2f} s (x{searchable / floor:.1f}) / {r[f'{engine}_full_s']:.2f} s"
                             f"{reader}; queries {median:.1f} / {p95:.1f} ms")
        lines.append(" | ".join(parts))
    return "\n".join(lines)


if __name__ == "__main__":
    started = time.perf_counter()
    print(report(run()))
    print(f"({time.perf_counter() - started:.0f} s)")
