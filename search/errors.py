"""Errors that reach the user as one line of text, never as a traceback."""

from __future__ import annotations

from margin.search.sanitize import printable


class MarginError(Exception):
    """A problem the user can act on; `str()` is the whole message."""


class UnreadableFile(MarginError):
    """A corpus file that cannot become a document; the reason names what is wrong."""


class IndexBusy(MarginError):
    """Another margin process holds the index's write lock."""


class CorpusNotFound(MarginError):
    """The corpus folder does not exist or is not a folder."""


class IndexUnwritable(MarginError):
    """The index folder cannot be created or written (permissions, full disk)."""


class IndexDamaged(MarginError):
    """The index is damaged and could not be rebuilt this time (another process is writing it)."""


def reader_failure(exc: Exception) -> str:
    """Why a file's reader (a library: lxml, zlib, pdfium, odfpy...) gave up on it, in one line."""
    if isinstance(exc, RecursionError):
        return "nested too deeply to read"
    if isinstance(exc, MemoryError):
        return "too large to read in memory"
    detail = printable(str(exc))[:200]
    return f"could not be read ({type(exc).__name__}{': ' + detail if detail else ''})"
