"""Every kind of file (issue 12): extraction speed per kind, the build of a mixed 2,000-file
corpus beside SQLite FTS5, and the time from a file written into the corpus folder to the
reader listing it, with the index at Reuters size.

Files are made here from BBC News paragraphs (../shared/data/bbc-news), at realistic sizes: a
20-page PDF with a running header, a 300-page EPUB (about 600,000 characters), office files of
ten pages, feeds and mailboxes of 30 entries. The generators are the tests' (tests/file_kinds.py).
"""

from __future__ import annotations

import asyncio
import datetime as dt
import itertools
import random
import shutil
import sqlite3
import sys
import textwrap
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

from common import OUT, ROOT, SHARED, median_p95
from reuters import build_corpus

sys.path.insert(0, str(ROOT))
from margin.search.readers.documents import read_documents  # noqa: E402
from tests import file_kinds  # noqa: E402

BBC = SHARED / "bbc-news"
WORK = OUT / "kinds"
PAGE_CHARS = 2_000  # a printed page of prose
LIVE_WRITES = 50


def paragraphs() -> Iterator[str]:
    """BBC News paragraphs, over and over (the bundled corpus where the collection is absent)."""
    files = sorted(BBC.rglob("*.txt")) if BBC.is_dir() else sorted((ROOT / "corpus").glob("*.md"))
    texts = [p.strip() for f in files for p in f.read_text(encoding="latin-1").split("\n\n")[1:] if len(p) > 80]
    return itertools.cycle(texts)


def take(source: Iterator[str], chars: int) -> list[str]:
    taken, size = [], 0
    while size < chars:
        taken.append(next(source))
        size += len(taken[-1])
    return taken


