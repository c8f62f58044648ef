"""The Whoosh index on disk: open, create, lock, and write documents.

The index is a cache of the corpus. Anything wrong with it (missing, corrupt, another schema) is
answered by rebuilding, never by a traceback; the caller decides when and says so in one line.
"""

from __future__ import annotations

import hashlib
import os
import pickle
import shutil
import struct
import zlib
from collections.abc import Iterable
from pathlib import Path
from typing import Any, BinaryIO

from whoosh import index as whoosh_index
from whoosh import multiproc
from whoosh.filedb.filestore import FileStorage
from whoosh.index import TOC

from ..document import Document
from ..entities import FIELD_OF_TYPE
from ..workers import become_worker
from .api import EngineDamage
from .schema import CONTENT, EXACT, build_schema

LOCK_NAME = "MARGIN_UPDATE"
_DAMAGE = (zlib.error, struct.error, EOFError, pickle.UnpicklingError, UnicodeDecodeError, ValueError, IndexError,
           KeyError, OSError)
HEADER_BYTES = 12  # a file's magic number and version
FINGERPRINT_BYTES = 8192


class IndexUnreadable(Exception):
    """The files in the index folder cannot be opened as an index; the message says why."""


class WriteLocked(Exception):
    """Another process holds Whoosh's own write lock (not margin's update lock)."""


def is_damage(exc: BaseException) -> bool:
    """Whether `exc` is what reading damaged index files raises inside Whoosh (zlib, struct, EOF,
    unpickling errors and the like), as opposed to a bug in margin or in Whoosh's query code (an
    AttributeError raised inside Whoosh must not cost a rebuild)."""
    if isinstance(exc, EngineDamage):
        return True
    if not isinstance(exc, _DAMAGE):
        return False
    tb = exc.__traceback__
    last = None
    while tb is not None:
        last = tb.tb_frame.f_code.co_filename
        tb = tb.tb_next
    return last is not None and f"{os.sep}whoosh{os.sep}" in last


def index_exists(index_dir: Path) -> bool:
    return index_dir.is_dir() and whoosh_index.exists_in(str(index_dir))


def open_index(index_dir: Path, *, readonly: bool = False) -> Any:
    """Open an existing index and touch its segments, so damage shows now rather than mid-search."""
    try:
        if not index_exists(index_dir):
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
    """A new, empty index; whatever was in the folder before is removed (it is only a cache)."""
    if index_dir.exists():
        clear(index_dir)
    index_dir.mkdir(parents=True, exist_ok=True)
    return whoosh_index.create_in(str(index_dir), build_schema())


def index_files(index_dir: Path, names: Iterable[str] | None = None) -> dict[str, tuple[int, int, str]]:
    """(size, mtime, digest of the parts read first) of the files of the current index generation
    (or of `names`, paths below `index_dir`).

    Kept in the manifest: a segment written to since (by anything but margin) means damage, found
    at opening for a `stat` and a small read per file instead of a zlib error mid-search.
    """
    found = {}
    for name in sorted(_current_files(index_dir) if names is None else names):
        with open(index_dir / name, "rb") as file:
            st = os.fstat(file.fileno())
            found[name] = (st.st_size, st.st_mtime_ns, _fingerprint(file, st.st_size))
    return found


def _fingerprint(file: BinaryIO, size: int) -> str:
    """A digest of what Whoosh reads before anything else: a file's header and its end, where the
    term index, the posting file's and the columns' directories are kept; or the whole of a small
    file such as the table of contents."""
    digest = hashlib.sha1()
    digest.update(file.read(HEADER_BYTES))
    if size > HEADER_BYTES + FINGERPRINT_BYTES:
        file.seek(size - FINGERPRINT_BYTES)
    digest.update(file.read(FINGERPRINT_BYTES))
    return digest.hexdigest()


def discard_unfinished(index_dir: Path, keep: Iterable[str] = ()) -> None:
    """Remove what a failed write left behind (temporary folders, segments no generation names),
    so that a full disk gets its space back; `keep` names more to leave (another engine's folder)."""
    _remove_all_but(index_dir, _current_files(index_dir) | set(keep))


def _current_files(index_dir: Path) -> set[str]:
    storage = FileStorage(str(index_dir))
    try:
        toc = TOC.read(storage, whoosh_index._DEF_INDEX_NAME)
    except Exception:  # no generation, or an unreadable one: nothing worth keeping
        return set()
    names = {TOC._filename(whoosh_index._DEF_INDEX_NAME, toc.generation)}
    ids = {segment.segment_id() for segment in toc.segments}
    names.update(name for name in storage.list() if name.split(".")[0] in ids)
    return names


def clear(index_dir: Path) -> None:
    """Everything in the folder but the locks: before a new index of either engine is made."""
    _remove_all_but(index_dir, set(), bookkeeping=False)


def _remove_all_but(index_dir: Path, keep: set[str], *, bookkeeping: bool = True) -> None:
    """Everything in the folder but `keep`, the locks and (with `bookkeeping`) margin's *.json."""
    for child in index_dir.iterdir():
        locks = child.name.startswith(LOCK_NAME) or child.name.endswith("WRITELOCK")
        if child.name in keep or locks or (bookkeeping and child.suffix == ".json"):
            continue
        if child.is_dir():
            shutil.rmtree(child, ignore_errors=True)
        else:
            child.unlink(missing_ok=True)


class _WorkerThatDiesWithItsParent(multiproc.SubWriterTask):
    """Whoosh's indexing worker process, killed when the margin process that forked it dies
    (see margin.search.workers)."""

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
