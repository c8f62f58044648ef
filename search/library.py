"""A corpus folder and its index, opened for searching: the one entry point for CLI and reader.

Opening brings the index up to date first (indexing.py); this module only reads it. Every
problem becomes a notice or a MarginError message.
"""

from __future__ import annotations

import dataclasses
import threading
import time
from collections import Counter, OrderedDict
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any, Concatenate, ParamSpec, TypeVar

from margin.search import paths
from margin.search.document import Document
from margin.search.engine.api import Index, Page, Searcher
from margin.search.engine.damage import is_damage
from margin.search.engine.matching import QueryTerms, Targets, collect_targets, entity_spans, query_terms, text_spans
from margin.search.entities.corpus import CorpusEntities
from margin.search.entities.gazetteer import FILENAME as GAZETTEER_FILE
from margin.search.entities.gazetteer import Gazetteer, load_gazetteer
from margin.search.entities.mentions import entity_query
from margin.search.errors import CorpusNotFound, IndexDamaged
from margin.search.index.indexing import EXTRAS, Progress, UpdateReport, bring_up_to_date, load_extras
from margin.search.plural import plural
from margin.search.query.builder import QueryBuilder
from margin.search.query.fields import CONTENT, ENTITY_FIELDS, FACET_FIELDS
from margin.search.query.snippets import make_snippet
from margin.search.query.spelling import Vocabulary, names_as_written
from margin.search.query.tree import EVERY, And, Node, Not, Or, ParsedQuery, Pattern, Term, field_of, leaves
from margin.search.results import EntityCount, Facet, Hit, ResultRow, SearchResults
from margin.search.sanitize import utf8_encodable
from margin.search.spans import merge_spans
from margin.search.stories.similar import distinctive_terms, like_query, like_target
from margin.search.stories.store import Families, StoryStore
from margin.search.stories.switch import dupes_switch
from margin.search.stories.versions import Version, VersionStore
from margin.search.timeline import MOST_BARS, Timeline, timeline

if TYPE_CHECKING:  # the store needs the user database, which the library does not
    from margin.search.passages.store import PassageStore
    from margin.search.userdata.reading import ReadingStore

HIT_CACHE = 512  # (document, query) pairs whose hits are kept: the reader asks right after a page
COLLAPSED_KEPT = 4  # queries whose one-row-a-family pages are kept (the list asks page after page)
FACETS = 10  # values of each kind a facet view lists
MOST_TAGS = 200  # tags counted over a result set, one search each
FACETED = (*ENTITY_FIELDS, *FACET_FIELDS)
FACET_KINDS = dict(zip(FACET_FIELDS, ("source", "author", "path"), strict=True))
P = ParamSpec("P")
R = TypeVar("R")


@dataclass(frozen=True)
class StoredDocument:
    document: Document
    mentions: list[tuple[str, str, str, int, int]]  # (field, type, name, start, end)
    file: str = ""  # the file below the corpus folder holding it (a feed or a mailbox holds many)


def _repairing(method: Callable[Concatenate[Library, P], R]) -> Callable[Concatenate[Library, P], R]:
    """A method that reads the index, through `Library.with_repair`."""

    def read(self: Library, /, *args: P.args, **kwargs: P.kwargs) -> R:
        return self.with_repair(lambda: method(self, *args, **kwargs))

    return read


