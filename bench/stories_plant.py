"""Planted copies inside a make-corpus folder: the ground truth `bench stories` groups against.

500 families of 2–6 documents: a base article and copies of it, each with 5–40 % of its sentences
changed. Part of that budget goes to a rewritten first paragraph or a dropped last one, when the
draw asks for it; the rest replaces sentences with others, edits a few words of them or deletes
them. 200 pairs of unrelated articles get the same long boilerplate (80–160 words of real
sentences) appended. The copies are new files under `plant/`; the boilerplate is written into
the two articles' own files. The same folder and seed give the same plant.
"""

from __future__ import annotations

import random
import re
from dataclasses import dataclass, field
from pathlib import Path

FAMILIES = 500
BOILERPLATE_PAIRS = 200
_SENTENCE_END = re.compile(r"(?<=[.!?])\s+(?=[A-Z\"'])")


@dataclass
class Plant:
    families: list[list[str]] = field(default_factory=list)  # doc ids (paths below the folder), original first
    boilerplate: list[tuple[str, str]] = field(default_factory=list)


def _split(path: Path) -> tuple[str, list[list[str]]]:
    text = path.read_text(encoding="utf-8")
    _, front, body = text.split("---\n", 2)
    paragraphs = [p for p in body.strip().split("\n\n") if p.strip()]
    return front, [_SENTENCE_END.split(p) for p in paragraphs]


def _write(path: Path, front: str, paragraphs: list[list[str]]) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    body = "\n\n".join(" ".join(p) for p in paragraphs if p)
    path.write_text(f"---\n{front}---\n\n{body}\n", encoding="utf-8")


def _edited(rng: random.Random, paragraphs: list[list[str]], pool: list[str]) -> list[list[str]]:
    """A copy with 5–40 % of its sentences changed."""
    paragraphs = [list(p) for p in paragraphs]
    total = sum(map(len, paragraphs))
    budget = max(1, round(rng.uniform(0.05, 0.40) * total))
    shape = rng.random()
    if shape < 1 / 3 and len(paragraphs) > 1 and len(paragraphs[0]) <= budget:
        budget -= len(paragraphs[0])
        paragraphs[0] = [rng.choice(pool) for _ in paragraphs[0]]  # a new first paragraph
    elif shape < 2 / 3 and len(paragraphs) > 1 and len(paragraphs[-1]) <= budget:
        budget -= len(paragraphs[-1])
        paragraphs.pop()  # the last paragraph dropped
    places = [(i, j) for i, p in enumerate(paragraphs) for j in range(len(p))]
    for i, j in sorted(rng.sample(places, min(budget, len(places))), reverse=True):
        kind = rng.random()
        if kind < 0.4:
            paragraphs[i][j] = rng.choice(pool)
        elif kind < 0.8:
            words = paragraphs[i][j].split()
            for _ in range(rng.randint(1, 3)):
                words[rng.randrange(len(words))] = rng.choice(rng.choice(pool).split())
            paragraphs[i][j] = " ".join(words)
        else:
            del paragraphs[i][j]
    return paragraphs


def plant(folder: Path, seed: int, lonely: set[str]) -> Plant:
    """Plant families and boilerplate pairs into a fresh make-corpus folder, on `lonely` articles
    (those sharing little text with any other: see stories_bench.lonely)."""
    rng = random.Random(seed)
    files = sorted(p for p in folder.rglob("*.md") if "plant" not in p.parts)
    chosen = rng.sample([p for p in files if str(p.relative_to(folder)) in lonely], FAMILIES + 2 * BOILERPLATE_PAIRS)
    pool = [s for path in rng.sample(files, 400) for p in _split(path)[1] for s in p if len(s.split()) > 5]
    found = Plant()
    for n, original in enumerate(chosen[:FAMILIES]):
        front, paragraphs = _split(original)
        family = [str(original.relative_to(folder))]
        for c in range(rng.randint(1, 5)):
            copy = folder / "plant" / f"f{n:04d}-{c}.md"
            retitled = re.sub(r"^source: .*$", f"source: Outlet {rng.randint(1, 40)}", front, flags=re.M)
            _write(copy, retitled, _edited(rng, paragraphs, pool))
            family.append(str(copy.relative_to(folder)))
        found.families.append(family)
    rest = chosen[FAMILIES:]
    for a, b in zip(rest[::2], rest[1::2], strict=True):
        words = 0
        boiler = []
        while words < rng.randint(80, 160):
            boiler.append(rng.choice(pool))
            words += len(boiler[-1].split())
        for path in (a, b):
            front, paragraphs = _split(path)
            _write(path, front, [*paragraphs, boiler])
        found.boilerplate.append((str(a.relative_to(folder)), str(b.relative_to(folder))))
    return found
