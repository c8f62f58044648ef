"""The fields of the query language, and the names a user may type for them."""

from __future__ import annotations

# Free words search `content` (title and body indexed together: one term to score per word, half
# the work of `title OR body`); `title:` has its own index. Hits are lit in the stored title and body.
CONTENT = "content"
TEXT_FIELDS = ("title", CONTENT)
ANALYSED_FIELDS = ("title", CONTENT, "source", "author")  # stemmed words; several words make a phrase
EXACT = "exact"  # the content's words unstemmed: `federer` must not find "federal"
ENTITY_FIELDS = ("person", "org", "place", "product")
# Whole values, as written, for counting over a result set (facets), not for searching: each
# document's source, author, and every folder it is in ("a", "a/b" for a/b/c.md).
FACET_FIELDS = ("source_facet", "author_facet", "folder_facet")
USER_FIELDS = ("tag", "note", "has", "is")  # answered from the user database: passages and reading state
VIRTUAL_FIELDS = ("entity", "path", *USER_FIELDS)  # path: a folder of the corpus, as a prefix of the ids
NAME_FIELDS = (*ENTITY_FIELDS, *VIRTUAL_FIELDS)  # a value is one name, matched whole and caselessly
TYPE_OF_FIELD = {"person": "person", "org": "organization", "place": "place", "product": "product"}

FIELDS = ("title", "content", "source", "author", "published", "person", "org", "place", "product",
          "entity", "tag", "note", "has", "is", "language", "path", "like")
FIELD_ALIASES = {"body": "content", "text": "content", "organization": "org", "organisation": "org", "company": "org",
                 "location": "place", "loc": "place", "people": "person", "date": "published", "year": "published",
                 "lang": "language", "folder": "path", "dir": "path", "similar": "like"}
READING_STATES = ("read", "unread", "starred")


def field_name(raw: str) -> str | None:
    """The field a typed name means (`Organization` -> org), or None for an unknown name."""
    name = raw.lower()
    name = FIELD_ALIASES.get(name, name)
    return name if name in FIELDS else None