class Library:
    def __init__(self, corpus: Path, index_dir: Path, ix: Index, gazetteer: Gazetteer, report: UpdateReport,
                 extras: dict[str, Any], stories: StoryStore) -> None:
        self.corpus = corpus
        self.stories = stories
        self._versions = VersionStore(index_dir)
        self._families: Families | None = None
        # (query, by date) -> the searcher, the rows kept (one a family), the engine rows read, all read
        self._collapsed: OrderedDict[tuple[str, bool], _Collapsed] = OrderedDict()
        self.index_dir = index_dir
        self.ix = ix
        self.gazetteer = gazetteer
        self.report = report
        self._lock = threading.RLock()
        self._searcher = ix.searcher()
        # (doc id, query) -> hits: a result page computes them, and the reader asks again at once.
        self._hits: OrderedDict[tuple[str, str], list[Hit]] = OrderedDict()
        self._corpus_facets: tuple[Searcher, dict[str, dict[str, int]]] | None = None
        self.entities = CorpusEntities(corpus, gazetteer, self._lock, self._current, lambda: self.ix, self.with_repair,
                                       self._hits.clear)
        # Attached by the caller (they need the user database): tag:, note: and has: use the
        # passages, is: the reading state.
        self.passages: PassageStore | None = None
        self.reading: ReadingStore | None = None
        self.notices: list[str] = list(self.entities.notices)  # said once: a repair, bad corrections
        self._repaired = False
        self._extras_stamp = self._extras_file_stamp()
        self._read_extras(extras)
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
        return cls(corpus, index_dir, usable.ix, gazetteer, report, usable.extras, usable.stories)

    def close(self) -> None:
        with self._lock:
            self._searcher.close()
            self.stories.close()
            self._versions.close()

    def take_notices(self) -> list[str]:
        """The notices not yet shown, emptied: each is said once."""
        with self._lock:
            taken, self.notices = self.notices, []
            return taken

    def with_repair(self, read: Callable[[], R]) -> R:
        """Run a read of the index; if it meets damage (a segment that no longer decompresses),
        rebuild the index once and read again. Opening catches damage margin can see by a file's
        stat; this catches what it cannot (a bad sector, bytes changed in place)."""
        try:
            return read()
        except Exception as exc:
            if not is_damage(exc):
                raise
            self._repair(exc)
        return read()

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
            self.stories.close()
            self.stories = usable.stories
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
        """The searcher, reopened when the index changed (never Whoosh's `refresh()`, see NOTES.md);
        the words beside it read again when they changed (saved just after the index's commit)."""
        if not self._searcher.up_to_date():
            self._searcher.close()
            self._searcher = self.ix.searcher()
            self._forget()
        stamp = self._extras_file_stamp()
        if stamp != self._extras_stamp and (extras := load_extras(self.index_dir)) is not None:
            self._extras_stamp = stamp
            self._read_extras(extras)
        return self._searcher

    def _extras_file_stamp(self) -> tuple[int, int]:
        """The extras file's (size, mtime): a stat per search, so that names found by another
        process (or a later scan) are shown as written, not as their index terms."""
        try:
            found = (self.index_dir / EXTRAS).stat()
        except OSError:
            return (-1, -1)
        return found.st_size, found.st_mtime_ns

    def _forget(self) -> None:
        """Drop what was worked out from the index's previous state."""
        self.entities.forget()
        self._hits.clear()
        self._families = None
        self._collapsed.clear()

    def families(self) -> Families:
        """The corpus's families of copies, as last written with the index (read once per state
        of the index: the searcher's reopening forgets them)."""
        with self._lock:
            if self._families is None:
                self._families = self.stories.families()
            return self._families

    def _read_extras(self, extras: dict[str, Any]) -> None:
        """The words saved beside the index: did you mean, display names, names matched as written."""
        self.vocabulary = Vocabulary(extras.get("vocabulary", {}))
        self.entities.display_names = extras.get("names", {})
        self.as_written = names_as_written(extras.get("vocabulary", {}), extras.get("capitalised", {}))

    # The QueryContext (query.builder) the library is: the corpus's names, its user data, its words.
    def names_in(self, field: str) -> list[str]:
        return self.entities.names_in(field)

    def surnames_of(self, field: str, name: str) -> list[str]:
        return self.entities.surnames_of(field, name)

    def corrected(self, field: str, text: str) -> list[tuple[str, str]] | None:
        return self.entities.corrected(field, text)

    def like(self, value: str) -> Node | str:
        """`like:ID` (or `like:ID@START-END`, a range of its body): the query for the documents
        most like it, its family left out; or why there is none."""
        doc_id, part = like_target(value)
        searcher = self._current()
        fields = searcher.document(doc_id) if utf8_encodable(doc_id) else None
        if fields is None:
            return f"like: no document {doc_id[:80]!r} in this corpus"
        title, body = fields.get("title", ""), fields.get("body", "")
        text = body[part[0] : part[1]] if part else f"{title}\n{body}"
        family = self.families().copies(doc_id)
        terms = distinctive_terms(text, searcher.doc_count(), lambda t: searcher.doc_frequency(CONTENT, t),
                                  family=len(family))
        query = like_query(terms)
        if query is None:
            return f"like: {doc_id[:80]} has no word that other documents share"
        what = "this passage of" if part else "documents like"
        self.builder.note(f"{what} \u201c{title[:60] or doc_id}\u201d: its {len(terms)} most distinctive words"
                          + (f", its {plural(len(family) - 1, 'copy', 'copies')} left out" if len(family) > 1 else ""))
        return And((query, Not(Or(tuple(Term("id", d) for d in family)))))

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
        """The query as the engines run it; `dupes:` (how the list shows copies) is not a clause
        of it, and a `dupes:` of a value it does not take is said in its notes."""
        text, _, problem = dupes_switch(text)
        with self._lock:
            parsed = self.builder.parse(text)
        return dataclasses.replace(parsed, notes=(*parsed.notes, problem)) if problem else parsed

    @_repairing
    def search(self, text: str, *, page: int = 1, page_size: int = 50, sort: str = "relevance",
               with_hits: bool = False, suggest: bool = True, copies: bool = False) -> SearchResults:
        """One page of results with snippets and hit counts (all hits on request): documents with
        every free word first, then those with some (see engine.ranking.grouped_page). The total
        is exact, except a large second group's, which is estimated (`exact_total`).

        A family of copies is one row, its best-ranked member's, unless `copies` or the query
        says `dupes:show`. The empty query lists every document, newest first.
        """
        started = time.perf_counter()
        page, page_size = max(1, page), max(1, page_size)
        first, last = (page - 1) * page_size, page * page_size
        without_switch, shown, _ = dupes_switch(text)
        collapse = not (shown if shown is not None else copies)
        with self._lock:
            parsed = self.parse(text)  # dupes: taken out, its mistake in the notes
            searcher = self._current()
            by_date = sort == "date" or parsed.query is None
            families = self.families()
            page_of, read = self._page(searcher, parsed, by_date, first, last, families if collapse else None)
            targets, terms = collect_targets(parsed.query), query_terms(parsed)
            rows = []
            for at, (docnum, score, every_word) in enumerate(page_of.rows):
                fields = read[at] if read else searcher.stored_fields(docnum)
                found = self._remember_hits(fields["id"], parsed.text, _hits(fields, targets, terms))
                rows.append(_row(fields, score, found, with_hits, every_word, families))
            documents = searcher.doc_count()
        suggestion = self._suggestion(parsed) if suggest else None
        return SearchResults(
            query=without_switch, total=page_of.every_total + page_of.some_total, rows=rows, page=page, page_size=page_size, sort=sort,
            documents=documents, problem=str(parsed.problem) if parsed.problem else None,
            suggestion=suggestion, seconds=time.perf_counter() - started, notices=list(parsed.notes), collapsed=collapse,
            index_notices=self.take_notices(), every_word=page_of.every_total if parsed.some is not None else None,
            exact_total=page_of.exact,
            by_entity=parsed.query is not None and any(field_of(t) in ENTITY_FIELDS for t in leaves(parsed.query)),
            terms=terms.labels,
        )

    def _page(self, searcher: Searcher, parsed: ParsedQuery, by_date: bool, first: int, last: int,
              families: Families | None) -> tuple[Page, list[dict[str, Any]]]:
        """The engine's page, or with `families` the page of one row a family: the engine's rows
        read from the top until `last` families are seen, kept for the pages after it, with the
        stored fields read to tell their families (so that the rows do not read them again)."""
        if families is None or not families.members:
            return searcher.page(parsed, by_date, first, last), []
        key = (parsed.text, by_date)
        kept = self._collapsed.get(key)
        if kept is None or kept.searcher is not searcher:
            kept = self._collapsed[key] = _Collapsed(searcher)
            if len(self._collapsed) > COLLAPSED_KEPT:
                self._collapsed.popitem(last=False)
        self._collapsed.move_to_end(key)
        while len(kept.rows) < last and not kept.done:
            # A few rows more than the page: most results have no copy, and each row read costs
            # its stored fields (a typed character waits for them).
            ask = max(last + 5, kept.read + 2 * (last - len(kept.rows)))
            engine = searcher.page(parsed, by_date, kept.read, ask)
            kept.totals = engine
            for row in engine.rows:
                fields = searcher.stored_fields(row[0])
                family = families.of(fields["id"])
                if family not in kept.seen:
                    kept.seen.add(family)
                    kept.rows.append(row)
                    kept.fields.append(fields)
            kept.done = len(engine.rows) < ask - kept.read
            kept.read = ask
        assert kept.totals is not None
        totals = kept.totals
        return Page(kept.rows[first:last], totals.every_total, totals.some_total, totals.exact), kept.fields[first:last]

    @_repairing
    def story_count(self, text: str) -> int | None:
        """How many stories the query's results are (a family of copies counts once), or None
        when the corpus has no copies."""
        if not self.families().members:
            return None
        parsed = self.parse(text)
        with self._own_searcher() as searcher:
            total = searcher.total(parsed)
            found = self._families_in(searcher, parsed)
        return total - sum(len(members) - 1 for members in found.values())

    def _families_in(self, searcher: Searcher, parsed: ParsedQuery) -> dict[str, list[str]]:
        """The families with a member among the query's results, and those members: the members
        of every family matched against the results a thousand at a time, their ids counted by
        the engine from its id column (reading the stored documents cost 0.3 s at 100,000, which
        the next typed character waited for)."""
        families = self.families()
        members = sorted(families.family_of)
        found: dict[str, list[str]] = {}
        for start in range(0, len(members), 1000):
            ids = Or(tuple(Term("id", d) for d in members[start : start + 1000]))
            for doc_id in searcher.value_counts(And((parsed.results, ids)), ("id",))["id"]:
                found.setdefault(families.of(doc_id), []).append(doc_id)
        return found

    @_repairing
    def result_families(self, text: str, most: int = 50) -> list[list[ResultRow]]:
        """The families of copies among the query's results, most members there first, each as
        its members' rows (every member, earliest first; `ResultRow.hit_count` 0 for a member
        the query does not find)."""
        parsed = self.parse(text)
        with self._own_searcher() as searcher:
            found = self._families_in(searcher, parsed)
        chosen = sorted(found.items(), key=lambda kv: (-len(kv[1]), kv[0]))[:most]
        return [self.copies(family, text) for family, _ in chosen]

    @_repairing
    def copies(self, doc_id: str, text: str = "") -> list[ResultRow]:
        """The document's family as rows, earliest first, with the query's hits in each (itself
        alone when it has no copy): what expanding its row in the list shows."""
        families = self.families()
        parsed = self.parse(text)
        targets, terms = collect_targets(parsed.query), query_terms(parsed)
        rows = []
        with self._lock:
            searcher = self._current()
            for member in families.copies(doc_id):
                fields = searcher.document(member)
                if fields is not None:
                    found = _hits(fields, targets, terms) if parsed.query is not None else []
                    rows.append(_row(fields, 0.0, found, False, True, families))
        return rows

    def versions(self, doc_id: str) -> list[Version]:
        """The document's earlier texts, newest first (stories.versions)."""
        return self._versions.versions(doc_id)

    def last_change(self, doc_id: str) -> float | None:
        """When the document's text was last replaced, if margin kept the text it had."""
        return self._versions.last_change(doc_id)

    @_repairing
    def timeline(self, text: str, by: str | None = None, most: int = MOST_BARS) -> Timeline:
        """The query's results per day, week, month or year (by: one of timeline.PERIODS; None:
        the finest that draws them in at most `most` bars), the two groups apart, from the
        engine's date column."""
        parsed = self.parse(text)
        with self._own_searcher() as searcher:
            every = Counter(searcher.date_counts(parsed.runnable))
            some = Counter(searcher.date_counts(parsed.some)) if parsed.some is not None else Counter()
        return timeline(every, some - every, by, most)

    @contextmanager
    def _own_searcher(self) -> Iterator[Searcher]:
        """A searcher of its own, outside the library's lock: what is worked out after a page
        (a count, the timeline, the facets) must not hold up the searches typed meanwhile."""
        searcher = self.ix.searcher()
        try:
            yield searcher
        finally:
            searcher.close()

    @_repairing
    def facets(self, text: str, most: int = FACETS) -> list[Facet]:
        """The entities (each type), sources, authors and folders most frequent across the query's
        results (both groups), at most `most` of each kind, with their documents in the results and
        in the corpus; counted by the engine over its columns, not from stored documents."""
        parsed = self.parse(text)
        with self._own_searcher() as searcher:
            within = searcher.value_counts(parsed.results, FACETED)
            corpus = self._corpus_values(searcher)
            found = self._tag_facets(searcher, parsed.results)
        everywhere = self.entities.tally(corpus)
        for (kind, name), n in self.entities.tally(within).items():
            found.append(Facet(kind, name, n, everywhere.get((kind, name), n), entity_query(kind, name)))
        for field, kind in FACET_KINDS.items():
            for value, n in within[field].items():
                found.append(Facet(kind, value, n, corpus[field].get(value, n), entity_query(kind, value)))
        found.sort(key=lambda f: (-f.in_results, f.value.casefold()))
        kept, of_kind = [], Counter[str]()
        for facet in found:
            of_kind[facet.kind] += 1
            if of_kind[facet.kind] <= most:
                kept.append(facet)
        return kept

    def _tag_facets(self, searcher: Searcher, results: Node) -> list[Facet]:
        """The user's tags (of passages and of articles themselves) on the results: one count a
        tag, of the results that are also its documents (a user has tens of tags, not thousands)."""
        tags = {*(self.passages.all_tags() if self.passages is not None else ()),
                *(tag for tag, _ in (self.reading.tag_counts() if self.reading is not None else ()))}
        facets = []
        for tag in sorted(tags)[:MOST_TAGS]:
            clause = entity_query("tag", tag)
            tagged = self.parse(clause).runnable
            n = len(searcher.matching(And((results, tagged))))
            if n:
                facets.append(Facet("tag", tag, n, len(self.user_docs("tag", tag)), clause))
        return facets

    def _corpus_values(self, searcher: Searcher) -> dict[str, dict[str, int]]:
        """The facet fields' counts over every document, once for each state of the index (the
        library's current searcher stands for it)."""
        current = self._searcher
        if self._corpus_facets is None or self._corpus_facets[0] is not current:
            self._corpus_facets = (current, searcher.value_counts(EVERY, FACETED))
        return self._corpus_facets[1]

    @_repairing
    def term_documents(self, text: str) -> tuple[int, ...]:
        """For each of the query's terms (SearchResults.terms), the documents among its results
        that hold it: the legend's second figure."""
        parsed = self.parse(text)
        with self._own_searcher() as searcher:
            return tuple(len(searcher.matching(And((parsed.results, node)))) for node in query_terms(parsed).nodes)

    @_repairing
    def result_ids(self, text: str) -> list[str]:
        """The ids of every document the query finds (both groups), for acting on all of them."""
        parsed = self.parse(text)
        with self._own_searcher() as searcher:
            found = searcher.matching(parsed.results)
            return [searcher.stored_fields(doc)["id"] for doc in found]

    @_repairing
    def exact_total(self, text: str) -> int:
        """The number of documents a search finds, counted exactly where its page said "about N"
        (`SearchResults.exact_total`), on a searcher of its own outside the library's lock: a
        count walks every match of a long question in Whoosh, and the searches typed meanwhile
        must not wait for it."""
        parsed = self.parse(text)
        with self._own_searcher() as searcher:
            return searcher.total(parsed)

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
        mentions = self.entities.stored_as_corrected([tuple(m) for m in fields.get("mentions", [])])
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
            found = _hits(fields, collect_targets(parsed.query), query_terms(parsed))
            return list(self._remember_hits(doc_id, parsed.text, found))

    def _remember_hits(self, doc_id: str, query: str, hits: list[Hit]) -> list[Hit]:
        self._hits[(doc_id, query)] = hits
        if len(self._hits) > HIT_CACHE:
            self._hits.popitem(last=False)
        return hits

    # ---------------------------------------------------------------- entities
    @_repairing
    def appearing_with(self, name: str, kind: str | None = None, within: str = "") -> list[EntityCount]:
        """Who and what the documents naming this entity also name, by documents in common, most
        first; among the documents `within` matches when given (the reader's current results).
        `name` is any of the entity's names; the documents naming both are `entity_query` of each."""
        entity = entity_query(kind, name)
        with self._lock:
            parsed = self.builder.parse(f"{entity} ({within})" if within.strip() else entity)
            searcher = self._current()
            docnums = searcher.matching(parsed.runnable) if parsed.query is not None else []
            stored = [searcher.stored_fields(d).get("mentions", []) for d in docnums]
            named = self.builder.parse(entity).query
        itself = {name.casefold(), *(getattr(t, "text", "") for t in leaves(named) if field_of(t) in ENTITY_FIELDS)} if named else {name.casefold()}
        together: Counter[tuple[str, str]] = Counter()
        for mentions in stored:
            together.update({(k, n) for _, k, n, _, _ in self.entities.canonical_mentions(mentions) if n.casefold() not in itself})
        return [EntityCount(k, n, c) for (k, n), c in sorted(together.items(), key=lambda i: (-i[1], i[0][1].casefold()))]

    def entities_of(self, doc_id: str) -> list[EntityCount]:
        """Mentions per entity in one document, most mentioned first."""
        stored = self.document(doc_id)
        return self.entities.count_mentions(stored.mentions) if stored is not None else []


