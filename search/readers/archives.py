"""Zip containers (EPUB, DOCX, ODT) opened within bounds, before any library reads a member.

The 25 MB file limit holds the compressed bytes only: a 5 KB EPUB that repeats one 1 MB chapter
2,000 times, or a 1 MB DOCX with a 3 GB member nobody reads, took margin past 2 GB and ended in
MemoryError. zipfile stops every member at the size the central directory declares (and fails its
CRC past it), so the declared sizes bound what can come out, as long as the method is one that
decompresses in bounded steps: these formats allow only stored and deflated members.
"""

from __future__ import annotations

import io
import zipfile

from margin.search.errors import UnreadableFile

MAX_MEMBERS = 10_000
MAX_UNPACKED = 100 * 1024 * 1024  # every member together, as declared; a long illustrated book is ~60 MB
_METHODS = {zipfile.ZIP_STORED, zipfile.ZIP_DEFLATED}


def bounded_zip(data: bytes, kind: str) -> zipfile.ZipFile:
    """The archive, or UnreadableFile naming what is over the bounds or not supported."""
    try:
        book = zipfile.ZipFile(io.BytesIO(data))
    except (zipfile.BadZipFile, ValueError, OSError) as exc:
        raise UnreadableFile(f"not a readable {kind} file ({exc})") from exc
    members = book.infolist()
    if len(members) > MAX_MEMBERS:
        raise UnreadableFile(f"{kind} file holds more than {MAX_MEMBERS:,} members")
    if sum(m.file_size for m in members) > MAX_UNPACKED:
        raise UnreadableFile(f"{kind} file unpacks to more than {MAX_UNPACKED // (1024 * 1024)} MB")
    for member in members:
        if member.flag_bits & 0x1:
            raise UnreadableFile(f"{kind} file is encrypted ({member.filename})")
        if member.compress_type not in _METHODS:
            raise UnreadableFile(f"{kind} file uses a compression method margin does not read ({member.filename})")
    return book


class ReadBudget:
    """Bytes a document may unpack in all, counted as members are read (an EPUB's spine may name
    one chapter many times: each reading counts)."""

    def __init__(self, kind: str, limit: int) -> None:
        self.kind = kind
        self.limit = self.left = limit

    def read(self, book: zipfile.ZipFile, name: str) -> bytes:
        size = book.getinfo(name).file_size
        if size > self.left:
            raise UnreadableFile(f"{self.kind} text is longer than {self.limit // (1024 * 1024)} MB once unpacked")
        self.left -= size
        return book.read(name)
