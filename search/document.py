"""The article as the index and the reader see it, whatever file format it came from."""

from __future__ import annotations

from dataclasses import dataclass, field

from margin.search.errors import UnreadableFile
from margin.search.sanitize import clean_line


@dataclass(frozen=True)
class Document:
    """An article as the index and the reader see it; `doc_id` is its path below the corpus root."""

    doc_id: str
    title: str
    body: str
    source: str = ""
    author: str = ""
    published: str = ""
    language: str = ""
    url: str = ""
    warnings: tuple[str, ...] = field(default=(), compare=False)


def split_title(text: str, fallback: str) -> tuple[str, str]:
    """The first non-empty line is the title; the body is what follows it."""
    lines = text.split("\n")
    for i, line in enumerate(lines):
        if line.strip():
            title = clean_line(line.lstrip("#"))
            return title or fallback, "\n".join(lines[i + 1 :]).strip("\n")
    raise UnreadableFile("empty file")
