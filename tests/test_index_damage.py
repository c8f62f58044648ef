"""Damage to the index folder, found at opening or mid-search, is repaired once with a notice."""

from __future__ import annotations

import json
import multiprocessing
import os
from pathlib import Path

import pytest

from margin.search.engine import files
from margin.search.engine.whoosh import store
from margin.search.errors import IndexUnwritable
from margin.search.index import indexing, preparing
from margin.search.index.corpus import MANIFEST
from margin.search.index.indexing import EXTRAS
from margin.search.library import Library
from margin.tui.cli import main

from .conftest import write
from .test_index import ids


def damage_in_place(index_dir: Path, part: str = "._stored.col") -> None:
    """Bytes changed inside one part of every segment with the stat kept, as a bad sector would
    leave them: opening cannot see damage to the stored documents, the first read of them does."""
    for segment in index_dir.glob(f"*{part}"):
        kept = segment.stat()
        data = bytearray(segment.read_bytes())
        for at in range(files.HEADER_BYTES, len(data) - files.FINGERPRINT_BYTES - 100, 7):  # where opening does not read
            data[at] ^= 0x5A
        segment.write_bytes(bytes(data))
        os.utime(segment, ns=(kept.st_atime_ns, kept.st_mtime_ns))


def segment_files(index_dir: Path) -> list[Path]:
    """The files of the index's segments (terms, postings, columns), largest first."""
    files = [p for p in index_dir.glob("MAIN_*") if p.is_file() and not p.name.endswith("WRITELOCK")]
    return sorted(files, key=lambda p: -p.stat().st_size)


def test_a_segment_written_to_by_something_else_is_rebuilt_at_opening(corpus: Path, tmp_path: Path):
    Library.open(corpus, tmp_path / "ix").close()
    segment = segment_files(tmp_path / "ix")[0]
    with segment.open("r+b") as file:
        file.seek(100)
        file.write(b"\x00" * 16)
    with Library.open(corpus, tmp_path / "ix") as library:
        assert library.report.rebuilt == "index files were changed or damaged outside margin"
        assert ids(library, "alpha") == ["one.md"]


def test_a_damaged_segment_directory_is_found_at_opening(corpus: Path, tmp_path: Path):
    """Whoosh unpickles it first; damaged, it took 51 s to fail."""
    larger(corpus)
    Library.open(corpus, tmp_path / "ix").close()
    for segment in segment_files(tmp_path / "ix"):
        kept = segment.stat()
        data = bytearray(segment.read_bytes())
        data[-200:-100] = bytes(b ^ 0x5A for b in data[-200:-100])
        segment.write_bytes(bytes(data))
        os.utime(segment, ns=(kept.st_atime_ns, kept.st_mtime_ns))
    with Library.open(corpus, tmp_path / "ix") as library:
        assert library.report.rebuilt == "index files were changed or damaged outside margin"
        assert ids(library, "alpha") == ["one.md"]


def larger(corpus: Path) -> None:
    """Enough text for a segment larger than what opening reads of it (small ones are read whole)."""
    for i in range(40):
        write(corpus, f"more/{i}.txt", f"Filler {i}\n" + " ".join(f"word{i}x{j}" for j in range(300)))


def test_damage_met_by_a_search_rebuilds_once_and_answers(corpus: Path, tmp_path: Path):
    larger(corpus)
    Library.open(corpus, tmp_path / "ix").close()
    damage_in_place(tmp_path / "ix")
    with Library.open(corpus, tmp_path / "ix") as library:
        assert library.report.rebuilt is None  # opening saw nothing wrong
        assert library.document("more/0.txt") is not None  # stored where the damage is: rebuilt and read again
        results = library.search("word0x0")
        assert [r.doc_id for r in results.rows] == ["more/0.txt"]
        assert len(results.index_notices) == 1 and results.index_notices[0].startswith("the index was damaged (")
        assert library.search("word0x0").index_notices == []  # said once


def test_the_command_line_says_damage_in_one_line(corpus: Path, tmp_path: Path, capsys):
    larger(corpus)
    Library.open(corpus, tmp_path / "ix").close()
    damage_in_place(tmp_path / "ix")
    code = main(["--corpus", str(corpus), "--index", str(tmp_path / "ix"), "show", "more/0.txt"])
    out, err = capsys.readouterr()
    assert code == 0 and "word0x0" in out
    assert "Traceback" not in err and err.count("the index was damaged") == 1


@pytest.mark.parametrize("manifest", [
    [], {"schema": 1}, {"schema": 1, "corpus": "c", "gazetteer_sha1": "", "files": [], "skipped": {}},
    {"schema": 1, "corpus": "c", "gazetteer_sha1": "", "files": {"a": 3}, "skipped": {}},
    {"schema": 1, "corpus": "c", "gazetteer_sha1": "", "files": {}, "skipped": {"a": [1, 2]}},
    {"schema": 1, "corpus": 5, "gazetteer_sha1": "", "files": {}, "skipped": {}, "index_files": {"x": "y"}},
])
def test_a_manifest_of_the_wrong_shape_rebuilds(corpus: Path, tmp_path: Path, manifest: object):
    Library.open(corpus, tmp_path / "ix").close()
    (tmp_path / "ix" / MANIFEST).write_text(json.dumps(manifest))
    with Library.open(corpus, tmp_path / "ix") as library:
        assert library.report.rebuilt == "index bookkeeping missing or unreadable"
        assert library.report.documents == 3


