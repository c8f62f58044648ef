"""Keep article text safe to print: no escape sequences, no control characters.

Articles come from anywhere; a hostile one could move the cursor or retitle the terminal. Cleaning
happens once, when a file is read, so stored text, offsets and passages all refer to the same
clean string.
"""

from __future__ import annotations

import re

# CSI, OSC (ended by BEL or ST), and other two-byte ESC sequences, then lone C0/C1 controls.
_ESCAPES = re.compile(
    r"\x1b\[[0-?]*[ -/]*[@-~]"
    r"|\x1b\][^\x07\x1b]*(?:\x07|\x1b\\)?"
    r"|\x1b[PX^_][^\x1b]*(?:\x1b\\)?"
    r"|\x1b[ -~]?"
    r"|\x9b[0-?]*[ -/]*[@-~]"
)
_CONTROLS = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069\ufeff]")


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
