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

from margin.search.errors import CorpusNotFound, IndexBusy
from margin.search.index.indexing import UpdateReport
from margin.search.library import Library

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

    Following never stops because the folder or the lock is briefly elsewhere: while another
    margin process (a second reader, a second watcher) holds the update lock, this one waits and
    tries again (the other may have begun before this burst ended); while the folder is missing
    (renamed away, an unmounted disk), it waits for it to come back, then watches it anew and
    brings the index up to date with what changed meanwhile.
    """
    import watchfiles

    stop = stop or threading.Event()
    polling = network_file_system(corpus) if polling is None else polling
    catch_up = False  # the watch ended with the folder gone: update once it is back
    while not stop.is_set():
        if not corpus.is_dir():
            catch_up = True
            stop.wait(MISSING_WAIT_S)
            continue
        if catch_up and (report := _update(corpus, index_dir, stop)) is not None:
            yield report  # what changed while the folder was away
        catch_up = True
        try:
            for _ in watchfiles.watch(corpus, watch_filter=_followed, debounce=QUIET_MS, step=50, stop_event=stop,
                                      force_polling=polling, poll_delay_ms=POLL_MS, raise_interrupt=False,
                                      rust_timeout=200, yield_on_timeout=False):
                report = _update(corpus, index_dir, stop)
                if report is not None:
                    yield report
                if not corpus.is_dir():
                    break  # watch it again once it is back: the old watch follows nothing
        except OSError:  # the folder went while the watch was being set up
            pass


MISSING_WAIT_S = 1.0  # between looks for a corpus folder that has gone


def _update(corpus: Path, index_dir: Path | None, stop: threading.Event) -> UpdateReport | None:
    """One update, tried again while another process holds the lock; None if stopped or the
    folder has gone (the caller waits for it)."""
    while not stop.is_set():
        try:
            with Library.open(corpus, index_dir) as library:
                report = library.report
        except CorpusNotFound:
            return None
        except IndexBusy:  # a first build or a rebuild under way elsewhere
            report = None
        if report is not None and not report.busy:
            return report
        stop.wait(BUSY_WAIT_S)
    return None
