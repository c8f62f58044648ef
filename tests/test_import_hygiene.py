"""margin.search is headless: importing all of it must not pull in textual or rich. The layers
themselves (tui on search, the engines behind margin.search.engine) are import-linter contracts
in pyproject.toml, which the test command checks before pytest."""

import os
import subprocess
import sys


def test_search_imports_no_textual_or_rich():
    """Every module of margin.search, imported in a fresh interpreter."""
    code = ("import importlib, pkgutil, sys, margin.search\n"
            "names = [m.name for m in pkgutil.walk_packages(margin.search.__path__, 'margin.search.')]\n"
            "for name in names: importlib.import_module(name)\n"
            "bad = sorted(m for m in sys.modules if m.split('.')[0] in ('textual', 'rich'))\n"
            "print(len(names)); print(','.join(bad))\n")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    count, bad = out.stdout.split("\n")[:2]
    assert int(count) >= 25 and bad == ""


def test_no_module_outside_the_engine_package_names_an_engines_index():
    """Which modules may import Whoosh or tantivy is import-linter's contract (pyproject.toml,
    run by the test command); this checks what it cannot see, a name reached through margin's
    own modules (`engine.TantivyIndex`)."""
    from pathlib import Path

    root = Path(__file__).resolve().parents[1]
    sources = {p.relative_to(root).as_posix(): p.read_text() for part in ("search", "tui") for p in (root / part).rglob("*.py")}
    named = sorted(name for name, text in sources.items() if "TantivyIndex" in text or "WhooshIndex" in text)
    assert all(n.startswith("search/engine/") for n in named), named


def test_the_reader_starts_without_whoosh():
    """Whoosh loads in a worker after the first frame, never at import (start-up time)."""
    code = ("import sys, margin.tui.cli, margin.tui.app\n"
            "print(any(m in sys.modules for m in ('whoosh', 'tantivy', 'icu', 'jieba')))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "False"


def test_the_terminal_side_leaves_passage_anchoring_to_the_search_side():
    """tui/ places, hashes and re-anchors nothing itself: PassageService does (types aside)."""
    from pathlib import Path

    root = Path(__file__).resolve().parents[1] / "tui"
    for path in root.glob("*.py"):
        runtime = path.read_text().split("if TYPE_CHECKING:")[0]
        assert "anchoring" not in runtime and "passage_sync" not in runtime and "text_sha1" not in runtime, path.name


def test_a_tantivy_corpus_needs_no_whoosh():
    """With Whoosh unimportable (`sys.modules["whoosh"] = None`, see conftest), a tantivy corpus
    builds, searches, updates and runs the reader: the tantivy half of the query, index, folder
    following and reader tests, in a fresh interpreter."""
    from pathlib import Path

    from .conftest import WITHOUT_WHOOSH

    tests = Path(__file__).resolve().parent
    files = [str(tests / f"test_{name}.py") for name in ("query", "index", "watching", "app")]
    run = subprocess.run([sys.executable, "-m", "pytest", "-n", "0", "-p", "no:cacheprovider", "-k", "tantivy", *files],
                         capture_output=True, text=True, env={**os.environ, WITHOUT_WHOOSH: "1"})
    assert run.returncode == 0 and "[100%]" in run.stdout, (run.stdout + run.stderr)[-2000:]
