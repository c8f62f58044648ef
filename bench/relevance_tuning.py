"""`bench relevance --tune`: each ranking parameter chosen without the collection it is reported on.

Every parameter is varied alone around margin's defaults, on the Whoosh engine (the only one
whose k1 and b can be set), over every collection relevance_sets has. For each collection the
value is then chosen on the other collections (highest mean MAP@100 there) and reported on it:
a parameter whose folds all choose the default is one the collections agree on.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from common import OUT
from relevance_bench import doc_number, evaluate, write_corpus
from relevance_sets import READERS, Collection, load

from margin.search.engine import feedback
from margin.search.engine.whoosh import ranking
from margin.search.library import Library
from margin.search.query import builder

# (name, the (module, attribute) pairs it sets, the values tried; the first is the default).
# FEEDBACK_DOCS is read by each engine's module, so it is set there.
GRID: list[tuple[str, tuple[tuple[Any, str], ...], list[tuple[float, ...]]]] = [
    ("k1, b", ((ranking, "K1"), (ranking, "B")), [(2.0, 0.5), (1.2, 0.75), (1.5, 0.75), (2.0, 0.75), (1.2, 0.5)]),
    ("title boost", ((builder, "TITLE_BOOST"),), [(0.5,), (0.0,), (0.25,), (1.0,)]),
    ("as-typed boost", ((builder, "EXACT_BOOST"),), [(0.3,), (0.0,), (0.6,), (1.0,)]),
    ("query-word k3 (0: linear)", ((builder, "QTF_K3"),), [(4.0,), (0.0,), (1.2,), (8.0,), (16.0,)]),
    ("feedback weight", ((feedback, "FEEDBACK_WEIGHT"),), [(0.15,), (0.0,), (0.3,), (0.5,)]),
    ("feedback weight with as-typed boost", ((feedback, "FEEDBACK_WEIGHT"), (builder, "EXACT_BOOST")),
     [(0.15, 0.3), (0.3, 0.3), (0.15, 0.6), (0.3, 0.6)]),  # the two interact: chosen apart, Cranfield lost 0.009
    ("feedback documents", ((feedback, "FEEDBACK_DOCS"), (ranking, "FEEDBACK_DOCS")), [(10,), (5,), (20,)]),
    ("feedback words", ((feedback, "FEEDBACK_TERMS"),), [(10,), (5,), (20,)]),
]


@contextmanager
def setting(where: tuple[tuple[Any, str], ...], values: tuple[float, ...]) -> Iterator[None]:
    kept = [getattr(module, name) for module, name in where]
    for (module, name), value in zip(where, values):
        setattr(module, name, value)
    try:
        yield
    finally:
        for (module, name), value in zip(where, kept):
            setattr(module, name, value)


def _map(library: Library, collection: Collection) -> float:
    library._searcher = library.ix.searcher()  # k1 and b are read when a searcher opens
    rankings = {n: [doc_number(r.doc_id) for r in library.search(q, page_size=100, suggest=False).rows]
                for n, q in collection.questions.items()}
    return evaluate(rankings, collection)["map100"]


def run(only: str = "") -> dict[str, Any]:
    """Every parameter of GRID, or those whose name contains `only`."""
    collections = {}
    for name in READERS:
        found = load(name)
        if isinstance(found, str):
            print(found)
            continue
        folder = OUT / f"tuning-{name}"
        write_corpus(folder, found)
        collections[name] = (Library.open(folder, OUT / f"tuning-{name}-index", rebuild=True, engine="whoosh"), found)
    table: dict[str, Any] = {}
    for label, where, values in GRID:
        if only not in label:
            continue
        scores = {}
        for value in values:
            with setting(where, value):
                scores[value] = {name: _map(lib, c) for name, (lib, c) in collections.items()}
        folds = {}
        for held in collections:
            others = [n for n in collections if n != held]
            chosen = max(values, key=lambda v: sum(scores[v][n] for n in others))
            folds[held] = {"chosen": chosen, "map100": scores[chosen][held], "default": scores[values[0]][held]}
        table[label] = {"values": {str(v): s for v, s in scores.items()}, "folds": {h: {**f, "chosen": str(f["chosen"])}
                                                                                     for h, f in folds.items()}}
        (OUT / "relevance-tuning.json").write_text(json.dumps(table, indent=2))
    return table


def report(table: dict[str, Any]) -> str:
    lines = ["Ranking parameters, each chosen on the other collections (MAP@100, Whoosh engine)"]
    for label, entry in table.items():
        lines.append(f"  {label}")
        for value, scores in entry["values"].items():
            lines.append(f"    {value:<14} " + "  ".join(f"{n} {s:.3f}" for n, s in scores.items()))
        lines.append("    chosen without it: " + "  ".join(
            f"{held} {f['chosen']} -> {f['map100']:.3f} (default {f['default']:.3f})" for held, f in entry["folds"].items()))
    return "\n".join(lines)
