"""Issue 25's cases, counted: hostile files of every kind (each alone, its peak memory), side files,
tantivy query and damage trials, swaps between scan and read, two watchers with bursts.

Targets: 0 tracebacks, 0 corpus-wide failures from one file, 0 control bytes in any output,
peak memory under 500 MB on every hostile file, no process aborted, 0 passages lost. Beside each
file's figures: the same bytes given to SQLite FTS5 as text (what a tool that reads no formats
costs), where that means anything.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

from common import ROOT, SHARED
from robustness_bench import CONTROLS, MARGIN, isolated_env

sys.path.insert(0, str(ROOT))
from tests.hostile_files import HOSTILE  # noqa: E402

PEAK = ("import resource, subprocess, sys; done = subprocess.run(sys.argv[1:]); "
        "print(resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss // 1024, file=sys.stderr); sys.exit(done.returncode)")


def measured(args: list[str], env: dict[str, str], timeout: float = 600) -> dict[str, Any]:
    """One margin command: exit code, seconds, peak MB (its whole process tree), tracebacks, control bytes."""
    started = time.perf_counter()
    done = subprocess.run([sys.executable, "-c", PEAK, MARGIN, *args], env=env, capture_output=True, timeout=timeout)
    err = done.stderr.decode("utf-8", "replace").rstrip().rsplit("\n", 1)
    text = done.stdout.decode("utf-8", "replace") + (err[0] if len(err) > 1 else "")
    return {"exit": done.returncode, "seconds": round(time.perf_counter() - started, 2), "peak_mb": int(err[-1]),
            "tracebacks": text.count("Traceback"), "control": len(CONTROLS.findall(text)), "said": text[-300:]}


def run_files(work: Path) -> list[dict[str, Any]]:
    """Each hostile file alone beside one good article: built, then searched (a second command)."""
    rows = []
    for what, make in HOSTILE.items():
        corpus = work / "files" / what.replace(" ", "-")
        corpus.mkdir(parents=True)
        path = make(corpus)
        (corpus / "good.md").write_text("# Good\n\nThe orchard flooded twice.\n")
        env = isolated_env(work / "home")
        index = ["--corpus", str(corpus), "--index", str(work / "ix" / corpus.name)]
        build = measured(["index", *index], env)
        search = measured(["search", "orchard", *index], env)
        rows.append({"file": what, "bytes": path.stat().st_size, **build, "named": path.name in build["said"],
                     "later_search_exit": search["exit"], "later_tracebacks": search["tracebacks"]})
    return rows


def run_side_files(work: Path) -> dict[str, Any]:
    corpus = work / "side"
    corpus.mkdir()
    hostile = "\\x1b]52;c;SGVsbG8=\\x07Evil\\x1b]0;pwned\\x07 Corp\\x1b[2J\\u202e\\x9b31m"
    (corpus / "entities.yaml").write_text(f'- name: "{hostile}"\n  type: organization\n  aliases: ["Evil Inc"]\n')
    (corpus / "entity-corrections.yaml").write_text(f'- {{rename: Evil Inc, to: "{hostile} Two"}}\n'
                                                    "- " + "[" * 5000 + "]" * 5000 + "\n")
    (corpus / "a.md").write_text("# A\n\nEvil Inc said so.\n")
    env = isolated_env(work / "home")
    args = ["--corpus", str(corpus), "--index", str(work / "ix-side")]
    runs = [measured([*command, *args], env) for command in (["index"], ["entities"], ["entities", "--json"],
                                                             ["entities", "--with", "Evil Corp Two"], ["search", "evil"])]
    big = work / "big-side"
    big.mkdir()
    names = "".join(f"- {{name: Person{i} Name, type: person, aliases: [P{i}a, P{i}b, P{i}c, P{i}d, P{i}e, P{i}f, "
                    f"P{i}g, P{i}h, P{i}i, P{i}j]}}\n" for i in range(13_000))
    (big / "entities.yaml").write_text(names)  # 1.7 MB, 143,000 names and aliases
    (big / "a.md").write_text("# A\n\nPerson1 Name said so.\n")
    big_runs = [measured([command, "--corpus", str(big), "--index", str(work / "ix-big-side")], env)
                for command in ("index", "entities")]
    return {"commands": len(runs), "tracebacks": sum(r["tracebacks"] for r in runs),
            "control": sum(r["control"] for r in runs), "errors": sum(r["exit"] == 2 for r in runs),
            "big_list_bytes": len(names), "big_list_seconds": [r["seconds"] for r in big_runs],
            "big_list_peak_mb": max(r["peak_mb"] for r in big_runs)}


def queries(bbc: Path) -> dict[str, str]:
    """The cases, with quotations pasted from a real article (its words co-occur, so a sloppy
    phrase has positions to combine)."""
    words = " ".join((bbc / "business" / "001.txt").read_text(encoding="utf-8", errors="replace").split()[6:])
    words = [w for w in "".join(c if c.isalnum() or c == " " else " " for c in words).split() if w.isalpha()]
    return {
        "40 words ~10": f'"{" ".join(words[:40])}"~10', "64 words ~2": f'"{" ".join(words[:64])}"~2',
        "12 words ~20 (the largest allowed)": f'"{" ".join(words[:12])}"~20',
        "~99999999999999999999": '"bank oil"~99999999999999999999', "~10000000": '"bank oil"~10000000',
        "entity:bank*": "entity:bank*", "tag:lat*": "tag:lat*", "note:foll*": "note:foll*",
        "entity:reuters~1": "entity:reuters~1",
    }


def run_queries(work: Path) -> dict[str, Any]:
    """The queries that killed a process or rebuilt the index, on a tantivy index of BBC News."""
    bbc = SHARED / "bbc-news"
    if not bbc.is_dir():
        return {"skipped": "BBC News not in ../shared/data"}
    env = isolated_env(work / "home") | {"MARGIN_ENGINE": "tantivy"}
    args = ["--corpus", str(bbc), "--index", str(work / "ix-bbc")]
    measured(["index", *args], env)
    rows = {name: measured(["search", "--json", query, *args], env) for name, query in queries(bbc).items()}
    rebuilt = sum("rebuil" in r["said"] for r in rows.values())
    return {"rows": {k: {key: r[key] for key in ("exit", "seconds", "peak_mb", "tracebacks")} for k, r in rows.items()},
            "rebuilt": rebuilt, "aborted": sum(r["exit"] < 0 for r in rows.values())}


SWAP = """
import os, sys, time
from pathlib import Path
from margin.search.index import indexing
from margin.search.library import Library
corpus, kind = Path(sys.argv[1]), sys.argv[2]
real = indexing.scan
def scan_then_swap(root):
    found = real(root)
    last = corpus / sorted(found.files)[-1]
    last.unlink()
    last.symlink_to("/etc/passwd") if kind == "link" else os.mkfifo(last)
    return found
