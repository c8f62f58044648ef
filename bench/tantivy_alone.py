"""tantivy on its own (its en_stem analysis and query parser, no margin layer) beside margin in
`bench scale`: the floor a Rust engine gives on the same files and the same questions.

It reads the files as the SQLite FTS5 baseline does (margin's reader, in Python, one process),
indexes title and body, both stored as margin stores them, and answers the FTS5 column of
search_bench.MIX translated to tantivy's query syntax (NEAR as a sloppy phrase, NOT as a minus,
dates as a range on a day number). Each answer does what margin's does: the first page with
every hit's title and body read back and a snippet made, and the exact count; plain words and
questions are two searches, as margin's two groups are (every word, counted and ranked; some of
them, counted), so the ratio margin / tantivy alone measures margin's own layer.
"""

from __future__ import annotations

import re
import shutil
from collections.abc import Iterable, Iterator
from pathlib import Path

import tantivy
from common import median_p95, timed
from search_bench import MIX, PAGE, REPEATS

from margin.search.document import Document
from margin.search.engine.tantivy.store import day
from margin.search.readers.documents import read_document

_NEAR = re.compile(r"NEAR\((\w+) (\w+), (\d+)\)")
_DATE = re.compile(r"'(\d{4})(?:-(\d\d))?(?:-(\d\d))?'")


def new_index(folder: Path) -> tantivy.Index:
    """An empty index in `folder`: title and body stored, as margin stores them; a day number."""
    shutil.rmtree(folder, ignore_errors=True)
    folder.mkdir(parents=True)
    schema = tantivy.SchemaBuilder()
    schema.add_text_field("title", stored=True, tokenizer_name="en_stem")
    schema.add_text_field("body", stored=True, tokenizer_name="en_stem")
    schema.add_integer_field("day", indexed=True, fast=True)
    return tantivy.Index(schema.build(), path=str(folder))


def add_all(index: tantivy.Index, documents: Iterable[Document]) -> None:
    """One writer, one commit, the merges waited for."""
    writer = index.writer(256_000_000)
    for doc in documents:
        writer.add_document(tantivy.Document(title=doc.title, body=doc.body, day=day(doc.published)))
    writer.commit()
    writer.wait_merging_threads()


def build(corpus: Path, folder: Path) -> float:
    """Read the files and index them, timed together (as scale_bench compares the whole build)."""
    index = new_index(folder)

    def documents() -> Iterator[Document]:
        for path in sorted(corpus.rglob("*.md")):
            try:
                yield read_document(corpus, path)
            except Exception:
                continue

    return timed(lambda: add_all(index, documents()))[0]


def latencies(folder: Path) -> list[float]:
    index = tantivy.Index.open(str(folder))
    searcher = index.searcher()
    seconds = []
    for kind, _, match, where in MIX:
        query = index.parse_query(_translated(match, where), ["title", "body"])
        words = (match or "").replace(" OR ", " ").split()
        some = index.parse_query(" OR ".join(words), ["title", "body"]) if kind in ("and", "question*") else None
        snippets = tantivy.SnippetGenerator.create(searcher, query, index.schema, "body")

        def page(q: tantivy.Query = query, s: tantivy.Query | None = some,
                 g: tantivy.SnippetGenerator = snippets) -> None:
            found = searcher.search(q, PAGE)
            for _, address in found.hits:
                doc = searcher.doc(address)
                _ = doc["title"], g.snippet_from_doc(doc).fragment()
            if s is not None:
                _ = searcher.search(s, PAGE, count=True).count

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
