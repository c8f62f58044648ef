"""tantivy on its own (its en_stem analysis and query parser, no margin layer) beside margin in
`bench scale`: the floor a Rust engine gives on the same files and the same questions.

It reads the files as the SQLite FTS5 baseline does (margin's reader, in Python, one process),
indexes title and body, and answers the FTS5 column of search_bench.MIX translated to tantivy's
query syntax (NEAR as a sloppy phrase, NOT as a minus, dates as a range on a day number), with
the first page's titles read back and the exact count, as margin and FTS5 give them.
"""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import tantivy
from common import median_p95, timed
from search_bench import MIX, PAGE, REPEATS

from margin.search.engine.tantivy.store import day
from margin.search.readers.documents import read_document

_NEAR = re.compile(r"NEAR\((\w+) (\w+), (\d+)\)")
_DATE = re.compile(r"'(\d{4})(?:-(\d\d))?(?:-(\d\d))?'")


def build(corpus: Path, folder: Path) -> float:
    shutil.rmtree(folder, ignore_errors=True)
    folder.mkdir(parents=True)

    def load() -> None:
        schema = tantivy.SchemaBuilder()
        schema.add_text_field("title", stored=True, tokenizer_name="en_stem")
        schema.add_text_field("body", tokenizer_name="en_stem")
        schema.add_integer_field("day", indexed=True, fast=True)
        index = tantivy.Index(schema.build(), path=str(folder))
        writer = index.writer(256_000_000)
        for path in sorted(corpus.rglob("*.md")):
            try:
                doc = read_document(corpus, path)
            except Exception:
                continue
            writer.add_document(tantivy.Document(title=doc.title, body=doc.body, day=day(doc.published)))
        writer.commit()
        writer.wait_merging_threads()

    return timed(load)[0]


def latencies(folder: Path) -> list[float]:
    index = tantivy.Index.open(str(folder))
    searcher = index.searcher()
    seconds = []
    for _, _, match, where in MIX:
        query = index.parse_query(_translated(match, where), ["title", "body"])

        def page(q: tantivy.Query = query) -> None:
            found = searcher.search(q, PAGE)
            _ = [searcher.doc(address)["title"] for _, address in found.hits], found.count

        seconds.append(median_p95([timed(page)[0] for _ in range(REPEATS)])[0])
    return seconds


def _translated(match: str | None, where: str) -> str:
    """The FTS5 question in tantivy's query language."""
    text = _NEAR.sub(r'"\1 \2"~\3', match or "").replace(" NOT ", " -")
    if where:
        bounds = [_day_of(m) for m in _DATE.finditer(where)]
        low, high = bounds[0], (bounds[1] - 1 if len(bounds) > 1 else 99_999_999)
        text = f"({text}) AND day:[{low} TO {high}]" if text else f"day:[{low} TO {high}]"
    return text


def _day_of(found: re.Match[str]) -> int:
    year, month, of_month = found.group(1), found.group(2) or "00", found.group(3) or "00"
    return int(year + month + of_month)
