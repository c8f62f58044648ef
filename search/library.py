"""A corpus folder and its index, opened for searching: the one entry point for CLI and reader.

Opening brings the index up to date first (indexing.py); this module only reads it. Every
problem becomes a notice or a MarginError message.
"""

from __future__ import annotations

import threading
import time
from collections import Counter, OrderedDict
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any, Concatenate, ParamSpec, TypeVar

from . import paths
from .corrections import Correction, Corrector, checked, corrections_path, load_corrections, save_corrections
from .document import Document
from .engine.api import Index, Searcher
from .engine.damage import is_damage
from .engine.matching import Targets, collect_targets, entity_spans, text_spans
from .entities import FIELD_OF_TYPE, company_owners, surname_owners
from .errors import CorpusNotFound, IndexDamaged, MarginError
from .gazetteer import FILENAME as GAZETTEER_FILE
from .gazetteer import Gazetteer, load_gazetteer
from .indexing import Progress, UpdateReport, bring_up_to_date
from .known_entities import canonical as known_entity
from .query.builder import QueryBuilder
from .query.fields import ENTITY_FIELDS, TYPE_OF_FIELD
from .query.tree import ParsedQuery, Pattern, field_of, leaves
from .results import EntityCount, Hit, ResultRow, SearchResults
from .sanitize import utf8_encodable
from .snippets import make_snippet
from .spans import merge_spans
from .spelling import Vocabulary, names_as_written

if TYPE_CHECKING:  # the store needs the user database, which the library does not
    from .passages import PassageStore
    from .reading import ReadingStore

HIT_CACHE = 512  # (document, query) pairs whose hits are kept: the reader asks right after a page
P = ParamSpec("P")
R = TypeVar("R")


@dataclass(frozen=True)
class StoredDocument:
    document: Document
    mentions: list[tuple[str, str, str, int, int]]  # (field, type, name, start, end)
    file: str = ""  # the file below the corpus folder holding it (a feed or a mailbox holds many)


def _repairing(method: Callable[Concatenate[Library, P], R]) -> Callable[Concatenate[Library, P], R]:
    """Run a read of the index; if it meets damage (a segment that no longer decompresses), rebuild
    the index once and read again. Opening catches damage margin can see by a file's stat; this
    catches what it cannot (a bad sector, bytes changed in place)."""

    def read(self: Library, /, *args: P.args, **kwargs: P.kwargs) -> R:
        try:
            return method(self, *args, **kwargs)
        except Exception as exc:
            if not is_damage(exc):
                raise
            self._repair(exc)
        return method(self, *args, **kwargs)

    return read


