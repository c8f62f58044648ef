"""tantivy behind the engine API (index.py): the engine for large corpora.

This module knows the index folder without loading tantivy, so that finding which engine holds
an index, or clearing what a failed write left, never imports the other engine.
"""

from __future__ import annotations

import json
import os
from pathlib import Path

FOLDER = "tantivy"  # inside the index folder, beside margin's manifest and extras


def folder(index_dir: Path) -> Path:
    return index_dir / FOLDER


def exists(index_dir: Path) -> bool:
    return (folder(index_dir) / "meta.json").is_file()


def files(index_dir: Path) -> list[str]:
    """The files of the index as last committed, as paths below `index_dir`: meta.json and the
    files of the segments it names. Not tantivy's lock and bookkeeping dot-files, nor the
    segments of a write that was killed before its commit (the index is whole without them)."""
    path = folder(index_dir)
    if not path.is_dir():
        return []
    kept = _committed_segments(path)
    return sorted(f"{FOLDER}/{name}" for name in os.listdir(path)
                  if name == "meta.json" or name.split(".")[0] in kept)


def _committed_segments(here: Path) -> set[str]:
    """The ids of the segments meta.json names; none without a readable meta.json."""
    try:
        meta = json.loads((here / "meta.json").read_text(encoding="utf-8"))
        return {str(s["segment_id"]).replace("-", "") for s in meta.get("segments", [])}
    except (OSError, ValueError, AttributeError, KeyError, TypeError):
        return set()


def has_deletions(index_dir: Path) -> bool:
    """Whether a segment holds deleted documents (tantivy's document frequencies still count them)."""
    try:
        meta = json.loads((folder(index_dir) / "meta.json").read_text(encoding="utf-8"))
        return any(segment.get("deletes") for segment in meta.get("segments", []))
    except (OSError, ValueError, AttributeError):
        return True


def discard_unfinished(index_dir: Path) -> None:
    """Remove the segment files no commit names (a build that failed on a full disk left its
    partial segments, and the disk stayed full); without a readable meta.json, every segment."""
    here = folder(index_dir)
    kept = _committed_segments(here)
    for child in here.iterdir() if here.is_dir() else ():
        segment = child.name.split(".")[0]
        if child.is_file() and len(segment) == 32 and segment not in kept:
            child.unlink(missing_ok=True)
