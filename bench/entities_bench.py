"""The rule-based entity extractor on CoNLL-2003 eng.testb: exact span and type, PER/ORG/LOC.

Each CoNLL document is rebuilt as text (tokens joined by spaces, one sentence a line) and run
through `extract_entities` with no curated list, as an unfamiliar corpus would be. MISC is ignored,
and so are our `product` entities, which CoNLL has no type for.
"""

from __future__ import annotations

import json
from collections import Counter

from common import OUT, SHARED, timed

from margin.search.entities.gazetteer import Gazetteer
from margin.search.entities.mentions import extract_entities

TYPES = {"person": "PER", "organization": "ORG", "place": "LOC"}
TESTB = SHARED / "conll2003-en" / "eng.testb"


def documents() -> list[tuple[str, set[tuple[int, int, str]]]]:
    """(text, gold spans) per document; IOB1 tags, -DOCSTART- closes each document."""
    docs, gold = [], set()
    text_parts: list[str] = []
    offset = 0
    current: list = []  # [start, end, type] of the entity being read

    def close_entity() -> None:
        if current:
            gold.add((current[0], current[1], current[2]))
            current.clear()

    for line in TESTB.read_text(encoding="utf-8").splitlines() + ["-DOCSTART- -X- -X- O"]:
        if line.startswith("-DOCSTART-"):
            close_entity()
            if text_parts:
                docs.append(("".join(text_parts), set(g for g in gold if g[2] != "MISC")))
            text_parts, gold, offset = [], set(), 0
            continue
        if not line.strip():
            close_entity()
            if text_parts and not text_parts[-1].endswith("\n"):
                text_parts[-1] = text_parts[-1].rstrip(" ") + "\n"
                offset = sum(len(p) for p in text_parts)
            continue
        word, *_, tag = line.split()
        start = offset
        text_parts.append(word + " ")
        offset += len(word) + 1
        kind = tag[2:] if tag != "O" else None
        if kind and current and current[2] == kind and not tag.startswith("B-"):
            current[1] = start + len(word)
        else:
            close_entity()
            if kind:
                current.extend([start, start + len(word), kind])
    return docs


def evaluate() -> dict:
    tp, fp, fn = Counter(), Counter(), Counter()
    docs = documents()
    empty = Gazetteer()

    def run_all():
        for text, gold in docs:
            found = {(m.start, m.end, TYPES[m.type]) for m in extract_entities(text, empty) if m.type in TYPES}
            for kind in TYPES.values():
                g = {x for x in gold if x[2] == kind}
                f = {x for x in found if x[2] == kind}
                tp[kind] += len(g & f)
                fp[kind] += len(f - g)
                fn[kind] += len(g - f)

    seconds, _ = timed(run_all)
    scores = {}
    for kind in [*TYPES.values(), "micro"]:
        t = sum(tp.values()) if kind == "micro" else tp[kind]
        p_den = t + (sum(fp.values()) if kind == "micro" else fp[kind])
        r_den = t + (sum(fn.values()) if kind == "micro" else fn[kind])
        precision = t / p_den if p_den else 0.0
        recall = t / r_den if r_den else 0.0
        f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
        scores[kind] = {"precision": precision, "recall": recall, "f1": f1, "tp": t,
                        "fp": p_den - t, "fn": r_den - t}
    return {"documents": len(docs), "seconds": seconds, "scores": scores}


def report(r: dict) -> str:
    lines = [f"CoNLL-2003 eng.testb: {r['documents']} documents, exact span and type, MISC ignored "
             f"({r['seconds']:.1f} s)"]
    for kind, s in r["scores"].items():
        lines.append(f"  {kind:5}  P {s['precision']:.3f}  R {s['recall']:.3f}  F1 {s['f1']:.3f}   "
                     f"(tp {s['tp']}, fp {s['fp']}, fn {s['fn']})")
    micro, org = r["scores"]["micro"], r["scores"]["ORG"]
    met = micro["precision"] >= 0.90 and micro["f1"] >= 0.68 and org["recall"] >= 0.40
    lines.append(f"  targets (issue 11) micro P >= 0.90, F1 >= 0.68, ORG R >= 0.40: {'ok' if met else 'MISSED'}")
    return "\n".join(lines)


if __name__ == "__main__":
    result = evaluate()
    print(report(result))
    OUT.mkdir(parents=True, exist_ok=True)
    (OUT / "entities.json").write_text(json.dumps(result, indent=2))