def _document_of(fields: dict[str, Any]) -> Document:
    return Document(
        doc_id=fields["id"], title=fields.get("title", ""), body=fields.get("body", ""),
        source=fields.get("source", ""), author=fields.get("author", ""),
        published=fields.get("published", ""), language=fields.get("language", ""), url=fields.get("url", ""),
    )


def _hits(fields: dict[str, Any], targets: Targets, terms: QueryTerms) -> list[Hit]:
    """The query's hits in a document, each with its term: words and phrases are told apart by
    what the hit's text analyses to, so the text is scanned once for all of them."""
    mentions = fields.get("mentions", [])
    found: list[Hit] = []
    for name in ("title", "body"):
        text = fields.get(name, "")
        spans = _with_terms(text, text_spans(text, name, targets), terms)
        found.extend(Hit(name, s, e, term) for s, e, term in merge_spans(spans + entity_spans(mentions, name, targets, terms)))
    return found


def _with_terms(text: str, spans: list[tuple[int, int]], terms: QueryTerms) -> list[tuple[int, int, int]]:
    """Each span with its term; a word's hits share it, so each written form is analysed once."""
    seen: dict[str, int] = {}
    found = []
    for start, end in spans:
        written = text[start:end]
        if written not in seen:
            seen[written] = terms.term_of(written)
        found.append((start, end, seen[written]))
    return found


