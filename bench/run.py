"""`python3 scripts/dev.py bench NAME`: run the benchmarks and print their figures. NAME is one of
search, entities, relevance [--only cranfield|npl|lisa|cisi] [--tune [PARAMETER]], cranfield,
stories [--tune] [--scale [--index DIR]], reader, anchoring, robustness [--quick], kinds,
scale [--docs N] [--reuse] [--engine whoosh|tantivy], build [--runs N] [--sizes 14,200,...], or all.

Results are also written to bench/out/*.json; copy the printed figures into BENCHMARKS.md.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import anchoring_bench  # noqa: E402
import build_bench  # noqa: E402
import chinese_entities  # noqa: E402
import entities_bench  # noqa: E402
import kinds_bench  # noqa: E402
import relevance_bench  # noqa: E402
import relevance_tuning  # noqa: E402
import reuters_entities  # noqa: E402
import robustness_bench  # noqa: E402
import scale_bench  # noqa: E402
import search_bench  # noqa: E402
import stories_bench  # noqa: E402
import stories_scale  # noqa: E402
import tui_bench  # noqa: E402
from common import OUT  # noqa: E402

NAMES = ("entities", "search", "relevance", "stories", "reader", "anchoring", "robustness", "kinds", "scale", "build")


def main(which: str, options: list[str]) -> int:
    if which == "cranfield":  # the collection it grew from
        which, options = "relevance", ["--only", "cranfield"]
    if which not in {*NAMES, "all"}:
        print(f"usage: bench/run.py [{'|'.join(NAMES)} [--quick] [--docs N]|all]", file=sys.stderr)
        return 2
    if which == "all":  # each in a process of its own: one's memory must not slow the next
        return max(subprocess.call([sys.executable, __file__, name]) for name in NAMES)
    OUT.mkdir(parents=True, exist_ok=True)
    if which == "entities":
        print(entities_bench.report(entities_bench.evaluate()), flush=True)
        print(reuters_entities.report(reuters_entities.evaluate()), flush=True)
        print(chinese_entities.report(chinese_entities.evaluate()), flush=True)
    elif which == "search":
        print(search_bench.report(search_bench.run()), flush=True)
    elif which == "stories" and "--scale" in options:
        index = Path(options[options.index("--index") + 1]) if "--index" in options else None
        print(stories_scale.report(stories_scale.run(OUT / "scale-100000", index)), flush=True)
    elif which == "stories":
        print(stories_bench.report(stories_bench.run(tune="--tune" in options)), flush=True)
    elif which == "anchoring":
        print(anchoring_bench.report(anchoring_bench.run()), flush=True)
    elif which == "relevance" and "--tune" in options:
        tune = options[options.index("--tune") + 1:]
        print(relevance_tuning.report(relevance_tuning.run(" ".join(tune))), flush=True)
    elif which == "relevance":
        only = options[options.index("--only") + 1] if "--only" in options else None
        print(relevance_bench.report(relevance_bench.run(only)), flush=True)
    elif which == "scale":
        size = int(options[options.index("--docs") + 1]) if "--docs" in options else 100_000
        engine = options[options.index("--engine") + 1] if "--engine" in options else None
        print(scale_bench.report(scale_bench.run(size, reuse="--reuse" in options, engine=engine)), flush=True)
    elif which == "build":
        runs = int(options[options.index("--runs") + 1]) if "--runs" in options else 1
        sizes = tuple(int(s) for s in options[options.index("--sizes") + 1].split(",")) if "--sizes" in options \
            else build_bench.SIZES
        print(build_bench.report(build_bench.run(sizes, runs)), flush=True)
    elif which == "kinds":
        kinds_bench.run()
    elif which == "robustness":
        print(robustness_bench.report(robustness_bench.run(quick="--quick" in options)), flush=True)
    else:
        print(tui_bench.report(tui_bench.run()), flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1] if len(sys.argv) > 1 else "all", sys.argv[2:]))
