"""The index's contents, shared by both engines: the fields each document gives, and the
version that makes an index of another version be rebuilt."""

from __future__ import annotations

from typing import Any

from margin.search.document import Document
from margin.search.entities.mentions import FIELD_OF_TYPE
from margin.search.query.fields import CONTENT, EXACT, FACET_FIELDS

# 5: the `exact` field; 6, 7: entities re-extracted; 8: `file`, for files of many documents;
# 9: segments as separate files, not compound (see whoosh.store.write); 10: entities re-extracted;
# 11: Snowball's stemmer (terms.py); 12: a name once per mention, weighted (names_by_weight); 13: the
# facet fields, and tantivy's entity fields as columns; 14: tantivy's `id` a column too (which members
# of a family of copies a result set holds, counted without reading stored documents). Bump it whenever the fields or the analysis
# change (a change of the extractor alone: entities/version.py).
SCHEMA_VERSION = 14
TITLE_WEIGHT, LEAD_WEIGHT, MOST_WEIGHT = 3, 2, 24
LEAD = 600  # characters of the body that are its first paragraph at most
FILLER = "\u2060"  # a word joiner: no name; left out of the names the sidebar lists (CorpusEntities)
STORED = ("id", "file", "title", "body", "source", "author", "published", "language", "url", "mentions")


def document_fields(doc: Document, mentions: list[tuple[str, str, str, int, int]]) -> dict[str, Any]:
    """The field values an engine stores and indexes for one document.

    `mentions` are (field, type, name, start, end): entity mentions in the title or the body.
    """
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
    fields.update(zip(FACET_FIELDS, (doc.source, doc.author, "\n".join(folders_of(doc.doc_id))), strict=True))
    fields.update(names_by_weight(doc.body, mentions))
    return fields


def folders_of(doc_id: str) -> list[str]:
    """Every folder a document is in, outermost first: "a/b/c.md" is in "a" and "a/b"."""
    parts = doc_id.split("/")[:-1]
    return ["/".join(parts[: i + 1]) for i in range(len(parts))]


def names_by_weight(body: str, mentions: list[tuple[str, str, str, int, int]]) -> dict[str, str]:
    """Each entity field's names, one line per unit of weight: both engines count a repeated line
    as a term's frequency, so that `person:"Lei Jun"` ranks the article about him (named in its
    title, its first paragraph and throughout) above a brief that names him twice. A mention in
    the title weighs TITLE_WEIGHT, in the first paragraph LEAD_WEIGHT, elsewhere 1; a name at
    most MOST_WEIGHT, where BM25's saturation has long flattened. A field of less weight is
    filled up to MOST_WEIGHT with FILLER, a line no name can be: BM25 divides by a field's
    length, and a document naming thirty people ten times about Clint Eastwood would otherwise
    rank below a brief that names only him."""
    paragraph = body.find("\n\n")
    lead = min(LEAD, paragraph) if paragraph > 0 else LEAD
    weights: dict[str, dict[str, int]] = {field: {} for field in FIELD_OF_TYPE.values()}
    for where, kind, name, start, _ in mentions:
        weight = TITLE_WEIGHT if where == "title" else LEAD_WEIGHT if start < lead else 1
        of_field = weights[FIELD_OF_TYPE[kind]]
        of_field[name] = min(MOST_WEIGHT, of_field.get(name, 0) + weight)
    return {field: "\n".join([*(name for name in sorted(names) for _ in range(names[name])),
                              *[FILLER] * (MOST_WEIGHT - sum(names.values()))])
            for field, names in weights.items() if names}
