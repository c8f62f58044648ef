"""The update lock: one margin process at a time writes an index, whichever engine holds it.

An advisory lock on a file in the index folder (flock on POSIX, msvcrt's region lock on
Windows), released by the system when its process dies, so a killed build never leaves the
index locked. The file is the one Whoosh's FileStorage locked, so older margins still exclude.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

LOCK_NAME = "MARGIN_UPDATE"


class UpdateLock:
    """A held lock; `release` ends it (the process ending does too)."""

    def __init__(self, fd: int) -> None:
        self._fd: int | None = fd

    def release(self) -> None:
        if self._fd is not None:
            _unlock(self._fd)
            os.close(self._fd)
            self._fd = None


def update_lock(index_dir: Path) -> UpdateLock | None:
    """A lock that only one margin process can hold while it writes this index (None if taken)."""
    index_dir.mkdir(parents=True, exist_ok=True)
    fd = os.open(index_dir / LOCK_NAME, os.O_CREAT | os.O_WRONLY)
    if _lock(fd):
        return UpdateLock(fd)
    os.close(fd)
    return None


if sys.platform == "win32":
    import msvcrt

    def _lock(fd: int) -> bool:
        try:
            msvcrt.locking(fd, msvcrt.LK_NBLCK, 1)
        except OSError:
            return False
        return True

    def _unlock(fd: int) -> None:
        msvcrt.locking(fd, msvcrt.LK_UNLCK, 1)

else:
    import fcntl

    def _lock(fd: int) -> bool:
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            return False
        return True

    def _unlock(fd: int) -> None:
        fcntl.flock(fd, fcntl.LOCK_UN)
