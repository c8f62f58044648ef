"""The index as a cache of the corpus: build, incremental updates, rebuilds, locks."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest

from margin.search.engine.locking import update_lock
from margin.search.entities.mentions import entity_query
from margin.search.entities.version import extractor_fingerprint
from margin.search.errors import CorpusNotFound, IndexBusy, IndexUnwritable
from margin.search.index import indexing
from margin.search.index.corpus import MANIFEST
from margin.search.index.indexing import FIRST_BUILD
from margin.search.library import Library
from margin.search.readers import documents

from .conftest import write

pytestmark = pytest.mark.usefixtures("each_engine")  # every test on both engines


def ids(library: Library, query: str) -> list[str]:
    return sorted(r.doc_id for r in library.search(query, copies=True).rows)


def total(library: Library, query: str) -> int:
    return library.search(query, suggest=False).total


def test_build_reports_and_indexes_all_formats(corpus: Path, tmp_path: Path):
    with Library.open(corpus, tmp_path / "ix") as library:
        assert library.report.added == 3 and library.report.documents == 3
        assert library.report.rebuilt == FIRST_BUILD
        assert ids(library, "rover") == ["sub/two.txt"] and ids(library, "rays") == ["three.html"]


def test_reopen_without_changes_reads_no_file(corpus: Path, tmp_path: Path, monkeypatch):
    Library.open(corpus, tmp_path / "ix").close()
    monkeypatch.setattr(Path, "read_bytes", lambda self: pytest.fail(f"read {self}"))
    with Library.open(corpus, tmp_path / "ix") as library:
        report = library.report
        assert (report.added, report.changed, report.removed, report.rebuilt) == (0, 0, 0, None)


def test_incremental_add_change_delete(corpus: Path, tmp_path: Path):
    Library.open(corpus, tmp_path / "ix").close()
    write(corpus, "four.md", "# Delta\nDelta wing aircraft.")
    write(corpus, "one.md", "---\ntitle: Alpha report\n---\nThe alpha probe returned.")
    (corpus / "three.html").unlink()
    with Library.open(corpus, tmp_path / "ix") as library:
        r = library.report
        assert (r.added, r.changed, r.removed, r.documents) == (1, 1, 1, 3)
        assert ids(library, "delta") == ["four.md"]
        assert ids(library, "probe") == ["one.md"] and ids(library, "rocket") == []
        assert ids(library, "gamma") == []


def test_touched_but_unchanged_file_is_not_reindexed(corpus: Path, tmp_path: Path):
    Library.open(corpus, tmp_path / "ix").close()
    path = corpus / "one.md"
    os.utime(path, ns=(path.stat().st_atime_ns, path.stat().st_mtime_ns + 10**9))
    with Library.open(corpus, tmp_path / "ix") as library:
        assert (library.report.added, library.report.changed) == (0, 0)


def test_bad_files_are_skipped_with_reasons_and_others_indexed(corpus: Path, tmp_path: Path):
    write(corpus, "empty.txt", "")
    write(corpus, "broken.md", "---\ntitle: [oops\n---\nbody")
    write(corpus, "image.md", b"\x00\x01\x02binary")
    with Library.open(corpus, tmp_path / "ix") as library:
        reasons = dict(library.report.skipped)
        assert set(reasons) == {"empty.txt", "broken.md", "image.md"}
        assert "empty" in reasons["empty.txt"] and "YAML" in reasons["broken.md"] and "binary" in reasons["image.md"]
        assert library.report.documents == 3
    with Library.open(corpus, tmp_path / "ix") as again:  # still reported, not re-read
        assert dict(again.report.skipped) == reasons


def test_a_manifest_of_one_list_per_file_is_still_read(corpus: Path, tmp_path: Path):
    """Manifests keep their files as columns now; one written before (a list per file, and no
    engine when that was Whoosh) must not cost a rebuild, and a misshapen column must."""
    Library.open(corpus, tmp_path / "ix").close()
    manifest = tmp_path / "ix" / MANIFEST
    saved = json.loads(manifest.read_text())
    columns = saved["files"]
    assert sorted(columns) == ["ids", "mtimes", "sha1s", "sizes"]
    old = dict(saved, files={i: [n, m, h] for i, n, m, h in zip(*(columns[k] for k in ("ids", "sizes", "mtimes", "sha1s")))})
    if old["engine"] == "whoosh":
        del old["engine"]
    manifest.write_text(json.dumps(old))
    with Library.open(corpus, tmp_path / "ix") as library:
        assert library.report.rebuilt is None and library.report.added == 0 and ids(library, "alpha") == ["one.md"]
    for damage in (lambda files: files["sizes"].__setitem__(0, "big"), lambda files: files["sha1s"].pop()):
        broken = json.loads(json.dumps(saved))
        damage(broken["files"])  # a value of the wrong type; a column shorter than the others
        manifest.write_text(json.dumps(broken))
        with Library.open(corpus, tmp_path / "ix") as library:
            assert library.report.rebuilt == "index bookkeeping missing or unreadable"


def test_schema_mismatch_rebuilds(corpus: Path, tmp_path: Path):
    Library.open(corpus, tmp_path / "ix").close()
    manifest = tmp_path / "ix" / MANIFEST
    data = json.loads(manifest.read_text())
    data["schema"] = 0
    manifest.write_text(json.dumps(data))
    with Library.open(corpus, tmp_path / "ix") as library:
        assert "index format changed" in library.report.rebuilt and library.report.documents == 3


def test_corrupt_index_rebuilds_with_notice(corpus: Path, tmp_path: Path):
    Library.open(corpus, tmp_path / "ix").close()
    manifest = tmp_path / "ix" / MANIFEST
    data = json.loads(manifest.read_text())
    del data["index_files"]  # as a manifest from before they were recorded: only opening can tell
    manifest.write_text(json.dumps(data))
    for path in [*(tmp_path / "ix").glob("MAIN_*.*"), *(tmp_path / "ix").glob("_MAIN_*.toc"),
                 *(tmp_path / "ix").glob("tantivy/*")]:  # either engine's files
        path.write_bytes(b"\x00garbage")
    with Library.open(corpus, tmp_path / "ix") as library:
        assert library.report.rebuilt.startswith("index was unreadable")
        assert ids(library, "alpha") == ["one.md"]


def test_second_writer_gets_read_only_use(corpus: Path, tmp_path: Path):
    Library.open(corpus, tmp_path / "ix").close()
    write(corpus, "four.md", "# Delta\nDelta wing.")
    lock = update_lock(tmp_path / "ix")  # as another margin process would hold it
    try:
        with Library.open(corpus, tmp_path / "ix") as library:
            assert "another margin process" in library.report.read_only
            assert library.report.documents == 3 and ids(library, "alpha") == ["one.md"]
    finally:
        lock.release()
    with Library.open(corpus, tmp_path / "ix") as library:
        assert ids(library, "delta") == ["four.md"]


def test_lock_held_with_no_index_is_a_clear_error(corpus: Path, tmp_path: Path):
    lock = update_lock(tmp_path / "ix")
    try:
        with pytest.raises(IndexBusy, match="another margin process is building"):
            Library.open(corpus, tmp_path / "ix")
    finally:
        lock.release()


def test_missing_corpus_is_a_clear_error(tmp_path: Path):
    with pytest.raises(CorpusNotFound, match="corpus folder not found"):
        Library.open(tmp_path / "nope")


def test_entities_yaml_change_rebuilds(corpus: Path, tmp_path: Path):
    Library.open(corpus, tmp_path / "ix").close()
    write(corpus, "entities.yaml", "- {name: Rover Team, type: organization, aliases: [rover]}\n")
    with Library.open(corpus, tmp_path / "ix") as library:
        assert library.report.rebuilt == "entities.yaml changed"
        assert ids(library, 'org:"rover team"') == ["sub/two.txt"]


def test_broken_entities_yaml_is_a_warning(corpus: Path, tmp_path: Path):
    write(corpus, "entities.yaml", "- {name: X, type: alien}\n- name: [\n")
    with Library.open(corpus, tmp_path / "ix") as library:
        assert any("entities.yaml" in w and "line" in w for w in library.report.warnings)
        assert library.report.documents == 3


def test_hits_carry_offsets_into_stored_text(corpus: Path, tmp_path: Path):
    with Library.open(corpus, tmp_path / "ix") as library:
        stored = library.document("one.md").document
        hits = library.hits("one.md", "alpha rockets")
        texts = [(h.field, getattr(stored, h.field)[h.start:h.end]) for h in hits]
        assert texts == [("title", "Alpha"), ("body", "alpha"), ("body", "rocket")]


def test_files_over_the_size_limit_are_skipped(corpus: Path, tmp_path: Path, monkeypatch):
    monkeypatch.setattr(documents, "MAX_BYTES", 40)
    with Library.open(corpus, tmp_path / "ix") as library:
        assert any("larger than" in why for _, why in library.report.skipped)


def test_index_folder_that_is_a_file_is_a_clear_error(corpus: Path, tmp_path: Path):
    blocker = write(tmp_path, "blocker", "not a folder")
    with pytest.raises(IndexUnwritable, match="cannot write the index folder .*: Not a directory; choose another"):
        Library.open(corpus, blocker / "ix")


def test_unreadable_file_is_skipped(corpus: Path, tmp_path: Path, monkeypatch):
    import os

    real_open = os.open

    def refuse(path, *args, **kwargs):
        if str(path).endswith("one.md"):
            raise PermissionError(13, "Permission denied")
        return real_open(path, *args, **kwargs)

    monkeypatch.setattr(os, "open", refuse)
    with Library.open(corpus, tmp_path / "ix") as library:
        assert dict(library.report.skipped) == {"one.md": "cannot read: Permission denied"}


def test_bulk_build_in_worker_processes_then_incremental(corpus: Path, tmp_path: Path, monkeypatch):
    import margin.search.index.indexing as library_module

    monkeypatch.setattr(library_module, "BULK_FILES", 2)
    for i in range(6):
        write(corpus, f"bulk/{i}.txt", f"Bulk {i}\nshared words and number{i}")
    with Library.open(corpus, tmp_path / "ix") as library:
        assert library.report.documents == 9
        assert library.search("shared words").total == 6 and ids(library, "number4") == ["bulk/4.txt"]
    (corpus / "bulk" / "4.txt").unlink()
    with Library.open(corpus, tmp_path / "ix") as library:
        assert library.search("shared words").total == 5 and ids(library, "number4") == []


def test_a_bulk_build_from_a_thread_pool_succeeds(corpus: Path, tmp_path: Path, monkeypatch):
    """The reader opens the library in a Textual thread worker (a concurrent.futures thread):
    workers forked from it exited with 1 after their work, and the first opening of BBC News in
    the reader failed with "an indexing worker process failed"."""
    import os
    from concurrent.futures import ThreadPoolExecutor

    import margin.search.index.indexing as library_module

    monkeypatch.setattr(library_module, "BULK_FILES", 2)
    monkeypatch.setattr(os, "cpu_count", lambda: 2)  # workers even on a one-core machine
    for i in range(6):
        write(corpus, f"bulk/{i}.txt", f"Bulk {i}\nshared words and number{i}")
    with ThreadPoolExecutor(1) as pool:
        library = pool.submit(Library.open, corpus, tmp_path / "ix").result()
    with library:
        assert library.search("shared words").total == 6


def test_a_hostile_folder_indexes_what_it_can_and_names_the_rest(tmp_path: Path):
    """FIFOs, links out of the folder or to nowhere, undecodable names, YAML bombs and impossible
    dates: each skipped with its reason, without blocking or reading them; the rest is searchable."""
    import os

    hostile = tmp_path / "hostile"
    write(hostile, "good.md", "# Good\nreadable article text")
    os.mkfifo(hostile / "fifo.md")
    (hostile / "zero.md").symlink_to("/dev/zero")
    (hostile / "passwd.txt").symlink_to("/etc/passwd")
    (hostile / "dangling.md").symlink_to("nowhere.md")
    (hostile / "inside.md").symlink_to(hostile / "good.md")  # inside the folder: followed
    with open(os.path.join(os.fsencode(hostile), b"bad\xffname.md"), "wb") as bad:
        bad.write(b"# Bad name\nbody")
    write(hostile, "date.md", "---\ntitle: Date\npublished: 2025-02-30\n---\nbody")
    write(hostile, "deep.md", "---\ntitle: " + "[" * 5000 + "]" * 5000 + "\n---\nbody")
    lol = '["lol","lol","lol","lol","lol","lol","lol","lol","lol"]'
    bomb = "".join(f"{k}: &{k} [" + ",".join([f"*{p}"] * 9) + "]\n" for p, k in zip("abcdef", "bcdefg"))
    write(hostile, "bomb.md", f"---\na: &a {lol}\n{bomb}title: *g\n---\nbody")
    with Library.open(hostile, tmp_path / "ix") as library:
        skipped = dict(library.report.skipped)
        assert skipped["fifo.md"] == "not a regular file (a FIFO, device or socket)"
        assert skipped["zero.md"] == skipped["passwd.txt"] == \
            "symbolic link to a file outside the corpus folder (not followed)"
        assert skipped["dangling.md"] == "broken or looping symbolic link"
        assert skipped["bad\ufffdname.md"] == "file name is not valid UTF-8 (rename it)"
        assert skipped["date.md"] == "front matter has a value that is not valid: day is out of range for month"
        assert skipped["bomb.md"] == "front matter uses YAML aliases (*name), which margin does not read"
        assert ids(library, "readable") == ["good.md", "inside.md"]
        # Nested brackets: PyYAML before 6.0.4 reads them (no title, still indexed); libyaml in 6.0.4
        # refuses them, and the file is skipped with its reason.
        deep = skipped.get("deep.md")
        assert (deep is None and library.document("deep.md") is not None) or \
            deep == "front matter is not valid YAML at line 2: exceeded maximum nesting depth"
    with Library.open(hostile, tmp_path / "ix") as library:
        assert library.report.newly_skipped == [] and len(library.report.skipped) == len(skipped)  # named once


def test_a_file_over_the_size_limit_is_refused_before_it_is_read(corpus: Path, tmp_path: Path, monkeypatch):
    import margin.search.index.corpus as corpus_module

    monkeypatch.setattr(corpus_module, "MAX_BYTES", 10)
    write(corpus, "big.md", "# Big\n" + "word " * 100)
    with Library.open(corpus, tmp_path / "ix") as library:
        assert dict(library.report.skipped)["big.md"] == "larger than 0 MB"


def test_indexing_workers_die_with_their_parent():
    """A killed build must not leave forked workers holding the update lock (the corpus was locked
    out for minutes): a worker set up as margin sets Whoosh's up goes when its parent is killed."""
    import os
    import signal
    import subprocess
    import sys
    import time

    code = ("import os, time\n"
            "from margin.search.index.workers import die_with_parent\n"
            "pid = os.fork()\n"
            "if pid == 0:\n"
            "    die_with_parent(); time.sleep(60); os._exit(0)\n"
            "print(pid, flush=True); time.sleep(60)\n")
    parent = subprocess.Popen([sys.executable, "-c", code], stdout=subprocess.PIPE, text=True)
    worker = int(parent.stdout.readline())
    time.sleep(0.3)  # the worker sets its parent-death signal
    os.kill(parent.pid, signal.SIGKILL)
    parent.wait()
    deadline = time.time() + 5
    while time.time() < deadline:
        try:
            os.kill(worker, 0)
        except ProcessLookupError:
            return
        time.sleep(0.05)
    os.kill(worker, signal.SIGKILL)
    raise AssertionError("the worker outlived its parent")


