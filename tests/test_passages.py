"""The passage store: tags and notes, undo, re-anchoring, orphans, migration, two writers, damage."""

from __future__ import annotations

import io
import multiprocessing
import os
import signal
import sqlite3
from pathlib import Path

import pytest

from margin.search.index.corpus import sha1_bytes
from margin.search.passages.store import PassageStore
from margin.search.userdata.database import SCHEMA_VERSION, UserData

TEXT = "Alpha begins. The quick brown fox jumps over the lazy dog. Omega ends the story here."
QUOTE = "The quick brown fox jumps"


def sha(text: str) -> str:
    return sha1_bytes(text.encode())


@pytest.fixture
def store(tmp_path: Path) -> PassageStore:
    return PassageStore(UserData(tmp_path / "user.sqlite"), "/corpus/one")


def add(store: PassageStore, **kwargs):
    start = TEXT.index(QUOTE)
    return store.add("a.md", TEXT, start, start + len(QUOTE), sha(TEXT), **kwargs)


def test_add_edit_tag_counts_and_search(store: PassageStore):
    passage = add(store, tags=["quote", "#animals, later", "quote"], note="first line\nsecond line")
    assert passage.tags == ("quote", "animals", "later") and passage.anchor.exact == QUOTE
    assert passage.anchor.prefix == "Alpha begins. " and passage.anchor.suffix.startswith(" over the lazy dog.")
    edited = store.edit(passage.id, tags=["later"], note="changed")
    assert edited.tags == ("later",) and edited.note == "changed" and edited.updated >= passage.updated
    assert store.tag_counts() == [("later", 1)] and store.tag_counts("other.md") == []
    assert [p.id for p in store.search(tag="later")] == [passage.id]
    assert store.search(text="brown fox") and store.search(text="changed") and not store.search(text="zebra")


def test_delete_and_undo(store: PassageStore):
    passage = add(store, tags=["t"], note="n")
    removed = store.delete(passage.id)
    assert store.for_document("a.md") == []
    back = store.restore(removed)
    assert (back.uuid, back.tags, back.note, back.anchor) == (passage.uuid, passage.tags, passage.note, passage.anchor)


def test_reanchor_after_edits_updates_or_orphans(store: PassageStore):
    kept = add(store)
    start = TEXT.index("Omega")
    gone = store.add("a.md", TEXT, start, start + len("Omega ends"), sha(TEXT))
    changed = "A new first sentence. " + TEXT.replace("Omega ends", "The end")
    results = {p.id: placement for p, placement in store.reanchor("a.md", changed, sha(changed))}
    assert results[kept.id].method == "quote" and results[gone.id] is None
    moved = store.get(kept.id)
    assert changed[moved.anchor.start : moved.anchor.end] == QUOTE and moved.doc_sha1 == sha(changed)
    assert [p.id for p in store.orphans()] == [gone.id] and [p.id for p in store.for_document("a.md")] == [kept.id]


def test_deleted_document_orphans_and_renamed_file_relinks(store: PassageStore):
    passage = add(store)
    assert store.orphan_document("a.md") == 1 and store.orphans()[0].id == passage.id
    relinked = store.relink(passage.id, "renamed/a.md", TEXT, sha(TEXT))
    assert relinked.doc_id == "renamed/a.md" and not relinked.orphan and store.orphans() == []


