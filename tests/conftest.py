"""Shared fixtures: every test gets its own cache, data and config folders."""

from __future__ import annotations

import os
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from margin.search import paths
from margin.search.engine.api import ENGINES
from margin.search.engine.choice import ENGINE_VARIABLE
from margin.search.library import Library

SHARED_DATA = Path(__file__).resolve().parents[2] / "shared" / "data"
WITHOUT_WHOOSH = "MARGIN_TEST_WITHOUT_WHOOSH"  # set: Whoosh cannot be imported (test_import_hygiene)
if os.environ.get(WITHOUT_WHOOSH):  # nothing above imports it: margin loads an engine only to open an index
    sys.modules["whoosh"] = None  # type: ignore[assignment]  # `import whoosh` then raises ImportError


@pytest.fixture(autouse=True)
def isolated_dirs(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    for name in ("CACHE", "DATA", "CONFIG"):
        monkeypatch.setenv(f"MARGIN_{name}_DIR", str(tmp_path / name.lower()))
    monkeypatch.delenv("MARGIN_CORPUS", raising=False)
    monkeypatch.delenv(ENGINE_VARIABLE, raising=False)
    monkeypatch.setenv("NO_COLOR", "1")
    return tmp_path


@pytest.fixture(params=("tantivy",) if os.environ.get(WITHOUT_WHOOSH) else ENGINES)
def each_engine(request: pytest.FixtureRequest, isolated_dirs: Path, monkeypatch: pytest.MonkeyPatch) -> str:
    """Run a test once per engine (`pytestmark = pytest.mark.usefixtures("each_engine")`): every
    index it builds is built by that engine."""
    monkeypatch.setenv(ENGINE_VARIABLE, request.param)
    return str(request.param)


def engine_of(request: pytest.FixtureRequest) -> str:
    """The engine the current test runs on (see each_engine)."""
    callspec = getattr(request.node, "callspec", None)
    return str(callspec.params.get("each_engine", "whoosh")) if callspec else "whoosh"


@pytest.fixture(scope="session")
def bundled_by_engine(tmp_path_factory: pytest.TempPathFactory) -> Iterator[dict[str, Library]]:
    libraries: dict[str, Library] = {}
    yield libraries
    for library in libraries.values():
        library.close()


@pytest.fixture
def bundled(request: pytest.FixtureRequest, bundled_by_engine: dict[str, Library],
            tmp_path_factory: pytest.TempPathFactory) -> Library:
    """The bundled corpus, indexed once per engine for the whole session."""
    engine = engine_of(request)
    if engine not in bundled_by_engine:
        index = tmp_path_factory.mktemp(f"bundled-{engine}")
        bundled_by_engine[engine] = Library.open(paths.bundled_corpus(), index, engine=engine)
    return bundled_by_engine[engine]


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
