"""A small corpus with planted copies: what the stories tests group, compare and search."""

from __future__ import annotations

import random
from pathlib import Path

from tests.conftest import write

_SYLLABLES = ("ka", "lo", "mi", "ter", "van", "dro", "sel", "pum", "ri", "gos", "nal", "bet", "cu", "fen", "hol")


def _words(rng: random.Random, n: int) -> list[str]:
    return ["".join(rng.choice(_SYLLABLES) for _ in range(rng.randint(2, 3))) for _ in range(n)]


def paragraph(rng: random.Random, sentences: int = 4) -> str:
    return " ".join(" ".join(_words(rng, rng.randint(8, 14))).capitalize() + "." for _ in range(sentences))


def article(folder: Path, name: str, title: str, date: str, paragraphs: list[str], source: str = "Wire") -> Path:
    body = "\n\n".join(paragraphs)
    return write(folder, name, f"---\ntitle: \"{title}\"\nsource: {source}\npublished: {date}\n---\n{body}\n")


def planted(folder: Path) -> dict[str, list[str]]:
    """Two stories with copies (a new first paragraph, the last one dropped, a few words edited),
    two unrelated articles sharing one boilerplate paragraph, and eight articles alone."""
    rng = random.Random(5)
    story = [paragraph(rng) for _ in range(6)]
    other = [paragraph(rng) for _ in range(5)]
    boiler = paragraph(rng, 3)
    article(folder, "wire/original.md", "Harbour plan agreed", "2024-03-01", story)
    article(folder, "outlets/new-lead.md", "Harbour deal: what it means", "2024-03-02", [paragraph(rng), *story[1:]], "Outlet A")
    article(folder, "outlets/no-end.md", "Harbour plan", "2024-03-03", story[:-1], "Outlet B")
    edited = story[2].split()
    edited[3], edited[7] = "harbour", "tuesday"
    article(folder, "outlets/edited.md", "Harbour plan agreed at last", "2024-03-02",
            [*story[:2], " ".join(edited), *story[3:]], "Outlet C")
    article(folder, "wire/second.md", "Valley floods", "2024-04-01", other)
    article(folder, "outlets/second-copy.md", "Valley floods again", "2024-04-02", other[:-1], "Outlet D")
    article(folder, "alone/boiler-a.md", "Markets", "2024-05-01", [paragraph(rng) for _ in range(4)] + [boiler])
    article(folder, "alone/boiler-b.md", "Weather", "2024-05-02", [paragraph(rng) for _ in range(4)] + [boiler])
    for i in range(8):
        article(folder, f"alone/{i}.md", f"Story {i}", f"2024-06-{i + 1:02d}", [paragraph(rng) for _ in range(4)])
    return {"wire/original.md": ["outlets/edited.md", "outlets/new-lead.md", "outlets/no-end.md", "wire/original.md"],
            "wire/second.md": ["outlets/second-copy.md", "wire/second.md"]}
