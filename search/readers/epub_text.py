"""An EPUB book as one article: its chapters in reading order (the package's spine), each as a
section under its heading; title, author and date from the package metadata. EPUB is a zip of
XHTML files with an OPF package file: read here with zipfile and BeautifulSoup, as HTML is."""

from __future__ import annotations

import posixpath
import warnings
import zipfile
from pathlib import PurePosixPath
from xml.etree import ElementTree

from bs4 import BeautifulSoup, XMLParsedAsHTMLWarning

from margin.search.dates import normalize_date
from margin.search.document import Document, split_title
from margin.search.errors import UnreadableFile
from margin.search.readers.archives import ReadBudget, bounded_zip
from margin.search.readers.documents import MAX_BYTES
from margin.search.readers.html_text import MAX_TAGS, text_of
from margin.search.sanitize import clean_line, clean_text

MAX_CHAPTERS = 2_000
MAX_MARKUP = MAX_BYTES  # the chapters' XHTML read in all: an HTML file's own limit


def epub_document(doc_id: str, data: bytes) -> Document:
    book = bounded_zip(data, "EPUB")
    if "META-INF/encryption.xml" in book.namelist():
        raise UnreadableFile("EPUB is encrypted (DRM)")
    budget = ReadBudget("EPUB", MAX_MARKUP)
    try:
        package_path = _package_path(book)
        package = ElementTree.fromstring(budget.read(book, package_path))
        markup = [budget.read(book, path) for path in _spine(package, package_path)[:MAX_CHAPTERS]]
        if sum(page.count(b"<") for page in markup) > MAX_TAGS:
            raise UnreadableFile(f"EPUB with more than {MAX_TAGS:,} tags")
        chapters = [_chapter(page) for page in markup]
    except (zipfile.BadZipFile, KeyError, ValueError, ElementTree.ParseError) as exc:
        raise UnreadableFile(f"not a readable EPUB file ({type(exc).__name__}: {exc})") from exc
    body = clean_text("\n\n".join(c for c in chapters if c))
    if not body.strip():
        raise UnreadableFile("EPUB has no text")
    title = _meta(package, "title")
    if not title:
        title, body = split_title(body, PurePosixPath(doc_id).stem)
    return Document(doc_id, title, body, author=_meta(package, "creator"),
                    published=normalize_date(_meta(package, "date")[:10]) or "", language=_meta(package, "language"))


def _package_path(book: zipfile.ZipFile) -> str:
    container = ElementTree.fromstring(book.read("META-INF/container.xml"))  # within the archive's bounds
    rootfile = next((e for e in container.iter() if _local(e.tag) == "rootfile" and e.get("full-path")), None)
    if rootfile is None:
        raise ValueError("no package file named in META-INF/container.xml")
    return str(rootfile.get("full-path"))


def _spine(package: ElementTree.Element, package_path: str) -> list[str]:
    """The chapters' paths in reading order."""
    folder = posixpath.dirname(package_path)
    # The navigation document (EPUB 3 `properties="nav"`) is the table of contents, not text.
    items = {e.get("id"): e.get("href", "") for e in package.iter()
             if _local(e.tag) == "item" and "nav" not in (e.get("properties") or "").split()}
    order = [e.get("idref") for e in package.iter() if _local(e.tag) == "itemref"]
    return [posixpath.normpath(posixpath.join(folder, items[ref])) for ref in order if ref in items]


def _chapter(markup: bytes) -> str:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", XMLParsedAsHTMLWarning)  # XHTML read as HTML, as the web does
        page = BeautifulSoup(markup, "html.parser")
    for tag in page.find_all(("script", "style", "head")):
        tag.decompose()
    return text_of(page.body or page)


def _meta(package: ElementTree.Element, name: str) -> str:
    """A Dublin Core field of the package metadata (dc:title, dc:creator...)."""
    found = next((e for e in package.iter() if _local(e.tag) == name and e.text), None)
    return clean_line(found.text or "") if found is not None else ""


def _local(tag: str) -> str:
    return tag.rsplit("}", 1)[-1]
