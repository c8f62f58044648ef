"""Which engine a corpus gets: the one asked for, else the one its index has, else by its size."""

from __future__ import annotations

import os

from margin.search.engine.api import ENGINES

DEFAULT_ENGINE = "whoosh"
# From this many files on, a first build uses tantivy. Measured with `bench build` (BENCHMARKS.md,
# issue 28) on BBC News subsets: Whoosh makes a folder searchable in 0.34 s at 14 files, 1.0 s at
# 200, 3.0 s at 1,000 and 5.4 s at 2,000; tantivy in 0.21, 0.37, 0.81 and 1.25 s. Whoosh keeps
# the folders it opens in about a second or less; beyond that a first opening would wait for it.
TANTIVY_FROM_FILES = 200
ENGINE_VARIABLE = "MARGIN_ENGINE"


def wanted_engine(asked: str | None) -> tuple[str | None, str]:
    """(the engine asked for, or None for the one the index has or `choose` picks; a warning).

    `asked` comes from `margin index --engine`; else $MARGIN_ENGINE is read (whoosh, tantivy, auto).
    """
    value = (asked or os.environ.get(ENGINE_VARIABLE, "")).strip().lower()
    if value in ("", "auto"):
        return None, ""
    if value in ENGINES:
        return value, ""
    return None, f"{ENGINE_VARIABLE}={value!r} is not an engine (whoosh, tantivy or auto); kept the index's"


def choose(files: int) -> str:
    """The engine a first build of `files` files gets when none was asked for."""
    return "tantivy" if files >= TANTIVY_FROM_FILES else DEFAULT_ENGINE
