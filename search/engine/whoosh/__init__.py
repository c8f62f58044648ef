"""Whoosh behind the engine API (index.py): the default engine, pure Python.

This module knows the index folder without loading Whoosh (see engine/__init__).
"""

from __future__ import annotations

from pathlib import Path


def exists(index_dir: Path) -> bool:
    """Whether the folder holds a Whoosh index: a table of contents of its main index."""
    return index_dir.is_dir() and any(index_dir.glob("_MAIN_*.toc"))
