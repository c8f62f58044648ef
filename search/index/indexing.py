"""Bringing a corpus's index up to date: the only code that writes it.

Opening costs one `stat` per file; only files whose size or mtime changed are read, and only
those whose content hash changed are indexed again, in one commit. The index is rebuilt when it
is missing, corrupt, of another schema version or built with another entities.yaml; while another
margin process holds the update lock, the index is used as it is (read-only).
"""

from __future__ import annotations

import json
import os
import time
from collections import Counter
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from margin.search.engine import analyser, create_index, discard_unfinished, index_exists, index_files, open_index
from margin.search.engine.api import ENGINES, Index, IndexUnreadable, Searcher, WriteLocked
from margin.search.engine.choice import choose, wanted_engine
from margin.search.engine.locking import update_lock
from margin.search.engine.schema import SCHEMA_VERSION
from margin.search.entities.gazetteer import FILENAME as GAZETTEER_FILE
from margin.search.entities.gazetteer import Gazetteer
from margin.search.entities.version import extractor_fingerprint
from margin.search.errors import IndexBusy, IndexUnwritable
from margin.search.index.corpus import (
    FileState,
    Manifest,
    Scan,
    collection_paused,
    ignored_note,
    scan,
    sha1_bytes,
    unknown_kinds,
)
from margin.search.index.preparing import Batch, Item, Job, Prepared, prepared_batches
from margin.search.stories.store import FILENAME as STORIES_FILE
from margin.search.stories.store import SketchRow, StoriesUnreadable, StoryStore
from margin.search.stories.versions import VersionStore

EXTRAS = "margin-extras.json"
REFUSED = FileState(-1, -1)  # the stat of a file the scan refused: never equal to a real one
FIRST_BUILD = "no index yet"
BULK_FILES = 100  # from this many changed files on, they are read in worker processes (bench build)
# From this many, the engine's writer also runs in several processes (Whoosh) or threads (tantivy).
# Below it one writer keeps the documents in file order, so a build gives the same index each time.
PARALLEL_WRITER_FILES = 2000
# From this many, a first build for the reader leaves the rules' names for the scan after the first
# results (about half of a build's time); below it they cost a fraction of a second and come at once.
RULES_LATER_FILES = 100
NAMES_ROUND = 2000  # files a names pass commits at a time, at least (see _rounds)
Progress = Callable[[int, int], None]


@dataclass
class UpdateReport:
    """What opening the library did to the index, for the one-line summary and the status bar."""

    documents: int = 0
    files: int = 0  # files indexed (a feed or mailbox holds several documents)
    added: int = 0
    changed: int = 0
    removed: int = 0
    renamed: dict[str, str] = field(default_factory=dict)  # old file id -> new, for a file moved unchanged
    skipped: list[tuple[str, str]] = field(default_factory=list)  # every skipped file, with why
    newly_skipped: list[tuple[str, str]] = field(default_factory=list)  # those read (and refused) this time
    unknown_kinds: str = ""  # "3 files of kinds margin does not read: .pptx ×2, .jpg"
    ignored: str = ""  # "2 files ignored (.marginignore …)": said by `margin index`
    warnings: list[str] = field(default_factory=list)
    rebuilt: str | None = None
    engine: str = ""  # the engine holding the index (engine.api), for `margin index` to say
    read_only: str | None = None
    deferred: bool = False  # the folder was not scanned, or names were left for later: scan again soon
    names_later: int = 0  # files whose names (the rules', Chinese) are still to be found (Job.names_later)
    named: int = 0  # files whose names this update found
    busy: bool = False  # another margin process held the update lock: this one changed nothing
    seconds: float = 0.0

    @property
    def touched(self) -> bool:
        """Files were added, changed, removed, newly refused or given their names: what a reader
        must show again."""
        return bool(self.added or self.changed or self.removed or self.newly_skipped or self.named)


@dataclass
class UsableIndex:
    """An index that can be searched, with its bookkeeping: what it holds and the words beside it."""

    ix: Index
    manifest: Manifest
    extras: dict[str, Any]
    stories: StoryStore


