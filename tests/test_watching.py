"""Following the corpus folder (issue 12): a burst of changes is one index update."""

from __future__ import annotations

import threading
import time
from pathlib import Path

from margin.search.library import Library
from margin.search.watching import updates

from .conftest import write


def test_a_burst_of_200_files_is_one_update_and_a_removal_another(tmp_path: Path):
    corpus = tmp_path / "c"
    write(corpus, "first.md", "# First\n\ntext")
    Library.open(corpus, tmp_path / "ix").close()
    stop, reports = threading.Event(), []

    def follow() -> None:
        for report in updates(corpus, tmp_path / "ix", stop):
            reports.append(report)

    follower = threading.Thread(target=follow)
    follower.start()
    try:
        time.sleep(0.5)  # the watcher is up
        for i in range(200):
            write(corpus, f"burst/{i:03}.md", f"# Burst {i}\n\nwords {i}")
        _wait_for(lambda: reports)
        time.sleep(1.0)  # no second update comes for the same burst
        assert [(r.added, r.documents) for r in reports] == [(200, 201)]
        (corpus / "first.md").unlink()
        (corpus / ".hidden.md").write_text("ignored")
        _wait_for(lambda: len(reports) == 2)
        assert (reports[1].removed, reports[1].documents) == (1, 200)
    finally:
        stop.set()
        follower.join(timeout=10)
    assert not follower.is_alive()


def _wait_for(condition, timeout: float = 10.0) -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        assert time.monotonic() < deadline, "no update came"
        time.sleep(0.05)