def test_older_schema_migrates_and_keeps_history(tmp_path: Path):
    path = tmp_path / "old.sqlite"
    db = sqlite3.connect(path)
    db.executescript("""
        CREATE TABLE history (id INTEGER PRIMARY KEY, query TEXT NOT NULL, at REAL NOT NULL);
        CREATE TABLE saved_search (name TEXT PRIMARY KEY, query TEXT NOT NULL, sort TEXT NOT NULL, created REAL NOT NULL);
        INSERT INTO history (query, at) VALUES ('huawei', 1.0);
        PRAGMA user_version = 1;
    """)
    db.close()
    data = UserData(path)
    assert data.history() == ["huawei"] and data.db.execute("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION == 5
    assert PassageStore(data, "/c").search() == []


def test_damaged_database_is_moved_aside_not_overwritten(tmp_path: Path):
    path = tmp_path / "user.sqlite"
    path.write_bytes(b"this is not a database at all" * 100)
    data = UserData(path)
    aside = [p for p in tmp_path.iterdir() if p.name.startswith("user.sqlite.damaged-")]
    assert len(aside) == 1 and aside[0].read_bytes().startswith(b"this is not a database")
    assert "was damaged" in data.notice and str(aside[0]) in data.notice
    data.add_history("works again")
    assert data.history() == ["works again"]


def _writer(path: str, label: str, count: int) -> None:
    store = PassageStore(UserData(Path(path)), "/c")
    for i in range(count):
        store.add(f"{label}.md", TEXT, 0, 5, sha(TEXT), tags=[label], note=str(i))


def test_two_processes_writing_at_once_lose_nothing(tmp_path: Path):
    path = str(tmp_path / "user.sqlite")
    UserData(Path(path)).close()
    context = multiprocessing.get_context("spawn")
    workers = [context.Process(target=_writer, args=(path, label, 60)) for label in ("one", "two")]
    for w in workers:
        w.start()
    for w in workers:
        w.join(60)
    assert [w.exitcode for w in workers] == [0, 0]
    assert dict(PassageStore(UserData(Path(path)), "/c").tag_counts()) == {"one": 60, "two": 60}


def _killed_mid_write(path: str) -> None:
    data = UserData(Path(path))
    data.db.execute("BEGIN IMMEDIATE")
    data.db.execute("INSERT INTO history (query, at) VALUES ('never committed', 0)")
    os.kill(os.getpid(), signal.SIGKILL)


def test_a_writer_killed_mid_transaction_loses_only_that_write(tmp_path: Path):
    path = str(tmp_path / "user.sqlite")
    before = UserData(Path(path))
    before.add_history("kept")
    context = multiprocessing.get_context("spawn")
    worker = context.Process(target=_killed_mid_write, args=(path,))
    worker.start()
    worker.join(60)
    assert worker.exitcode == -signal.SIGKILL
    after = UserData(Path(path))
    assert after.history() == ["kept"] and after.db.execute("PRAGMA integrity_check").fetchone()[0] == "ok"


def test_export_wipe_import_export_round_trip(store: PassageStore, tmp_path: Path):
    from margin.search.document import Document
    from margin.search.passages.export import to_csv, to_json, to_markdown
    from margin.search.passages.importing import import_annotations

    add(store, tags=["quote", "animals"], note="a note")
    start = TEXT.index("Omega")
    store.add("b.md", TEXT, start, start + 5, sha(TEXT))
    docs = {"a.md": Document("a.md", "Article A", TEXT, source="Paper", published="2024-01-02")}
    exported = to_json(store.search())
    fresh = PassageStore(UserData(tmp_path / "fresh.sqlite"), "/corpus/one")
    first = import_annotations(fresh, io.BytesIO(exported.encode()))
    again = import_annotations(fresh, io.BytesIO(exported.encode()))
    assert (first.added, first.present, again.added, again.present) == (2, 0, 0, 2)  # duplicates skipped
    assert to_json(fresh.search()) == exported
    markdown = to_markdown(fresh.search(), docs.get)
    assert "## Article A\n\nPaper · 2024-01-02 · `a.md`\n\n> The quick brown fox jumps" in markdown
    assert "Tags: #animals #quote" in markdown and "Note: a note" in markdown and "## b.md" in markdown
    rows = to_csv(fresh.search(), docs.get).splitlines()
    assert rows[0] == "Highlight,Title,Author,URL,Note,Location,Tags"
    assert "The quick brown fox jumps,Article A,,,a note,14,\"animals,quote\"" in rows


def test_passages_belong_to_their_corpus(store: PassageStore):
    add(store, tags=["mine"])
    other = PassageStore(store.data, "/corpus/two")
    assert other.search() == [] and other.tag_counts() == [] and other.for_document("a.md") == []
    assert other.orphan_document("a.md") == 0 and store.orphans() == []


def test_an_orphan_placed_again_approximately_is_no_longer_an_orphan(store: PassageStore):
    long_text = TEXT + " A much longer closing sentence that carries enough words to be found again, and then some."
    start = long_text.index("A much longer")
    passage = store.add("a.md", long_text, start, start + 75, sha(long_text))
    store.orphan_document("a.md")
    edited = long_text.replace("enough words", "plenty of words", 1)
    [(placed, placement)] = store.reanchor("a.md", edited, sha(edited))
    assert placement is not None and not placement.exact
    assert not placed.orphan and store.orphans() == [] and store.get(passage.id).anchor == passage.anchor


def test_reconcile_after_an_index_update(tmp_path: Path):
    from margin.search.library import Library
    from margin.search.passages.sync import reconcile, text_sha1

    corpus, index = tmp_path / "corpus", tmp_path / "index"
    corpus.mkdir()
    (corpus / "a.txt").write_text("A title\n" + TEXT, encoding="utf-8")
    userdata = UserData(tmp_path / "user.sqlite")
    with Library.open(corpus, index) as library:
        store = PassageStore(userdata, str(corpus))
        body = library.document("a.txt").document.body
        kept = store.add("a.txt", body, body.index(QUOTE), body.index(QUOTE) + len(QUOTE), text_sha1(body))
        start = body.index("Omega")
        gone = store.add("a.txt", body, start, start + len("Omega ends"), text_sha1(body))
    with Library.open(corpus, index) as library:
        assert reconcile(library, store) == (0, 0)  # nothing changed: nothing read
    (corpus / "a.txt").write_text("A title\nNew words. " + TEXT.replace("Omega ends", "The end"), encoding="utf-8")
    with Library.open(corpus, index) as library:
        assert reconcile(library, store) == (1, 0)
    assert [p.id for p in store.orphans()] == [gone.id] and not store.get(kept.id).orphan
    (corpus / "a.txt").rename(corpus / "b.txt")
    with Library.open(corpus, index) as library:
        assert reconcile(library, store) == (1, 1)  # a.txt is gone; its text, unchanged, is b.txt
    assert store.get(kept.id).doc_id == "b.txt" and store.get(gone.id).orphan


@pytest.mark.parametrize("quote", [
    "NVIDIA’s chief and Xiaomi’s founder met",  # curly apostrophes
    "NVIDIA's chief and Xiaomi's founder met",
    "the deal — “a milestone” — was signed",  # dashes and curly quotes
    '"Fast" said the chief, well-known for it',
])
def test_a_renamed_article_keeps_passages_whatever_their_punctuation(tmp_path: Path, quote: str):
    """Re-attaching searched `NVIDIA s` for `NVIDIA’s`, found nothing, and lost the passage."""
    from margin.search.passages.service import open_library

    corpus = tmp_path / "c"
    corpus.mkdir()
    (corpus / "old.md").write_text(f"# News\n\nIn Beijing, {quote}, and talks went on.\n")
    (corpus / "other.md").write_text("# Other\n\nNothing to see here at all.\n")
    data = UserData(tmp_path / "user.sqlite")
    opened = open_library(corpus, tmp_path / "ix", data)
    doc = opened.library.document("old.md").document
    start = doc.body.index(quote)
    opened.passages.tag(doc, start, start + len(quote), ("kept",), "")
    opened.library.close()
    (corpus / "old.md").rename(corpus / "new.md")
    reopened = open_library(corpus, tmp_path / "ix", data)
    assert reopened.relinked == 1
    [passage] = reopened.passages.search(tag="kept")
    assert passage.doc_id == "new.md" and not passage.orphan and passage.anchor.exact == quote
