"""Following the corpus folder (issue 12): a burst of changes is one index update."""

from __future__ import annotations

import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest

from margin.search.index.indexing import UpdateReport
from margin.search.index.watching import updates
from margin.search.library import Library

from .conftest import write

pytestmark = pytest.mark.usefixtures("each_engine")  # every test on both engines


@contextmanager
def following(tmp_path: Path, *, polling: bool | None = None) -> Iterator[tuple[Path, list[UpdateReport]]]:
    """A corpus of one file, indexed, followed by `updates` in a thread: (corpus, reports so far)."""
    corpus = tmp_path / "c"
    write(corpus, "first.md", "# First\n\ntext")
    Library.open(corpus, tmp_path / "ix").close()
    stop, reports = threading.Event(), []

    def follow() -> None:
        for report in updates(corpus, tmp_path / "ix", stop, polling=polling):
            reports.append(report)

    follower = threading.Thread(target=follow)
    follower.start()
    try:
        time.sleep(1.5 if polling else 0.5)  # the watcher is up (a scan has run)
        yield corpus, reports
    finally:
        stop.set()
        follower.join(timeout=10)
    assert not follower.is_alive()


def test_a_burst_of_200_files_is_one_update_and_a_removal_another(tmp_path: Path):
    with following(tmp_path) as (corpus, reports):
        for i in range(200):
            write(corpus, f"burst/{i:03}.md", f"# Burst {i}\n\nwords {i}")
        _wait_for(lambda: reports)
        time.sleep(1.0)  # no second update comes for the same burst
        assert [(r.added, r.documents) for r in reports] == [(200, 201)]
        (corpus / "first.md").unlink()
        (corpus / ".hidden.md").write_text("ignored")
        _wait_for(lambda: len(reports) == 2)
        assert (reports[1].removed, reports[1].documents) == (1, 200)


def _wait_for(condition, timeout: float = 10.0) -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        assert time.monotonic() < deadline, "no update came"
        time.sleep(0.05)


async def test_the_reader_follows_files_written_edited_and_removed(tmp_path: Path):
    import asyncio

    from .tui_helpers import doc_list, make_app, painted_text, settle, started, until

    corpus = tmp_path / "live"
    write(corpus, "a.md", "---\ntitle: Alpha story\npublished: 2024-01-02\n---\n\nAlpha text about phones.")
    write(corpus, "b.md", "---\ntitle: Beta story\npublished: 2024-01-01\n---\n\nBeta text.")
    app = make_app(tmp_path, corpus=corpus)

    async with app.run_test(size=(120, 30)) as pilot:
        await started(pilot)
        await asyncio.sleep(0.5)  # the watcher is up
        write(corpus, "c.md", "---\ntitle: Gamma story\npublished: 2024-01-03\n---\n\nGamma text.")
        await until(pilot, lambda: doc_list(app).total == 3)
        assert any("Gamma story" in line for line in painted_text(doc_list(app)))
        notices: list[str] = []
        app.notify = lambda message, **kw: notices.append(str(message))  # type: ignore[method-assign]
        shown = app.main.reader.document.document.doc_id
        (corpus / shown).write_text((corpus / shown).read_text() + "\n\nA new closing line.")
        await until(pilot, lambda: "A new closing line." in app.main.reader.body)
        assert any("changed on disk" in n for n in notices)
        (corpus / "b.md").unlink()
        await until(pilot, lambda: doc_list(app).total == 2)
        assert not any("Beta story" in line for line in painted_text(doc_list(app)))
        # A tagged and starred article renamed: its passage and its star follow it.
        service = app.main.passages
        stored = app.main.library.document("a.md")
        start = stored.document.body.index("Alpha text")
        service.tag(stored.document, start, start + len("Alpha text"), ("later",), "")
        listed = doc_list(app)
        listed.move_to_result(next(i for i, row in listed.rows.items() if row.doc_id == "a.md"))
        await settle(pilot)
        await pilot.press("asterisk")
        await settle(pilot)
        assert listed.marks is not None and listed.marks["a.md"].starred
        (corpus / "a.md").rename(corpus / "renamed.md")
        await until(pilot, lambda: doc_list(app).marks is not None and "renamed.md" in doc_list(app).marks)
        assert doc_list(app).marks["renamed.md"].starred
        assert [p.doc_id for p in service.search(tag="later")] == ["renamed.md"]
        assert any(line.strip("│ ").startswith("★ Alpha story") for line in painted_text(doc_list(app)))


async def test_a_second_reader_catches_up_with_the_index_another_process_updated(tmp_path: Path):
    """Two readers on one corpus: the one that did not write the index (its update found nothing
    left to do, or found the lock taken and waited) shows the change too."""
    import asyncio

    from margin.search.engine.locking import update_lock

    from .tui_helpers import doc_list, make_app, painted_text, settle, started, until

    corpus = tmp_path / "shared"
    write(corpus, "a.md", "---\ntitle: Alpha story\npublished: 2024-01-02\n---\n\nAlpha text.")
    app = make_app(tmp_path, corpus=corpus)

    async with app.run_test(size=(120, 30)) as pilot:
        await started(pilot)
        await asyncio.sleep(0.5)
        # The other process indexes the new file before this reader's burst ends.
        write(corpus, "b.md", "---\ntitle: Beta story\npublished: 2024-01-03\n---\n\nBeta text.")
        Library.open(corpus, tmp_path / "index").close()
        await until(pilot, lambda: doc_list(app).total == 2, "the reader did not catch up")
        assert any("Beta story" in line for line in painted_text(doc_list(app)))
        # The other process holds the update lock for a while: this reader waits, then updates.
        lock = update_lock(tmp_path / "index")
        try:
            write(corpus, "c.md", "---\ntitle: Gamma story\npublished: 2024-01-04\n---\n\nGamma text.")
            await asyncio.sleep(1.2)
            await settle(pilot)
            assert doc_list(app).total == 2
        finally:
            lock.release()
        await until(pilot, lambda: doc_list(app).total == 3, "the reader did not catch up")
        assert any("Gamma story" in line for line in painted_text(doc_list(app)))


