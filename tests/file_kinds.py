"""Small files of every kind margin reads, made by the tests (no binary fixtures checked in)."""

from __future__ import annotations

import zipfile
from pathlib import Path


def make_pdf(path: Path, pages: list[list[str]], title: str = "", created: str = "") -> Path:
    """A PDF whose pages hold these lines of text (Helvetica, top to bottom), with optional metadata."""
    objects: list[bytes] = []
    font = 3 + 2 * len(pages)
    kids = " ".join(f"{3 + 2 * i} 0 R" for i in range(len(pages)))
    objects.append(b"<< /Type /Catalog /Pages 2 0 R >>")
    objects.append(f"<< /Type /Pages /Kids [{kids}] /Count {len(pages)} >>".encode())
    for i, lines in enumerate(pages):
        ops = ["BT /F1 11 Tf 14 TL 72 760 Td"] + [f"({_pdf_string(line)}) Tj T*" for line in lines] + ["ET"]
        stream = "\n".join(ops).encode("latin-1")
        objects.append(f"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents {4 + 2 * i} 0 R "
                       f"/Resources << /Font << /F1 {font} 0 R >> >> >>".encode())
        objects.append(b"<< /Length %d >>\nstream\n" % len(stream) + stream + b"\nendstream")
    objects.append(b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding >>")
    info = " ".join(f"/{k} ({_pdf_string(v)})" for k, v in (("Title", title), ("CreationDate", created)) if v)
    objects.append(f"<< {info} >>".encode())
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(pdf_bytes(objects, b"/Info %d 0 R" % len(objects)))
    return path


def pdf_bytes(objects: list[bytes], trailer: bytes = b"") -> bytes:
    """A PDF of these numbered objects (1 is the catalog), with its cross-reference table."""
    out = bytearray(b"%PDF-1.4\n")
    offsets = []
    for number, body in enumerate(objects, 1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % number + body + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % o for o in offsets)
    out += b"trailer\n<< /Size %d /Root 1 0 R %s >>\nstartxref\n%d\n%%%%EOF\n" % (len(objects) + 1, trailer, xref)
    return bytes(out)


def _pdf_string(text: str) -> str:
    return text.replace("\\", "\\\\").replace("(", "\\(").replace(")", "\\)")


def make_docx(path: Path, title: str, paragraphs: list[str], author: str = "") -> Path:
    import datetime as dt

    import docx

    word = docx.Document()
    word.core_properties.title, word.core_properties.author = title, author
    word.core_properties.created = dt.datetime(2024, 5, 6)
    word.add_heading(paragraphs[0], level=1)
    for paragraph in paragraphs[1:]:
        word.add_paragraph(paragraph)
    path.parent.mkdir(parents=True, exist_ok=True)
    word.save(str(path))
    return path


def make_odt(path: Path, title: str, paragraphs: list[str]) -> Path:
    from odf.dc import Title
    from odf.opendocument import OpenDocumentText
    from odf.text import H, P

    odt = OpenDocumentText()
    odt.meta.addElement(Title(text=title))
    odt.text.addElement(H(outlinelevel=1, text=paragraphs[0]))
    for paragraph in paragraphs[1:]:
        odt.text.addElement(P(text=paragraph))
    path.parent.mkdir(parents=True, exist_ok=True)
    odt.save(str(path))
    return path


def make_epub(path: Path, title: str, author: str, chapters: list[tuple[str, str]]) -> Path:
    """An EPUB 3 with these (heading, text) chapters, in this order."""
    path.parent.mkdir(parents=True, exist_ok=True)
    items = "".join(f'<item id="c{i}" href="text/c{i}.xhtml" media-type="application/xhtml+xml"/>'
                    for i in range(len(chapters)))
    spine = "".join(f'<itemref idref="c{i}"/>' for i in range(len(chapters)))
    with zipfile.ZipFile(path, "w") as book:
        book.writestr("mimetype", "application/epub+zip", compress_type=zipfile.ZIP_STORED)
        book.writestr("META-INF/container.xml", '<?xml version="1.0"?><container version="1.0" '
                      'xmlns="urn:oasis:names:tc:opendocument:xmlns:container"><rootfiles>'
                      '<rootfile full-path="OEBPS/content.opf" media-type="application/oebps-package+xml"/>'
                      '</rootfiles></container>')
        book.writestr("OEBPS/content.opf", f'<?xml version="1.0"?><package xmlns="http://www.idpf.org/2007/opf" '
                      f'version="3.0"><metadata xmlns:dc="http://purl.org/dc/elements/1.1/"><dc:title>{title}'
                      f'</dc:title><dc:creator>{author}</dc:creator><dc:date>2023-09-01</dc:date>'
                      f'<dc:language>en</dc:language></metadata><manifest>{items}</manifest><spine>{spine}</spine>'
                      '</package>')
        for i, (heading, text) in enumerate(chapters):
            book.writestr(f"OEBPS/text/c{i}.xhtml", f'<html xmlns="http://www.w3.org/1999/xhtml"><head><title>'
                          f'{heading}</title></head><body><h1>{heading}</h1><p>{text}</p></body></html>')
    return path


def rss(items: list[tuple[str, str, str]]) -> str:
    """An RSS 2.0 feed of (title, link, html description) items, newest first."""
    entries = "".join(f"<item><title>{t}</title><link>{link}</link><description><![CDATA[{d}]]></description>"
                      f"<pubDate>{i % 28 + 1:02} Jun 2024 10:00:00 GMT</pubDate><author>desk@example.com (Desk)</author></item>"
                      for i, (t, link, d) in enumerate(items))
    return f'<?xml version="1.0"?><rss version="2.0"><channel><title>Tech feed</title>{entries}</channel></rss>'


def atom(entries: list[tuple[str, str]]) -> str:
    body = "".join(f'<entry><title>{t}</title><link href="https://example.com/{i}"/><id>urn:{i}</id>'
                   f'<updated>2024-06-{i % 28 + 1:02}T10:00:00Z</updated><author><name>Ann Writer</name></author>'
                   f'<content type="html">{c}</content></entry>' for i, (t, c) in enumerate(entries))
    return f'<?xml version="1.0" encoding="utf-8"?><feed xmlns="http://www.w3.org/2005/Atom"><title>Atom news</title>{body}</feed>'


def mbox(messages: list[tuple[str, str, str]]) -> str:
    """An mbox of (sender, subject, body) messages."""
    return "".join(f"From {sender} Mon Jun  3 10:00:00 2024\nFrom: {sender}\nSubject: {subject}\n"
                   f"Date: Mon, 03 Jun 2024 10:00:00 +0000\nMessage-ID: <{i}@example.com>\n\n{body}\n\n"
                   for i, (sender, subject, body) in enumerate(messages))
