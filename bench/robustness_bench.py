"""Hostile input, kills, damage and races, counted (issue 9).

Targets: 0 exceptions over 10,000 generated queries, none over 1 s on the bundled corpus, peak
memory under 300 MB; 0 tracebacks and 0 control characters in any output; 0 lock-outs after a
killed build; every damaged index recovered; 0 failed first runs; 0 passages lost. The same
queries go to SQLite FTS5 on the same articles, for comparison: it refuses malformed ones with
an error, which counts as a refusal there, as margin's notices do here.
"""

from __future__ import annotations

import json
import os
import random
import re
import resource
import shutil
import signal
import sqlite3
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

from common import OUT, ROOT, SHARED

from margin.search import paths
from margin.search.library import Library

MARGIN = str(Path(sys.executable).parent / "margin")
# Escape sequences, C1 controls and bidi overrides: none may reach a terminal from margin's output.
CONTROLS = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1a\x1c-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]|\x1b(?!\[[0-9;]*m)")
SYNTAX = ["~", "~9", "~2", "*", "?", '"', "(", ")", ":", "-", "+", "AND", "OR", "NOT", "^3", "[", "]", "{", "}",
          "title:", "published:", "published:[2013 to 2014]", "person:", "tag:", "has:", "\\", "/", "'"]
ALPHABET = "abcdefghijklmnopqrstuvwxyz éüñ小米雷军ـ\u0301\u200b\u202e\x00\x1b\t\n\ufeff\U0001f600\ud800\udcff"


def queries(count: int, seed: int = 9) -> list[str]:
    """Random words, syntax and Unicode, with the cases the issue found mixed in."""
    rnd = random.Random(seed)
    fixed = ["abcdefghijkl~9", "abcdefghijklmnop~9", "\u0301~", "x" * 20_000, "published:[2013 to 2014] " * 16_000,
             "\udce9t\udce9*", "*", "?", "**~9", "(" * 5_000 + "a" + ")" * 5_000, '"' * 999, "a~" * 3_000,
             "-" * 1_000, "title:" * 500, "*a*b*c*d*e*f*", "\x00\x1b]52;c;AAAA\x07"]
    made = list(fixed)
    while len(made) < count:
        parts = []
        for _ in range(rnd.randint(1, 6)):
            roll = rnd.random()
            if roll < 0.35:
                parts.append("".join(rnd.choice(ALPHABET) for _ in range(rnd.randint(1, 12))))
            elif roll < 0.7:
                parts.append(rnd.choice(SYNTAX))
            else:
                parts.append(rnd.choice(["xiaomi", "lei", "jun", "phone", "car", "su7", "2024", "ev", "the"]))
        made.append(rnd.choice(["", " "]).join(parts))
    return made[:count]


def run_queries(count: int) -> dict[str, Any]:
    """Every query through `Library.search` on the bundled corpus, and through FTS5 on the same text."""
    work = Path(tempfile.mkdtemp(prefix="margin-robust-"))
    library = Library.open(paths.bundled_corpus(), work / "index")
    fts = sqlite3.connect(":memory:")
    fts.execute("CREATE VIRTUAL TABLE docs USING fts5(title, body, tokenize='porter unicode61')")
    for row in library.search("", page_size=1000).rows:
        stored = library.document(row.doc_id)
        assert stored is not None
        fts.execute("INSERT INTO docs VALUES (?, ?)", (stored.document.title, stored.document.body))
    exceptions: list[str] = []
    notices = slow = 0
    slowest, worst = 0.0, ""
    fts_refused = 0
    fts_slowest = 0.0
    for query in queries(count):
        started = time.perf_counter()
        try:
            results = library.search(query, page_size=50)
            notices += bool(results.notices or results.problem)
        except Exception as exc:  # what the issue counted: any exception is a failure
            exceptions.append(f"{type(exc).__name__}: {query[:40]!r}")
        seconds = time.perf_counter() - started
        slow += seconds > 1
        if seconds > slowest:
            slowest, worst = seconds, query[:40]
        started = time.perf_counter()
        try:
            fts.execute("SELECT rowid FROM docs WHERE docs MATCH ? LIMIT 50", (query,)).fetchall()
        except (sqlite3.Error, UnicodeEncodeError):
            fts_refused += 1
        fts_slowest = max(fts_slowest, time.perf_counter() - started)
    library.close()
    shutil.rmtree(work, ignore_errors=True)
    return {"queries": count, "exceptions": len(exceptions), "first_exceptions": exceptions[:5],
            "with_notice": notices, "over_1s": slow, "slowest_s": slowest, "slowest_query": worst,
            "peak_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
            "fts5_refused": fts_refused, "fts5_slowest_s": fts_slowest}


def cli(args: list[str | bytes], env: dict[str, str], timeout: float = 300) -> subprocess.CompletedProcess[bytes]:
    return subprocess.run([MARGIN, *args], env=env, capture_output=True, timeout=timeout)


def isolated_env(home: Path) -> dict[str, str]:
    env = dict(os.environ)
    for name in ("MARGIN_DATA_DIR", "MARGIN_CACHE_DIR", "MARGIN_CONFIG_DIR"):
        env[name] = str(home / name.lower())
    return env


def output_faults(done: subprocess.CompletedProcess[bytes]) -> tuple[int, int]:
    """(tracebacks, control characters) in what a command printed."""
    text = (done.stdout + done.stderr).decode("utf-8", "replace")
    return text.count("Traceback"), len(CONTROLS.findall(text))


def hostile_corpus(folder: Path) -> tuple[int, int]:
    """Every kind of bad file the issue found, beside good ones; (good files, files to skip).

    Two hostile files are readable and must be indexed with their escapes made harmless: one with
    escape sequences in its name, one with them in its title and body."""
    folder.mkdir(parents=True)
    good = 20
    for i in range(good):
        (folder / f"good{i}.md").write_text(f"# Good {i}\n\nThe marker word zebrafish{i} lives here.\n")
    bad = {
        "bad-date.md": "---\npublished: 2025-02-30\n---\nbody",
        "deep.md": "---\ntitle: " + "[" * 5000 + "\n---\nbody",
        "bomb.md": "---\na: &a [x,x,x,x,x,x,x,x,x]\nb: &b [*a,*a,*a,*a,*a,*a,*a,*a,*a]\nc: &c [*b,*b,*b,*b,*b,*b,*b,*b,*b]\n"
                   "d: &d [*c,*c,*c,*c,*c,*c,*c,*c,*c]\ntitle: [*d,*d,*d,*d,*d,*d,*d,*d,*d]\n---\nbody",
        "binary.txt": bytes(random.Random(1).randrange(1, 32) for _ in range(5000)),
        "tags.html": "<p>" * 300_000,
    }
    readable = {"escape\x1b[2J\x1b]52;c;AAAA\x07.md": "# Title zebrafish-a\n\nbody",
                "controls.md": "# Ti\x1b]0;owned\x07tle\x9b31m\n\nbody \x1b[2J zebrafish-b"}
    for name, content in {**bad, **readable}.items():
        path = folder / name
        path.write_bytes(content if isinstance(content, bytes) else content.encode())
    (folder / "big.md").open("wb").truncate(30 * 1024 * 1024)  # sparse: over the size limit
    os.mkfifo(folder / "fifo.md")
    for name, target in (("zero.md", "/dev/zero"), ("passwd.md", "/etc/passwd"), ("dangling.md", "missing"),
                         ("loop.md", "loop.md")):
        os.symlink(target, folder / name)
    with open(os.path.join(os.fsencode(folder), b"latin\xe9.md"), "wb") as file:
        file.write(b"# Latin\n\nbody")
    return good, len(bad) + 7


def run_hostile_corpus(work: Path) -> dict[str, Any]:
    folder = work / "hostile"
    good, bad = hostile_corpus(folder)
    env = isolated_env(work / "home")
    started = time.perf_counter()
    done = cli(["--corpus", str(folder), "--index", str(work / "hostile-index"), "index"], env, timeout=600)
    seconds = time.perf_counter() - started
    tracebacks, controls = output_faults(done)
    named = done.stderr.decode("utf-8", "replace").count("margin: skipped ")
    found = cli(["--corpus", str(folder), "--index", str(work / "hostile-index"), "search", "--json", "--limit", "100", "zebrafish*"], env)
    searchable = len(json.loads(found.stdout or b"{}").get("results", []))
    show = cli(["--corpus", str(folder), "--index", str(work / "hostile-index"), "search", "title"], env)
    more_tb, more_controls = output_faults(show)
    return {"good": good + 2, "bad": bad, "exit_code": done.returncode, "seconds": seconds, "tracebacks": tracebacks + more_tb,
            "control_chars": controls + more_controls, "named": named, "searchable": searchable}


def run_kills(work: Path, trials: int) -> dict[str, Any]:
    """kill -9 a parallel build of BBC News at a random moment; the next command must not be locked out."""
    corpus = SHARED / "bbc-news"
    if not corpus.is_dir():
        return {"skipped": f"{corpus} not found"}
    env = isolated_env(work / "home")
    rnd = random.Random(20)
    lockouts = survivors = tracebacks = 0
    for trial in range(trials):
        index = work / f"kill-index-{trial}"
        build = subprocess.Popen([MARGIN, "--corpus", str(corpus), "--index", str(index), "index"], env=env,
                                 stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        time.sleep(rnd.uniform(1.0, 6.0))
        build.send_signal(signal.SIGKILL)
        build.wait()
        time.sleep(1)
        survivors += _processes_using(index)
        after = cli(["--corpus", str(corpus), "--index", str(index), "search", "--json", "bank"], env, timeout=600)
        lockouts += b"another margin process" in after.stderr
        tracebacks += output_faults(after)[0]
        shutil.rmtree(index, ignore_errors=True)
    return {"trials": trials, "lockouts": lockouts, "workers_left": survivors, "tracebacks": tracebacks}


def _processes_using(index: Path) -> int:
    """Processes (the build's workers) still running with this index folder in their command line."""
    count = 0
    for proc in Path("/proc").iterdir():
        if proc.name.isdigit():
            try:
                count += str(index).encode() in (proc / "cmdline").read_bytes()
            except OSError:
                continue
    return count


def run_damage(work: Path, trials: int) -> dict[str, Any]:
    """Random bytes written into a segment (half of the trials keep its mtime, as a bad sector
    would); every query afterwards must answer as on the undamaged index."""
    env = isolated_env(work / "home")
    corpus = str(paths.bundled_corpus())
    wanted = ["xiaomi", "lei jun", "phone*"]
    recovered = tracebacks = wrong = 0
    rnd = random.Random(3)
    for trial in range(trials):
        index = work / f"damage-index-{trial}"
        expected = [_ids(cli(["--corpus", corpus, "--index", str(index), "search", "--json", q], env)) for q in wanted]
        segment = rnd.choice(sorted(index.glob("*.seg")))
        kept = segment.stat()
        with segment.open("r+b") as file:
            for _ in range(8):
                file.seek(rnd.randrange(kept.st_size))
                file.write(os.urandom(16))
        if trial % 2:
            os.utime(segment, ns=(kept.st_atime_ns, kept.st_mtime_ns))
        runs = [cli(["--corpus", corpus, "--index", str(index), "search", "--json", q], env) for q in wanted]
        tracebacks += sum(output_faults(r)[0] for r in runs)
        wrong += sum(_ids(r) != e for r, e in zip(runs, expected, strict=True))
        recovered += any(b"rebuilt the index" in r.stderr or b"index was damaged" in r.stderr for r in runs)
        shutil.rmtree(index, ignore_errors=True)
    return {"trials": trials, "tracebacks": tracebacks, "wrong_answers": wrong, "rebuilt": recovered}


def _ids(done: subprocess.CompletedProcess[bytes]) -> list[str]:
    try:
        return [row["id"] for row in json.loads(done.stdout)["results"]]
    except (ValueError, KeyError):
        return ["<no answer>"]


FIRST_RUN = "import sys; from pathlib import Path; from margin.search.userdata.database import UserData; " \
            "UserData(Path(sys.argv[1])).add_history('hello')"


def run_first_runs(work: Path, rounds: int) -> dict[str, Any]:
    """Two processes opening the user database of an empty data folder at the same moment."""
    failed = 0
    for round_ in range(rounds):
        path = work / f"first-run-{round_}" / "margin.sqlite"
        pair = [subprocess.Popen([sys.executable, "-c", FIRST_RUN, str(path)], stderr=subprocess.PIPE)
                for _ in range(2)]
        failed += sum(bool(p.wait() or p.stderr and p.stderr.read()) for p in pair)
    return {"rounds": rounds, "failed_processes": failed}


def run_imports(work: Path, big: int) -> dict[str, Any]:
    """The hostile import set, then one large import: refused in one line, nothing half-kept."""
    sys.path.insert(0, str(ROOT))
    from tests.test_passage_import import HOSTILE  # the same hostile items as the tests

    env = isolated_env(work / "home")
    corpus = str(paths.bundled_corpus())
    template = _export_item()
    kept = work / "kept.json"  # passages already there, which no refused import may touch
    kept.write_text(json.dumps({"items": [dict(template, id=f"urn:uuid:kept-{i}") for i in range(3)]}))
    cli(["--corpus", corpus, "passages", "import", str(kept)], env)
    before = _passages(work)
    tracebacks = refused = controls = 0
    for what, spoil in HOSTILE.items():
        path = work / "hostile-import.json"
        path.write_text(json.dumps({"items": [template, spoil(dict(template, id=f"urn:x:{what}"))]}))
        done = cli(["--corpus", corpus, "passages", "import", str(path)], env)
        tb, ctl = output_faults(done)
        tracebacks, controls = tracebacks + tb, controls + ctl
        refused += done.returncode == 2 and b"nothing imported" in done.stderr
    lost = before - _passages(work)
    path = work / "big-import.json"
    with path.open("w") as file:
        file.write('{"items": [')
        for i in range(big):
            file.write(("," if i else "") + json.dumps(dict(template, id=f"urn:uuid:big-{i}")))
        file.write("]}")
    runner = "import resource, sys; from margin.tui.cli import main; code = main(sys.argv[1:]); " \
             "print(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss, file=sys.stderr); sys.exit(code)"
    started = time.perf_counter()
    done = subprocess.run([sys.executable, "-c", runner, "--corpus", corpus, "passages", "import", str(path)],
                          env=env, capture_output=True)
    seconds = time.perf_counter() - started
    peak_mb = int(done.stderr.decode().strip().splitlines()[-1]) / 1024
    return {"hostile_files": len(HOSTILE), "refused_in_one_line": refused, "tracebacks": tracebacks,
            "control_chars": controls, "passages_kept": before, "passages_lost": lost, "big_import": big, "big_import_s": seconds,
            "big_import_peak_mb": peak_mb, "big_import_said": done.stdout.decode().strip()}


def _export_item() -> dict[str, Any]:
    return {"type": "Annotation", "id": "urn:uuid:template", "created": "2025-01-02T03:04:05+00:00",
            "body": [{"type": "TextualBody", "purpose": "tagging", "value": "t"},
                     {"type": "TextualBody", "purpose": "commenting", "value": "a note"}],
            "target": {"source": "doc.md", "selector": [
                {"type": "TextQuoteSelector", "exact": "quick brown fox", "prefix": "The ", "suffix": " jumps"},
                {"type": "TextPositionSelector", "start": 4, "end": 19}]}}


def _passages(work: Path) -> int:
    path = work / "home" / "margin_data_dir" / "margin.sqlite"
    if not path.exists():
        return 0
    return sqlite3.connect(path).execute("SELECT count(*) FROM passage").fetchone()[0]


def run(quick: bool = False) -> dict[str, Any]:
    import hostile_bench  # issue 25's cases; it uses this module's helpers

    work = Path(tempfile.mkdtemp(prefix="margin-robustness-"))
    try:
        results = {
            "queries": run_queries(1_000 if quick else 10_000),
            "hostile_corpus": run_hostile_corpus(work),
            "damage": run_damage(work, 4 if quick else 20),
            "first_runs": run_first_runs(work, 5 if quick else 20),
            "imports": run_imports(work, 10_000 if quick else 200_000),
            "kills": run_kills(work, 3 if quick else 20),
            "hostile": hostile_bench.run(),
        }
    finally:
        shutil.rmtree(work, ignore_errors=True)
    (OUT / "robustness.json").write_text(json.dumps(results, indent=2))
    return results


def report(r: dict[str, Any]) -> str:
    q, h, d, f, i, k = (r[key] for key in ("queries", "hostile_corpus", "damage", "first_runs", "imports", "kills"))
    lines = [
        "Robustness (issue 9)",
        f"  queries       {q['queries']:,} generated on the bundled corpus: {q['exceptions']} exceptions, "
        f"{q['over_1s']} over 1 s (slowest {q['slowest_s'] * 1000:.0f} ms: {q['slowest_query']!r}), "
        f"{q['with_notice']:,} answered with a notice, peak {q['peak_mb']:.0f} MB",
        f"                SQLite FTS5, same queries: {q['fts5_refused']:,} refused with an error, "
        f"slowest {q['fts5_slowest_s'] * 1000:.1f} ms",
        f"  hostile corpus {h['good']} readable + {h['bad']} bad files: exit {h['exit_code']} in {h['seconds']:.1f} s, "
        f"{h['tracebacks']} tracebacks, {h['control_chars']} control characters, {h['named']} of {h['bad']} bad ones "
        f"named with a reason, {h['searchable']} of {h['good']} readable ones searchable",
        f"  damaged index {d['trials']} trials: {d['tracebacks']} tracebacks, {d['wrong_answers']} wrong answers, "
        f"{d['rebuilt']} rebuilt with a notice",
        f"  first runs    {f['rounds']} rounds of two processes on an empty data folder: "
        f"{f['failed_processes']} failed",
        f"  imports       {i['hostile_files']} hostile files: {i['refused_in_one_line']} refused in one line, "
        f"{i['tracebacks']} tracebacks, {i['control_chars']} control characters, {i['passages_lost']} of {i['passages_kept']} passages lost",
        f"                {i['big_import']:,} passages in one file: {i['big_import_s']:.1f} s, "
        f"peak {i['big_import_peak_mb']:.0f} MB ({i['big_import_said']})",
    ]
    if "skipped" in k:
        lines.append(f"  killed builds skipped: {k['skipped']}")
    else:
        lines.append(f"  killed builds {k['trials']} kill -9 during a BBC News build: {k['lockouts']} lock-outs, "
                     f"{k['workers_left']} workers left running, {k['tracebacks']} tracebacks after")
    if "hostile" in r:
        import hostile_bench

        lines.extend(hostile_bench.report(r["hostile"]))
    return "\n".join(lines)