def bring_up_to_date(corpus: Path, index_dir: Path, gazetteer: Gazetteer, *, rebuild: bool = False,
                     progress: Progress | None = None, scan_later: bool = False,
                     engine: str | None = None) -> tuple[UsableIndex, UpdateReport]:
    """The index of `corpus`, updated (or rebuilt) under the update lock, and what was done.

    With `scan_later`, a usable index is opened as it was last built, without looking at the
    folder (`report.deferred`): the reader shows it at once and brings it up to date in the
    background, since scanning 100,000 files' stat alone takes 0.6 s. A first build it has to
    make leaves the costly names to that scan (`report.names_later`): those in Chinese text, and
    in a folder of 100 files or more those the rules find.

    `engine` (else $MARGIN_ENGINE) asks for an engine: an index built by another is rebuilt. An
    index keeps the engine it was built with, also through a rebuild; a first build chooses by
    the number of files.
    """
    started = time.perf_counter()
    asked, engine_warning = wanted_engine(engine)
    report = UpdateReport(warnings=list(gazetteer.warnings) + ([engine_warning] if engine_warning else []))
    gazetteer_path = corpus / GAZETTEER_FILE
    gazetteer_sha1 = sha1_bytes(gazetteer_path.read_bytes()) if gazetteer_path.is_file() else ""
    if scan_later and not rebuild:
        usable = _usable_index(index_dir, corpus, gazetteer_sha1, False, asked, readonly=True)
        if not isinstance(usable, str):
            report.deferred = True
            return usable, _finish(report, usable, started)
    try:
        lock = update_lock(index_dir)
    except OSError as exc:
        return _read_only(corpus, index_dir, gazetteer_sha1, exc, report, started)
    try:
        usable = _usable_index(index_dir, corpus, gazetteer_sha1, rebuild, asked)
        if lock is None:
            if isinstance(usable, str):
                raise IndexBusy(f"another margin process is building the index for {corpus}; "
                                "try again when it has finished")
            report.read_only = "another margin process is updating the index; showing it as it was"
            report.busy = True
        else:
            found = None
            if isinstance(usable, str):
                report.rebuilt = usable
                found = scan(corpus)
                usable = _new_index(index_dir, corpus, gazetteer_sha1, asked or _engine_before(index_dir, found))
            _update(usable, index_dir, corpus, gazetteer, report, progress, found, names_later=scan_later)
    except OSError as exc:
        if lock is not None:  # a full disk gets back what the failed write took
            discard_unfinished(index_dir, usable.manifest.engine if isinstance(usable, UsableIndex) else "")
        raise IndexUnwritable(f"could not write the index in {index_dir}: {exc.strerror or exc}") from exc
    finally:
        if lock is not None:
            lock.release()
    return usable, _finish(report, usable, started)


def _engine_before(index_dir: Path, found: Scan) -> str:
    """The engine a rebuild keeps (the one recorded), or the one a first build chooses by size."""
    manifest = Manifest.load(index_dir)
    return manifest.engine if manifest is not None and manifest.engine in ENGINES else choose(len(found.files))


def _new_index(index_dir: Path, corpus: Path, gazetteer_sha1: str, engine: str) -> UsableIndex:
    manifest = Manifest(SCHEMA_VERSION, str(corpus), gazetteer_sha1, engine=engine, extractor=extractor_fingerprint())
    usable = UsableIndex(create_index(index_dir, engine), manifest, {}, StoryStore(index_dir, create=True))
    _save_extras(index_dir, usable.extras)
    return usable


def _finish(report: UpdateReport, usable: UsableIndex, started: float) -> UpdateReport:
    report.names_later = len(usable.manifest.names_later)
    report.files = len(usable.manifest.files)
    report.deferred = report.deferred or bool(report.names_later)
    report.skipped = [(doc_id, why) for doc_id, (_, why) in sorted(usable.manifest.skipped.items())]
    report.documents = usable.ix.doc_count()
    report.engine = usable.ix.engine
    report.seconds = time.perf_counter() - started
    return report


