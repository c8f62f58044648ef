"""Index build, reopen and query latency on Reuters-21578, with SQLite FTS5 doing the same work.

Targets (issue 2): build < 60 s; reopen unchanged and with one file changed < 1 s each;
first page of 50 with snippets and exact totals: median < 20 ms, p95 < 100 ms.
"""

from __future__ import annotations

import json
import re
import resource
import shutil
import sqlite3
import subprocess
import sys
from pathlib import Path

from common import OUT, folder_size, median_p95, timed
from reuters import build_corpus

from margin.search.library import Library
from margin.search.query.function_words import FUNCTION_WORDS
from margin.search.readers.documents import read_document

# Questions as a reader types them (10 to 20 words, after Reuters headlines); FTS5 gets the OR of
# their words without the function words, its nearest equivalent of margin's ranking.
QUESTIONS = [
    "why did opec decide to cut crude oil output again this month",
    "what did the federal reserve say about interest rates and the money supply",
    "how much wheat did the soviet union buy from the united states this year",
    "is japan going to reduce its large trade surplus with the united states soon",
    "which companies announced a merger agreement with their shareholders in march",
    "why are coffee prices falling after the talks on export quotas broke down",
    "what is the bank of england doing to support sterling against the dollar",
    "did the brazilian government suspend interest payments on its foreign debt",
    "how did the dollar fare against the yen and the mark in tokyo trading",
    "what are the main reasons for the rise in gold prices on world markets",
]
# Paragraphs a reader pastes (about 100 words, in the manner of a wire story; issue 30's budget:
# p95 under 150 ms, as for questions). Written for the benchmark, not taken from the corpus.
PARAGRAPHS = [
    "Oil ministers meeting in Vienna agreed to hold the group's output ceiling steady for the rest of "
    "the year, delegates said, after a week of talks in which several producers argued for a cut to "
    "support prices. Saudi Arabia, the largest exporter, was said to favour keeping its quota, while "
    "smaller members pressed for a reduction of about half a million barrels a day. Analysts said the "
    "decision would leave crude prices under pressure as stocks in consuming countries remained high "
    "and demand growth slowed in Japan and Western Europe. The \"price war\" of last year was not "
    "mentioned in the final statement.",
    "The central bank raised its discount rate by half a point to curb inflation and steady the "
    "currency, which had fallen against the dollar and the yen for three weeks. Economists said the "
    "move had been expected after money supply figures showed faster growth than the bank's target "
    "range, and that commercial banks would follow by raising their prime lending rates. Government "
    "officials said the rise was temporary and that rates would fall once the exchange rate had "
    "stabilised. Share prices fell on the stock exchange, led by banks and insurers, while bond "
    "yields rose to their highest level this year.",
    "Coffee producers failed to agree on new export quotas at the London meeting of the International "
    "Coffee Organization, and delegates said the talks would not resume before the autumn. Brazil and "
    "Colombia, the largest growers, could not reconcile their positions with consumer countries on how "
    "quotas should be shared, and prices fell sharply on the futures market as traders expected heavy "
    "selling from producers with large stocks. Several African exporters said they would seek "
    "bilateral deals with importers. Dealers said the failure left the market without a price support "
    "mechanism for the first time in years, and cocoa prices also weakened.",
]
# (kind, margin query, FTS5 MATCH, extra SQL condition on published): the same question asked of both.
# FTS5 has no fuzzy search and no entity fields: the nearest plain query stands in, marked in `kind`.
MIX = [
    *[("word", w, w, "") for w in ("oil", "trade", "dividend", "coffee", "wheat", "gold", "yen", "opec",
                                    "tonnes", "acquisition", "inflation", "strike")],
    *[("and", q, q, "") for q in ("oil prices", "trade deficit", "bank rates", "wheat exports",
                                   "coffee quotas", "gold mining", "japan yen dollar", "crude oil output",
                                   "merger agreement shareholders", "interest rates cut")],
    *[("phrase", q, q, "") for q in ('"trade deficit"', '"interest rates"', '"crude oil"', '"net loss"',
                                      '"federal reserve"', '"stock split"', '"joint venture"', '"money supply"')],
    ("near", '"oil prices"~3', 'NEAR(oil prices, 3)', ""),
    ("near", '"rates cut"~4', 'NEAR(rates cut, 4)', ""),
    ("or", "coffee OR cocoa", "coffee OR cocoa", ""),
    ("or", "wheat OR corn", "wheat OR corn", ""),
    ("not", "oil -opec", "oil NOT opec", ""),
    ("not", "gold NOT silver", "gold NOT silver", ""),
    ("group", "(yen OR mark) dollar", "(yen OR mark) AND dollar", ""),
    ("fuzzy*", "dividnd~", "dividend", ""),
    ("fuzzy*", "shareholdrs~", "shareholders", ""),
    ("fuzzy*", "petroleom~", "petroleum", ""),
    ("fuzzy*", "currancy~2", "currency", ""),
    ("prefix", "acqui*", "acqui*", ""),
    ("prefix", "petro*", "petro*", ""),
    ("prefix", "export*", "export*", ""),
    ("prefix", "bank*", "bank*", ""),
    ("field", "title:oil", "title:oil", ""),
    ("field", "title:dividend", "title:dividend", ""),
    ("field", 'title:"trade deficit"', 'title:"trade deficit"', ""),
    ("field", "title:coffee", "title:coffee", ""),
    ("date", "published:1987-03 oil", "oil", "published >= '1987-03' AND published < '1987-04'"),
    ("date", "published:[1987-04-01 to 1987-04-15] trade", "trade",
     "published >= '1987-04-01' AND published < '1987-04-16'"),
    ("date", "published:>1987-10 bank", "bank", "published >= '1987-11'"),
    ("date", "published:1987-02-26", None, "published >= '1987-02-26' AND published < '1987-02-27'"),
    ("entity*", "place:japan trade", "japan trade", ""),
    ("entity*", "place:canada", "canada", ""),
    *[("question*", q, " OR ".join(w for w in q.split() if w not in FUNCTION_WORDS), "") for q in QUESTIONS],
    *[("paragraph*", q, " OR ".join(f'"{w}"' for w in re.findall(r"\w+", q.lower()) if w not in FUNCTION_WORDS), "")
      for q in PARAGRAPHS],
]
PAGE = 50


