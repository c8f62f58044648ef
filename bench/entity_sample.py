"""100 sidebar rows drawn at random across a corpus, for judging by reading.

The draw takes the rows whose hash (document, type, name) is smallest, so a change to the
extractor keeps every row it still finds in the draw and adds only rows that are new. It is
written to `<judged>.new.tsv`, each row with the passage it first occurs in.
The judged draw is `<judged>.tsv`, with a `verdict` column (right or wrong) filled by a person;
the figures count this draw's rows found there and say how many are not judged yet (the draw
changes when the extractor does: copy the new file over and judge those rows).
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from pathlib import Path

from margin.search.entities.mentions import Mention, summarize


def judged_sample(texts: list[str], mentions_of: Callable[[int], list[Mention]], judged: Path) -> dict:
    """Draw 100 rows (document, type, name) and count the verdicts already given for them."""
    pool = [(i, row) for i in range(len(texts)) for row in summarize(mentions_of(i))]
    lines = ["document\ttype\tname\tcontext"]
    drawn = []
    for i, (kind, name) in sorted(sorted(pool, key=_rank)[:100]):
        text = texts[i]
        first = next(m for m in mentions_of(i) if (m.type, m.name) == (kind, name))
        context = " ".join(f"{text[max(0, first.start - 70):first.start]}[{text[first.start:first.end]}]"
                           f"{text[first.end:first.end + 70]}".split())
        lines.append(f"{i}\t{kind}\t{name}\t{context}")
        drawn.append((str(i), kind, name))
    judged.with_suffix(".new.tsv").write_text("\n".join(lines) + "\n", encoding="utf-8")
    verdicts = _verdicts(judged)
    given = [verdicts[row] for row in drawn if row in verdicts]
    return {"judged": len(given), "right": given.count("right"), "unjudged": len(drawn) - len(given),
            "file": judged.name, "new_file": judged.with_suffix(".new.tsv").name}


def _rank(row: tuple[int, tuple[str, str]]) -> str:
    i, (kind, name) = row
    return hashlib.sha1(f"{i}\t{kind}\t{name}".encode()).hexdigest()


def _verdicts(judged: Path) -> dict[tuple[str, str, str], str]:
    if not judged.is_file():
        return {}
    lines = judged.read_text(encoding="utf-8").splitlines()[1:]
    return {(doc, kind, name): verdict for doc, kind, name, verdict, *_ in (line.split("\t") for line in lines)}


def sample_line(r: dict, target: float | None) -> str:
    verdict = "" if target is None or not r["judged"] else \
        f"   [target >= {target:.2f}: {'ok' if r['right'] >= target * r['judged'] else 'MISSED'}]"
    return (f"  100 random sidebar rows: {r['right']} of {r['judged']} judged right by reading ({r['file']}); "
            f"{r['unjudged']} of this draw not judged yet ({r['new_file']}){verdict}")
