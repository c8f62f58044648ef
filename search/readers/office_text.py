"""Word processor files as articles: DOCX (python-docx), ODT (odfpy) and RTF (striprtf).

Paragraphs and headings in document order, one blank line between them; title, author and date
from the document's core properties (the title else from the first paragraph). A file that is not
what its name says (a broken zip, not RTF) is skipped with the reason.
"""

from __future__ import annotations

import io
import zipfile
from pathlib import PurePosixPath
from typing import Any

from margin.search.dates import normalize_date
from margin.search.document import Document, split_title
from margin.search.errors import UnreadableFile
from margin.search.readers.archives import bounded_zip
from margin.search.readers.encoding import decode_bytes
from margin.search.sanitize import clean_line, clean_text


def docx_document(doc_id: str, data: bytes) -> Document:
    import docx
    from docx.opc.exceptions import PackageNotFoundError

    bounded_zip(data, "DOCX")  # python-docx reads every member into memory
    try:
        word = docx.Document(io.BytesIO(data))
    except (PackageNotFoundError, zipfile.BadZipFile, KeyError, ValueError) as exc:
        raise UnreadableFile(f"not a readable DOCX file ({type(exc).__name__})") from exc
    props = word.core_properties
    paragraphs = [p.text for p in word.paragraphs]
    return _document(doc_id, paragraphs, props.title or "", props.author or "", props.created)


def odt_document(doc_id: str, data: bytes) -> Document:
    from odf import opendocument, teletype
    from odf.namespaces import DCNS, METANS, TEXTNS

    bounded_zip(data, "ODT")
    try:
        odt = opendocument.load(io.BytesIO(data))
    except (zipfile.BadZipFile, KeyError, ValueError, Exception) as exc:  # odfpy raises what its XML parser does
        raise UnreadableFile(f"not a readable ODT file ({type(exc).__name__})") from exc
    blocks = [node for node in odt.text.childNodes if node.qname in ((TEXTNS, "h"), (TEXTNS, "p"))]
    paragraphs = [teletype.extractText(node) for node in blocks]
    return _document(doc_id, paragraphs, _odf_meta(odt, DCNS, "title"), _odf_meta(odt, DCNS, "creator"),
                     _odf_meta(odt, DCNS, "date") or _odf_meta(odt, METANS, "creation-date"))


def _odf_meta(odt: Any, namespace: str, name: str) -> str:
    from odf import teletype

    for node in odt.meta.childNodes:
        if node.qname == (namespace, name):
            return str(teletype.extractText(node))
    return ""


def rtf_document(doc_id: str, data: bytes) -> Document:
    from striprtf.striprtf import rtf_to_text

    text, _ = decode_bytes(data)
    if not text.lstrip().startswith("{\\rtf"):
        raise UnreadableFile("not an RTF file (no {\\rtf header)")
    try:
        plain = rtf_to_text(text, errors="ignore")  # type: ignore[no-untyped-call]
    except (ValueError, IndexError) as exc:
        raise UnreadableFile(f"not a readable RTF file ({type(exc).__name__})") from exc
    return _document(doc_id, plain.split("\n"), "", "", None)


def _document(doc_id: str, paragraphs: list[str], title: str, author: str, created: object) -> Document:
    body = clean_text("\n\n".join(p.strip() for p in paragraphs if p.strip()))
    if not body.strip():
        raise UnreadableFile("document has no text")
    title = clean_line(title)
    if not title:
        title, body = split_title(body, PurePosixPath(doc_id).stem)
    published = normalize_date(created) or normalize_date(str(created or "")[:10]) or ""
    return Document(doc_id, title, body.strip("\n"), author=clean_line(author), published=published)