def build_in_subprocess(corpus: Path, index: Path) -> tuple[float, int]:
    """Full build in a child process, so its memory is measured alone (peak RSS of the largest process)."""
    code = ("import sys, time; from pathlib import Path; from margin.search.library import Library\n"
            "t = time.perf_counter(); Library.open(Path(sys.argv[1]), Path(sys.argv[2])).close()\n"
            "print(time.perf_counter() - t)")
    out = subprocess.run([sys.executable, "-c", code, str(corpus), str(index)], check=True,
                         capture_output=True, text=True)
    peak_kb = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    return float(out.stdout.strip().splitlines()[-1]), peak_kb * 1024


REPEATS = 5  # each query's figure is the median of its runs: this machine's timer noise is large


def margin_latencies(library: Library) -> list[float]:
    seconds = []
    for _, query, _, _ in MIX:
        runs = []
        for _ in range(REPEATS):
            elapsed, results = timed(lambda q=query: library.search(q, page_size=PAGE, suggest=False))
            assert results.problem is None, (query, results.problem)
            runs.append(elapsed)
        seconds.append(median_p95(runs)[0])
    return seconds


def fts5_build(corpus: Path, db_path: Path) -> float:
    db_path.unlink(missing_ok=True)

    def load() -> None:
        con = sqlite3.connect(db_path)
        con.execute("CREATE VIRTUAL TABLE docs USING fts5(title, body, published UNINDEXED, "
                    "tokenize='porter unicode61 remove_diacritics 2')")
        rows = []
        for path in sorted(corpus.rglob("*.md")):
            try:
                doc = read_document(corpus, path)
            except Exception:
                continue
            rows.append((doc.title, doc.body, doc.published))
        con.executemany("INSERT INTO docs VALUES (?, ?, ?)", rows)
        con.commit()
        con.close()

    return timed(load)[0]


def fts5_latencies(db_path: Path) -> list[float]:
    con = sqlite3.connect(db_path)
    seconds = []
    for _, _, match, where in MIX:
        if match is None:
            page_sql = f"SELECT rowid, title, substr(body, 1, 160) FROM docs WHERE {where} ORDER BY published DESC LIMIT {PAGE}"
            count_sql = f"SELECT count(*) FROM docs WHERE {where}"
            args: tuple = ()
        else:
            cond = "docs MATCH ?" + (f" AND {where}" if where else "")
            page_sql = (f"SELECT rowid, title, snippet(docs, 1, '[', ']', '…', 24) FROM docs WHERE {cond} "
                        f"ORDER BY rank LIMIT {PAGE}")
            count_sql = f"SELECT count(*) FROM docs WHERE {cond}"
            args = (match,)
        runs = [timed(lambda: (con.execute(page_sql, args).fetchall(), con.execute(count_sql, args).fetchone()))[0]
                for _ in range(REPEATS)]
        seconds.append(median_p95(runs)[0])
    con.close()
    return seconds


