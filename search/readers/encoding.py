"""Bytes to text for article files: BOM first, then strict UTF-8, then a declared charset, then cp1252.

cp1252 is the last resort because it decodes Latin-1 files (common in older news archives)
correctly and almost never fails; undefined bytes become U+FFFD rather than an error.
Text that was UTF-8 decoded as cp1252 before it reached the file ("Â£5.5bn", "CafÃ©": one
make-corpus article in six, scraped news often) is repaired by ftfy.
"""

from __future__ import annotations

import codecs
import re

from margin.search.errors import UnreadableFile

_BOMS = (
    (codecs.BOM_UTF32_LE, "utf-32"),
    (codecs.BOM_UTF32_BE, "utf-32"),
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
)


def decode_bytes(data: bytes, declared: str | None = None) -> tuple[str, str]:
    """Decode by BOM, then strict UTF-8, then a declared charset, then cp1252; binary files are refused."""
    for bom, encoding in _BOMS:
        if data.startswith(bom):
            return repaired(data.decode(encoding, errors="replace")), encoding
    if b"\x00" in data[:8192]:
        raise UnreadableFile("binary file (contains NUL bytes)")
    text, encoding = _decode(data, declared)
    if _looks_binary(text):
        raise UnreadableFile("binary file (control characters throughout)")
    return repaired(text), encoding


# What UTF-8 read as cp1252 or Latin-1 leaves: the lead bytes C2 and C3 (symbols, accented
# letters) and E2 80 (quotes, dashes).
_MOJIBAKE_MARKS = ("Â", "Ã", "â€", "â\x80")


def repaired(text: str) -> str:
    """The text with mojibake undone, asked of ftfy only where one of its marks appears: its
    check costs 0.2 ms an article, the marks' scan microseconds. ftfy changes only what it is
    sure of, and only the encoding (not quotes, widths or line breaks). Imported on first use:
    25 ms of every reader's start otherwise."""
    if not any(mark in text for mark in _MOJIBAKE_MARKS):
        return text
    import ftfy

    return ftfy.fix_encoding(text)


def _decode(data: bytes, declared: str | None) -> tuple[str, str]:
    try:
        return data.decode("utf-8"), "utf-8"
    except UnicodeDecodeError:
        pass
    if declared:
        try:
            return data.decode(declared, errors="replace"), declared
        except LookupError:
            pass
    return data.decode("cp1252", errors="replace"), "cp1252"


_CONTROLS = re.compile("[\x00-\x08\x0b\x0e-\x1f]")  # control characters but tab, line feeds and form feed


def _looks_binary(text: str) -> bool:
    """More than 5 % control characters in the first 8,192: no article, in any encoding, looks
    like that, but images and archives without NUL bytes in their start do."""
    head = text[:8192]
    return len(_CONTROLS.findall(head)) > max(16, len(head) // 20)