indexing.scan = scan_then_swap
with Library.open(corpus, Path(sys.argv[3])) as library:
    print(library.search("root").total, dict(library.report.skipped))
"""


def run_swaps(work: Path, trials: int = 3) -> dict[str, Any]:
    leaked = hung = 0
    for kind in ("link", "fifo"):
        for trial in range(trials):
            corpus = work / f"swap-{kind}-{trial}"
            corpus.mkdir()
            for i in range(5):
                (corpus / f"{i}.md").write_text(f"# {i}\n\nwords {i}\n")
            try:
                done = subprocess.run([sys.executable, "-c", SWAP, str(corpus), kind, str(work / f"ix-swap-{kind}-{trial}")],
                                      env=isolated_env(work / "home"), capture_output=True, text=True, timeout=60)
                leaked += done.stdout.split(" ", 1)[0] not in ("0", "")
            except subprocess.TimeoutExpired:
                hung += 1
    return {"trials": 2 * trials, "passwd_indexed": leaked, "hung": hung}


def run_watchers(work: Path, bursts: int = 4, per_burst: int = 300) -> dict[str, Any]:
    """Two `margin index --watch` on one corpus while bursts of files arrive; then the index is compared."""
    corpus = work / "watched"
    corpus.mkdir()
    (corpus / "first.md").write_text("# First\n\ntext\n")
    env = isolated_env(work / "home")
    args = ["index", "--watch", "--corpus", str(corpus), "--index", str(work / "ix-watch")]
    watchers = [subprocess.Popen([MARGIN, *args], env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE) for _ in range(2)]
    time.sleep(3)
    for burst in range(bursts):
        for i in range(per_burst):
            (corpus / f"b{burst}-{i}.md").write_text(f"# Burst {burst} {i}\n\nwords\n")
        if burst == 1:  # the folder away for 3 s, as a rename by another program
            corpus.rename(corpus.with_name("watched-away"))
            time.sleep(3)
            corpus.with_name("watched-away").rename(corpus)
        time.sleep(1)
    time.sleep(25)
    alive = sum(w.poll() is None for w in watchers)
    for w in watchers:
        w.terminate()
    outputs = [w.communicate(timeout=30) for w in watchers]
    said = [(o + e).decode("utf-8", "replace") for o, e in outputs]
    tracebacks = sum(text.count("Traceback") for text in said)
    done = subprocess.run([MARGIN, "search", "--json", "--limit", "1", "words", "--corpus", str(corpus), "--index",
                           str(work / "ix-watch")], env=env, capture_output=True, text=True, timeout=120)
    files = len(list(corpus.glob("*.md")))
    return {"watchers_alive": alive, "tracebacks": tracebacks, "files": files,
            "indexed": json.loads(done.stdout or "{}").get("documents"), "last_said": [text[-400:] for text in said]}


def run() -> dict[str, Any]:
    work = Path(tempfile.mkdtemp(prefix="margin-hostile-"))
    try:
        return {"files": run_files(work), "side_files": run_side_files(work), "queries": run_queries(work),
                "swaps": run_swaps(work), "watchers": run_watchers(work)}
    finally:
        shutil.rmtree(work, ignore_errors=True)


def report(r: dict[str, Any]) -> list[str]:
    files, side, queries, swaps, watch = (r[k] for k in ("files", "side_files", "queries", "swaps", "watchers"))
    lines = ["  hostile files (issue 25), each alone beside one good article: margin index, then margin search",
             "    file                                     bytes   exit  seconds  peak MB  named  tracebacks  later search"]
    for row in files:
        lines.append(f"    {row['file']:38} {row['bytes']:>9,}  {row['exit']:>4}  {row['seconds']:>7.2f}  {row['peak_mb']:>7}  "
                     f"{'yes' if row['named'] else 'NO':>5}  {row['tracebacks'] + row['later_tracebacks']:>10}  "
                     f"exit {row['later_search_exit']}")
    lines.append(f"  side files    {side['commands']} commands on hostile names and a nested correction: {side['tracebacks']} "
                 f"tracebacks, {side['control']} control bytes, {side['errors']} errors; a {side['big_list_bytes']:,}-byte "
                 f"entities.yaml: {side['big_list_seconds']} s, peak {side['big_list_peak_mb']} MB")
    if "skipped" in queries:
        lines.append(f"  tantivy queries skipped: {queries['skipped']}")
    else:
        worst = max(queries["rows"].values(), key=lambda row: row["peak_mb"])
        lines.append(f"  tantivy queries on BBC News: {len(queries['rows'])} queries, {queries['aborted']} aborted, "
                     f"{queries['rebuilt']} rebuilds, slowest {max(q['seconds'] for q in queries['rows'].values()):.2f} s "
                     f"(a whole command), peak {worst['peak_mb']} MB")
    lines.append(f"  swaps         {swaps['trials']} files swapped between scan and read: {swaps['passwd_indexed']} read "
                 f"/etc/passwd, {swaps['hung']} hung")
    lines.append(f"  watchers      two --watch on one corpus, bursts and the folder away 3 s: {watch['watchers_alive']} of 2 "
                 f"alive, {watch['tracebacks']} tracebacks, {watch['indexed']} indexed of {watch['files']} files")
    return lines


if __name__ == "__main__":
    result = run()
    print("\n".join(report(result)))
    os.makedirs(ROOT / "bench" / "out", exist_ok=True)
    (ROOT / "bench" / "out" / "hostile.json").write_text(json.dumps(result, indent=2))
