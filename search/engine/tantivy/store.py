"""The tantivy index on disk: its schema, and documents written as margin's own terms.

tantivy never analyses margin's text. Each field gets the terms `margin.search.query.terms` makes
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

from margin.search.engine.api import EngineDamage, WriteLocked
from margin.search.engine.schema import STORED
from margin.search.engine.tantivy import exists, folder
from margin.search.entities.mentions import FIELD_OF_TYPE
from margin.search.query.fields import ANALYSED_FIELDS, CONTENT, ENTITY_FIELDS, EXACT, FACET_FIELDS
from margin.search.query.terms import iter_surface_forms, iter_terms, plain_terms

PHRASE_FIELDS = ANALYSED_FIELDS
HEAP_BYTES = 256_000_000
SEARCHABLE = frozenset({"id", "file", "language", *PHRASE_FIELDS, EXACT, *ENTITY_FIELDS})  # indexed, as below


def build_schema() -> Any:
    builder = tantivy.SchemaBuilder()
    for name in ("id", "file", "language"):  # SEARCHABLE names every indexed field
        builder.add_text_field(name, tokenizer_name="raw", index_option="basic", fast=name == "id")
    for name in PHRASE_FIELDS:
        builder.add_text_field(name, tokenizer_name="whitespace", index_option="position")
    builder.add_text_field(EXACT, tokenizer_name="whitespace", index_option="freq")
    for name in ENTITY_FIELDS:  # one term per name, whole: "tony blair"; a column too, for facets
        builder.add_text_field(name, tokenizer_name="raw", index_option="freq", fast=True)
    for name in FACET_FIELDS:  # counted over results only: a column, not searched
        builder.add_text_field(name, tokenizer_name="raw", index_option="basic", fast=True)
    builder.add_integer_field("day", indexed=True, fast=True)
    builder.add_bytes_field("stored", stored=True)
    return builder.build()


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


def day(published: str) -> int:
    """An ISO date (`YYYY`, `YYYY-MM` or `YYYY-MM-DD`) as a number that sorts as the text does:
    2024 -> 20240000, 2024-06 -> 20240600; undated documents are 0."""
    if not published:
        return 0
    parts = [int(p) for p in published.split("-")[:3]] + [0, 0]
    return parts[0] * 10_000 + parts[1] * 100 + parts[2]


def iso_day(number: int) -> str:
    """The ISO date `day` made the number from (20240600 -> 2024-06); "" for 0, undated."""
    if not number:
        return ""
    year, month, date = number // 10_000, number // 100 % 100, number % 100
    return f"{year:04d}" + (f"-{month:02d}" if month else "") + (f"-{date:02d}" if date else "")


def analysed(fields: dict[str, Any]) -> dict[str, Any]:
    """The fields `store.document_fields` gives Whoosh, as tantivy will index them: margin's terms
    joined by spaces, or (token, position, start, end) lists for text with CJK runs. Plain data,
    made in the build's worker processes; `document` makes the tantivy document of it."""
    text: dict[str, str | list[tuple[str, int, int, int]]] = _text_fields(fields)
    for name in ("source", "author"):
        text[name] = _terms(fields.get(name) or "")
    entities = {name: [" ".join(line.split()).casefold() for line in (fields.get(name) or "").split("\n")]
                for name in FIELD_OF_TYPE.values()}
    stored = {name: fields.get(name) or "" for name in STORED}
    stored["mentions"] = fields.get("mentions") or []
    return {
        "file": fields["file"], "id": fields["id"], "language": fields.get("language") or "", "text": text,
        "entities": {name: [e for e in names if e] for name, names in entities.items()},
        "facets": {name: [v for v in (fields.get(name) or "").split("\n") if v] for name in FACET_FIELDS},
        "day": day(fields.get("published") or ""),
        "stored": json.dumps(stored, ensure_ascii=False).encode("utf-8"),
    }


def document(prepared: dict[str, Any]) -> Any:
    doc = tantivy.Document()
    for name in ("id", "file", "language"):
        if prepared[name]:
            doc.add_text(name, prepared[name])
    for name, value in prepared["text"].items():
        if isinstance(value, str):
            doc.add_text(name, value)
        else:
            tokens = [tantivy.Token(*token) for token in value]
            doc.add_pre_tokenized_text(name, tantivy.PreTokenizedString(" ".join(t[0] for t in value), tokens))
    for name, entities in prepared["entities"].items():
        for entity in entities:
            doc.add_text(name, entity)
    for name, values in prepared["facets"].items():
        for value in values:
            doc.add_text(name, value)
    doc.add_integer("day", prepared["day"])
    doc.add_bytes("stored", prepared["stored"])
    return doc


def _text_fields(fields: dict[str, Any]) -> dict[str, Any]:
    """title, content (the title twice, then the body) and exact, from one pass over each text."""
    title, body = fields.get("title") or "", fields.get("body") or ""
    head, text = plain_terms(title), plain_terms(body)
    if head is None or text is None:  # CJK runs: positions given token by token
        return {"title": _terms(title), CONTENT: _terms(fields[CONTENT]),
                EXACT: " ".join(t.text for t in iter_surface_forms(fields[EXACT]))}
    return {"title": " ".join(head[0]), CONTENT: " ".join(head[0] + head[0] + text[0]),
            EXACT: " ".join(head[1] + head[1] + text[1])}


def stored(doc: Any) -> dict[str, Any]:
    """What `document` stored: the fields the reader shows, as Whoosh's stored fields are."""
    fields: dict[str, Any] = json.loads(doc.get_first("stored"))
    return fields


def _terms(text: str) -> str | list[tuple[str, int, int, int]]:
    """A text's terms joined by spaces where their positions follow one another, else as tokens."""
    terms = list(iter_terms(text))  # a term over 65,530 bytes is left out by tantivy, not refused
    if all(t.pos == i for i, t in enumerate(terms)):
        return " ".join(t.text for t in terms)
    return [(t.text, t.pos, t.start, t.end) for t in terms]


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
        for prepared in added:
            if not fresh and prepared["file"] not in replaced:
                replaced.add(prepared["file"])
                writer.delete_documents_by_term("file", prepared["file"])
            writer.add_document(document(prepared))
        for file_id in removed:
            writer.delete_documents_by_term("file", file_id)
        writer.commit()
    except BaseException:
        writer.rollback()
        raise
    finally:
        writer.wait_merging_threads()
    index.reload()