@pytest.mark.parametrize("extras", [[1], {"vocabulary": [1]}, {"vocabulary": {"a": "b"}}, {"names": {"a": 1}}, "x"])
def test_extras_of_the_wrong_shape_rebuild(corpus: Path, tmp_path: Path, extras: object):
    Library.open(corpus, tmp_path / "ix").close()
    (tmp_path / "ix" / EXTRAS).write_text(json.dumps(extras))
    with Library.open(corpus, tmp_path / "ix") as library:
        assert library.report.rebuilt == f"{EXTRAS} missing or unreadable"
        assert library.search("alpa").total == 0 and library.vocabulary.suggest_query("alpa") == "alpha"


def test_whooshs_own_write_lock_held_elsewhere_gives_read_only_use(corpus: Path, tmp_path: Path):
    Library.open(corpus, tmp_path / "ix").close()
    write(corpus, "four.md", "# Delta\nDelta wing.")
    holder = store.open_index(tmp_path / "ix").writer()  # as any other Whoosh program would hold it
    try:
        with Library.open(corpus, tmp_path / "ix") as library:
            assert "write lock" in library.report.read_only and library.report.added == 0
            assert ids(library, "alpha") == ["one.md"] and ids(library, "delta") == []
    finally:
        holder.cancel()
    with Library.open(corpus, tmp_path / "ix") as library:
        assert ids(library, "delta") == ["four.md"]


def refuse_writes(monkeypatch) -> None:
    def denied(index_dir: Path) -> None:
        raise PermissionError(13, "Permission denied")

    monkeypatch.setattr(indexing, "update_lock", denied)


def test_a_read_only_index_folder_is_used_read_only(corpus: Path, tmp_path: Path, monkeypatch):
    Library.open(corpus, tmp_path / "ix").close()
    refuse_writes(monkeypatch)
    with Library.open(corpus, tmp_path / "ix") as library:
        assert library.report.read_only == (f"cannot write the index folder {tmp_path / 'ix'}: Permission denied; "
                                            "showing the index as it was last built")
        assert ids(library, "alpha") == ["one.md"]


def test_a_read_only_folder_without_an_index_is_a_clear_error(corpus: Path, tmp_path: Path, monkeypatch):
    refuse_writes(monkeypatch)
    with pytest.raises(IndexUnwritable, match="Permission denied; choose another with --index"):
        Library.open(corpus, tmp_path / "ix")
    monkeypatch.undo()
    Library.open(corpus, tmp_path / "ix").close()
    (tmp_path / "ix" / MANIFEST).write_text("{")
    refuse_writes(monkeypatch)
    with pytest.raises(IndexUnwritable, match=r"the index in it cannot be used \(index bookkeeping missing"):
        Library.open(corpus, tmp_path / "ix")


def test_a_failed_write_gives_back_the_space_it_took(corpus: Path, tmp_path: Path, monkeypatch):
    Library.open(corpus, tmp_path / "ix").close()
    before = sorted(p.name for p in (tmp_path / "ix").iterdir())
    write(corpus, "four.md", "# Delta\nDelta wing.")

    def disk_full(ix, added, removed, **kw) -> None:  # as Whoosh's writer meets a full disk
        (tmp_path / "ix" / "MAIN_half_written.seg").write_bytes(b"x" * 1000)
        (tmp_path / "ix" / "abc.tmp").mkdir()
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(store, "write", disk_full)
    with pytest.raises(IndexUnwritable, match="No space left on device"):
        Library.open(corpus, tmp_path / "ix")
    assert sorted(p.name for p in (tmp_path / "ix").iterdir()) == before


def test_an_interrupted_parallel_build_leaves_no_worker_behind(corpus: Path, tmp_path: Path, monkeypatch):
    """Workers waiting for jobs used to keep a failed or interrupted build from exiting."""
    monkeypatch.setattr(indexing, "BULK_FILES", 2)
    monkeypatch.setattr(os, "cpu_count", lambda: 2)
    for i in range(40):
        write(corpus, f"bulk/{i}.txt", f"Bulk {i}\nshared words")
    real = preparing.read_documents

    def interrupted(corpus: Path, path: Path, data: bytes):  # in a worker process
        if path.name == "29.txt":
            raise KeyboardInterrupt
        return real(corpus, path, data)

    monkeypatch.setattr(preparing, "read_documents", interrupted)
    with pytest.raises(KeyboardInterrupt):
        Library.open(corpus, tmp_path / "ix")
    assert multiprocessing.active_children() == []
