"""Following a corpus folder: each burst of changes to its files becomes one index update.

watchfiles (the operating system's file events, in Rust) waits until the folder has been quiet
for a moment, so a `git pull` of 500 files is one update. Where events are not delivered (network
file systems, found in the mount table), it scans every second instead. Hidden files and
margin's own files beside the articles are not changes to follow.
"""

from __future__ import annotations

import threading
from collections.abc import Iterator
from pathlib import Path

from .indexing import UpdateReport
from .library import Library

QUIET_MS = 400  # a burst ends after this long without a change
POLL_MS = 1000  # between scans where the file system sends no events
# File systems whose changes made on another machine send no events here: scanned instead.
NETWORK_FILE_SYSTEMS = ("nfs", "nfs4", "cifs", "smb3", "smbfs", "fuse.sshfs", "9p", "afs", "ceph", "glusterfs",
                        "fuse.rclone", "davfs", "fuse.s3fs")
BUSY_WAIT_S = 0.2  # between attempts while another margin process is updating the index


def _followed(change: object, path: str) -> bool:
    name = Path(path).name
    return not name.startswith(".") and not name.startswith("entity-corrections.yaml")


def network_file_system(folder: Path, mounts: Path = Path("/proc/self/mounts")) -> bool:
    """The folder is on a network file system (Linux: the longest mount point holding it)."""
    try:
        lines = mounts.read_text(encoding="utf-8", errors="replace").splitlines()
    except OSError:
        return False  # not Linux: native events (FSEvents, ReadDirectoryChangesW) are used
    path, best, kind = str(folder.resolve()), "", ""
    for line in lines:
        fields = line.split()
        if len(fields) > 2:
            point = fields[1].replace("\\040", " ")
            if (path == point or path.startswith(point.rstrip("/") + "/")) and len(point) > len(best):
                best, kind = point, fields[2]
    return kind in NETWORK_FILE_SYSTEMS


def updates(corpus: Path, index_dir: Path | None, stop: threading.Event | None = None,
            *, polling: bool | None = None) -> Iterator[UpdateReport]:
    """The index brought up to date after each burst of changes under `corpus`, until `stop`.

    While another margin process (a second reader on the same corpus) holds the update lock, this
    one waits and tries again: the other may have begun before this burst ended.
    """
    import watchfiles

    stop = stop or threading.Event()
    polling = network_file_system(corpus) if polling is None else polling
    for _ in watchfiles.watch(corpus, watch_filter=_followed, debounce=QUIET_MS, step=50, stop_event=stop,
                              force_polling=polling, poll_delay_ms=POLL_MS, raise_interrupt=False, rust_timeout=200,
                              yield_on_timeout=False):
        while True:
            with Library.open(corpus, index_dir) as library:
                report = library.report
            if not report.busy or stop.wait(BUSY_WAIT_S):
                break
        yield report
