"""Finding the article files of a corpus folder and telling which changed since the last index.

The manifest records size, mtime and content hash per file; a file whose size and mtime are
unchanged is not read at all, so reopening a large corpus costs one stat per file.
"""

from __future__ import annotations

import gc
import hashlib
import json
import os
import re
import stat
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from itertools import repeat
from pathlib import Path
from typing import Any, NamedTuple

from margin.search.entities.gazetteer import FILENAME as GAZETTEER_FILE
from margin.search.readers.documents import MAX_BYTES, SUFFIXES
from margin.search.sanitize import printable, utf8_encodable

MANIFEST = "margin-manifest.json"


class FileState(NamedTuple):
    """A file as last seen: a tuple, because a manifest holds one per file (100,000 of them were
    0.5 s to build as frozen dataclasses at every opening)."""

    size: int
    mtime_ns: int
    sha1: str = ""


@dataclass
class Manifest:
    """What the index holds: one FileState per indexed id, the skipped files with reasons, and the
    (size, mtime) of the index's own files when margin last wrote them (see store.index_files)."""

    schema: int
    corpus: str
    gazetteer_sha1: str
    skipped: dict[str, tuple[FileState, str]] = field(default_factory=dict)
    index_files: dict[str, tuple[int, int, str]] = field(default_factory=dict)
    engine: str = "whoosh"  # the engine that built the index (engine.api): manifests before it knew only Whoosh
    names_later: set[str] = field(default_factory=set)  # files indexed without some names, still to find
    extractor: str = ""  # the fingerprint of the extractor that found the names (entities.version)
    saved_files: dict[str, Any] | None = field(default=None, repr=False)  # as loaded: made FileStates on first use
    _files: dict[str, FileState] | None = field(default=None, repr=False)

    @property
    def files(self) -> dict[str, FileState]:
        """One FileState per indexed id, made on first use: the reader opens an index without
        them (it scans later), and 300,000 took 0.6 s to make."""
        if self._files is None:
            self._files = _states(self.saved_files or {})
            self.saved_files = None
        return self._files

    def files_readable(self) -> bool:
        """Whether the saved files are well formed (checked when they are first needed)."""
        try:
            return self._files is not None or _checked_columns(self.saved_files or {}) is not None \
                or isinstance(self.files, dict)
        except (ValueError, LookupError, TypeError, AttributeError):
            return False

    def stats(self) -> dict[str, tuple[int, int, str]]:
        """(size, mtime, "") per indexed id, equal to the FileState a scan makes of an unchanged
        file: read from the saved columns without making a FileState of each, since an opening
        that finds nothing changed needs no more (100,000 FileStates took 0.3 s)."""
        columns = _checked_columns(self.saved_files) if self._files is None and self.saved_files else None
        if columns is None:
            return {k: (s.size, s.mtime_ns, "") for k, s in self.files.items()}
        ids, sizes, mtimes, _ = columns
        return dict(zip(ids, zip(sizes, mtimes, repeat(""))))

    def save(self, index_dir: Path) -> None:
        data = {
            "schema": self.schema,
            "corpus": self.corpus,
            "gazetteer_sha1": self.gazetteer_sha1,
            "files": _columns(self.files),
            "skipped": {k: [s.size, s.mtime_ns, s.sha1, why] for k, (s, why) in self.skipped.items()},
            "index_files": {k: list(v) for k, v in self.index_files.items()},
            "engine": self.engine,
            "names_later": sorted(self.names_later),
            "extractor": self.extractor,
        }
        tmp = index_dir / (MANIFEST + ".tmp")
        tmp.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
        os.replace(tmp, index_dir / MANIFEST)

    @classmethod
    def load(cls, index_dir: Path) -> Manifest | None:
        """The saved manifest, or None when it is missing, unreadable or of the wrong shape (the
        index is then rebuilt)."""
        try:
            data = json.loads((index_dir / MANIFEST).read_text(encoding="utf-8"))
            skipped = {k: (_state(v[:3]), _text(v[3])) for k, v in _mapping(data["skipped"]).items()}
            return cls(
                schema=data["schema"],
                corpus=_text(data["corpus"]),
                gazetteer_sha1=_text(data["gazetteer_sha1"]),
                saved_files=_mapping(data["files"]),
                skipped=skipped,
                index_files={k: _index_file(v) for k, v in _mapping(data.get("index_files", {})).items()},
                engine=_text(data.get("engine", "whoosh")),
                names_later={_text(v) for v in data.get("names_later", [])},
                extractor=_text(data.get("extractor", "")),
            )
        except (OSError, ValueError, LookupError, TypeError, AttributeError):
            return None


def _mapping(value: Any) -> dict[str, Any]:
    if not isinstance(value, dict):
        raise ValueError("not an object")
    return value


def _text(value: Any) -> str:
    if not isinstance(value, str):
        raise ValueError("not a string")
    return value