def run() -> dict:
    corpus = build_corpus()
    files = sum(1 for _ in corpus.rglob("*.md"))
    index = OUT / "reuters-index"
    shutil.rmtree(index, ignore_errors=True)
    build_s, peak = build_in_subprocess(corpus, index)
    reopen_s, library = timed(lambda: Library.open(corpus, index))
    library.close()
    victim = corpus / "reut2-005" / "5001.md"
    original = victim.read_text(encoding="utf-8")
    victim.write_text(original + "\nA sentence added by the benchmark.\n", encoding="utf-8")
    try:
        changed_s, library = timed(lambda: Library.open(corpus, index))
        assert library.report.changed == 1, library.report
    finally:
        victim.write_text(original, encoding="utf-8")
    ours = margin_latencies(library)
    docs = library.report.documents
    library.close()
    db = OUT / "reuters-fts5.sqlite"
    fts_build = fts5_build(corpus, db)
    theirs = fts5_latencies(db)
    om, op = median_p95(ours)
    fm, fp = median_p95(theirs)
    by_kind: dict[str, list[float]] = {}
    for (kind, *_), s in zip(MIX, ours):
        by_kind.setdefault(kind, []).append(s)
    return {
        "documents": docs, "files": files, "queries": len(MIX),
        "build_s": build_s, "docs_per_s": docs / build_s, "index_mb": folder_size(index) / 1e6,
        "peak_mb": peak / 1e6, "reopen_unchanged_s": reopen_s, "reopen_one_changed_s": changed_s,
        "query_median_ms": om * 1000, "query_p95_ms": op * 1000,
        "by_kind_median_ms": {k: median_p95(v)[0] * 1000 for k, v in by_kind.items()},
        "question_p95_ms": median_p95(by_kind["question*"])[1] * 1000,
        "paragraph_p95_ms": median_p95(by_kind["paragraph*"])[1] * 1000,
        "fts5_build_s": fts_build, "fts5_median_ms": fm * 1000, "fts5_p95_ms": fp * 1000,
        "fts5_db_mb": db.stat().st_size / 1e6,
    }


def report(r: dict) -> str:
    ok = lambda cond: "ok" if cond else "MISSED"  # noqa: E731
    lines = [
        f"Reuters-21578: {r['documents']} documents indexed from {r['files']} files; {r['queries']} queries, "
        f"first page of {PAGE} with snippets, hit counts and exact totals; each the median of {REPEATS} runs",
        f"  build            {r['build_s']:7.1f} s   {r['docs_per_s']:6.0f} docs/s   index {r['index_mb']:.0f} MB   "
        f"largest process {r['peak_mb']:.0f} MB   [target < 60 s: {ok(r['build_s'] < 60)}]",
        f"  reopen unchanged {r['reopen_unchanged_s']:7.3f} s   [target < 1 s: {ok(r['reopen_unchanged_s'] < 1)}]",
        f"  reopen 1 changed {r['reopen_one_changed_s']:7.3f} s   [target < 1 s: {ok(r['reopen_one_changed_s'] < 1)}]",
        f"  query median     {r['query_median_ms']:7.1f} ms  [target < 20 ms: {ok(r['query_median_ms'] < 20)}]",
        f"  query p95        {r['query_p95_ms']:7.1f} ms  [target < 100 ms: {ok(r['query_p95_ms'] < 100)}]",
        "  by kind (median ms): " + ", ".join(f"{k} {v:.1f}" for k, v in r["by_kind_median_ms"].items()),
        f"  questions p95    {r['question_p95_ms']:7.1f} ms  [target < 150 ms: {ok(r['question_p95_ms'] < 150)}]",
        f"  paragraphs p95   {r['paragraph_p95_ms']:7.1f} ms  [target < 150 ms: {ok(r['paragraph_p95_ms'] < 150)}]",
        "SQLite FTS5, same documents and questions (* = nearest FTS5 equivalent):",
        f"  build {r['fts5_build_s']:.1f} s ({r['fts5_db_mb']:.0f} MB)   median {r['fts5_median_ms']:.2f} ms   "
        f"p95 {r['fts5_p95_ms']:.2f} ms",
        f"  margin / FTS5: build x{r['build_s'] / r['fts5_build_s']:.1f}, "
        f"median x{r['query_median_ms'] / r['fts5_median_ms']:.1f}, p95 x{r['query_p95_ms'] / r['fts5_p95_ms']:.1f}",
    ]
    return "\n".join(lines)


if __name__ == "__main__":
    result = run()
    print(report(result))
    (OUT / "search.json").write_text(json.dumps(result, indent=2))