def _read_only(corpus: Path, index_dir: Path, gazetteer_sha1: str, exc: OSError, report: UpdateReport,
               started: float) -> tuple[UsableIndex, UpdateReport]:
    """An index folder margin may not write (read-only, another user's): used as it is if it can be."""
    problem = f"cannot write the index folder {index_dir}: {exc.strerror or exc}"
    usable = _usable_index(index_dir, corpus, gazetteer_sha1, False, None, readonly=True)
    if isinstance(usable, str):
        unusable = "" if usable == FIRST_BUILD else f", and the index in it cannot be used ({usable})"
        raise IndexUnwritable(f"{problem}{unusable}; choose another with --index")
    report.read_only = f"{problem}; showing the index as it was last built"
    return usable, _finish(report, usable, started)


def _usable_index(index_dir: Path, corpus: Path, gazetteer_sha1: str, rebuild: bool, asked: str | None, *,
                  readonly: bool = False) -> UsableIndex | str:
    """The index when it can be reused, else why it cannot."""
    if rebuild:
        return "rebuild requested"
    manifest = Manifest.load(index_dir)
    if manifest is None or not (readonly or manifest.files_readable()):
        return "index bookkeeping missing or unreadable" if index_exists(index_dir) else FIRST_BUILD
    if manifest.schema != SCHEMA_VERSION:
        return f"index format changed (version {manifest.schema} -> {SCHEMA_VERSION})"
    if manifest.gazetteer_sha1 != gazetteer_sha1:
        return f"{GAZETTEER_FILE} changed"
    if manifest.engine not in ENGINES:
        return f"index built by an engine this margin does not have ({manifest.engine})"
    if asked is not None and manifest.engine != asked:
        return f"index built with {manifest.engine}, {asked} asked for; passages and reading state are kept"
    extras = load_extras(index_dir)
    if extras is None:
        return f"{EXTRAS} missing or unreadable"
    try:
        if manifest.index_files and index_files(index_dir, manifest.engine) != manifest.index_files:
            return "index files were changed or damaged outside margin"
        stories = StoryStore(index_dir)
    except StoriesUnreadable as exc:
        return f"{STORIES_FILE} missing or unreadable ({exc})"
    try:
        usable = UsableIndex(open_index(index_dir, manifest.engine, readonly=readonly), manifest, extras, stories)
    except (IndexUnreadable, OSError) as exc:
        stories.close()
        return f"index was unreadable ({exc})"
    if manifest.extractor != extractor_fingerprint():  # a better extractor: every file's names found again
        manifest.names_later |= set(manifest.files)
        manifest.extractor = extractor_fingerprint()
    return usable


def _update(usable: UsableIndex, index_dir: Path, corpus: Path, gazetteer: Gazetteer,
            report: UpdateReport, progress: Progress | None, found: Scan | None = None, *,
            names_later: bool = False) -> None:
    """Index added and changed files and delete removed ones in one commit (a long names pass in
    several, see _rounds). `found`: the folder as a first build scanned it to choose the engine. With `names_later`, a first build
    leaves the costly names (Job.names_later) for the next update; any other update finds those left."""
    manifest = usable.manifest
    fresh = not manifest.files
    redo = set() if fresh else set(manifest.names_later)  # read again, names and all
    found = found or scan(corpus)
    report.unknown_kinds = unknown_kinds(found.unknown)
    report.ignored = ignored_note(found)
    if found.ignore_problem:
        report.warnings.append(found.ignore_problem)
    on_disk = found.files
    with collection_paused():
        known = manifest.stats()
        removed = [doc_id for doc_id in known if doc_id not in on_disk]  # refused ones too
        _add_skipped(known, manifest)
        todo = sorted((doc_id, path, state) for doc_id, (path, state) in on_disk.items()
                      if known.get(doc_id) != state or doc_id in redo)  # sorted after filtering: 0.1 s at 100,000
    gone = {manifest.files[doc_id].sha1: doc_id for doc_id in removed}  # a file back under a new name is a rename
    _refuse(found.refused, manifest, report)
    for doc_id in list(manifest.skipped):
        if doc_id not in on_disk and doc_id not in found.refused:
            del manifest.skipped[doc_id]
    if not todo and not removed:
        if report.newly_skipped or not manifest.index_files:  # named once; a new index recorded
            manifest.index_files = index_files(index_dir, manifest.engine)
            manifest.save(index_dir)
        return
    items = [(doc_id, path, state, "" if doc_id in redo else _indexed_sha1(manifest, doc_id))
             for doc_id, path, state in todo]
    job = Job(corpus, gazetteer, analyser(manifest.engine), names_later=names_later and fresh,
              rules_later=len(todo) >= RULES_LATER_FILES, bodies=not fresh)
    for doc_id in removed:
        manifest.files.pop(doc_id, None)  # a refused file was already taken out
        manifest.names_later.discard(doc_id)
    report.removed = len(removed)
    counted = _Counted(progress, len(todo))
    for at, round_items in enumerate(_rounds(items, redo)):
        if not _write_round(usable, index_dir, job, round_items, removed if at == 0 else [], gone, report,
                            counted, fresh=fresh and at == 0):
            return