def test_a_folder_on_a_network_file_system_is_scanned_not_watched(tmp_path: Path):
    from margin.search.index.watching import network_file_system

    mounts = tmp_path / "mounts"
    mounts.write_text("/dev/sda1 / ext4 rw 0 0\nserver:/export /mnt/papers nfs4 rw 0 0\n"
                      "host:/x /mnt/papers\\040two fuse.sshfs rw 0 0\n")
    assert network_file_system(Path("/mnt/papers/2024"), mounts)
    assert network_file_system(Path("/mnt/papers two/a"), mounts)
    assert not network_file_system(Path("/mnt/papersX"), mounts)
    assert not network_file_system(Path("/home/me/articles"), mounts)
    assert not network_file_system(tmp_path, tmp_path / "no-mount-table")


def test_polling_follows_changes_too(tmp_path: Path):
    with following(tmp_path, polling=True) as (corpus, reports):
        write(corpus, "second.md", "# Second\n\ntext")
        _wait_for(lambda: reports)
        assert (reports[0].added, reports[0].documents) == (1, 2)


def test_scan_later_opens_the_index_as_built_and_a_scan_catches_up(tmp_path: Path):
    corpus = tmp_path / "c"
    write(corpus, "first.md", "# First\n\ntext")
    Library.open(corpus, tmp_path / "ix").close()
    write(corpus, "second.md", "# Second\n\ntext")
    with Library.open(corpus, tmp_path / "ix", scan_later=True) as library:
        assert library.report.deferred and library.report.documents == 1
    with Library.open(corpus, tmp_path / "ix") as library:
        assert (library.report.added, library.report.documents) == (1, 2)
    with Library.open(corpus, tmp_path / "ix", scan_later=True, rebuild=True) as library:
        assert not library.report.deferred and library.report.documents == 2  # a rebuild is never put off


async def test_the_reader_shows_the_index_at_once_and_then_what_changed_while_it_was_closed(tmp_path: Path):
    from .tui_helpers import doc_list, make_app, painted_text, search, settle, started

    corpus = tmp_path / "c"
    write(corpus, "a.md", "---\ntitle: Alpha story\npublished: 2024-01-02\n---\n\nAlpha text.")
    Library.open(corpus, tmp_path / "index").close()
    write(corpus, "b.md", "---\ntitle: Beta story\npublished: 2024-01-03\n---\n\nBeta text.")
    write(corpus, "broken.pdf", "not a pdf")
    app = make_app(tmp_path, corpus=corpus)
    async with app.run_test(size=(120, 30)) as pilot:
        await started(pilot)
        await settle(pilot)
        assert doc_list(app).total == 2
        assert any("Beta story" in line for line in painted_text(doc_list(app)))
        status = app.query_one("#status").text
        assert "2 documents" in status and "1 file skipped (first: broken.pdf:" in status
        await search(pilot, "alpha")  # what the index reported stays beside later results (issue 26)
        status = " ".join(painted_text(app.query_one("#status")))
        assert "1 of 2 documents for alpha" in status and "1 file skipped (first: broken.pdf:" in status


def test_following_outlives_the_folder_going_away_and_coming_back(tmp_path: Path):
    """Issue 25: the folder renamed away for 3 s stopped `--watch` and the reader's follower for good."""
    with following(tmp_path) as (corpus, reports):
        away = corpus.with_name("away")
        corpus.rename(away)
        time.sleep(2.5)
        away.rename(corpus)
        time.sleep(1.5)  # watched anew
        write(corpus, "later.md", "# Later\n\nafter the folder came back")
        _wait_for(lambda: any(r.added for r in reports))
        assert reports[-1].documents == 2


def test_a_first_build_elsewhere_is_waited_for_not_a_failure(tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    """Issue 25: two watchers on one corpus: one exited with "another margin process is building the index"."""
    from margin.search.errors import IndexBusy
    from margin.search.index import watching

    real_open, calls = Library.open, []

    def busy_twice(*args, **kwargs):
        calls.append(1)
        if len(calls) <= 2:
            raise IndexBusy("another margin process is building the index; try again")
        return real_open(*args, **kwargs)

    with following(tmp_path) as (corpus, reports):
        monkeypatch.setattr(watching.Library, "open", busy_twice)
        write(corpus, "new.md", "# New\n\nwords")
        _wait_for(lambda: reports)
        assert (reports[0].added, len(calls)) == (1, 3)


def test_what_changed_while_the_folder_was_away_is_indexed_when_it_comes_back(tmp_path: Path):
    with following(tmp_path) as (corpus, reports):
        away = corpus.with_name("away")
        corpus.rename(away)
        time.sleep(2.0)
        write(away, "meanwhile.md", "# Meanwhile\n\nwritten while the folder was elsewhere")
        away.rename(corpus)
        _wait_for(lambda: any(r.added for r in reports))  # no change after it came back
        assert reports[-1].documents == 2
