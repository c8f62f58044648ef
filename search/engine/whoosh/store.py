"""The Whoosh index on disk: open, create and write documents.

The index is a cache of the corpus. Anything wrong with it (missing, corrupt, another schema) is
answered by rebuilding, never by a traceback; the caller decides when and says so in one line.
"""

from __future__ import annotations

import os
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from whoosh import index as whoosh_index
from whoosh import multiproc
from whoosh.filedb.filestore import FileStorage
from whoosh.index import TOC

from margin.search.engine.api import IndexUnreadable, WriteLocked
from margin.search.engine.whoosh import exists
from margin.search.engine.whoosh.schema import build_schema
from margin.search.index.workers import become_worker


def open_index(index_dir: Path, *, readonly: bool = False) -> Any:
    """Open an existing index and touch its segments, so damage shows now rather than mid-search."""
    try:
        if not exists(index_dir):
            raise IndexUnreadable("no index there yet")
        ix = whoosh_index.open_dir(str(index_dir), readonly=readonly)
        with ix.searcher() as searcher:
            searcher.doc_count()
            next(iter(searcher.reader().field_terms("id")), None)  # one term: enough to read the lexicon
        return ix
    except IndexUnreadable:
        raise
    except Exception as exc:  # Whoosh raises many kinds (EOFError, struct.error, pickle errors...)
        raise IndexUnreadable(f"{type(exc).__name__}: {exc}") from exc


def create_index(index_dir: Path) -> Any:
    """A new, empty index in an emptied folder (see engine.create_index)."""
    return whoosh_index.create_in(str(index_dir), build_schema())


def current_files(index_dir: Path) -> set[str]:
    """The files of the index's current generation (see engine.files.index_files)."""
    storage = FileStorage(str(index_dir))
    try:
        toc = TOC.read(storage, whoosh_index._DEF_INDEX_NAME)
    except Exception:  # no generation, or an unreadable one: nothing worth keeping
        return set()
    names = {TOC._filename(whoosh_index._DEF_INDEX_NAME, toc.generation)}
    ids = {segment.segment_id() for segment in toc.segments}
    names.update(name for name in storage.list() if name.split(".")[0] in ids)
    return names


class _WorkerThatDiesWithItsParent(multiproc.SubWriterTask):
    """Whoosh's indexing worker process, killed when the margin process that forked it dies
    (see margin.search.index.workers)."""

    def run(self) -> None:
        become_worker()
        try:
            super().run()
        except Exception:  # a full disk, say: the parent sees the exit code and says it in one line
            raise SystemExit(1) from None


def _stop_workers(writer: Any) -> None:
    """End a parallel build's workers: `cancel()` only flags them in this process, and a worker
    still waiting for a job kept the failed (or interrupted) command from exiting."""
    for task in getattr(writer, "tasks", ()):
        task.kill()
        task.join()


multiproc.SubWriterTask = _WorkerThatDiesWithItsParent  # MpWriter looks the class up when it forks


def write(ix: Any, added: Iterable[dict[str, Any]], removed: Iterable[str], *, fresh: bool, bulk: bool = False) -> None:
    """Add the documents of new and changed files and delete those of removed files (by their
    `file` field: a feed or a mailbox holds many documents) in one commit. `removed` is read after
    `added`, which may add to it.

    A `bulk` fresh build analyses in worker processes, one segment each and no final merge: on
    Reuters-21578 that took 23 s instead of 37 to 54 s. Small builds stay in-process, where
    starting workers would cost more than it saves.

    Segments are written as separate files (`compound=False`): Whoosh copies every part of a
    compound segment it opens into memory (a BytesIO over the mapped file), which held over a
    gigabyte in the reader at 100,000 documents; separate files are read through the page cache.
    """
    procs = min(os.cpu_count() or 1, 4) if fresh and bulk else 1
    try:
        writer = ix.writer(limitmb=1024 // procs, procs=procs, multisegment=procs > 1, compound=False)
    except whoosh_index.LockError as exc:
        raise WriteLocked(str(exc)) from exc
    try:
        replaced: set[str] = set()
        for fields in added:
            if not fresh and fields["file"] not in replaced:  # a changed file: its old documents go
                replaced.add(fields["file"])
                writer.delete_by_term("file", fields["file"])
            writer.add_document(**fields)
        for file_id in removed:  # after the documents: reading them may find more to remove
            writer.delete_by_term("file", file_id)
    except BaseException:
        _stop_workers(writer)
        writer.cancel()
        raise
    writer.commit()
    if any(task.exitcode for task in getattr(writer, "tasks", ())):
        raise OSError("an indexing worker process failed (is the disk full?)")
