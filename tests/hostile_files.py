"""Files made to break a reader (issue 25): cut short, nested past the stack, bombs that unpack to
gigabytes, members a zip reader cannot open, a PDF pdfium aborts on. Shared by the tests and by
`bench robustness`, which also measures each file's peak memory."""

from __future__ import annotations

import zipfile
import zlib
from collections.abc import Callable
from pathlib import Path

from tests.file_kinds import make_docx, make_epub, make_odt, pdf_bytes

MB = 1024 * 1024


def _rezip(path: Path, change: Callable[[str, bytes], bytes | None], method: int = zipfile.ZIP_DEFLATED) -> None:
    """The zip at `path` with each member's bytes passed through `change` (None: unchanged)."""
    with zipfile.ZipFile(path) as source:
        members = [(info.filename, source.read(info)) for info in source.infolist()]
    with zipfile.ZipFile(path, "w", method) as target:
        for name, data in members:
            target.writestr(name, change(name, data) or data)


def docx_cut_short(folder: Path) -> Path:
    path = make_docx(folder / "cut-short.docx", "Cut", ["Heading", "A paragraph."])
    _rezip(path, lambda name, data: data[: len(data) // 2] if name == "word/document.xml" else None)
    return path


def docx_deep(folder: Path) -> Path:
    path = make_docx(folder / "deep.docx", "Deep", ["Heading", "A paragraph."])
    nested = b"<w:p>" * 300 + b"</w:p>" * 300
    _rezip(path, lambda name, data: data.replace(b"<w:body>", b"<w:body>" + nested) if name == "word/document.xml" else None)
    return path


def docx_giant_member(folder: Path) -> Path:
    """A DOCX of some 200 KB holding a 200 MB member of zeros that no one reads."""
    path = make_docx(folder / "giant-member.docx", "Giant", ["Heading", "A paragraph."])
    with zipfile.ZipFile(path, "a", zipfile.ZIP_DEFLATED) as book:
        with book.open("word/media/padding.bin", "w", force_zip64=True) as member:
            block = bytes(MB)
            for _ in range(200):
                member.write(block)
    return path


def epub_encrypted_member(folder: Path) -> Path:
    path = make_epub(folder / "encrypted-member.epub", "Locked", "Ann", [("One", "Text.")])
    raw = bytearray(path.read_bytes())
    name = b"OEBPS/text/c0.xhtml"
    for header in (b"PK\x03\x04", b"PK\x01\x02"):  # the flag in the local and the central header
        at = raw.find(header)
        while at != -1:
            flags_at = at + (6 if header == b"PK\x03\x04" else 8)
            name_at = at + (30 if header == b"PK\x03\x04" else 46)
            if raw[name_at : name_at + len(name)] == name:
                raw[flags_at] |= 1
            at = raw.find(header, at + 4)
    path.write_bytes(bytes(raw))
    return path


def epub_other_compression(folder: Path) -> Path:
    path = make_epub(folder / "lzma.epub", "Packed", "Ann", [("One", "Text.")])
    _rezip(path, lambda name, data: None, method=zipfile.ZIP_LZMA)
    return path


def epub_corrupt_deflate(folder: Path) -> Path:
    path = make_epub(folder / "corrupt-deflate.epub", "Broken", "Ann", [("One", "Text " * 2000)])
    raw = bytearray(path.read_bytes())
    at = raw.find(b"OEBPS/text/c0.xhtml") + len("OEBPS/text/c0.xhtml") + 20
    raw[at : at + 40] = bytes(range(40))
    path.write_bytes(bytes(raw))
    return path


def epub_repeated_chapter(folder: Path) -> Path:
    """5 KB that names one 1 MB chapter 2,000 times in its spine: 2 GB of text."""
    path = make_epub(folder / "repeated-chapter.epub", "Again", "Ann", [("One", "word " * 200_000)])
    spine = b'<itemref idref="c0"/>'
    _rezip(path, lambda name, data: data.replace(spine, spine * 2000) if name.endswith(".opf") else None)
    return path


def epub_many_tags(folder: Path) -> Path:
    path = make_epub(folder / "many-tags.epub", "Tags", "Ann", [("One", "<b></b>" * 3_000_000)])
    _rezip(path, lambda name, data: None)
    return path


def odt_deep(folder: Path) -> Path:
    path = make_odt(folder / "deep.odt", "Deep", ["Heading", "Body."])
    nested = b"<text:span>" * 5000 + b"x" + b"</text:span>" * 5000
    _rezip(path, lambda name, data: data.replace(b"<text:p>", b"<text:p>" + nested, 1) if name == "content.xml" else None)
    return path


def eml_deep(folder: Path) -> Path:
    depth = 3000
    parts = [f'Content-Type: multipart/mixed; boundary="b{i}"\n\n--b{i}\n' for i in range(depth)]
    closing = "".join(f"\n--b{i}--\n" for i in reversed(range(depth)))
    text = "From: a@example.com\nSubject: deep\nMIME-Version: 1.0\n" + "".join(parts) + "Content-Type: text/plain\n\nhi" + closing
    path = folder / "deep.eml"
    path.write_text(text)
    return path


def pdf_recursive_pages(folder: Path) -> Path:
    """A page tree whose Pages node is its own kid."""
    path = folder / "recursive-pages.pdf"
    path.write_bytes(pdf_bytes([b"<< /Type /Catalog /Pages 2 0 R >>", b"<< /Type /Pages /Kids [2 0 R] /Count 1 >>"]))
    return path


def pdf_stream_bomb(folder: Path) -> Path:
    """A page whose content stream is 256 MB once inflated, 0.25 MB as stored."""
    packed = zlib.compressobj(9)
    chunk = b"0 0 m " * (MB // 6)
    stream = b"".join(packed.compress(chunk) for _ in range(256)) + packed.flush()
    path = folder / "stream-bomb.pdf"
    path.write_bytes(pdf_bytes([b"<< /Type /Catalog /Pages 2 0 R >>", b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
                           b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 4 0 R >>",
                           b"<< /Length %d /Filter /FlateDecode >>\nstream\n" % len(stream) + stream + b"\nendstream"]))
    return path


HOSTILE: dict[str, Callable[[Path], Path]] = {
    "docx cut short": docx_cut_short, "docx nested 300 deep": docx_deep, "docx with a 200 MB member": docx_giant_member,
    "epub member encrypted": epub_encrypted_member, "epub member lzma": epub_other_compression,
    "epub corrupt deflate": epub_corrupt_deflate, "epub spine repeats a 1 MB chapter": epub_repeated_chapter,
    "epub chapter of 3 million tags": epub_many_tags, "odt nested 5,000 deep": odt_deep,
    "eml nested 3,000 deep": eml_deep, "pdf recursive page tree": pdf_recursive_pages,
    "pdf 256 MB content stream": pdf_stream_bomb,
}


def make_hostile(folder: Path) -> dict[str, Path]:
    """Every hostile file in `folder`, by what it is."""
    folder.mkdir(parents=True, exist_ok=True)
    return {what: make(folder) for what, make in HOSTILE.items()}

