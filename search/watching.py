"""Following a corpus folder: each burst of changes to its files becomes one index update.

watchfiles (the operating system's file events, in Rust) waits until the folder has been quiet
for a moment, so a `git pull` of 500 files is one update. Where events are not delivered (some
network file systems), it polls. Hidden files and margin's own files beside the articles are not
changes to follow.
"""

from __future__ import annotations

import threading
from collections.abc import Iterator
from pathlib import Path

from .indexing import UpdateReport
from .library import Library

QUIET_MS = 400  # a burst ends after this long without a change
BUSY_WAIT_S = 0.2  # between attempts while another margin process is updating the index


def _followed(change: object, path: str) -> bool:
    name = Path(path).name
    return not name.startswith(".") and not name.startswith("entity-corrections.yaml")


def updates(corpus: Path, index_dir: Path | None, stop: threading.Event | None = None,
            *, polling: bool | None = None) -> Iterator[UpdateReport]:
    """The index brought up to date after each burst of changes under `corpus`, until `stop`.

    While another margin process (a second reader on the same corpus) holds the update lock, this
    one waits and tries again: the other may have begun before this burst ended.
    """
    import watchfiles

    stop = stop or threading.Event()
    for _ in watchfiles.watch(corpus, watch_filter=_followed, debounce=QUIET_MS, step=50, stop_event=stop,
                              force_polling=polling, raise_interrupt=False, rust_timeout=200, yield_on_timeout=False):
        while True:
            with Library.open(corpus, index_dir) as library:
                report = library.report
            if not report.busy or stop.wait(BUSY_WAIT_S):
                break
        yield report
