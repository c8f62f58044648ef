#!/usr/bin/env python3
"""Set up the project's virtual environment, then run the reader, the tests or the benchmarks.

Only the standard library is used here, so a fresh machine with Python 3.11+ needs nothing else:
`python3 scripts/dev.py run` and `python3 scripts/dev.py test` are the README's two commands; the
test command runs ruff, import-linter's layer contracts, mypy (strict for margin.search and
margin.tui) and pytest, and fails if any of them fails.
The environment is reinstalled only when pyproject.toml or constraints.txt (the pinned versions
of Textual, Rich and the test tools) changes, so a second run starts at once.
"""

from __future__ import annotations

import hashlib
import os
import subprocess
import sys
import venv
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
VENV = ROOT / ".venv"
BIN = VENV / ("Scripts" if os.name == "nt" else "bin")
STAMP = VENV / ".margin-installed"
USAGE = ("usage: python3 scripts/dev.py run [margin args] | test [pytest args] | "
         "bench [search|entities|relevance|stories|reader|anchoring|robustness [--quick]|all]")


CONSTRAINTS = ROOT / "constraints.txt"  # the versions the snapshots were taken with


def _wanted_stamp() -> str:
    return hashlib.sha256((ROOT / "pyproject.toml").read_bytes() + CONSTRAINTS.read_bytes()).hexdigest()


def _installed_extras() -> set[str]:
    """The extras installed for the current pyproject.toml and constraints.txt (none when stale)."""
    if not STAMP.exists():
        return set()
    digest, _, extras = STAMP.read_text().strip().partition(" ")
    return set(extras.split(",")) if digest == _wanted_stamp() and extras else set()


def ensure_environment(extras: str = "test") -> None:
    """Create .venv and install the project (editable, with test extras; for the benchmarks, their
    own too) when it is missing or stale."""
    if sys.version_info < (3, 11):
        sys.exit(f"margin needs Python 3.11 or newer; this is {sys.version.split()[0]}")
    if not (BIN / "python").exists() and not (BIN / "python.exe").exists():
        print("Creating .venv ...", file=sys.stderr)
        venv.EnvBuilder(with_pip=True).create(VENV)
    installed = _installed_extras()
    wanted = set(extras.split(","))
    if wanted <= installed:
        return
    extras = ",".join(sorted(wanted | installed))
    print("Installing margin and its dependencies into .venv ...", file=sys.stderr)
    pip = [str(BIN / "python"), "-m", "pip", "install", "--disable-pip-version-check", "-q"]
    # setuptools warns of an editable install beside a folder named like the package (the
    # checkout is the `margin` package): said on every first run, it is nothing a user can act on.
    quiet = {**os.environ, "PYTHONWARNINGS": "ignore:Editable installation"}
    subprocess.run([*pip, "--upgrade", "pip"], check=True)
    subprocess.run([*pip, "-e", f"{ROOT}[{extras}]", "-c", str(CONSTRAINTS)], check=True, env=quiet)
    STAMP.write_text(f"{_wanted_stamp()} {extras}")


def _typecheck_tree() -> Path:
    """The folders as the packages they are installed as (search/ is margin.search), for mypy,
    which cannot follow the editable install's import hook."""
    tree = VENV / "typecheck" / "margin"
    tree.mkdir(parents=True, exist_ok=True)
    for name in ("search", "tui"):
        link = tree / name
        if not link.is_symlink():
            link.symlink_to(ROOT / name, target_is_directory=True)
    return tree.parent


def _typecheck_packages() -> list[str]:
    return ["-p", "margin.search", "-p", "margin.tui"]  # strictness per package: pyproject.toml


def main(argv: list[str]) -> int:
    if not argv or argv[0] not in {"run", "test", "bench"}:
        print(USAGE, file=sys.stderr)
        return 2
    command, rest = argv[0], argv[1:]
    ensure_environment("test,bench" if command == "bench" else "test")
    python = str(BIN / "python")
    if command == "run":
        cmd = [str(BIN / "margin"), *rest]
    elif command == "test":
        os.chdir(ROOT)
        lint = subprocess.call([str(BIN / "ruff"), "check", "--quiet", "."])
        lint = subprocess.call([str(BIN / "lint-imports"), "--no-cache"]) or lint  # pyproject's [tool.importlinter]
        types = subprocess.call([str(BIN / "mypy"), "--config-file", "pyproject.toml", *_typecheck_packages()],
                                env={**os.environ, "MYPYPATH": str(_typecheck_tree())})
        # One worker per core (pytest-xdist): the suite is mostly waiting on the reader's frames and
        # workers, so two cores take it from about 320 s to about 180 s. Pass -n 0 for one process.
        # Twice as many workers as cores: the reader's tests mostly wait (timers, subprocesses, SQLite),
        # so two a core finished the suite in 2:03 where one a core took 3:07 (BENCHMARKS.md, issue 27).
        workers = str(min(8, 2 * (os.cpu_count() or 1)))
        parallel = [] if any(a.startswith("-n") or a == "--numprocesses" for a in rest) else ["-n", workers]
        tests = subprocess.call([python, "-m", "pytest", *parallel, *rest])
        return lint or types or tests
    else:
        cmd = [python, str(ROOT / "bench" / "run.py"), *(rest or ["all"])]
    os.chdir(ROOT)
    return subprocess.call(cmd)


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
