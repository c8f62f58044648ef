"""Passages out and back in: Markdown for notes apps, W3C Web Annotation JSON, Readwise CSV.

JSON follows the Web Annotation model (as Hypothesis exports it): a TextQuoteSelector and a
TextPositionSelector on the target, tags and the note as TextualBody items (passage_import.py
reads it back). The reading state (read, starred, position, and the article's own tags) rides
beside them in a "reading" list, which other Web Annotation tools ignore.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
from collections.abc import Callable, Sequence

from margin.search.document import Document
from margin.search.passages.store import Passage
from margin.search.sanitize import json_text, printable
from margin.search.userdata.reading import Reading

Lookup = Callable[[str], Document | None]
CONTEXT = "http://www.w3.org/ns/anno.jsonld"


def _iso(seconds: float) -> str:
    return dt.datetime.fromtimestamp(seconds, dt.UTC).isoformat(timespec="microseconds")


def to_markdown(passages: list[Passage], lookup: Lookup, article_tags: dict[str, tuple[str, ...]] | None = None) -> str:
    """Grouped by article: a heading and reference, the article's own tags, then each quote as a
    block quote with its tags and note."""
    lines = ["# Passages", ""]
    article_tags = article_tags or {}
    by_doc: dict[str, list[Passage]] = {doc_id: [] for doc_id in article_tags}
    for passage in sorted(passages, key=lambda p: (p.doc_id, p.anchor.start)):
        by_doc.setdefault(passage.doc_id, []).append(passage)
    for doc_id, group in sorted(by_doc.items()):
        doc = lookup(doc_id)
        lines += [f"## {doc.title if doc else printable(doc_id)}", ""]
        reference = [doc.source, doc.author, doc.published] if doc else []
        lines += [" · ".join([p for p in reference if p] + [f"`{printable(doc_id)}`"]), ""]
        if article_tags.get(doc_id):
            lines += ["Article tags: " + " ".join(f"#{t}" for t in article_tags[doc_id]), ""]
        for passage in group:
            lines += [f"> {line}" for line in passage.anchor.exact.split("\n")] + [""]
            if passage.tags:
                lines += ["Tags: " + " ".join(f"#{t}" for t in passage.tags), ""]
            if passage.note:
                lines += [f"Note: {passage.note}", ""]
            if passage.orphan:
                lines += ["_(no longer found in the article)_", ""]
    return "\n".join(lines).rstrip() + "\n"


def reference(doc: Document) -> str:
    """Where a quote comes from, as one line: title, source, author, date, and the link or file."""
    parts = [f"*{doc.title}*", doc.source, doc.author, doc.published, doc.url or f"`{printable(doc.doc_id)}`"]
    return " · ".join(p for p in parts if p)


def markdown_quote(quote: str, doc: Document) -> str:
    """A passage as a Markdown block quote with its reference (what `y` copies in the reader)."""
    lines = [f"> {line}".rstrip() for line in quote.strip().split("\n")]
    return "\n".join([*lines, ">", f"> — {reference(doc)}"]) + "\n"


def to_json(passages: list[Passage], reading: Sequence[Reading] = ()) -> str:
    """Oldest first, so that an export of the same passages is the same file."""
    items = []
    for p in sorted(passages, key=lambda p: (p.created, p.uuid)):
        body = [{"type": "TextualBody", "purpose": "tagging", "value": t} for t in p.tags]
        if p.note:
            body.append({"type": "TextualBody", "purpose": "commenting", "value": p.note})
        a = p.anchor
        items.append({
            "type": "Annotation", "id": f"urn:uuid:{p.uuid}", "created": _iso(p.created), "modified": _iso(p.updated),
            "body": body,
            "target": {"source": p.doc_id, "selector": [
                {"type": "TextQuoteSelector", "exact": a.exact, "prefix": a.prefix, "suffix": a.suffix},
                {"type": "TextPositionSelector", "start": a.start, "end": a.end}]},
            "margin": {"doc_sha1": p.doc_sha1, "orphan": p.orphan},
        })
    collection: dict[str, object] = {"@context": CONTEXT, "type": "AnnotationCollection", "items": items}
    if reading:
        collection["reading"] = [{"source": r.doc_id, "read": r.read, "starred": r.starred,
                                  "position": {"top": r.top, "cursor": r.cursor}, "modified": _iso(r.updated),
                                  **({"tags": list(r.tags)} if r.tags else {})}
                                 for r in reading]
    return json_text(collection, indent=2) + "\n"


def to_csv(passages: list[Passage], lookup: Lookup) -> str:
    """Readwise's columns: Highlight, Title, Author, URL, Note, Location, Tags."""
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(["Highlight", "Title", "Author", "URL", "Note", "Location", "Tags"])
    for p in passages:
        doc = lookup(p.doc_id)
        writer.writerow([p.anchor.exact, doc.title if doc else printable(p.doc_id), doc.author if doc else "",
                         doc.url if doc else "", p.note, p.anchor.start, ",".join(p.tags)])
    return out.getvalue()
