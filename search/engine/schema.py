"""The index's contents, shared by both engines: the fields each document gives, and the
version that makes an index of another version be rebuilt."""

from __future__ import annotations

from typing import Any

from margin.search.document import Document
from margin.search.entities.mentions import FIELD_OF_TYPE
from margin.search.query.fields import CONTENT, EXACT

# 5: the `exact` field; 6, 7: entities re-extracted; 8: `file`, for files of many documents;
# 9: segments as separate files, not compound (see whoosh.store.write); 10: entities re-extracted;
# 11: Snowball's stemmer (terms.py). Bump it whenever the fields, the analysis or the entity rules change.
SCHEMA_VERSION = 11
STORED = ("id", "file", "title", "body", "source", "author", "published", "language", "url", "mentions")


def document_fields(doc: Document, mentions: list[tuple[str, str, str, int, int]]) -> dict[str, Any]:
    """The field values an engine stores and indexes for one document.

    `mentions` are (field, type, name, start, end): entity mentions in the title or the body.
    """
    names: dict[str, set[str]] = {field: set() for field in FIELD_OF_TYPE.values()}
    for _, kind, name, _, _ in mentions:
        names[FIELD_OF_TYPE[kind]].add(name)
    fields = {
        "id": doc.doc_id,
        "title": doc.title,
        "body": doc.body,
        # The title twice: a word in the title weighs more, as a title boost would (one field to score).
        CONTENT: f"{doc.title}\n{doc.title}\n{doc.body}",
        EXACT: f"{doc.title}\n{doc.title}\n{doc.body}",
        "source": doc.source,
        "author": doc.author,
        "published": doc.published,
        "language": doc.language,
        "url": doc.url,
        "mentions": mentions,
    }
    fields.update({field: "\n".join(sorted(values)) for field, values in names.items() if values})
    return fields
