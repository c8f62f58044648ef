"""An index folder's files, whichever engine wrote them: fingerprints kept in the manifest, and
clearing what a failed write left behind."""

from __future__ import annotations

import hashlib
import os
import shutil
from collections.abc import Iterable
from pathlib import Path
from typing import BinaryIO

from margin.search.engine.locking import LOCK_NAME

HEADER_BYTES = 12  # a file's magic number and version
FINGERPRINT_BYTES = 8192


def index_files(index_dir: Path, names: Iterable[str]) -> dict[str, tuple[int, int, str]]:
    """(size, mtime, digest of the parts read first) of the files of the current index generation
    (`names`, paths below `index_dir`).

    Kept in the manifest: a segment written to since (by anything but margin) means damage, found
    at opening for a `stat` and a small read per file instead of a zlib error mid-search.
    """
    found = {}
    for name in sorted(names):
        with open(index_dir / name, "rb") as file:
            st = os.fstat(file.fileno())
            found[name] = (st.st_size, st.st_mtime_ns, _fingerprint(file, st.st_size))
    return found


def _fingerprint(file: BinaryIO, size: int) -> str:
    """A digest of what an engine reads before anything else: a file's header and its end, where
    Whoosh keeps the term index, the posting file's and the columns' directories; or the whole of
    a small file such as the table of contents."""
    digest = hashlib.sha1()
    digest.update(file.read(HEADER_BYTES))
    if size > HEADER_BYTES + FINGERPRINT_BYTES:
        file.seek(size - FINGERPRINT_BYTES)
    digest.update(file.read(FINGERPRINT_BYTES))
    return digest.hexdigest()


# Kept through a rebuild: the previous texts of changed articles (stories.versions), history
# that no rebuild can make again.
KEPT = {"margin-versions.sqlite"}


def clear(index_dir: Path) -> None:
    """Everything in the folder but the locks and KEPT: before a new index of either engine is made."""
    remove_all_but(index_dir, KEPT, bookkeeping=False)


def remove_all_but(index_dir: Path, keep: set[str], *, bookkeeping: bool = True) -> None:
    """Everything in the folder but `keep`, the locks and (with `bookkeeping`) margin's own files
    (margin-*: the manifest, the words beside the index, the stories' sketches)."""
    for child in index_dir.iterdir():
        locks = child.name.startswith(LOCK_NAME) or child.name.endswith("WRITELOCK")
        if child.name in keep or locks or (bookkeeping and child.name.startswith("margin-") and child.suffix != ".tmp"):
            continue
        if child.is_dir():
            shutil.rmtree(child, ignore_errors=True)
        else:
            child.unlink(missing_ok=True)
