"""The Whoosh index on disk: open, create, lock, and write documents.

The index is a cache of the corpus. Anything wrong with it (missing, corrupt, another schema) is
answered by rebuilding, never by a traceback; the caller decides when and says so in one line.
"""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from whoosh import index as whoosh_index
from whoosh import multiproc
from whoosh.filedb.filestore import FileStorage

from ..document import Document
from ..entities import FIELD_OF_TYPE
from .schema import CONTENT, build_schema

LOCK_NAME = "MARGIN_UPDATE"


class IndexUnreadable(Exception):
    """The files in the index folder cannot be opened as an index; the message says why."""


def index_exists(index_dir: Path) -> bool:
    return index_dir.is_dir() and whoosh_index.exists_in(str(index_dir))


def open_index(index_dir: Path) -> Any:
    """Open an existing index and touch its segments, so damage shows now rather than mid-search."""
    try:
        if not index_exists(index_dir):
            raise IndexUnreadable("no index there yet")
        ix = whoosh_index.open_dir(str(index_dir))
        with ix.searcher() as searcher:
            searcher.doc_count()
            next(iter(searcher.reader().field_terms("id")), None)  # one term: enough to read the lexicon
        return ix
    except IndexUnreadable:
        raise
    except Exception as exc:  # Whoosh raises many kinds (EOFError, struct.error, pickle errors...)
        raise IndexUnreadable(f"{type(exc).__name__}: {exc}") from exc


def create_index(index_dir: Path) -> Any:
    """A new, empty index; whatever was in the folder before is removed (it is only a cache)."""
    if index_dir.exists():
        for child in index_dir.iterdir():
            if child.name.startswith(LOCK_NAME):
                continue
            if child.is_dir():
                shutil.rmtree(child, ignore_errors=True)
            else:
                child.unlink(missing_ok=True)
    index_dir.mkdir(parents=True, exist_ok=True)
    return whoosh_index.create_in(str(index_dir), build_schema())


class _WorkerThatDiesWithItsParent(multiproc.SubWriterTask):
    """Whoosh's indexing worker process, killed when the margin process that forked it dies.

    Forked workers inherit the update lock's file (a flock): after `kill -9` or a closed terminal,
    workers that lived on kept the corpus locked ("another margin process is building the index")
    for minutes. With the parent-death signal they go with their parent, and so does the lock.
    """

    def run(self) -> None:
        _die_with_parent()
        super().run()


def _die_with_parent() -> None:
    parent = os.getppid()
    try:
        import ctypes
        import signal

        ctypes.CDLL(None).prctl(1, signal.SIGKILL)  # PR_SET_PDEATHSIG (Linux)
    except (OSError, AttributeError):
        return  # not Linux: workers end when their job queue closes
    if os.getppid() != parent:  # the parent died before the signal was set
        os._exit(1)


multiproc.SubWriterTask = _WorkerThatDiesWithItsParent  # MpWriter looks the class up when it forks


def update_lock(index_dir: Path) -> Any:
    """A lock that only one margin process can hold while it writes this index (None if taken)."""
    index_dir.mkdir(parents=True, exist_ok=True)
    lock = FileStorage(str(index_dir)).lock(LOCK_NAME)
    return lock if lock.acquire(blocking=False) else None


def document_fields(doc: Document, mentions: list[tuple[str, str, str, int, int]]) -> dict[str, Any]:
    """The field values Whoosh stores and indexes for one document.

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
        "source": doc.source,
        "author": doc.author,
        "published": doc.published,
        "language": doc.language,
        "url": doc.url,
        "mentions": mentions,
    }
    fields.update({field: "\n".join(sorted(values)) for field, values in names.items() if values})
    return fields


def write(ix: Any, added: Iterable[dict[str, Any]], removed: Iterable[str], *, fresh: bool, bulk: bool = False) -> None:
    """Add or replace documents and delete removed ids in one commit.

    A `bulk` fresh build analyses in worker processes, one segment each and no final merge: on
    Reuters-21578 that took 23 s instead of 37 to 54 s. Small builds stay in-process, where
    starting workers would cost more than it saves.
    """
    procs = min(os.cpu_count() or 1, 4) if fresh and bulk else 1
    writer = ix.writer(limitmb=1024 // procs, procs=procs, multisegment=procs > 1)
    try:
        for doc_id in removed:
            writer.delete_by_term("id", doc_id)
        add = writer.add_document if fresh else writer.update_document
        for fields in added:
            add(**fields)
    except BaseException:
        writer.cancel()
        raise
    writer.commit()
