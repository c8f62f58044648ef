"""margin.search is headless: importing all of it must not pull in textual or rich."""

import subprocess
import sys

MODULES = ["margin.search.library", "margin.search.documents", "margin.search.entities",
           "margin.search.engine.parse", "margin.search.engine.matching", "margin.search.spelling"]


def test_search_imports_no_textual_or_rich():
    code = ("import sys\n" + "".join(f"import {m}\n" for m in MODULES)
            + "bad = sorted(m for m in sys.modules if m.split('.')[0] in ('textual', 'rich'))\n"
            + "print(','.join(bad))\n")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == ""


def test_whoosh_stays_inside_the_engine():
    """Only margin.search.engine and the stemmer import in terms.py touch Whoosh."""
    from pathlib import Path

    root = Path(__file__).resolve().parents[1] / "search"
    users = sorted(p.relative_to(root).as_posix() for p in root.rglob("*.py")
                   if "import whoosh" in p.read_text() or "from whoosh" in p.read_text())
    assert all(u.startswith("engine/") or u == "terms.py" for u in users), users


def test_the_reader_starts_without_whoosh():
    """Whoosh loads in a worker after the first frame, never at import (start-up time)."""
    code = "import sys, margin.tui.cli, margin.tui.app; print('whoosh' in sys.modules)"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "False"
