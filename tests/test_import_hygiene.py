"""margin.search is headless: importing all of it must not pull in textual or rich."""

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


def test_the_engines_stay_inside_the_engine_package():
    """Only margin.search.engine touches Whoosh or tantivy (and terms.py Whoosh's stemmer); no
    module outside it names either engine's index classes."""
    from pathlib import Path

    root = Path(__file__).resolve().parents[1]
    sources = {p.relative_to(root).as_posix(): p.read_text() for part in ("search", "tui") for p in (root / part).rglob("*.py")}
    for engine in ("whoosh", "tantivy"):
        users = sorted(name for name, text in sources.items() if f"import {engine}" in text or f"from {engine}" in text)
        assert all(u.startswith("search/engine/") or u == "search/terms.py" for u in users), users
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
