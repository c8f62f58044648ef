"""Keep article text safe to print: no escape sequences, no control characters.

Articles come from anywhere; a hostile one could move the cursor or retitle the terminal. Cleaning
happens once, when a file is read, so stored text, offsets and passages all refer to the same
clean string.
"""

from __future__ import annotations

import json
import re

# CSI, OSC (ended by BEL or ST), and other two-byte ESC sequences, then lone C0/C1 controls.
_ESCAPES = re.compile(
    r"\x1b\[[0-?]*[ -/]*[@-~]"
    r"|\x1b\][^\x07\x1b]*(?:\x07|\x1b\\)?"
    r"|\x1b[PX^_][^\x1b]*(?:\x1b\\)?"
    r"|\x1b[ -~]?"
    r"|\x9b[0-?]*[ -/]*[@-~]"
)
_UNSAFE_IN_JSON = re.compile(r"[\x7f-\x9f\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069]")
_SURROGATES = re.compile(r"[\ud800-\udfff]")
_UNPRINTABLE = re.compile(r"[\x00-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069\ufeff\ud800-\udfff]")
_CONTROLS = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069\ufeff]")


def from_terminal(text: str) -> str:
    """Text as a terminal or shell handed it over: bytes that were not UTF-8 arrive as lone
    surrogates (Python's surrogateescape), which no encoder accepts. They are read as cp1252 (what
    a Latin-1 terminal sends for `été`), and any surrogate left becomes U+FFFD."""
    if not _SURROGATES.search(text):
        return text
    raw = text.encode("utf-8", "surrogateescape") if _only_escaped_bytes(text) else b""
    if raw:
        try:
            return raw.decode("utf-8")
        except UnicodeDecodeError:
            return raw.decode("cp1252", "replace")
    return _SURROGATES.sub("\ufffd", text)


def printable(text: str) -> str:
    """A string from outside (a file name, an imported field) safe to print on one line: control
    characters (line breaks and tabs too), bidi controls and lone surrogates become U+FFFD."""
    return _UNPRINTABLE.sub("\ufffd", text)


def utf8_encodable(text: str) -> bool:
    """False for a string holding lone surrogates (a file name or argument that was not UTF-8)."""
    return not _SURROGATES.search(text)


def _only_escaped_bytes(text: str) -> bool:
    """Every surrogate in `text` is one surrogateescape made from a byte (U+DC80 to U+DCFF)."""
    return all("\udc80" <= c <= "\udcff" for c in _SURROGATES.findall(text))


def json_text(value: object, indent: int | None = None) -> str:
    """JSON as margin prints it: readable (not ASCII-escaped) text, except C1 controls, bidi
    overrides and line separators, escaped so that no terminal or viewer acts on them."""
    text = json.dumps(value, ensure_ascii=False, indent=indent)
    return _UNSAFE_IN_JSON.sub(lambda m: f"\\u{ord(m.group()):04x}", text)


def normalize_newlines(text: str) -> str:
    return text.replace("\r\n", "\n").replace("\r", "\n")


def clean_text(text: str) -> str:
    """Normalise line endings, drop escape sequences and control characters, keep tabs and newlines."""
    text = normalize_newlines(text)
    text = _ESCAPES.sub("", text)
    return _CONTROLS.sub("", text.replace("\x0c", "\n"))


def clean_line(text: str) -> str:
    """A one-line field (title, source, author): cleaned, with runs of white space folded."""
    return " ".join(clean_text(text).split())
