"""Shared fixtures: every test gets its own cache, data and config folders."""

from __future__ import annotations

from pathlib import Path

import pytest

from margin.search import paths
from margin.search.library import Library

SHARED_DATA = Path(__file__).resolve().parents[2] / "shared" / "data"


@pytest.fixture(autouse=True)
def isolated_dirs(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    for name in ("CACHE", "DATA", "CONFIG"):
        monkeypatch.setenv(f"MARGIN_{name}_DIR", str(tmp_path / name.lower()))
    monkeypatch.delenv("MARGIN_CORPUS", raising=False)
    monkeypatch.setenv("NO_COLOR", "1")
    return tmp_path


@pytest.fixture(scope="session")
def bundled(tmp_path_factory: pytest.TempPathFactory) -> Library:
    """The bundled corpus, indexed once for the whole session."""
    library = Library.open(paths.bundled_corpus(), tmp_path_factory.mktemp("bundled-index"))
    yield library
    library.close()


@pytest.fixture
def corpus(tmp_path: Path) -> Path:
    """Three small articles, one per format (the index tests' corpus)."""
    root = tmp_path / "articles"
    write(root, "one.md", "---\ntitle: Alpha report\npublished: 2020-01-02\n---\nThe alpha rocket launched.")
    write(root, "sub/two.txt", "Beta notes\nBeta testing of the rover.")
    write(root, "three.html", "<title>Gamma page</title><p>Gamma rays observed.</p>")
    return root


def write(folder: Path, name: str, content: str | bytes) -> Path:
    path = folder / name
    path.parent.mkdir(parents=True, exist_ok=True)
    if isinstance(content, bytes):
        path.write_bytes(content)
    else:
        path.write_text(content, encoding="utf-8")
    return path