def test_an_indexed_file_that_is_later_refused_leaves_the_index(corpus: Path, tmp_path: Path, monkeypatch):
    import margin.search.index.corpus as corpus_module

    write(corpus, "grows.md", "# Grows\nuniqueword " * 3)
    with Library.open(corpus, tmp_path / "ix") as library:
        assert ids(library, "uniqueword") == ["grows.md"]
    monkeypatch.setattr(corpus_module, "MAX_BYTES", 10)
    with Library.open(corpus, tmp_path / "ix") as library:
        assert ids(library, "uniqueword") == [] and library.report.removed >= 1
        assert dict(library.report.newly_skipped)["grows.md"] == "larger than 0 MB"


def test_marginignore_and_the_defaults_leave_files_out_and_say_so(tmp_path: Path):
    """Issue 26: a corpus's README, LICENSE, SOURCE.md and node_modules were indexed as articles;
    `.marginignore` (gitignore syntax) leaves out more, and a change to it applies at the next update."""
    corpus = tmp_path / "c"
    for name in ("a.md", "README.md", "readme.txt", "SOURCE.md", "LICENSE.txt", "node_modules/pkg/notes.md",
                 "drafts/d.md", "drafts/keep.md", "License-fees-rise.md"):
        write(corpus, name, f"# {name}\n\nbody words")
    write(corpus, ".marginignore", "# drafts stay out\ndrafts/\n!drafts/keep.md\n")
    with Library.open(corpus, tmp_path / "ix") as library:
        assert sorted(r.doc_id for r in library.search("body").rows) == ["License-fees-rise.md", "a.md", "drafts/keep.md"]
        assert library.report.ignored.startswith("5 files ignored (.marginignore")
    write(corpus, ".marginignore", "")
    with Library.open(corpus, tmp_path / "ix") as library:
        assert library.report.added == 1 and "drafts/d.md" in {r.doc_id for r in library.search("body").rows}


