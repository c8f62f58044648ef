"""The tantivy index on disk: its schema, and documents written as margin's own terms.

tantivy never analyses margin's text. Each field gets the terms `margin.search.terms` makes
(folding, stemming, protected names, CJK bigrams), joined by spaces for tantivy's `whitespace`
tokenizer, so that both engines hold the same terms at the same positions and phrases agree;
a text with CJK runs, whose unigrams share a position with a bigram, is handed over as tokens
with their positions (PreTokenizedString). What the reader shows (title, body, mentions...) is
stored as one JSON value per document.
"""

from __future__ import annotations

import json
import os
from collections.abc import Iterable
from pathlib import Path
from typing import Any

import tantivy

from ..entities import FIELD_OF_TYPE
from ..terms import iter_surface_forms, iter_terms
from .api import EngineDamage
from .schema import CONTENT, ENTITY_FIELDS, EXACT
from .store import WriteLocked

FOLDER = "tantivy"  # inside the index folder, beside margin's manifest and extras
STORED = ("id", "file", "title", "body", "source", "author", "published", "language", "url", "mentions")
PHRASE_FIELDS = ("title", CONTENT, "source", "author")
HEAP_BYTES = 256_000_000
MAX_TERM_BYTES = 1000  # tantivy refuses terms over 65,530 bytes; no word is longer than this


def build_schema() -> Any:
    builder = tantivy.SchemaBuilder()
    for name in ("id", "file", "language"):
        builder.add_text_field(name, tokenizer_name="raw", index_option="basic")
    for name in PHRASE_FIELDS:
        builder.add_text_field(name, tokenizer_name="whitespace", index_option="position")
    builder.add_text_field(EXACT, tokenizer_name="whitespace", index_option="freq")
    for name in ENTITY_FIELDS:  # one term per name, whole: "tony blair"
        builder.add_text_field(name, tokenizer_name="raw", index_option="freq")
    builder.add_integer_field("day", indexed=True, fast=True)
    builder.add_bytes_field("stored", stored=True)
    return builder.build()


def folder(index_dir: Path) -> Path:
    return index_dir / FOLDER


def exists(index_dir: Path) -> bool:
    return (folder(index_dir) / "meta.json").is_file()


def create(index_dir: Path) -> Any:
    path = folder(index_dir)
    path.mkdir(parents=True, exist_ok=True)
    return tantivy.Index(build_schema(), path=str(path), reuse=False)


def open_existing(index_dir: Path) -> Any:
    """The index in the folder, with one search run, so that damage shows now, not mid-search."""
    if not exists(index_dir):
        raise FileNotFoundError("no tantivy index there yet")
    try:
        index = tantivy.Index.open(str(folder(index_dir)))
        searcher = index.searcher()
        searcher.search(tantivy.Query.all_query(), 1)
    except ValueError as exc:
        raise EngineDamage(str(exc)) from exc
    return index


def files(index_dir: Path) -> list[str]:
    """The files of the index (not tantivy's lock and bookkeeping dot-files), as paths below `index_dir`."""
    path = folder(index_dir)
    if not path.is_dir():
        return []
    return sorted(f"{FOLDER}/{name}" for name in os.listdir(path) if not name.startswith("."))


def day(published: str) -> int:
    """An ISO date (`YYYY`, `YYYY-MM` or `YYYY-MM-DD`) as a number that sorts as the text does:
    2024 -> 20240000, 2024-06 -> 20240600; undated documents are 0."""
    if not published:
        return 0
    parts = [int(p) for p in published.split("-")[:3]] + [0, 0]
    return parts[0] * 10_000 + parts[1] * 100 + parts[2]


def document(fields: dict[str, Any]) -> Any:
    """The tantivy document for the fields `store.document_fields` gives Whoosh."""
    doc = tantivy.Document()
    for name in ("id", "file", "language"):
        if fields.get(name):
            doc.add_text(name, fields[name])
    for name in PHRASE_FIELDS:
        _add_terms(doc, name, fields.get(name) or "")
    doc.add_text(EXACT, " ".join(t.text for t in iter_surface_forms(fields[EXACT]) if _short(t.text)))
    for name in FIELD_OF_TYPE.values():
        for line in (fields.get(name) or "").split("\n"):
            entity = " ".join(line.split()).casefold()
            if entity:
                doc.add_text(name, entity)
    doc.add_integer("day", day(fields.get("published") or ""))
    stored = {name: fields.get(name) or "" for name in STORED}
    stored["mentions"] = fields.get("mentions") or []
    doc.add_bytes("stored", json.dumps(stored, ensure_ascii=False).encode("utf-8"))
    return doc


def stored(doc: Any) -> dict[str, Any]:
    """What `document` stored: the fields the reader shows, as Whoosh's stored fields are."""
    fields: dict[str, Any] = json.loads(doc.get_first("stored"))
    return fields


def _add_terms(doc: Any, name: str, text: str) -> None:
    terms = [t for t in iter_terms(text) if _short(t.text)]
    if all(t.pos == i for i, t in enumerate(terms)):
        doc.add_text(name, " ".join(t.text for t in terms))
    else:
        tokens = [tantivy.Token(t.text, t.pos, t.start, t.end) for t in terms]
        doc.add_pre_tokenized_text(name, tantivy.PreTokenizedString(text, tokens))


def _short(term: str) -> bool:
    return len(term.encode("utf-8")) <= MAX_TERM_BYTES


def write(index: Any, added: Iterable[dict[str, Any]], removed: Iterable[str], *, fresh: bool, bulk: bool) -> None:
    """Add new and changed files' documents and delete removed files' (by `file`) in one commit.

    tantivy applies a commit's deletions to the documents added before them: a changed file's
    old documents are deleted first, then its new ones added. `removed` is read after `added`.
    """
    try:
        writer = index.writer(HEAP_BYTES, min(os.cpu_count() or 1, 4) if bulk else 1)
    except ValueError as exc:
        raise WriteLocked(str(exc)) from exc
    try:
        replaced: set[str] = set()
        for fields in added:
            if not fresh and fields["file"] not in replaced:
                replaced.add(fields["file"])
                writer.delete_documents_by_term("file", fields["file"])
            writer.add_document(document(fields))
        for file_id in removed:
            writer.delete_documents_by_term("file", file_id)
        writer.commit()
    except BaseException:
        writer.rollback()
        raise
    finally:
        writer.wait_merging_threads()
    index.reload()


def has_deletions(index_dir: Path) -> bool:
    """Whether a segment holds deleted documents (tantivy's document frequencies still count them)."""
    try:
        meta = json.loads((folder(index_dir) / "meta.json").read_text(encoding="utf-8"))
        return any(segment.get("deletes") for segment in meta.get("segments", []))
    except (OSError, ValueError, AttributeError):
        return True
