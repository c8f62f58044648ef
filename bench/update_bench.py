"""Adding 1,000 files to a large index (issue 28), beside tantivy alone and SQLite FTS5 doing the
same in the same run: each walks the whole folder (a `stat` per file, as margin's scan does),
reads the new files with margin's reader and adds them in one commit. The peers add to copies of
their indexes, margin to its own, which it then takes the files out of again (timed too).
"""

from __future__ import annotations

import shutil
import sqlite3
import tempfile
from pathlib import Path

import tantivy
from common import OUT, timed
from tantivy_alone import add_all

from margin.search.document import Document
from margin.search.library import Library
from margin.search.readers.documents import read_document

ADDED = 1_000
FOLDER = "zz-added"  # inside the corpus, after every other folder


def added_files(maker: Path) -> Path:
    """The 1,000 new files (another seed than the corpus), made once."""
    import subprocess

    folder = OUT / f"added-{ADDED}"
    if not folder.is_dir():
        subprocess.run([str(maker), "--seed", "77", str(ADDED), str(folder)], check=True, capture_output=True)
    return folder


def run(corpus: Path, index: Path, alone: Path, db: Path, new_files: Path) -> dict[str, float]:
    target = corpus / FOLDER
    shutil.rmtree(target, ignore_errors=True)
    Library.open(corpus, index).close()  # nothing pending before the clock starts
    shutil.copytree(new_files, target)
    try:
        with tempfile.TemporaryDirectory(dir=OUT) as scratch:
            alone_copy, db_copy = Path(scratch) / "alone", Path(scratch) / "fts5.sqlite"
            shutil.copytree(alone, alone_copy)
            shutil.copy(db, db_copy)
            figures = {"alone_add_s": timed(lambda: _tantivy_adds(corpus, target, alone_copy))[0],
                       "fts5_add_s": timed(lambda: _fts5_adds(corpus, target, db_copy))[0]}
        figures["margin_add_s"] = timed(lambda: Library.open(corpus, index).close())[0]
    finally:
        shutil.rmtree(target, ignore_errors=True)
    figures["margin_remove_s"] = timed(lambda: Library.open(corpus, index).close())[0]
    return figures


def _new_documents(corpus: Path, target: Path) -> list[Document]:
    """The folder walked with a stat per file, as any updater must, and the new files read."""
    for path in corpus.rglob("*"):
        path.stat()
    return [read_document(corpus, path) for path in sorted(target.rglob("*.md"))]


def _tantivy_adds(corpus: Path, target: Path, folder: Path) -> None:
    add_all(tantivy.Index.open(str(folder)), _new_documents(corpus, target))


def _fts5_adds(corpus: Path, target: Path, db: Path) -> None:
    con = sqlite3.connect(db)
    con.executemany("INSERT INTO docs VALUES (?, ?, ?)",
                    [(d.title, d.body, d.published) for d in _new_documents(corpus, target)])
    con.commit()
    con.close()