def test_a_first_build_for_the_reader_leaves_chinese_names_for_the_scan_after(tmp_path: Path, each_engine: str):
    """The first results do not wait for jieba's tagger: the scan that follows them finds the
    names, and a build interrupted before it finds them at the next opening."""
    from margin.search.entities import chinese_names

    corpus = tmp_path / "corpus"
    write(corpus, "en.md", "---\ntitle: Plain\n---\nTony Blair met Gordon Brown in London.\n")
    write(corpus, "zh.md", "---\ntitle: 会见\n---\n国家主席习近平在北京会见了美国总统拜登。\n")
    chinese_names._tagger.cache_clear()  # as in a process that has not loaded it yet
    index = tmp_path / "index"
    with Library.open(corpus, index, scan_later=True) as first:
        assert first.report.names_later == 1 and first.report.deferred
        assert ids(first, 'person:"Tony Blair"') == ["en.md"] and ids(first, "person:习近平") == []
        assert ids(first, "习近平") == ["zh.md"]  # the text is searchable already
    with Library.open(corpus, index) as after:
        assert (after.report.named, after.report.changed, after.report.names_later) == (1, 0, 0)
        assert after.report.touched and ids(after, "person:习近平") == ["zh.md"]
    with Library.open(corpus, index) as again:
        assert not again.report.touched


