"""What a search returns: plain data that the command line, the reader and JSON output share."""

from __future__ import annotations

from dataclasses import dataclass, field

from margin.search.plural import plural


@dataclass(frozen=True)
class Hit:
    """One lit-up span in a document's title or body (character offsets into the stored text)."""

    field: str
    start: int
    end: int
    term: int = 0  # which of the query's terms it is (SearchResults.terms), for its colour


@dataclass(frozen=True)
class Snippet:
    """One line of body text around the best cluster of hits; `parts` alternate plain and hit text."""

    parts: tuple[tuple[str, bool], ...]
    terms: tuple[int, ...] = ()  # the query term of each hit part, in order (Hit.term)

    @property
    def text(self) -> str:
        return "".join(text for text, _ in self.parts)


@dataclass(frozen=True)
class ResultRow:
    doc_id: str
    title: str
    source: str
    author: str
    published: str
    score: float
    hit_count: int
    snippet: Snippet
    hits: tuple[Hit, ...] = ()
    every_word: bool = True  # False: the row holds only some of the free words (the second group)
    # Where in the body the hits fall: per eighth of its length, (hits, the term most of them are).
    hit_places: tuple[tuple[int, int], ...] = ()
    family: str = ""  # the family of copies it is in (named by its earliest member; itself when alone)
    copies: int = 0  # the other members of its family, in the corpus
    earliest: str = ""  # the family's earliest date


@dataclass(frozen=True)
class SearchResults:
    query: str
    total: int
    rows: list[ResultRow]
    page: int
    page_size: int
    sort: str
    documents: int
    problem: str | None = None
    suggestion: str | None = None
    seconds: float = 0.0
    notices: list[str] = field(default_factory=list)  # what the query parser capped or dropped
    index_notices: list[str] = field(default_factory=list)  # what happened to the index (a repair)
    every_word: int | None = None  # of `total`, those with every free word (None: a query of one group)
    exact_total: bool = True  # False: the second group's count is an estimate (see engine.ranking.counted)
    by_entity: bool = False  # the query asks for a person, organisation, place or product (person:"…")
    terms: tuple[str, ...] = ()  # the query's words, phrases and entities as typed, in order (Hit.term)
    collapsed: bool = True  # one row a family of copies (False: every copy, `dupes:show`)

    @property
    def groups(self) -> str | None:
        """"12 with every word · 85 with some", for a query of two or more free words."""
        if self.every_word is None or not self.total:
            return None
        about = "" if self.exact_total else "about "
        return f"{self.every_word:,} with every word · {about}{self.total - self.every_word:,} with some"

    @property
    def count(self) -> str:
        """"1,234 of 2,225 documents" (with no query, "2,225 documents"): the list's title and the
        status line say the same count, an estimate included."""
        if not self.query.strip():
            return plural(self.documents, "document")
        about = "" if self.exact_total else "about "
        return f"{about}{self.total:,} of {plural(self.documents, 'document')}"

    @property
    def pages(self) -> int:
        return max(1, -(-self.total // self.page_size))


@dataclass(frozen=True)
class EntityCount:
    """An entity with a count: documents naming it (corpus-wide, or in common with another
    entity) or its mentions in one document."""

    type: str
    name: str
    count: int


@dataclass(frozen=True)
class Facet:
    """A value common across a result set: an entity, a source, an author or a folder, with the
    documents holding it among the results and in the corpus, and the clause that adds it to a
    query (`person:"Lei Jun"`, `source:"Reuters"`, `path:"sport"`)."""

    kind: str  # person, organization, place, product, source, author or path
    value: str
    in_results: int
    in_corpus: int
    clause: str
