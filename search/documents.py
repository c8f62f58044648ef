"""Reading one article file into a Document: Markdown with front matter, plain text, or HTML.

Every way a file can be wrong ends in `UnreadableFile` with a reason a user can act on; the
caller skips that file and indexes the rest. The text is decoded (BOM, UTF-8, then cp1252),
line endings are normalised and control characters removed before anything else sees it.
"""

from __future__ import annotations

from collections.abc import Callable
from importlib import import_module
from pathlib import Path
from typing import Any

import yaml

from .dates import normalize_date
from .document import Document, split_title
from .encoding import decode_bytes
from .errors import UnreadableFile
from .sanitize import clean_line, clean_text

MAX_BYTES = 25 * 1024 * 1024
MAX_FRONT_MATTER = 64 * 1024
# libyaml's safe loader when PyYAML was built with it: front matter parsing dominates small files.
_YAML_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
# The readers of the other kinds load their libraries (BeautifulSoup, pdfium, python-docx, odfpy)
# on first use: BeautifulSoup and its CSS selectors alone were 0.1 s of every reader's start.
READERS = {".html": ("html_text", "html_document"), ".htm": ("html_text", "html_document"),
           ".pdf": ("pdf_text", "pdf_document"), ".epub": ("epub_text", "epub_document"),
           ".docx": ("office_text", "docx_document"), ".odt": ("office_text", "odt_document"),
           ".rtf": ("office_text", "rtf_document"), ".eml": ("feeds_mail", "eml_document")}
MANY_SUFFIXES = {".rss", ".atom", ".xml", ".mbox"}  # a feed's entries, a mailbox's messages: a document each
SUFFIXES = {".md", ".markdown", ".txt", *READERS, *MANY_SUFFIXES}


def read_documents(root: Path, path: Path, data: bytes) -> list[Document]:
    """The documents in one file: one, or a feed's entries and a mailbox's messages (`file#n`)."""
    if path.suffix.lower() in MANY_SUFFIXES:
        from .feeds_mail import read_many

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
        try:
            data = path.read_bytes()
        except OSError as exc:
            raise UnreadableFile(f"cannot read: {exc.strerror or exc}") from exc
    _check_size(data)
    suffix = path.suffix.lower()
    if suffix in READERS:
        module, function = READERS[suffix]
        reader: Callable[[str, bytes], Document] = getattr(import_module(f"margin.search.{module}"), function)
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
    """Front matter as YAML, within bounds: a 371-byte alias bomb took 33 s and 630 MB, a title
    nested 5,000 brackets deep overflowed the stack, and `2025-02-30` raised from the date parser."""
    if len(source) > MAX_FRONT_MATTER:
        raise UnreadableFile(f"front matter longer than {MAX_FRONT_MATTER // 1024} KB")
    try:
        if "*" in source and any(isinstance(e, yaml.AliasEvent) for e in yaml.parse(source, Loader=_YAML_LOADER)):
            raise UnreadableFile("front matter uses YAML aliases (*name), which margin does not read")
        return yaml.load(source, Loader=_YAML_LOADER) or {}
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f" at line {mark.line + 2}" if mark else ""
        problem = getattr(exc, "problem", None) or "syntax error"
        raise UnreadableFile(f"front matter is not valid YAML{where}: {problem}") from exc
    except RecursionError as exc:
        raise UnreadableFile("front matter is nested too deeply") from exc
    except ValueError as exc:  # a date such as 2025-02-30
        raise UnreadableFile(f"front matter has a value that is not valid: {exc}") from exc


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
