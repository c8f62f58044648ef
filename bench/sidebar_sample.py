"""100 corpus sidebar rows drawn uniformly at random (not the most frequent), for judging by reading.

    python3 bench/sidebar_sample.py CORPUS INDEX bench/bbc_sidebar_sample.tsv

A row is an entity as the sidebar lists it across the corpus (library.entities.counts). The draw
takes the 100 rows whose hash (type, name) is smallest, so that a better extractor keeps the rows
it still finds and adds only new ones; each is written with its document count and the sentence
of its first mention in its first document. The judged file has a `verdict` column filled by a
person: `right` (a real name, of that type, and no other row is the same entity), `wrong`
(not a name, or the wrong type) or `duplicate` (the same entity as another row). Rows already
judged keep their verdict when the draw is written again, and those no longer drawn stay below
it, commented out, should they come back; the figures count this draw's verdicts.
"""

from __future__ import annotations

import hashlib
import sys
from collections import Counter
from pathlib import Path

from margin.search.entities.mentions import entity_query
from margin.search.library import Library


def draw(library: Library) -> list[tuple[str, str, int]]:
    rows = [(e.type, e.name, e.count) for e in library.entities.counts()]
    return sorted(rows, key=lambda r: hashlib.sha1(f"{r[0]}\t{r[1]}".encode()).hexdigest())[:100]


def context(library: Library, kind: str, name: str) -> str:
    query = entity_query(kind, name)
    rows = library.search(query, suggest=False).rows
    if not rows:
        return "(no document found)"
    doc_id = rows[0].doc_id
    hits = library.hits(doc_id, query)
    stored = library.document(doc_id)
    if not hits or stored is None:
        return f"{doc_id}: (no mention lit)"
    hit = hits[0]
    body = stored.document.title if hit.field == "title" else stored.document.body
    start, end = hit.start, hit.end
    return f"{doc_id}: " + " ".join(f"{body[max(0, start - 80):start]}[{body[start:end]}]{body[end:end + 80]}".split())


def main(corpus: Path, index: Path, judged: Path) -> None:
    old: dict[tuple[str, str], str] = {}
    kept: dict[tuple[str, str], str] = {}  # judged lines, drawn or not, by row
    if judged.is_file():
        for line in judged.read_text(encoding="utf-8").splitlines()[1:]:
            kind, name, _, verdict, *_ = line.removeprefix("# ").split("\t")
            old[(kind, name)] = verdict
            kept[(kind, name)] = line.removeprefix("# ")
    with Library.open(corpus, index) as library:
        lines = ["type\tname\tdocuments\tverdict\tcontext"]
        verdicts = Counter()
        for kind, name, count in draw(library):
            verdict = old.get((kind, name), "")
            verdicts[verdict or "not judged"] += 1
            lines.append(f"{kind}\t{name}\t{count}\t{verdict}\t{context(library, kind, name)}")
    drawn = {tuple(line.split("\t")[:2]) for line in lines[1:]}
    lines += [f"# {line}" for row, line in kept.items() if row not in drawn and old[row]]  # judged, out of the draw
    judged.write_text("\n".join(lines) + "\n", encoding="utf-8")
    print(f"{judged.name}: " + ", ".join(f"{n} {v}" for v, n in verdicts.most_common()))


if __name__ == "__main__":
    main(Path(sys.argv[1]), Path(sys.argv[2]), Path(sys.argv[3]))