@dataclass
class _Counted:
    """The progress of one update over all its rounds."""

    progress: Progress | None
    total: int
    done: int = 0

    def one(self) -> None:
        self.done += 1
        if self.progress:
            self.progress(self.done, self.total)


def _rounds(items: list[Item], redo: set[str]) -> Iterator[list[Item]]:
    """The files of one update as the commits that index them: the changed files (and the first
    files read for their names) in one, then the rest of the names pass in rounds of a tenth
    (NAMES_ROUND files at least). Each round's commit saves the manifest, so a names pass that is
    killed or stopped goes on at the next opening from the round it was in, and the reader
    searches each round's names as soon as it is committed."""
    changed = [item for item in items if item[0] not in redo]
    names = [item for item in items if item[0] in redo]
    size = max(NAMES_ROUND, -(-len(names) // 10))
    yield changed + names[:size]
    for start in range(size, len(names), size):
        yield names[start : start + size]


def _write_round(usable: UsableIndex, index_dir: Path, job: Job, items: list[Item], removed: list[str],
                 gone: dict[str, str], report: UpdateReport, counted: _Counted, *, fresh: bool) -> bool:
    """Index `items` and delete `removed` in one commit, then save the manifest and the words
    counted (into `usable.extras`, which the library then reads); False when another process
    held the index's write lock, and nothing was written."""
    manifest = usable.manifest
    # Surface words (did you mean) and words capitalised mid-sentence (names matched as written).
    words: dict[str, Counter[str]] = {"vocabulary": Counter(), "capitalised": Counter()}
    names: dict[str, str] = {}
    sketches: list[SketchRow] = []
    replaced: list[tuple[str, str, str]] = []  # (doc id, title, body) of texts being replaced
    before = None if fresh else usable.ix.searcher()

    def documents() -> Iterator[Any]:
        for batch in prepared_batches(items, job, parallel=len(items) >= BULK_FILES):
            _count_words(batch, words, names)
            for prepared in batch.files:
                doc_id = prepared.file_id
                indexed = doc_id in manifest.files
                applied = _apply(prepared, manifest, report)
                if applied:
                    sketches.extend(prepared.sketches)
                    if before is not None and indexed:
                        replaced.extend(_replaced_texts(before, prepared))
                yield from applied
                if indexed and doc_id not in manifest.files:
                    removed.append(doc_id)  # changed into a file that cannot be read: its documents go
                elif not indexed and doc_id in manifest.files and manifest.files[doc_id].sha1 in gone:
                    report.renamed[gone.pop(manifest.files[doc_id].sha1)] = doc_id
                counted.one()

    try:
        usable.ix.write(documents(), removed, fresh=fresh, bulk=len(items) >= PARALLEL_WRITER_FILES)
        problem = VersionStore(index_dir).keep(replaced)  # after the write: a failed write replaced nothing
        if problem:
            report.warnings.append(problem)
    except WriteLocked:
        report.added = report.changed = report.removed = report.named = 0
        report.renamed.clear()
        report.read_only = "another process holds the index's write lock; showing the index as it was"
        return False
    finally:
        if before is not None:
            before.close()
    usable.stories.update(sketches, removed)  # before the manifest: a build killed between the two is rebuilt
    manifest.index_files = index_files(index_dir, manifest.engine)
    manifest.save(index_dir)
    if words["vocabulary"] or names:
        extras = usable.extras
        for key, counts in words.items():
            saved = extras.setdefault(key, {})
            for word, count in counts.items():
                saved[word] = saved.get(word, 0) + count
        extras.setdefault("names", {}).update(names)
        _save_extras(index_dir, extras)
    return True


def _replaced_texts(searcher: Searcher, prepared: Prepared) -> list[tuple[str, str, str]]:
    """The texts a changed file's documents had, where they differ from the new ones (a file
    read again for its names only keeps its text)."""
    old = []
    for row in prepared.sketches:
        fields = searcher.document(row.doc_id)
        if fields is not None and fields.get("body", "") != prepared.bodies.get(row.doc_id):
            old.append((row.doc_id, fields.get("title", ""), fields.get("body", "")))
    return old


def _refuse(refused: dict[str, str], manifest: Manifest, report: UpdateReport) -> None:
    """Files the scan would not open are skipped like unreadable ones (named once, when new)."""
    for doc_id, why in refused.items():
        known = manifest.skipped.get(doc_id)
        if known is None or known[1] != why:
            _skip(manifest, report, doc_id, REFUSED, why)


def _skip(manifest: Manifest, report: UpdateReport, doc_id: str, state: FileState, why: str) -> None:
    """Record a file that is not indexed, and why; the report names it (this once)."""
    manifest.skipped[doc_id] = (state, why)
    manifest.files.pop(doc_id, None)
    manifest.names_later.discard(doc_id)
    report.newly_skipped.append((doc_id, why))


def _add_skipped(known: dict[str, tuple[int, int, str]], manifest: Manifest) -> None:
    """The skipped files as last seen beside the indexed ones (`Manifest.stats`): a scan's
    FileState equals either while the file is unchanged (a refused file's REFUSED never does)."""
    for doc_id, (state, _) in manifest.skipped.items():
        known.setdefault(doc_id, (state.size, state.mtime_ns, ""))


def _indexed_sha1(manifest: Manifest, doc_id: str) -> str:
    known = manifest.files.get(doc_id)
    return known.sha1 if known is not None else ""


def _count_words(batch: Batch, words: dict[str, Counter[str]], names: dict[str, str]) -> None:
    """The words and names a batch's documents hold, added to the build's (the worker counted
    only the documents read and indexed: a skipped or unchanged file adds none)."""
    words["vocabulary"].update(batch.vocabulary)
    words["capitalised"].update(batch.capitalised)
    for folded, name in batch.names.items():
        names.setdefault(folded, name)


def _apply(prepared: Prepared, manifest: Manifest, report: UpdateReport) -> list[Any]:
    """Record what reading one changed file found; its documents to index (a feed or a mailbox
    holds several), or none when it was skipped or left alone."""
    file_id = prepared.file_id
    if prepared.skipped is not None:
        _skip(manifest, report, file_id, prepared.state, prepared.skipped)
        return []
    known = manifest.files.get(file_id)
    manifest.files[file_id] = prepared.state
    if prepared.unchanged:
        return []
    manifest.skipped.pop(file_id, None)
    if known is None:
        report.added += 1
    elif file_id in manifest.names_later and known == prepared.state:
        report.named += 1  # read again for its names only
    else:
        report.changed += 1
    if prepared.names_later:
        manifest.names_later.add(file_id)
    else:
        manifest.names_later.discard(file_id)
    report.warnings.extend(prepared.warnings)
    return prepared.documents


def load_extras(index_dir: Path) -> dict[str, Any] | None:
    """The words and display names saved beside the index, or None when missing or misshapen."""
    try:
        extras = json.loads((index_dir / EXTRAS).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    if not isinstance(extras, dict):
        return None
    vocabulary, names = extras.get("vocabulary", {}), extras.get("names", {})
    for counts in (vocabulary, extras.get("capitalised", {})):
        if not (isinstance(counts, dict) and all(isinstance(n, int) for n in counts.values())):
            return None
    if not (isinstance(names, dict) and all(isinstance(n, str) for n in names.values())):
        return None
    return extras


def _save_extras(index_dir: Path, extras: dict[str, Any]) -> None:
    tmp = index_dir / (EXTRAS + ".tmp")
    tmp.write_text(json.dumps(extras, ensure_ascii=False), encoding="utf-8")
    os.replace(tmp, index_dir / EXTRAS)