@dataclass
class _Collapsed:
    """One query's rows one a family, as far as they were read (Library._page)."""

    searcher: Searcher
    rows: list[tuple[Any, float, bool]] = dataclasses.field(default_factory=list)
    fields: list[dict[str, Any]] = dataclasses.field(default_factory=list)  # each row's stored fields
    seen: set[str] = dataclasses.field(default_factory=set)
    read: int = 0
    done: bool = False
    totals: Page | None = None


def _row(fields: dict[str, Any], score: float, hits: list[Hit], with_hits: bool, every_word: bool,
         families: Families) -> ResultRow:
    body = [h for h in hits if h.field == "body"]
    family = families.of(fields["id"])
    return ResultRow(
        family=family, copies=len(families.members.get(family, ())) - 1 if family in families.members else 0,
        earliest=families.earliest.get(family, ""),
        doc_id=fields["id"], title=fields.get("title", ""), source=fields.get("source", ""),
        author=fields.get("author", ""), published=fields.get("published", ""), score=round(score, 4),
        hit_count=len(hits),
        snippet=make_snippet(fields.get("body", ""), [(h.start, h.end) for h in body], terms=[h.term for h in body]),
        hits=tuple(hits) if with_hits else (), every_word=every_word,
        hit_places=hit_places(hits, len(fields.get("body", ""))),
    )


PLACES = 8  # parts of a document's body its row's hit strip shows


def hit_places(hits: list[Hit], length: int) -> tuple[tuple[int, int], ...]:
    """Per eighth of the body, (its hits, the term most of them are): the list's hit strip."""
    if not length:
        return ()
    terms: list[Counter[int]] = [Counter() for _ in range(PLACES)]
    for hit in hits:
        if hit.field == "body":
            terms[min(PLACES - 1, hit.start * PLACES // length)][hit.term] += 1
    return tuple((sum(t.values()), t.most_common(1)[0][0] if t else 0) for t in terms)
