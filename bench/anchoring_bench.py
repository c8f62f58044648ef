"""Re-anchoring 10,000 passages over the bundled corpus after scripted edits (issue 4).

Each article is edited (words inserted, a sentence moved, a paragraph deleted) while every
character remembers where it came from, so the right place of each passage afterwards is known:
the surviving characters of its original span. A placement is right when it covers that place,
wrong when it lands elsewhere (must be 0), and an orphan when it is not placed.
"""

from __future__ import annotations

import random
import re
import time

from margin.search import paths
from margin.search.passages.anchoring import anchor_for, place
from margin.search.readers.documents import read_document

PASSAGES = 10_000


def _edit(text: str, rng: random.Random) -> tuple[str, list[int]]:
    """The edited text and, per character, its index in the original (-1 for inserted text)."""
    chars = list(zip(text, range(len(text))))
    for _ in range(rng.randint(1, 4)):  # words inserted
        at = rng.randrange(len(chars) + 1)
        words = " " + " ".join(rng.choice(["new", "inserted", "words", "here", "today"]) for _ in range(3)) + " "
        chars[at:at] = [(c, -1) for c in words]
    sentences = [m.span() for m in re.finditer(r"[^.!?\n]+[.!?]", "".join(c for c, _ in chars))]
    if len(sentences) > 2:  # a sentence moved
        s, e = rng.choice(sentences)
        moved = chars[s:e]
        del chars[s:e]
        at = rng.randrange(len(chars) + 1)
        chars[at:at] = moved
    joined = "".join(c for c, _ in chars)
    paragraphs = [m.span() for m in re.finditer(r"[^\n]+", joined)]
    if len(paragraphs) > 3 and rng.random() < 0.5:  # a paragraph deleted
        s, e = rng.choice(paragraphs)
        del chars[s:e]
    return "".join(c for c, _ in chars), [i for _, i in chars]


def run(seed: int = 7) -> dict:
    rng = random.Random(seed)
    root = paths.bundled_corpus()
    docs = [read_document(root, p).body for p in sorted(root.glob("*.md"))]
    counts = {"right": 0, "right_exact": 0, "wrong": 0, "orphan": 0, "orphan_expected": 0}
    elapsed = 0.0
    per_doc = PASSAGES // len(docs)
    for text in docs:
        edited, origin = _edit(text, rng)
        for _ in range(per_doc + (PASSAGES - per_doc * len(docs) if text is docs[-1] else 0)):
            start = rng.randrange(0, max(1, len(text) - 20))
            end = min(len(text), start + rng.randint(10, 200))
            anchor = anchor_for(text, start, end)
            began = time.perf_counter()
            placement = place(edited, anchor)
            elapsed += time.perf_counter() - began
            survivors = [i for i, o in enumerate(origin) if start <= o < end]
            if placement is None:
                counts["orphan"] += 1
                counts["orphan_expected"] += not survivors
                continue
            lands = set(range(placement.start, placement.end))
            if survivors and len(lands & set(survivors)) >= 0.5 * len(survivors):
                counts["right"] += 1
                counts["right_exact"] += placement.exact
            else:
                counts["wrong"] += 1
    counts["seconds"] = elapsed
    counts["passages"] = per_doc * len(docs) + (PASSAGES - per_doc * len(docs))
    return counts


def report(r: dict) -> str:
    return (f"Re-anchoring {r['passages']} passages over the bundled corpus after scripted edits "
            f"(words inserted, a sentence moved, half the articles lose a paragraph):\n"
            f"  right {r['right']} ({r['right_exact']} exact, {r['right'] - r['right_exact']} approximate, flagged)  "
            f"wrong {r['wrong']} [must be 0: {'ok' if r['wrong'] == 0 else 'MISSED'}]  "
            f"orphans {r['orphan']} ({r['orphan_expected']} whose text was deleted)  "
            f"in {r['seconds']:.2f} s ({r['seconds'] / r['passages'] * 1e6:.0f} µs each)")


if __name__ == "__main__":
    print(report(run()))
