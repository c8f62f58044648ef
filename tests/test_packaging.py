"""A wheel built from the checkout carries the code, keymap.yaml and the bundled corpus."""

import os
import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture(scope="module")
def wheel(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The wheel, built from a copy of the tracked layout: setuptools' build/ folder in the checkout could hide leaks."""
    out = tmp_path_factory.mktemp("wheel")
    source = out / "src"
    shutil.copytree(ROOT, source, ignore=shutil.ignore_patterns(".venv", ".git", "build", "*.egg-info",
                                                                  "bench", "__pycache__", ".pytest_cache"))
    subprocess.run([sys.executable, "-m", "pip", "wheel", "--no-deps", "--no-build-isolation", "-q",
                    "-w", str(out), str(source)], check=True, capture_output=True)
    return next(out.glob("margin_reader-*.whl"))


def test_wheel_contains_packages_keymap_and_corpus(wheel: Path):
    names = set(zipfile.ZipFile(wheel).namelist())
    corpus = sorted(p.name for p in (ROOT / "corpus").iterdir() if p.suffix in {".md", ".yaml"})
    assert "margin/keymap.yaml" in names
    assert {f"margin/corpus/{name}" for name in corpus} <= names and len(corpus) == 15
    # Every module of both packages (a subpackage missing from pyproject's list would be left out)
    # and every data file (first_names.txt, known_entities.yaml...).
    shipped = {f"margin/{p.relative_to(ROOT).as_posix()}" for part in ("search", "tui") for p in (ROOT / part).rglob("*")
               if p.is_file() and "__pycache__" not in p.parts and (p.suffix == ".py" or "data" in p.parts)}
    assert "margin/search/data/first_names.txt" in shipped and "margin/search/query/grammar.py" in shipped
    assert shipped <= names, sorted(shipped - names)
    assert not any(n.startswith(("margin/tests/", "margin/bench/", "margin/scripts/")) for n in names)
    assert not [n for n in names if n.startswith("margin/") and n.count("/") == 1 and n.endswith(".py")]


def test_the_installed_wheel_indexes_the_bundled_corpus(wheel: Path, tmp_path: Path):
    """Issue 26: the wheel carried search/data/*.txt but not known_entities.yaml, and the installed
    margin could not index (the error blamed writing the index)."""
    site = tmp_path / "site"
    subprocess.run([sys.executable, "-m", "pip", "install", "--no-deps", "-q", "--target", str(site), str(wheel)],
                   check=True, capture_output=True)
    script = ("import margin.search, sys; from margin.search.library import Library\n"
              "assert margin.search.__file__.startswith(sys.argv[1]), margin.search.__file__\n"
              "with Library.open(None, __import__('pathlib').Path(sys.argv[2])) as library:\n"
              "    print(library.report.documents, library.search('org:xiaomi').total)")
    done = subprocess.run([sys.executable, "-c", script, str(site), str(tmp_path / "ix")], capture_output=True,
                          text=True, cwd=tmp_path, env={**os.environ, "PYTHONPATH": str(site)}, timeout=300)
    assert done.returncode == 0, done.stderr
    documents, xiaomi = map(int, done.stdout.split())
    assert documents == 14 and xiaomi > 0
