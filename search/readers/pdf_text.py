"""The text layer of a PDF as an article, through pdfium (pypdfium2): no OCR.

A PDF's text comes as lines laid out on pages. Running headers and footers (a line that starts
or ends most pages, page numbers aside) are dropped; a word hyphenated at a line's end is joined;
the lines of a paragraph are joined, and a page break ends a paragraph. Title, author and date
come from the document's metadata, the title else from the first line.
"""

from __future__ import annotations

import re
from collections import Counter
from pathlib import PurePosixPath

from margin.search.dates import normalize_date
from margin.search.document import Document, split_title
from margin.search.errors import UnreadableFile
from margin.search.readers.encoding import repaired
from margin.search.readers.isolated import run_isolated
from margin.search.sanitize import clean_line, clean_text

_DIGITS = re.compile(r"\d+")
_HYPHENATED = re.compile(r"(?<=[^\W\d_])-\n(?=[^\W\d_]*[a-z])")
_PDF_DATE = re.compile(r"D:(\d{4})(\d{2})?(\d{2})?")
_EDGE = 2  # lines at the top and at the bottom of a page that may be a running header or footer


def pdf_document(doc_id: str, data: bytes) -> Document:
    """The PDF read in a child process (isolated.py): pdfium aborted margin on a hostile file."""
    import pypdfium2  # noqa: F401 - imported before the fork, so each child does not import it again

    return run_isolated(lambda: _pdf_document(doc_id, data), "PDF")


def _pdf_document(doc_id: str, data: bytes) -> Document:
    import pypdfium2 as pdfium

    try:
        pdf = pdfium.PdfDocument(data)
    except pdfium.PdfiumError as exc:
        if "password" in str(exc).lower():
            raise UnreadableFile("PDF is encrypted (protected by a password)") from exc
        raise UnreadableFile(f"not a readable PDF ({exc})") from exc
    try:
        pages = [_page_lines(page) for page in pdf]
        meta = pdf.get_metadata_dict(skip_empty=True)
    finally:
        pdf.close()
    pages = _without_running_lines(pages)
    title = clean_line(meta.get("Title", ""))
    if not title:  # the first line, not the first paragraph: a title line ends with no full stop
        first = next(((p, i) for p, lines in enumerate(pages) for i, line in enumerate(lines) if line.strip()), None)
        if first is not None:
            title = clean_line(pages[first[0]].pop(first[1]))
    body = "\n\n".join(paragraph for lines in pages for paragraph in _paragraphs(lines))
    if not body.strip() and title and not meta.get("Title"):
        body = title  # a PDF of one line: it is the text, and the title too (it was refused as "no text layer")
    if not body.strip():
        raise UnreadableFile("PDF has no text layer (a scan?); margin does not read images")
    if not title:
        title, body = split_title(body, PurePosixPath(doc_id).stem)
    date = _PDF_DATE.match(meta.get("CreationDate", ""))
    published = normalize_date("-".join(g for g in date.groups() if g)) if date else None
    return Document(doc_id, title, body, author=clean_line(meta.get("Author", "")), published=published or "")


def _page_lines(page: object) -> list[str]:
    textpage = page.get_textpage()  # type: ignore[attr-defined]
    try:  # pdfium marks a word hyphenated at a line's end with U+FFFE and joins the lines itself
        text = clean_text(repaired(textpage.get_text_range().replace("\ufffe", "")))  # "(Â£600m)", as in .txt
    finally:
        textpage.close()
    return [line.rstrip() for line in text.split("\n")]


def _without_running_lines(pages: list[list[str]]) -> list[list[str]]:
    repeated = _running_lines(pages)
    return [[line for line in lines if _DIGITS.sub("#", line.strip()) not in repeated] for lines in pages]


def _running_lines(pages: list[list[str]]) -> set[str]:
    """Lines (digits as #, so "Page 3" is "Page 3") at the edges of most pages of two or more."""
    if len(pages) < 2:
        return set()
    seen: Counter[str] = Counter()
    for lines in pages:
        edges = [line.strip() for line in lines if line.strip()]
        seen.update({_DIGITS.sub("#", line) for line in edges[:_EDGE] + edges[-_EDGE:]})
    return {line for line, count in seen.items() if count >= max(2, len(pages) * 0.6)}


def _paragraphs(lines: list[str]) -> list[str]:
    """A page's lines joined into paragraphs: a blank line, or a short line ending a sentence,
    ends one; a hyphenated word broken over two lines is joined."""
    width = max((len(line) for line in lines), default=0)
    paragraphs, current = [], ""
    for at, line in enumerate(lines):
        stripped = line.strip()
        if not stripped:
            paragraphs.append(current)
            current = ""
            continue
        current = f"{current}\n{stripped}" if current else stripped
        if stripped[-1] in ".!?:\"”" and len(stripped) < 0.8 * width or _heading(stripped, lines[at + 1 : at + 2], width):
            paragraphs.append(current)
            current = ""
    paragraphs.append(current)
    return [" ".join(_HYPHENATED.sub("", p).split()) for p in paragraphs if p.strip()]


def _heading(line: str, following: list[str], width: int) -> bool:
    """A short line with no closing punctuation before a line that starts a sentence: a heading,
    its own paragraph ("Ad sales boost Time Warner profit" was glued to the text under it)."""
    nxt = following[0].strip() if following else ""
    return bool(nxt) and len(line) < 0.6 * width and line[-1] not in ",;-–—" and nxt[:1].isupper() \
        and len(nxt) > len(line)