def _size_and_time(value: Any) -> tuple[int, int]:
    size, mtime_ns = value
    if not (isinstance(size, int) and isinstance(mtime_ns, int)):
        raise ValueError("not a size and a time")
    return size, mtime_ns


def _state(value: Any) -> FileState:
    size, mtime_ns, sha1 = value
    if type(size) is not int or type(mtime_ns) is not int or type(sha1) is not str:
        raise ValueError("not a size, a time and a hash")
    return FileState(size, mtime_ns, sha1)


def _columns(files: dict[str, FileState]) -> dict[str, list[Any]]:
    """The files as four lists (ids, sizes, mtimes, hashes): JSON reads 100,000 of them in 0.03 s,
    against 0.16 s as one small list per file, at every opening."""
    return {"ids": list(files), "sizes": [f.size for f in files.values()],
            "mtimes": [f.mtime_ns for f in files.values()], "sha1s": [f.sha1 for f in files.values()]}


def _states(files: dict[str, Any]) -> dict[str, FileState]:
    """The files saved by `_columns`; or, as manifests before them kept them, one [size, mtime,
    sha1] per file."""
    columns = _checked_columns(files)
    if columns is None:
        return {k: _state(v) for k, v in files.items()}
    return dict(zip(columns[0], map(FileState, *columns[1:]), strict=True))


def _checked_columns(files: dict[str, Any]) -> tuple[list[str], list[int], list[int], list[str]] | None:
    """The four columns `_columns` saved, each checked in one pass of C (the types of its values);
    None for a manifest that kept a list per file."""
    if "ids" not in files or "sha1s" not in files:
        return None
    ids, sizes, mtimes, sha1s = files["ids"], files["sizes"], files["mtimes"], files["sha1s"]
    columns = ((ids, str), (sizes, int), (mtimes, int), (sha1s, str))
    if not all(type(values) is list and set(map(type, values)) <= {kind} for values, kind in columns) \
            or not len(ids) == len(sizes) == len(mtimes) == len(sha1s):
        raise ValueError("not ids, sizes, times and hashes")
    return ids, sizes, mtimes, sha1s


def _index_file(value: Any) -> tuple[int, int, str]:
    size, mtime_ns, digest = value
    return (*_size_and_time([size, mtime_ns]), _text(digest))


def sha1_bytes(data: bytes) -> str:
    return hashlib.sha1(data).hexdigest()


@dataclass
class Scan:
    """The article files below a corpus folder, and those it will not read, with why."""

    files: dict[str, tuple[str, FileState]] = field(default_factory=dict)  # id -> (path, stat)
    refused: dict[str, str] = field(default_factory=dict)  # id (printable) -> reason
    unknown: dict[str, int] = field(default_factory=dict)  # files of kinds margin does not read, per suffix
    ignored: int = 0  # article files left out by margin's defaults and the corpus's .marginignore
    ignore_problem: str = ""  # a .marginignore that could not be read


def scan(root: Path) -> Scan:
    """Every article file below root (hidden files and folders skipped).

    Only regular files inside the corpus folder are read: a FIFO would block every read, a link
    to /dev/zero or out of the folder would read what is not an article (/etc/passwd was indexed
    and copied into the cache). Those, dangling and looping links, files over the size limit and
    names that are not UTF-8 are refused with a reason, without opening them.
    Plain strings in the loop: building Path objects cost more than the stat calls on 20,000 files.
    """
    with collection_paused():
        found = _scan(root)
    return _without_ignored(root, found)