class Library:
    def __init__(self, corpus: Path, index_dir: Path, ix: Index, gazetteer: Gazetteer, report: UpdateReport,
                 extras: dict[str, Any]) -> None:
        self.corpus = corpus
        self.index_dir = index_dir
        self.ix = ix
        self.gazetteer = gazetteer
        self.report = report
        self._read_extras(extras)
        self._lock = threading.RLock()
        self._searcher = ix.searcher()
        self._names: dict[str, list[str]] = {}
        # Per field, the forms standing for another: "blair" -> "tony blair" (see surname_owners),
        # "texaco inc" -> "texaco" (company_owners); and the inverse, "tony blair" -> ["blair"].
        self._owners: dict[str, dict[str, str]] = {}
        self._owned: dict[str, dict[str, list[str]]] = {}
        # (type, name) as listed -> the index terms (field, term) naming it; and each name it had
        self._groups: dict[tuple[str, str], list[tuple[str, str]]] | None = None
        self._group_of: dict[tuple[str, str], tuple[str, str]] = {}
        self.corrections_file = corrections_path(corpus)
        corrections, correction_notices = load_corrections(self.corrections_file)
        self.corrector = Corrector(corrections)
        # (doc id, query) -> hits: a result page computes them, and the reader asks again at once.
        self._hits: OrderedDict[tuple[str, str], list[Hit]] = OrderedDict()
        # Attached by the caller (they need the user database): tag:, note: and has: use the
        # passages, is: the reading state.
        self.passages: PassageStore | None = None
        self.reading: ReadingStore | None = None
        self.notices: list[str] = correction_notices  # said once: a repair, bad corrections
        self._repaired = False
        self.builder = QueryBuilder(gazetteer, self)  # the library is its QueryContext

    # ----------------------------------------------------------------- opening
    @classmethod
    def open(cls, corpus: Path | None = None, index_dir: Path | None = None, *, rebuild: bool = False,
             progress: Progress | None = None, scan_later: bool = False, engine: str | None = None) -> Library:
        """Bring the index of `corpus` up to date (see indexing.py; with `scan_later`, only when
        it cannot be used as it is; with `engine`, rebuilt by that engine) and open it for searching."""
        corpus = (corpus or paths.default_corpus()).expanduser()
        if not corpus.is_dir():
            raise CorpusNotFound(f"corpus folder not found: {corpus}")
        corpus = corpus.resolve()
        index_dir = (index_dir or paths.index_dir_for(corpus)).expanduser()
        gazetteer = load_gazetteer(corpus / GAZETTEER_FILE)
        usable, report = bring_up_to_date(corpus, index_dir, gazetteer, rebuild=rebuild, progress=progress,
                                          scan_later=scan_later, engine=engine)
        return cls(corpus, index_dir, usable.ix, gazetteer, report, usable.extras)

    def close(self) -> None:
        with self._lock:
            self._searcher.close()

    def take_notices(self) -> list[str]:
        """The notices not yet shown, emptied: each is said once."""
        with self._lock:
            taken, self.notices = self.notices, []
            return taken

    def _repair(self, damage: Exception) -> None:
        """Rebuild a damaged index in place (once per library) and search the new one."""
        problem = f"{type(damage).__name__}: {damage}"
        with self._lock:
            if self._repaired:
                raise IndexDamaged(f"the index in {self.index_dir} is damaged ({problem}) even after a rebuild")
            self._repaired = True
            self._searcher.close()
            usable, report = bring_up_to_date(self.corpus, self.index_dir, self.gazetteer, rebuild=True)
            if report.read_only:
                raise IndexDamaged(f"the index in {self.index_dir} is damaged ({problem}) and "
                                   "another margin process is writing it; try again")
            self.ix, self.report = usable.ix, report
            self._searcher = usable.ix.searcher()
            self._forget()
            self._read_extras(usable.extras)
            self.notices.append(f"the index was damaged ({problem}); rebuilt it in {report.seconds:.1f} s")

    def __enter__(self) -> Library:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # --------------------------------------------------------------- searching
    def index_changed(self) -> bool:
        """The index on disk is newer than the one being searched (another process updated it)."""
        with self._lock:
            return not self._searcher.up_to_date()

    def _current(self) -> Searcher:
        """The searcher, reopened when the index changed (never Whoosh's `refresh()`, see NOTES.md)."""
        if not self._searcher.up_to_date():
            self._searcher.close()
            self._searcher = self.ix.searcher()
            self._forget()
        return self._searcher

    def _forget(self) -> None:
        """Drop what was worked out from the index's previous state."""
        self._names.clear()
        self._owners.clear()
        self._owned.clear()
        self._groups = None
        self._hits.clear()

    def _read_extras(self, extras: dict[str, Any]) -> None:
        """The words saved beside the index: did you mean, display names, names matched as written."""
        self.vocabulary = Vocabulary(extras.get("vocabulary", {}))
        self.display_names: dict[str, str] = extras.get("names", {})
        self.as_written = names_as_written(extras.get("vocabulary", {}), extras.get("capitalised", {}))

    def names_in(self, field_name: str) -> list[str]:
        if field_name not in self._names:
            self._names[field_name] = sorted(self._current().terms(field_name))
        return self._names[field_name]

    @_repairing
    def owners(self, field: str) -> dict[str, str]:
        """The names (index terms) the corpus resolves to another form of the same entity: lone
        surnames and names without a middle initial to the full name (person), a company's name
        with and without its legal form to the form most used (org). Other fields: none."""
        with self._lock:
            if field not in self._owners:
                resolve = _RESOLVED_FIELDS.get(field)
                self._owners[field] = resolve(self._current().terms(field)) if resolve else {}
            return self._owners[field]

    def _owned_forms(self, field: str) -> dict[str, list[str]]:
        """Name -> the forms that stand for it (the inverse of owners)."""
        with self._lock:
            if field not in self._owned:
                owned: dict[str, list[str]] = {}
                for form, owner in self.owners(field).items():
                    owned.setdefault(owner, []).append(form)
                self._owned[field] = owned
            return self._owned[field]

    def surnames_of(self, field: str, name: str) -> list[str]:
        """Every form that stands for the entity `name` is (person:"Tony Blair" also finds "Mr
        Blair"; person:"george bush" finds George W Bush, whom the corpus mostly names so;
        org:texaco finds "Texaco Inc")."""
        if field not in _RESOLVED_FIELDS:
            return []
        owner = self.owners(field).get(name, name)
        return [owner, *self._owned_forms(field).get(owner, [])]

    def user_docs(self, field: str, value: str) -> set[str]:
        if field == "is":
            return self.reading.doc_ids(value) if self.reading is not None else set()
        found = self.passages.doc_ids(field, value) if self.passages is not None else set()
        if field == "tag" and self.reading is not None:  # the article's own tags as well as its passages'
            found |= self.reading.tagged(value)
        return found

    def written_as_name(self, word: str) -> bool:
        return word in self.as_written

    def expand(self, pattern: Pattern) -> list[str]:
        return self._current().expand(pattern)

    def parse(self, text: str) -> ParsedQuery:
        with self._lock:
            return self.builder.parse(text)

    @_repairing
    def search(self, text: str, *, page: int = 1, page_size: int = 50, sort: str = "relevance",
               with_hits: bool = False, suggest: bool = True) -> SearchResults:
        """One page of results with snippets and hit counts (all hits on request): documents with
        every free word first, then those with some (see engine.ranking.grouped_page). The total
        is exact, except a large second group's, which is estimated (`exact_total`).

        The empty query lists every document, newest first.
        """
        started = time.perf_counter()
        page, page_size = max(1, page), max(1, page_size)
        first, last = (page - 1) * page_size, page * page_size
        with self._lock:
            parsed = self.builder.parse(text)
            searcher = self._current()
            by_date = sort == "date" or parsed.query is None
            page_of = searcher.page(parsed, by_date, first, last)
            targets = collect_targets(parsed.query)
            rows = []
            for docnum, score, every_word in page_of.rows:
                fields = searcher.stored_fields(docnum)
                found = self._remember_hits(fields["id"], parsed.text, _hits(fields, targets))
                rows.append(_row(fields, score, found, with_hits, every_word))
            documents = searcher.doc_count()
        suggestion = self._suggestion(parsed) if suggest else None
        return SearchResults(
            query=text, total=page_of.every_total + page_of.some_total, rows=rows, page=page, page_size=page_size, sort=sort,
            documents=documents, problem=str(parsed.problem) if parsed.problem else None,
            suggestion=suggestion, seconds=time.perf_counter() - started, notices=list(parsed.notes),
            index_notices=self.take_notices(), every_word=page_of.every_total if parsed.some is not None else None,
            exact_total=page_of.exact,
        )

    @_repairing
    def exact_total(self, text: str) -> int:
        """The number of documents a search finds, counted exactly where its page said "about N"
        (`SearchResults.exact_total`), on a searcher of its own outside the library's lock: a
        count walks every match of a long question in Whoosh, and the searches typed meanwhile
        must not wait for it."""
        parsed = self.parse(text)
        searcher = self.ix.searcher()
        try:
            return searcher.total(parsed)
        finally:
            searcher.close()

    def suggest(self, text: str) -> str | None:
        """"Did you mean": the query with each word the corpus does not hold as written replaced."""
        with self._lock:
            parsed = self.builder.parse(text)
        return self._suggestion(parsed)

    def _suggestion(self, parsed: ParsedQuery) -> str | None:
        # A query with a problem gets its message (which names what is accepted), not a guess.
        if parsed.query is None or parsed.problem is not None:
            return None
        return self.vocabulary.suggest_query(parsed.ran)

    @_repairing
    def document(self, doc_id: str) -> StoredDocument | None:
        if not utf8_encodable(doc_id):
            return None  # bytes that are not UTF-8 (from a shell): no document has such an id
        with self._lock:
            fields = self._current().document(doc_id)
        if fields is None:
            return None
        mentions = [tuple(m) for m in fields.get("mentions", [])]
        if self.corrector:  # the reader marks what the user left of them, typed as corrected
            mentions = [(f, e[0], n, a, b) for f, k, n, a, b in mentions if (e := self._resolve(k, n))]
        return StoredDocument(_document_of(fields), mentions, fields.get("file", doc_id))

    @_repairing
    def hits(self, doc_id: str, text: str) -> list[Hit]:
        """Every hit of the query in one document, in reading order (title first)."""
        with self._lock:
            parsed = self.builder.parse(text)
            searcher = self._current()
            cached = self._hits.get((doc_id, parsed.text))
            if cached is not None:
                return list(cached)
            if not utf8_encodable(doc_id):
                return []
            fields = searcher.document(doc_id)
            if fields is None:
                return []
            return list(self._remember_hits(doc_id, parsed.text, _hits(fields, collect_targets(parsed.query))))

    def _remember_hits(self, doc_id: str, query: str, hits: list[Hit]) -> list[Hit]:
        self._hits[(doc_id, query)] = hits
        if len(self._hits) > HIT_CACHE:
            self._hits.popitem(last=False)
        return hits

    # ---------------------------------------------------------------- entities
    @_repairing
    def entity_counts(self, kind: str | None = None) -> list[EntityCount]:
        """Documents per entity across the corpus, most frequent first: every name of an entity
        counted together (a lone surname with the full name it stands for, the user's merges)."""
        groups = [(entity, sources) for entity, sources in self._entity_groups().items() if not kind or entity[0] == kind]
        # Counted by the index outside the library's lock: counting took 2.7 s at 100,000
        # documents, and the reader's first article waited for the lock all that time.
        docs = self.ix.count_documents([sources for _, sources in groups])
        counts = [EntityCount(entity_type, name, n) for ((entity_type, name), _), n in zip(groups, docs, strict=True) if n]
        return sorted(counts, key=lambda c: (-c.count, c.type, c.name.casefold()))

    def _entity_groups(self) -> dict[tuple[str, str], list[tuple[str, str]]]:
        """Each entity as listed, (type, name), with the index terms (field, term) that name it:
        lone surnames and forms without a middle initial under the full name, a company's forms
        under the one most used (see owners), then the user's corrections (merged, renamed,
        retyped; hidden ones left out)."""
        with self._lock:
            if self._groups is None:
                groups: dict[tuple[str, str], list[tuple[str, str]]] = {}
                self._group_of = {}
                self.corrector.kind_of = {self.display_names.get(t, t).casefold(): TYPE_OF_FIELD[f]
                                          for f in ENTITY_FIELDS for t in self.names_in(f)}
                for field in ENTITY_FIELDS:
                    kind, owners = TYPE_OF_FIELD[field], self.owners(field)
                    for term in self.names_in(field):
                        base = owners.get(term, term)
                        display = self.display_names.get(base, base)
                        entity = self.corrector.resolve(kind, display)
                        if entity is not None:
                            groups.setdefault(entity, []).append((field, term))
                            self._group_of[(kind, display.casefold())] = entity
                            self._group_of[(entity[0], entity[1].casefold())] = entity
                self._groups = groups
            return self._groups

    # ------------------------------------------------------------- corrections
    def entity_named(self, name: str) -> tuple[str, str]:
        """The listed entity (type, name) that `name` (any of its names, any case) is."""
        self._entity_groups()
        listed = self.gazetteer.canonical(name) or known_entity(name)
        for candidate in (name, *([listed.name] if listed else [])):
            for kind in ("person", "organization", "place", "product"):
                if (kind, candidate.casefold()) in self._group_of:
                    return self._group_of[(kind, candidate.casefold())]
        raise MarginError(f"no entity named {name!r} in {self.corpus} (see margin entities)")

    def correction(self, action: str, name: str, target: str = "") -> Correction:
        """The correction as it would be saved (names resolved to listed entities), or a
        MarginError saying what is wrong with it (an unknown type or name, a merge into itself)."""
        entity = name if action == "unhide" else self.entity_named(name)[1]
        if action == "merge":
            target = self.entity_named(target)[1] if target.strip() else ""
        return checked(action, entity, target)

    def correct(self, action: str, name: str, target: str = "") -> Correction:
        """Add a correction by any names of the entities, save it, and apply it at once."""
        correction = self.correction(action, name, target)
        with self._lock:
            self._save_corrections([*self.corrector.corrections, correction])
        return correction

    def uncorrect(self, name: str | None = None) -> Correction | None:
        """Take back the last correction (or the last hiding of `name`: unhide); None if none."""
        with self._lock:
            kept = list(self.corrector.corrections)
            at = next((i for i in reversed(range(len(kept)))
                       if name is None or kept[i].action == "hide" and kept[i].name.casefold() == name.casefold()), None)
            if at is None:
                return None
            undone = kept.pop(at)
            self._save_corrections(kept)
            return undone

    def _save_corrections(self, corrections: list[Correction]) -> None:
        try:
            save_corrections(self.corrections_file, corrections)
        except OSError as exc:
            raise MarginError(f"cannot write the entity corrections to {self.corrections_file}: {exc.strerror or exc}") from exc
        self.corrector = Corrector(corrections)
        self._groups = None
        self._hits.clear()

    def _resolve(self, kind: str, name: str) -> tuple[str, str] | None:
        """A stored (type, name) after the user's corrections (None: hidden). The groups are worked
        out first: they tell the corrector the type a merged entity takes on."""
        if self.corrector:
            self._entity_groups()
        return self.corrector.resolve(kind, name)

    def corrected(self, field: str, text: str) -> list[tuple[str, str]] | None:
        """The index terms an entity query means after the user's corrections (`person:"george
        bush"` once merged into George W Bush: both names' terms), or None where no correction
        touches it; [] for a hidden entity, or one retyped away from this field."""
        if not self.corrector:
            return None
        kind = TYPE_OF_FIELD[field]
        groups = self._entity_groups()
        entity = self._group_of.get((kind, text.casefold()))
        if entity is None:
            return [] if self.corrector.resolve(kind, text) is None else None
        sources = groups[entity] if entity[0] == kind else []
        return None if sources == [(field, text)] else sources

    @_repairing
    def appearing_with(self, name: str, kind: str | None = None, within: str = "") -> list[EntityCount]:
        """Who and what the documents naming this entity also name, by documents in common, most
        first; among the documents `within` matches when given (the reader's current results).
        `name` is any of the entity's names; the documents naming both are `entity_query` of each."""
        entity = f'{FIELD_OF_TYPE[kind] if kind else "entity"}:"{name.replace(chr(34), "")}"'
        with self._lock:
            parsed = self.builder.parse(f"{entity} ({within})" if within.strip() else entity)
            searcher = self._current()
            docnums = searcher.matching(parsed.runnable) if parsed.query is not None else []
            stored = [searcher.stored_fields(d).get("mentions", []) for d in docnums]
            named = self.builder.parse(entity).query
        itself = {name.casefold(), *(getattr(t, "text", "") for t in leaves(named) if field_of(t) in ENTITY_FIELDS)} if named else {name.casefold()}
        together: Counter[tuple[str, str]] = Counter()
        for mentions in stored:
            together.update({(k, n) for _, k, n, _, _ in self.canonical_mentions(mentions) if n.casefold() not in itself})
        return [EntityCount(k, n, c) for (k, n), c in sorted(together.items(), key=lambda i: (-i[1], i[0][1].casefold()))]

    def count_mentions(self, mentions: list[tuple[str, str, str, int, int]]) -> list[EntityCount]:
        """An article's mentions per entity, each other form counted under the name it stands for."""
        return mention_counts(self.canonical_mentions(mentions))

    def canonical_mentions(self, mentions: list[tuple[str, str, str, int, int]]) -> list[tuple[str, str, str, int, int]]:
        """Mentions (title or body, type, name, start, end) under the name the corpus resolves each
        to (see owners): "Mr Blair" under Tony Blair, "Texaco Inc" under Texaco."""
        resolved = []
        for field, kind, name, start, end in mentions:
            owner = self.owners(FIELD_OF_TYPE[kind]).get(name.casefold())
            entity = self._resolve(kind, self.display_names.get(owner, owner) if owner else name)
            if entity is not None:  # hidden by the user
                resolved.append((field, entity[0], entity[1], start, end))
        return resolved

    def entities_of(self, doc_id: str) -> list[EntityCount]:
        """Mentions per entity in one document, most mentioned first."""
        stored = self.document(doc_id)
        return self.count_mentions(stored.mentions) if stored is not None else []