def test_a_large_first_build_for_the_reader_leaves_the_rules_names_for_the_scan_after(tmp_path: Path):
    """From 100 files on, the rules' names (half of a build's time) also wait for the scan after
    the first results; the curated list's names are there at once."""
    corpus = tmp_path / "corpus"
    write(corpus, "entities.yaml", "- name: Acme Robotics\n  type: organization\n")
    for i in range(100):
        write(corpus, f"{i:03}.md", f"---\ntitle: Talks {i}\n---\nTony Blair met Gordon Brown at Acme Robotics.\n")
    index = tmp_path / "index"
    with Library.open(corpus, index, scan_later=True) as first:
        assert first.report.names_later == 100
        assert total(first, 'org:"Acme Robotics"') == 100 and total(first, 'person:"Tony Blair"') == 0
        with Library.open(corpus, index) as after:
            assert (after.report.named, after.report.names_later) == (100, 0)
            assert total(after, 'person:"Tony Blair"') == 100 and total(after, 'org:"Acme Robotics"') == 100
        # The reader's library, open all along, finds them too, and names them as written.
        assert total(first, 'person:"Tony Blair"') == 100
        assert {"Tony Blair", "Gordon Brown"} <= {c.name for c in first.entities.counts("person")}


def test_a_names_pass_stopped_half_way_goes_on_from_where_it_stopped(tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    """The names pass commits a round at a time: stopped in its third round (a killed reader),
    the next opening reads only the files whose names were not yet committed, and the names of
    the rounds before are searchable meanwhile."""
    monkeypatch.setattr(indexing, "NAMES_ROUND", 40)
    corpus = tmp_path / "corpus"
    for i in range(120):
        write(corpus, f"{i:03}.md", f"---\ntitle: Talks {i}\n---\nTony Blair met Gordon Brown in Leeds.\n")
    index = tmp_path / "index"
    with Library.open(corpus, index, scan_later=True) as first:
        assert first.report.names_later == 120

    def killed(done: int, total: int) -> None:
        if done == 90:
            raise KeyboardInterrupt

    with pytest.raises(KeyboardInterrupt):
        Library.open(corpus, index, progress=killed)
    with Library.open(corpus, index, scan_later=True) as between:
        assert between.report.names_later == 40 and total(between, 'person:"Tony Blair"') == 80
    with Library.open(corpus, index) as after:
        assert (after.report.named, after.report.changed, after.report.names_later) == (40, 0, 0)
        assert total(after, 'person:"Tony Blair"') == 120 and total(after, "leeds") == 120


def test_a_name_with_dotted_abbreviations_finds_its_documents(tmp_path: Path):
    """Issue 29: sidebar rows such as "U.S. District Court" found nothing when chosen."""
    corpus = tmp_path / "corpus"
    write(corpus, "a.md", "---\ntitle: Ruling\n---\nA judge of the U.S. District Court in Manhattan ruled on "
                          "Monday that E.F. Hutton Group Inc must pay.\n")
    with Library.open(corpus, tmp_path / "index") as library:
        names = {c.name for c in library.entities.counts("organization")}
        assert {"U.S. District Court", "E.F. Hutton Group Inc"} <= names
        for name in ("U.S. District Court", "E.F. Hutton Group Inc"):
            assert ids(library, f'org:"{name}"') == ["a.md"]


def test_an_index_found_by_another_extractor_finds_its_names_again(tmp_path: Path):
    """Issue 29: the extractor's fingerprint is recorded; an index whose names another version
    found keeps its text and finds every file's names again, without a rebuild."""
    corpus = tmp_path / "corpus"
    for i in range(3):
        write(corpus, f"{i}.md", f"---\ntitle: Talks {i}\n---\nTony Blair met Gordon Brown in Leeds.\n")
    index = tmp_path / "index"
    with Library.open(corpus, index) as first:
        assert first.report.rebuilt
    manifest = json.loads((index / MANIFEST).read_text(encoding="utf-8"))
    assert manifest["extractor"] == extractor_fingerprint()
    manifest["extractor"] = "an older extractor"
    (index / MANIFEST).write_text(json.dumps(manifest), encoding="utf-8")
    with Library.open(corpus, index) as again:
        assert not again.report.rebuilt and again.report.named == 3
        assert total(again, 'person:"Tony Blair"') == 3
    assert json.loads((index / MANIFEST).read_text(encoding="utf-8"))["extractor"] == extractor_fingerprint()


def test_an_entity_filter_ranks_the_article_about_the_name_first(tmp_path: Path):
    """Issue 29: `person:"Lei Jun"` alone ranks by how much a document is about him: named in
    the title, the first paragraph and throughout (beside the people of his story), above a
    brief that names him and no one else once, though his name is all of that brief's names."""
    corpus = tmp_path / "corpus"
    write(corpus, "brief.md", "---\ntitle: Phone makers report\n---\nSales rose at Apple and Huawei.\n\nLater "
                              "in the day its founder Lei Jun spoke briefly.\n")
    write(corpus, "about.md", "---\ntitle: Lei Jun's long march\n---\nXiaomi founder Lei Jun built a giant.\n\n"
                              "Born in Hubei, Lei Jun studied computing with Tim Cook and Satya Nadella. Lei Jun "
                              "joined Kingsoft under Sundar Pichai. Lei Jun then founded Xiaomi.\n")
    with Library.open(corpus, tmp_path / "index") as library:
        ranked = [r.doc_id for r in library.search('person:"Lei Jun"').rows]
        assert ranked == ["about.md", "brief.md"]


def test_every_sidebar_row_finds_the_documents_it_counts(tmp_path: Path):
    """Issue 29: choosing any row of the corpus sidebar finds exactly the documents it counts:
    dotted abbreviations, apostrophes, ampersands, hyphens, accents, CJK, possessives."""
    corpus = tmp_path / "corpus"
    texts = [
        "A judge of the U.S. District Court ruled that E.F. Hutton Group Inc must pay.",
        "Analysts at Standard & Poor's and at Ernst & Young agreed, said Jean-Claude Juncker.",
        "O'Neill met Mr. O'Neill's lawyer at McDonald's Corp in São Paulo and Zürich.",
        "Chancellor Angela Merkel met Jean-Claude Juncker; Merkel's aides met in Zürich.",
        "小米创始人雷军在北京发布了新手机，雷军说销量很好。",
        "Clint Eastwood's Million Dollar Baby won; Eastwood thanked Warner Bros.",
    ]
    for i, text in enumerate(texts):
        write(corpus, f"{i}.md", f"---\ntitle: Story {i}\n---\n{text}\n")
    with Library.open(corpus, tmp_path / "index") as library:
        rows = library.entities.counts()
        assert len(rows) >= 12
        for row in rows:
            assert (row.name, total(library, entity_query(row.type, row.name))) == (row.name, row.count)