def _pdf(path: Path, source: Iterator[str], pages: int) -> None:
    lines = [line for p in take(source, pages * PAGE_CHARS) for line in [*textwrap.wrap(p, 85), ""]]
    per_page = max(1, len(lines) // pages)
    chunks = [lines[i * per_page : (i + 1) * per_page] for i in range(pages)]
    file_kinds.make_pdf(path, [["Quarterly review of the press", "", *chunk, "", f"Page {n}"]
                               for n, chunk in enumerate(chunks, 1)], title=path.stem, created="D:20240601")


def _epub(path: Path, source: Iterator[str], pages: int) -> None:
    chapters = [(f"Chapter {n}", "".join(f"<p>{p}</p>" for p in take(source, pages * PAGE_CHARS // 30)))
                for n in range(1, 31)]
    file_kinds.make_epub(path, path.stem, "A. Writer", chapters)


def _rtf(path: Path, source: Iterator[str], pages: int) -> None:
    body = "".join(p.replace("\\", "\\\\").replace("{", "\\{").replace("}", "\\}") + "\\par\n"
                   for p in take(source, pages * PAGE_CHARS))
    path.write_text("{\\rtf1\\ansi\\deff0 {\\fonttbl{\\f0 Times;}}\n" + body + "}", encoding="latin-1", errors="replace")


def _feed(path: Path, source: Iterator[str], entries: int) -> None:
    items = [(next(source)[:60], f"https://example.com/{path.stem}/{n}", f"<p>{next(source)}</p><p>{next(source)}</p>")
             for n in range(entries)]
    path.write_text(file_kinds.rss(items), encoding="utf-8")


def _mbox(path: Path, source: Iterator[str], messages: int) -> None:
    path.write_text(file_kinds.mbox([("desk@example.com", next(source)[:60], "\n\n".join(take(source, 1500)))
                                     for _ in range(messages)]), encoding="utf-8")


def _markdown(path: Path, source: Iterator[str], pages: int) -> None:
    path.write_text(f"---\ntitle: {path.stem}\npublished: 2024-06-01\n---\n\n" + "\n\n".join(take(source, pages * PAGE_CHARS)),
                    encoding="utf-8")


def _html(path: Path, source: Iterator[str], pages: int) -> None:
    body = "".join(f"<p>{p}</p>" for p in take(source, pages * PAGE_CHARS))
    path.write_text(f"<html><head><title>{path.stem}</title></head><body><article>{body}</article></body></html>",
                    encoding="utf-8")


# kind: (suffix, maker, size as pages or entries, files for the speed run)
KINDS: dict[str, tuple[str, Callable[[Path, Iterator[str], int], None], int, int]] = {
    "PDF, 20 pages": (".pdf", _pdf, 20, 10),
    "EPUB, 300 pages": (".epub", _epub, 300, 3),
    "DOCX, 10 pages": (".docx", lambda p, s, n: file_kinds.make_docx(p, p.stem, take(s, n * PAGE_CHARS), "A. Writer"), 10, 20),
    "ODT, 10 pages": (".odt", lambda p, s, n: file_kinds.make_odt(p, p.stem, take(s, n * PAGE_CHARS)), 10, 20),
    "RTF, 10 pages": (".rtf", _rtf, 10, 20),
    "RSS, 30 entries": (".xml", _feed, 30, 20),
    "mbox, 30 messages": (".mbox", _mbox, 30, 20),
    "HTML, 2 pages": (".html", _html, 2, 200),
    "Markdown, 2 pages": (".md", _markdown, 2, 200),
}


@dataclass(frozen=True)
class Extracted:
    kind: str
    files: int
    documents: int
    seconds: float
    mb: float


def extraction() -> list[Extracted]:
    """Documents per second for each kind, reading files already in memory (no disk time)."""
    source, rows = paragraphs(), []
    folder = WORK / "speed"
    shutil.rmtree(folder, ignore_errors=True)
    folder.mkdir(parents=True)
    for kind, (suffix, make, size, count) in KINDS.items():
        paths = [folder / f"{kind.split(',')[0].lower()}-{n}{suffix}" for n in range(count)]
        for path in paths:
            make(path, source, size)
        data = [p.read_bytes() for p in paths]
        started = time.perf_counter()
        documents = sum(len(read_documents(folder, p, d)) for p, d in zip(paths, data, strict=True))
        seconds = time.perf_counter() - started
        rows.append(Extracted(kind, count, documents, seconds, sum(map(len, data)) / 1e6))
    return rows


MIX = {".md": 1_100, ".html": 300, ".txt": 200, ".pdf": 120, ".docx": 80, ".odt": 50, ".rtf": 30, ".epub": 30,
       ".xml": 45, ".mbox": 45}  # 2,000 files


def mixed_corpus() -> Path:
    folder = WORK / "mixed-2000"
    if folder.is_dir() and sum(1 for _ in folder.rglob("*.*")) >= sum(MIX.values()):
        return folder
    shutil.rmtree(folder, ignore_errors=True)
    folder.mkdir(parents=True)
    source = paragraphs()
    makers: dict[str, Callable[[Path], None]] = {
        ".md": lambda p: _markdown(p, source, 2), ".html": lambda p: _html(p, source, 2),
        ".txt": lambda p: p.write_text(next(source)[:70] + "\n\n" + "\n\n".join(take(source, 3000)), encoding="utf-8"),
        ".pdf": lambda p: _pdf(p, source, 6), ".docx": lambda p: file_kinds.make_docx(p, p.stem, take(source, 8000)),
        ".odt": lambda p: file_kinds.make_odt(p, p.stem, take(source, 8000)), ".rtf": lambda p: _rtf(p, source, 4),
        ".epub": lambda p: _epub(p, source, 60), ".xml": lambda p: _feed(p, source, 20),
        ".mbox": lambda p: _mbox(p, source, 10),
    }
    for suffix, count in MIX.items():
        (folder / suffix.lstrip(".")).mkdir()
        for n in range(count):
            makers[suffix](folder / suffix.lstrip(".") / f"{n:04}{suffix}")
    return folder


def mixed_build() -> dict[str, float]:
    """A full build of the mixed corpus; FTS5 indexes the text margin extracted, in the same run."""
    from margin.search.library import Library

    corpus = mixed_corpus()
    index = WORK / "mixed-index"
    started = time.perf_counter()
    with Library.open(corpus, index, rebuild=True) as library:
        documents, skipped = library.report.documents, len(library.report.skipped)
    margin_s = time.perf_counter() - started
    started = time.perf_counter()
    docs = [d for path in sorted(corpus.rglob("*.*")) for d in read_documents(corpus, path, path.read_bytes())]
    extract_s = time.perf_counter() - started
    fts = WORK / "mixed-fts5.sqlite"
    fts.unlink(missing_ok=True)
    started = time.perf_counter()
    con = sqlite3.connect(fts)
    con.execute("CREATE VIRTUAL TABLE docs USING fts5(title, body, tokenize='unicode61 remove_diacritics 2')")
    con.executemany("INSERT INTO docs VALUES (?, ?)", ((d.title, d.body) for d in docs))
    con.commit()
    con.close()
    return {"files": sum(MIX.values()), "documents": documents, "skipped": skipped, "margin_s": margin_s,
            "extract_s": extract_s, "fts5_s": time.perf_counter() - started}


def live_latency() -> list[float]:
    """Seconds from a new file written into the Reuters corpus to the reader's list painting it."""
    from margin.search.userdata.database import UserData
    from margin.tui.app import MarginApp
    from margin.tui.widgets.doclist import DocumentList

    corpus = build_corpus()
    index = WORK / "live-index"
    if not index.is_dir() and (OUT / "reuters-index").is_dir():
        shutil.copytree(OUT / "reuters-index", index)  # else the reader builds it
    live = corpus / "zz-live"
    shutil.rmtree(live, ignore_errors=True)
    app = MarginApp(corpus, index, None, UserData(WORK / "live-user.sqlite"))
    seconds: list[float] = []
    words = random.Random(12)

    async def run() -> None:
        async with app.run_test(size=(140, 40)) as pilot:
            while app.main.library is None or app.main.reader.document is None:
                await pilot.pause(0.1)
            await pilot.pause(1.0)  # the watcher is up
            for n in range(LIVE_WRITES):
                title = f"Live story {n} {words.randrange(10**9)}"
                path = live / f"{n:03}.md"
                path.parent.mkdir(exist_ok=True)
                newest = dt.date(2099, 1, 1) + dt.timedelta(days=n)  # first in the list, newest first
                started = time.perf_counter()
                path.write_text(f"---\ntitle: {title}\npublished: {newest}\n---\n\nWritten while reading.\n", encoding="utf-8")
                listed = app.query_one(DocumentList)
                while not any(title in "".join(s.text for s in line) for line in _painted(listed)):
                    if time.perf_counter() - started > 30:
                        raise RuntimeError(f"{path.name} was not listed within 30 s")
                    await asyncio.sleep(0.01)
                seconds.append(time.perf_counter() - started)
                await pilot.pause(0.3)
            shutil.rmtree(live)
            await pilot.pause(2.0)  # the removal indexed: the corpus is Reuters again

    try:
        asyncio.run(run())
    finally:
        shutil.rmtree(live, ignore_errors=True)  # never leave the files in the shared Reuters corpus
    return seconds


def _painted(widget) -> list:
    from textual.geometry import Region

    width, height = widget.outer_size
    return [list(strip) for strip in widget.render_lines(Region(0, 0, width, height))]


def run() -> None:
    """Each part printed as soon as it is measured (the live part takes a few minutes)."""
    print("Extraction per kind (files in memory; documents/s, MB/s, ms per file)", flush=True)
    for row in extraction():
        print(f"  {row.kind:<20} {row.documents / row.seconds:8.1f} docs/s {row.mb / row.seconds:6.1f} MB/s "
              f"{1000 * row.seconds / row.files:8.1f} ms/file ({row.files} files, {row.documents} documents)", flush=True)
    m = mixed_build()
    print(f"Mixed corpus: {m['files']:,.0f} files -> {m['documents']:,.0f} documents ({m['skipped']:.0f} skipped): "
          f"margin full build {m['margin_s']:.1f} s; extraction alone {m['extract_s']:.1f} s; "
          f"SQLite FTS5 indexing the extracted text {m['fts5_s']:.1f} s", flush=True)
    live = live_latency()
    median, p95 = median_p95(live)
    print(f"File written -> listed by the reader, Reuters-size index, {len(live)} writes: median {median * 1000:.0f} ms, "
          f"p95 {p95 * 1000:.0f} ms, worst {max(live) * 1000:.0f} ms (target p95 < 1,500 ms)", flush=True)