def mention_counts(mentions: list[tuple[str, str, str, int, int]]) -> list[EntityCount]:
    """Mentions per entity, most mentioned first, from a stored document's mentions."""
    counts = Counter((kind, name) for _, kind, name, _, _ in mentions)
    return sorted((EntityCount(k, n, c) for (k, n), c in counts.items()), key=lambda e: (-e.count, e.name))


# -------------------------------------------------------------------- helpers
_RESOLVED_FIELDS: dict[str, Callable[[dict[str, int]], dict[str, str]]] = {"person": surname_owners, "org": company_owners}


def _document_of(fields: dict[str, Any]) -> Document:
    return Document(
        doc_id=fields["id"], title=fields.get("title", ""), body=fields.get("body", ""),
        source=fields.get("source", ""), author=fields.get("author", ""),
        published=fields.get("published", ""), language=fields.get("language", ""), url=fields.get("url", ""),
    )


def _hits(fields: dict[str, Any], targets: Targets) -> list[Hit]:
    mentions = fields.get("mentions", [])
    found: list[Hit] = []
    for name in ("title", "body"):
        spans = text_spans(fields.get(name, ""), name, targets) + entity_spans(mentions, name, targets)
        found.extend(Hit(name, s, e) for s, e in merge_spans(spans))
    return found


def _row(fields: dict[str, Any], score: float, hits: list[Hit], with_hits: bool, every_word: bool) -> ResultRow:
    body_spans = [(h.start, h.end) for h in hits if h.field == "body"]
    return ResultRow(
        doc_id=fields["id"], title=fields.get("title", ""), source=fields.get("source", ""),
        author=fields.get("author", ""), published=fields.get("published", ""), score=round(score, 4),
        hit_count=len(hits), snippet=make_snippet(fields.get("body", ""), body_spans),
        hits=tuple(hits) if with_hits else (), every_word=every_word,
    )
