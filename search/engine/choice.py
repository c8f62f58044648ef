"""Which engine a corpus gets: the one asked for, else the one its index has, else by its size."""

from __future__ import annotations

import os

from margin.search.engine.api import ENGINES

DEFAULT_ENGINE = "whoosh"
# From this many files on, a first build uses tantivy. Measured with `bench scale` (BENCHMARKS.md,
# issue 13) on make-corpus news: Whoosh keeps the query targets (median < 15 ms, p95 < 40 ms) only
# below about 2,000 documents (2,000: 11.8 / 43.9 ms; 5,000: 16.1 / 58.6; 20,000: 33 / 167), where
# tantivy gives 6.2 / 23.7 ms (2,000) and 11.8 / 42.8 ms (100,000).
TANTIVY_FROM_FILES = 2_000
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