@contextmanager
def collection_paused() -> Iterator[None]:
    """The cyclic garbage collector held off while a scan and its comparison with the manifest
    make a few small tuples per file, none in a cycle: the collector's passes over them took a
    quarter of scanning 100,000 files, and more at 300,000 (each full pass walks all made so far)."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


def _scan(root: Path) -> Scan:
    result = Scan()
    files = result.files
    top = os.fspath(root)
    real_top = os.path.realpath(top)
    stack = [top]
    seen_dirs = {real_top}
    while stack:
        folder = stack.pop()
        prefix = folder[len(top) + 1 :].replace(os.sep, "/") + "/" if folder != top else ""
        try:
            entries = list(os.scandir(folder))
        except OSError:
            continue
        for entry in entries:
            name = entry.name
            if name.startswith(".") or name[:1] in _IGNORED_FIRST and _IGNORED_BY_DEFAULT.match(name):
                result.ignored += name != "node_modules" and _is_article(name)
                continue
            doc_id = prefix + name
            try:
                # The common case in the loop itself, from the directory entry and one lstat:
                # scanning 100,000 files took 0.88 s through a call per entry, 0.5 s so.
                if entry.is_file(follow_symlinks=False) and _is_article(name):
                    st = entry.stat(follow_symlinks=False)
                    if st.st_size <= MAX_BYTES and doc_id.isascii():
                        files[doc_id] = (entry.path, FileState(st.st_size, st.st_mtime_ns))
                        continue
                _visit(entry, doc_id, real_top, seen_dirs, stack, result)
            except OSError as exc:
                if _is_article(name):
                    result.refused[printable(doc_id)] = f"cannot read: {exc.strerror or exc}"
    return result


def _visit(entry: os.DirEntry[str], doc_id: str, real_top: str, seen_dirs: set[str], stack: list[str],
           result: Scan) -> None:
    """Any entry but a plain article file: a folder to walk, a link, a file of another kind, or
    an article refused (too large, a name that is not UTF-8...)."""
    real = os.path.realpath(entry.path) if entry.is_symlink() else None
    outside = real is not None and os.path.commonpath([real_top, real]) != real_top
    if entry.is_dir(follow_symlinks=True):
        real = real or os.path.realpath(entry.path)
        if not outside and real not in seen_dirs:  # a symlink loop must not walk forever
            seen_dirs.add(real)
            stack.append(entry.path)
        return
    if not _is_article(entry.name):
        if entry.name not in _OWN_FILES:
            kind = os.path.splitext(entry.name)[1].lower() or "(no extension)"
            result.unknown[kind] = result.unknown.get(kind, 0) + 1
        return
    why = _refusal(entry, doc_id, outside)
    if why:
        result.refused[printable(doc_id)] = why
        return
    st = entry.stat()
    # A link inside the folder is read through its target, opened without following links.
    result.files[doc_id] = (real or entry.path, FileState(st.st_size, st.st_mtime_ns))


def _refusal(entry: os.DirEntry[str], doc_id: str, outside: bool) -> str | None:
    """Why a file with an article's name is not read, or None."""
    if entry.is_symlink() and not os.path.exists(entry.path):
        return "broken or looping symbolic link"
    if outside:
        return "symbolic link to a file outside the corpus folder (not followed)"
    if not utf8_encodable(doc_id):
        return "file name is not valid UTF-8 (rename it)"
    st = entry.stat()
    if not stat.S_ISREG(st.st_mode):
        return "not a regular file (a FIFO, device or socket)"
    if st.st_size > MAX_BYTES:
        return f"larger than {MAX_BYTES // (1024 * 1024)} MB"
    return None


_OWN_FILES = {GAZETTEER_FILE, "entity-corrections.yaml", "entity-corrections.yaml.partial"}


IGNORE_FILE = ".marginignore"
# A corpus folder often holds its own notes: a README, a LICENSE, a dataset's SOURCE.md, and a
# node_modules of a tool. Checked by the name's first letter first: the scan asks for every file.
_IGNORED_BY_DEFAULT = re.compile(r"(?i)(readme|licen[cs]e|copying|changelog)(\.[^/]*)?$|source\.md$|node_modules$")
_IGNORED_FIRST = frozenset("RrLlCcSsNn")
DEFAULT_IGNORED = "README*, LICENSE*, COPYING*, CHANGELOG*, SOURCE.md, node_modules/"


def _without_ignored(root: Path, found: Scan) -> Scan:
    """The scan without what the corpus's .marginignore (gitignore syntax) names."""
    path = root / IGNORE_FILE
    try:
        lines = path.read_text(encoding="utf-8-sig").splitlines() if path.is_file() else []
    except (OSError, UnicodeDecodeError) as exc:
        found.ignore_problem = f"{printable(str(path))}: not readable ({type(exc).__name__}); nothing ignored by it"
        return found
    if not any(line.strip() and not line.lstrip().startswith("#") for line in lines):
        return found
    import pathspec

    spec = pathspec.GitIgnoreSpec.from_lines(lines)
    ignored = [doc_id for doc_id in found.files if spec.match_file(doc_id)]
    for doc_id in ignored:
        del found.files[doc_id]
    found.ignored += len(ignored)
    return found


def ignored_note(found: Scan) -> str:
    """ "3 files ignored (.marginignore, and margin's defaults: README*, …)", or ""."""
    if not found.ignored:
        return ""
    return (f"{found.ignored} file{'s' if found.ignored != 1 else ''} ignored ({IGNORE_FILE} in the corpus folder, "
            f"and margin's defaults: {DEFAULT_IGNORED})")


def unknown_kinds(counts: dict[str, int]) -> str:
    """ "3 files of kinds margin does not read: .pptx ×2, .jpg", or "" when there are none."""
    if not counts:
        return ""
    kinds = ", ".join(k if n == 1 else f"{k} ×{n}" for k, n in sorted(counts.items(), key=lambda i: (-i[1], i[0])))
    total = sum(counts.values())
    return f"{total} file{'s' if total != 1 else ''} of kinds margin does not read: {kinds}"


def _is_article(name: str) -> bool:
    """A name with a suffix margin reads (one set lookup: the scan asks for every file)."""
    return name[name.rfind(".") :].lower() in SUFFIXES and name != GAZETTEER_FILE
