"""Finding the article files of a corpus folder and telling which changed since the last index.

The manifest records size, mtime and content hash per file; a file whose size and mtime are
unchanged is not read at all, so reopening a large corpus costs one stat per file.
"""

from __future__ import annotations

import hashlib
import json
import os
from dataclasses import dataclass, field
from pathlib import Path

from .documents import SUFFIXES
from .gazetteer import FILENAME as GAZETTEER_FILE

MANIFEST = "margin-manifest.json"


@dataclass(frozen=True)
class FileState:
    size: int
    mtime_ns: int
    sha1: str = ""


@dataclass
class Manifest:
    """What the index holds: one FileState per indexed id, and the skipped files with reasons."""

    schema: int
    corpus: str
    gazetteer_sha1: str
    files: dict[str, FileState] = field(default_factory=dict)
    skipped: dict[str, tuple[FileState, str]] = field(default_factory=dict)

    def save(self, index_dir: Path) -> None:
        data = {
            "schema": self.schema,
            "corpus": self.corpus,
            "gazetteer_sha1": self.gazetteer_sha1,
            "files": {k: [v.size, v.mtime_ns, v.sha1] for k, v in self.files.items()},
            "skipped": {k: [s.size, s.mtime_ns, s.sha1, why] for k, (s, why) in self.skipped.items()},
        }
        tmp = index_dir / (MANIFEST + ".tmp")
        tmp.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
        os.replace(tmp, index_dir / MANIFEST)

    @classmethod
    def load(cls, index_dir: Path) -> Manifest | None:
        """The saved manifest, or None when it is missing or unreadable (the index is rebuilt)."""
        try:
            data = json.loads((index_dir / MANIFEST).read_text(encoding="utf-8"))
            return cls(
                schema=data["schema"],
                corpus=data["corpus"],
                gazetteer_sha1=data["gazetteer_sha1"],
                files={k: FileState(*v) for k, v in data["files"].items()},
                skipped={k: (FileState(*v[:3]), v[3]) for k, v in data["skipped"].items()},
            )
        except (OSError, ValueError, KeyError, TypeError):
            return None


def sha1_bytes(data: bytes) -> str:
    return hashlib.sha1(data).hexdigest()


def scan(root: Path) -> dict[str, tuple[str, FileState]]:
    """Every article file below root (hidden files and folders skipped): id -> (path, stat).

    Plain strings in the loop: building Path objects cost more than the stat calls on 20,000 files.
    """
    found: dict[str, tuple[str, FileState]] = {}
    top = os.fspath(root)
    stack = [top]
    seen_dirs = {os.path.realpath(top)}
    suffixes = tuple(SUFFIXES)
    while stack:
        folder = stack.pop()
        try:
            entries = list(os.scandir(folder))
        except OSError:
            continue
        for entry in entries:
            name = entry.name
            if name.startswith("."):
                continue
            try:
                if entry.is_dir(follow_symlinks=True):
                    real = os.path.realpath(entry.path)
                    if real not in seen_dirs:  # a symlink loop must not walk forever
                        seen_dirs.add(real)
                        stack.append(entry.path)
                    continue
                if not name.lower().endswith(suffixes) or name == GAZETTEER_FILE:
                    continue
                st = entry.stat()
            except OSError:
                continue
            doc_id = entry.path[len(top) + 1 :].replace(os.sep, "/")
            found[doc_id] = (entry.path, FileState(st.st_size, st.st_mtime_ns))
    return found
