"""Reading one article file into a Document: Markdown with front matter, plain text, or HTML.

Every way a file can be wrong ends in `UnreadableFile` with a reason a user can act on; the
caller skips that file and indexes the rest. The text is decoded (BOM, UTF-8, then cp1252),
line endings are normalised and control characters removed before anything else sees it.
"""

from __future__ import annotations

import errno
import os
import stat
from collections.abc import Callable
from importlib import import_module
from pathlib import Path
from typing import Any

from margin.search.dates import normalize_date
from margin.search.document import Document, split_title
from margin.search.errors import UnreadableFile
from margin.search.readers.encoding import decode_bytes
from margin.search.sanitize import clean_line, clean_text
from margin.search.yaml_text import BadYaml, load_yaml

MAX_BYTES = 25 * 1024 * 1024
MAX_TEXT = 10_000_000  # characters of text a document may hold, from any kind: a 24 MB article took 564 MB to index
MAX_FRONT_MATTER = 64 * 1024
# The readers of the other kinds load their libraries (BeautifulSoup, pdfium, python-docx, odfpy)
# on first use: BeautifulSoup and its CSS selectors alone were 0.1 s of every reader's start.
READERS = {".html": ("html_text", "html_document"), ".htm": ("html_text", "html_document"),
           ".pdf": ("pdf_text", "pdf_document"), ".epub": ("epub_text", "epub_document"),
           ".docx": ("office_text", "docx_document"), ".odt": ("office_text", "odt_document"),
           ".rtf": ("office_text", "rtf_document"), ".eml": ("feeds_mail", "eml_document")}
MANY_SUFFIXES = {".rss", ".atom", ".xml", ".mbox"}  # a feed's entries, a mailbox's messages: a document each
SUFFIXES = {".md", ".markdown", ".txt", *READERS, *MANY_SUFFIXES}


# The last component not followed, a FIFO not waited on: a file can be swapped for a link to
# /etc/passwd or for a FIFO between the scan and the read (both were indexed, or hung the build).
_OPEN_FLAGS = os.O_RDONLY | getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_BINARY", 0)


def read_article_bytes(path: str) -> bytes:
    """A scanned file's bytes, checked again once opened: still a regular file, still no link."""
    try:
        fd = os.open(path, _OPEN_FLAGS)
    except OSError as exc:
        if exc.errno == errno.ELOOP:
            raise UnreadableFile("became a symbolic link after the folder was scanned (not followed)") from exc
        raise UnreadableFile(f"cannot read: {exc.strerror or exc}") from exc
    with os.fdopen(fd, "rb") as file:
        if not stat.S_ISREG(os.fstat(fd).st_mode):
            raise UnreadableFile("not a regular file (a FIFO, device or socket)")
        try:
            return file.read(MAX_BYTES + 1)  # bounded: a file may grow between the scan and the read
        except OSError as exc:
            raise UnreadableFile(f"cannot read: {exc.strerror or exc}") from exc


def read_documents(root: Path, path: Path, data: bytes) -> list[Document]:
    """The documents in one file: one, or a feed's entries and a mailbox's messages (`file#n`)."""
    if path.suffix.lower() in MANY_SUFFIXES:
        from margin.search.readers.feeds_mail import read_many

        _check_size(data)
        return read_many(path.relative_to(root).as_posix(), path, data) or []
    return [read_document(root, path, data)]


def _check_size(data: bytes) -> None:
    if len(data) > MAX_BYTES:
        raise UnreadableFile(f"larger than {MAX_BYTES // (1024 * 1024)} MB")
    if not data.strip():
        raise UnreadableFile("empty file")


def read_document(root: Path, path: Path, data: bytes | None = None) -> Document:
    """Read `path` (below `root`) into a Document, or raise UnreadableFile saying why."""
    doc_id = path.relative_to(root).as_posix()
    if data is None:
        data = read_article_bytes(os.fspath(path))
    _check_size(data)
    suffix = path.suffix.lower()
    if suffix in READERS:
        module, function = READERS[suffix]
        reader: Callable[[str, bytes], Document] = getattr(import_module(f"margin.search.readers.{module}"), function)
        return reader(doc_id, data)
    text, _ = decode_bytes(data)
    text = clean_text(text)
    if suffix in {".md", ".markdown"}:
        return _markdown_document(doc_id, text, path.stem)
    return _text_document(doc_id, text, path.stem)


def _text_document(doc_id: str, text: str, stem: str) -> Document:
    title, body = split_title(text, stem)
    return Document(doc_id, title, body)


def _front_matter(text: str) -> tuple[dict[str, Any], str]:
    """Split YAML front matter (between `---` lines) from the Markdown body."""
    if not text.startswith("---\n"):
        return {}, text
    end = text.find("\n---", 3)
    while end != -1 and text[end + 4 : end + 5] not in ("", "\n"):
        end = text.find("\n---", end + 4)
    if end == -1:
        raise UnreadableFile("front matter has no closing '---' line")
    meta = _load_yaml(text[4:end])
    if not isinstance(meta, dict):
        raise UnreadableFile("front matter is not a YAML mapping of fields")
    return meta, text[end + 4 :].lstrip("\n")


def _load_yaml(source: str) -> Any:
    try:
        return load_yaml(source, MAX_FRONT_MATTER, first_line=2) or {}
    except BadYaml as exc:
        raise UnreadableFile(f"front matter {exc}") from exc


def _meta_text(meta: dict[str, Any], key: str) -> str:
    """A field as one line: a scalar, or a list of scalars joined (nested lists and maps are not text)."""
    value = meta.get(key)
    if value is None:
        return ""
    if isinstance(value, list):
        value = ", ".join(str(v) for v in value if not isinstance(v, (list, dict)))
    elif isinstance(value, dict):
        return ""
    return clean_line(str(value))


def _markdown_document(doc_id: str, text: str, stem: str) -> Document:
    meta, body = _front_matter(text)
    title = _meta_text(meta, "title")
    if not title:
        title, body = split_title(body, stem)
    warnings = []
    published = ""
    if meta.get("published") is not None:
        published = normalize_date(meta["published"]) or ""
        if not published:
            warnings.append(f"published date {meta['published']!r} not understood; ignored")
    return Document(
        doc_id,
        title,
        body.strip("\n"),
        source=_meta_text(meta, "source"),
        author=_meta_text(meta, "author"),
        published=published,
        language=_meta_text(meta, "language"),
        url=_meta_text(meta, "url"),
        warnings=tuple(warnings),
    )
