"""The entity extractor on annotated sets: exact span and type, PER/ORG/LOC, with and without
the learned model, in one run.

CoNLL-2003 eng.testb (from ../shared/data) is for evaluation only; the freely licensed sets the
model was not trained on (scripts/ner_sets.HELD_OUT: WikiGold, SEC filings, UNER PUD) are read
from `NER_DATA` when it is there. Each document is rebuilt as text (tokens joined by spaces,
one sentence a line) and run through `extract_entities` with no curated list, as an unfamiliar
corpus would be. MISC is ignored, and so are our `product` entities, which the sets have no
type for. "Spans" scores the same names with their types ignored: the sets disagree on types by
convention (UNER marks a country that acts, "Spain signed", as an organisation).
"""

from __future__ import annotations

import json
import sys
from collections import Counter

from common import OUT, ROOT, SHARED, timed

sys.path.insert(0, str(ROOT / "scripts"))
from ner_sets import DEFAULT_DATA, HELD_OUT, Doc, NameSet, read_file, read_set  # noqa: E402

from margin.search.entities.gazetteer import Gazetteer  # noqa: E402
from margin.search.entities.mentions import extract_entities  # noqa: E402

TYPES = {"person": "PER", "organization": "ORG", "place": "LOC"}
TESTB = SHARED / "conll2003-en" / "eng.testb"
CONLL = NameSet("CoNLL-2003 testb", (str(TESTB),), "evaluation only", "news (Reuters, 1996)")


def sets() -> list[tuple[NameSet, list[Doc]]]:
    """CoNLL, then every held-out set found under NER_DATA."""
    found = [(CONLL, read_file(TESTB, CONLL))]
    for name_set in HELD_OUT:
        if all(any(DEFAULT_DATA.glob(pattern)) for pattern in name_set.files):
            found.append((name_set, read_set(DEFAULT_DATA, name_set)))
    return found


def score(docs: list[Doc], *, learned: bool) -> dict:
    tp, fp, fn = Counter(), Counter(), Counter()
    spans = Counter()
    empty = Gazetteer()

    def run_all() -> None:
        for text, gold, unjudged in docs:
            gold = {g for g in gold if g[2] in TYPES.values()}
            found = {(m.start, m.end, TYPES[m.type]) for m in extract_entities(text, empty, learned=learned)
                     if m.type in TYPES}
            found = {f for f in found if not any(a < f[1] and f[0] < b for a, b in unjudged)}
            for kind in TYPES.values():
                g = {x for x in gold if x[2] == kind}
                f = {x for x in found if x[2] == kind}
                tp[kind] += len(g & f)
                fp[kind] += len(f - g)
                fn[kind] += len(g - f)
            g_spans, f_spans = {x[:2] for x in gold}, {x[:2] for x in found}
            spans["tp"] += len(g_spans & f_spans)
            spans["fp"] += len(f_spans - g_spans)
            spans["fn"] += len(g_spans - f_spans)

    seconds, _ = timed(run_all)
    scores = {kind: _prf(tp[kind], fp[kind], fn[kind]) for kind in TYPES.values()}
    scores["micro"] = _prf(sum(tp.values()), sum(fp.values()), sum(fn.values()))
    scores["spans"] = _prf(spans["tp"], spans["fp"], spans["fn"])
    return {"seconds": seconds, "ms_per_doc": 1000 * seconds / max(1, len(docs)), "scores": scores}


def _prf(tp: int, fp: int, fn: int) -> dict:
    precision = tp / (tp + fp) if tp + fp else 0.0
    recall = tp / (tp + fn) if tp + fn else 0.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return {"precision": precision, "recall": recall, "f1": f1, "tp": tp, "fp": fp, "fn": fn}


def evaluate() -> dict:
    out = {}
    for name_set, docs in sets():
        score(docs, learned=False)  # a first pass fills the rules' caches: both are timed warm
        out[name_set.name] = {"genre": name_set.genre, "licence": name_set.licence, "documents": len(docs),
                              "rules": score(docs, learned=False), "rules + model": score(docs, learned=True)}
    return out


def report(r: dict) -> str:
    lines = ["Entities: exact span and type, PER/ORG/LOC, MISC ignored; rules alone, then with the learned model"]
    for name, result in r.items():
        lines.append(f"  {name} ({result['genre']}; {result['licence']}), {result['documents']} documents")
        for method in ("rules", "rules + model"):
            s = result[method]["scores"]
            m, sp = s["micro"], s["spans"]
            per_kind = "  ".join(f"{k} {s[k]['precision']:.2f}/{s[k]['recall']:.2f}" for k in ("PER", "ORG", "LOC"))
            lines.append(f"    {method:13}  P {m['precision']:.3f}  R {m['recall']:.3f}  F1 {m['f1']:.3f}"
                         f"   spans F1 {sp['f1']:.3f}   {per_kind}   {result[method]['ms_per_doc']:.2f} ms/doc")
    conll = r[CONLL.name]["rules + model"]["scores"]["micro"]
    met = conll["precision"] >= 0.92 and conll["f1"] >= 0.82
    lines.append(f"  target (issue 29) CoNLL P >= 0.92, F1 >= 0.82: {'ok' if met else 'MISSED'}")
    for name in list(r)[1:]:
        m = r[name]["rules + model"]["scores"]["micro"]
        ok = m["precision"] >= 0.88 and m["f1"] >= 0.70
        lines.append(f"  target (issue 29) {name} P >= 0.88, F1 >= 0.70: {'ok' if ok else 'MISSED'}")
    if len(r) == 1:
        lines.append(f"  (no held-out sets: NER_DATA={DEFAULT_DATA} has none; see scripts/ner_sets.py)")
    lines += [sidebar_line(name) for name in ("bbc", "makecorpus")]
    return "\n".join(lines)


def sidebar_line(name: str) -> str:
    """The verdicts of a judged draw of 100 corpus sidebar rows (bench/sidebar_sample.py writes it)."""
    path = ROOT / "bench" / f"{name}_sidebar_sample.tsv"
    drawn = [line.split("\t") for line in path.read_text(encoding="utf-8").splitlines()[1:] if not line.startswith("#")]
    verdicts = Counter(row[3] or "not judged" for row in drawn)
    shown = ", ".join(f"{n} {v}" for v, n in verdicts.most_common())
    ok = verdicts["right"] >= 92
    return f"  100 random corpus sidebar rows ({path.name}): {shown}   [target >= 92 right and unique: {'ok' if ok else 'MISSED'}]"


if __name__ == "__main__":
    result = evaluate()
    print(report(result))
    OUT.mkdir(parents=True, exist_ok=True)
    (OUT / "entities.json").write_text(json.dumps(result, indent=2))
