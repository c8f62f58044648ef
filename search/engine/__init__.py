"""Everything that knows a search engine: Whoosh (engine/whoosh, the default) and tantivy
(engine/tantivy) behind one API (api.py).

The rest of margin opens, creates and writes an index through the functions below and searches
it through `api.Searcher`; which engine holds an index is recorded in its manifest. Each engine
is imported only for an index it holds: with Whoosh not installed, a tantivy corpus still works.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

from margin.search.engine import files, tantivy, whoosh
from margin.search.engine.api import Index, IndexUnreadable


def _engine(name: str) -> Any:
    if name == "tantivy":
        from margin.search.engine.tantivy.index import TantivyIndex

        return TantivyIndex
    from margin.search.engine.whoosh.index import WhooshIndex

    return WhooshIndex


def analyser(engine: str) -> Callable[[dict[str, Any]], Any]:
    """What turns a document's fields (schema.document_fields) into what the engine's `write`
    takes: run in the build's worker processes (margin.search.index.preparing)."""
    if engine == "tantivy":
        from margin.search.engine.tantivy.store import analysed

        return analysed
    return _as_is


def _as_is(fields: dict[str, Any]) -> dict[str, Any]:
    return fields  # Whoosh analyses in its own worker processes (whoosh.store.write)


def open_index(index_dir: Path, engine: str, *, readonly: bool = False) -> Index:
    """An existing index, touched so that damage shows now rather than mid-search."""
    try:
        index: Index = _engine(engine).open(index_dir, readonly=readonly)
    except IndexUnreadable:
        raise
    except Exception as exc:  # either engine raises many kinds (EOFError, ValueError, pickle errors...)
        raise IndexUnreadable(f"{type(exc).__name__}: {exc}") from exc
    return index


def create_index(index_dir: Path, engine: str) -> Index:
    """A new, empty index; whatever was in the folder before is removed (it is only a cache)."""
    if index_dir.exists():
        files.clear(index_dir)
    index_dir.mkdir(parents=True, exist_ok=True)
    index: Index = _engine(engine).create(index_dir)
    return index


def index_exists(index_dir: Path) -> bool:
    return whoosh.exists(index_dir) or tantivy.exists(index_dir)


def index_files(index_dir: Path, engine: str) -> dict[str, tuple[int, int, str]]:
    """The fingerprints of the index's files (see files.index_files)."""
    if engine == "tantivy":
        return files.index_files(index_dir, tantivy.files(index_dir))
    from margin.search.engine.whoosh.store import current_files

    return files.index_files(index_dir, current_files(index_dir))


def discard_unfinished(index_dir: Path, engine: str) -> None:
    """Remove what a failed write left behind, so that a full disk gets its space back."""
    if engine == "tantivy":
        files.remove_all_but(index_dir, {tantivy.FOLDER})
        tantivy.discard_unfinished(index_dir)
        return
    from margin.search.engine.whoosh.store import current_files

    files.remove_all_but(index_dir, current_files(index_dir))
