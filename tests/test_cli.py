"""The margin command line: output, JSON schema, exit codes, and clear errors."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from margin.tui.cli import main

from .conftest import write


def run(capsys, *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def test_search_prints_ranked_results_and_exits_0(capsys):
    code, out, err = run(capsys, "search", "雷军")
    assert code == 0
    assert "Xiaomi’s Marketing Model Faces Backlash" in out and "雷军" in out and "4 hits" in out
    assert "1 matching document (of 14)" in err
    assert "\x1b[" not in out  # NO_COLOR and a pipe: no escape sequences


def test_no_hits_exits_1_and_suggests(capsys):
    code, out, err = run(capsys, "search", "heatwve")
    assert code == 1 and "margin: did you mean: heatwave" in err and out == ""


def test_json_schema(capsys):
    code, out, _ = run(capsys, "search", "--json", "--hits", "--limit", "2", "marketing master")
    data = json.loads(out)
    assert code == 0 and set(data) == {"query", "total", "total_exact", "every_word", "page", "page_size", "sort", "documents",
                                       "problem", "suggestion", "notices", "results"}
    first = data["results"][0]
    assert set(first) == {"id", "title", "source", "author", "published", "score", "hit_count",
                          "snippet", "snippet_hits", "hits", "group", "family", "copies", "family_earliest"}
    assert first["group"] == "every" and data["every_word"] <= data["total"]
    assert len(data["results"]) == 2 and data["total"] >= 2
    for start, end in first["snippet_hits"]:
        assert first["snippet"][start:end].lower() in {"marketing", "master", "masters"}
    assert first["hit_count"] == len(first["hits"])


def test_jsonl_one_object_per_line_sorted_by_date(capsys):
    code, out, _ = run(capsys, "search", "--jsonl", "--sort", "date", "xiaomi")
    rows = [json.loads(line) for line in out.splitlines()]
    assert code == 0 and len(rows) == 14 and rows[0]["published"] == "2026-01-08"


def test_bad_query_is_reported_on_stderr_and_still_runs(capsys):
    code, out, err = run(capsys, "search", '"lei jun marketing master')
    assert code == 0 and "quote '\"' is not closed (column 1)" in err and "Lei Jun" in out


def test_show_lights_up_hits(capsys):
    code, out, err = run(capsys, "show", "002-02-jensen-huang-and-lei-jun-pictured.md", "-q", "huang")
    assert code == 0 and out.startswith("Nvidia’s Jensen Huang") and "5 hits for 'huang'" in err


def test_show_unknown_id_exits_2(capsys):
    code, _, err = run(capsys, "show", "nope.md")
    assert code == 2 and "no document with id 'nope.md'" in err


def test_entities_by_type(capsys):
    code, out, _ = run(capsys, "entities", "--type", "place", "--json")
    data = json.loads(out)
    assert code == 0 and data[0] == {"type": "place", "name": "China", "count": 8, "documents": 8}
    assert {d["type"] for d in data} == {"place"}


def test_show_json_has_the_document_its_entities_and_its_passages(capsys):
    from margin.search import paths
    from margin.search.passages.store import PassageStore
    from margin.search.readers.documents import read_document
    from margin.search.userdata.database import UserData

    doc_id = "002-02-jensen-huang-and-lei-jun-pictured.md"
    doc = read_document(paths.bundled_corpus(), paths.bundled_corpus() / doc_id)
    start = doc.body.index("Tegra chips")
    PassageStore(UserData(), str(paths.bundled_corpus().resolve())).add(
        doc_id, doc.body, start, start + 11, "sha", tags=["chips"], note="n")
    code, out, _ = run(capsys, "show", doc_id, "--json", "-q", "huang")
    data = json.loads(out)
    assert code == 0 and data["id"] == doc_id and data["title"].startswith("Nvidia’s Jensen Huang")
    people = {(e["name"], e["text"]) for e in data["entities"] if e["type"] == "person"}
    assert ("Jensen Huang", "Jensen Huang") in people and ("Jensen Huang", "Huang") in people
    assert all(data[e["field"]][e["start"]:e["end"]] == e["text"] for e in data["entities"])
    assert [(p["text"], p["tags"]) for p in data["passages"]] == [("Tegra chips", ["chips"])]
    assert len(data["hits"]) == 5


def test_entities_appearing_with_one(capsys):
    code, out, _ = run(capsys, "entities", "--with", "Lei Jun", "--json")
    data = json.loads(out)
    assert code == 0 and data["entity"] == "Lei Jun" and data["with"][0]["name"] == "Xiaomi"
    assert "Lei Jun" not in {row["name"] for row in data["with"]}
    code, out, _ = run(capsys, "entities", "--with", "Lei Jun", "-q", "nvidia")
    assert code == 0 and "Jensen Huang" in out and "documents in common" in out and "Douyin" not in out


def test_entity_corrections_from_the_command_line(capsys, tmp_path: Path):
    import shutil

    from margin.search import paths

    corpus = tmp_path / "c"
    shutil.copytree(paths.bundled_corpus(), corpus, ignore=shutil.ignore_patterns("__*"))
    c = str(corpus)
    code, out, _ = run(capsys, "entities", "--corpus", c, "merge", "Lei", "--into", "Jensen Huang")
    assert code == 0 and "{merge: Lei Jun, into: Jensen Huang}" in out and "entity-corrections.yaml" in out
    assert run(capsys, "entities", "--corpus", c, "rename", "Weibo", "Sina Weibo")[0] == 0
    assert run(capsys, "entities", "--corpus", c, "retype", "Sina Weibo", "product")[0] == 0
    assert run(capsys, "entities", "--corpus", c, "hide", "Steve Jobs")[0] == 0
    data = json.loads(run(capsys, "entities", "--corpus", c, "--json")[1])
    rows = {(d["type"], d["name"]): d["documents"] for d in data}
    assert rows[("person", "Jensen Huang")] == 9 and rows[("product", "Sina Weibo")] == 3
    assert ("person", "Steve Jobs") not in rows and ("person", "Lei Jun") not in rows
    assert run(capsys, "search", "--corpus", c, 'person:"steve jobs"')[0] == 1
    code, out, _ = run(capsys, "entities", "--corpus", c, "unhide", "steve jobs")
    assert code == 0 and "{hide: Steve Jobs}" in out and run(capsys, "search", "--corpus", c, 'person:"steve jobs"')[0] == 0
    code, out, _ = run(capsys, "entities", "--corpus", c, "undo")
    assert code == 0 and "retype" in out
    code, _, err = run(capsys, "entities", "--corpus", c, "hide", "Nobody At All")
    assert code == 2 and "no entity named 'Nobody At All'" in err
    code, _, err = run(capsys, "entities", "--corpus", c, "retype", "Xiaomi", "spaceship")
    assert code == 2 and "not a type" in err
    code, _, err = run(capsys, "entities", "--corpus", c, "merge", "Xiaomi")
    assert code == 2 and "usage: margin entities merge NAME --into NAME" in err


def test_index_summary_and_skipped_files(capsys, tmp_path: Path):
    corpus = tmp_path / "c"
    write(corpus, "a.md", "# A\nalpha")
    write(corpus, "b.md", "---\ntitle: [\n---\n")
    code, out, err = run(capsys, "index", "--corpus", str(corpus))
    assert code == 0 and "1 document indexed" in out and "1 skipped" in out
    assert err.count("margin: skipped b.md: front matter is not valid YAML") == 1


def test_skipped_files_are_named_once_not_on_every_call(capsys, tmp_path: Path):
    corpus = tmp_path / "c"
    write(corpus, "a.md", "# A\nalpha")
    write(corpus, "b.md", "---\ntitle: [\n---\n")
    _, _, first = run(capsys, "search", "alpha", "--corpus", str(corpus))
    _, _, second = run(capsys, "search", "alpha", "--corpus", str(corpus))
    assert "skipped b.md" in first and "skipped" not in second
    _, _, listed = run(capsys, "index", "--corpus", str(corpus))  # the explicit command lists them all
    assert "margin: skipped b.md: front matter is not valid YAML" in listed


def test_version(capsys):
    from importlib.metadata import version

    with pytest.raises(SystemExit) as exit_:
        main(["--version"])
    assert exit_.value.code == 0 and capsys.readouterr().out.strip() == f"margin {version('margin-reader')}"


def test_corpus_from_environment(capsys, tmp_path: Path, monkeypatch):
    corpus = tmp_path / "c"
    write(corpus, "a.txt", "Title\nzebra crossing")
    monkeypatch.setenv("MARGIN_CORPUS", str(corpus))
    code, out, _ = run(capsys, "search", "zebra")
    assert code == 0 and "a.txt" in out


def test_missing_corpus_exits_2_with_one_line(capsys, tmp_path: Path):
    code, out, err = run(capsys, "--corpus", str(tmp_path / "none"), "search", "x")
    assert code == 2 and err.strip() == f"margin: corpus folder not found: {tmp_path / 'none'}"


def test_no_subcommand_opens_the_reader_on_the_chosen_corpus(capsys, tmp_path: Path, monkeypatch):
    from margin.tui.app import MarginApp

    opened = {}
    monkeypatch.setattr(MarginApp, "run", lambda self: opened.update(corpus=self.corpus, userdata=self.userdata))
    keymap = write(tmp_path, "keys.yaml", "quit: ctrl+q\n")
    code, _, _ = run(capsys, "--corpus", str(tmp_path), "--keymap", str(keymap))
    assert code == 0 and opened["corpus"] == tmp_path and opened["userdata"] is not None


def test_installed_console_script_runs(tmp_path: Path):
    script = Path(sys.executable).with_name("margin")
    result = subprocess.run([str(script), "search", "--jsonl", "山寨"], capture_output=True, text=True,
                            env={"MARGIN_CACHE_DIR": str(tmp_path), "PATH": "/usr/bin:/bin"})
    assert result.returncode == 0 and json.loads(result.stdout)["id"].startswith("004-")


@pytest.mark.parametrize("hostile", ["[bold red]markup[/]", "\x1b]0;owned\x07evil\x1b[2J"])
def test_hostile_text_prints_plain(capsys, tmp_path: Path, hostile: str):
    corpus = tmp_path / "c"
    write(corpus, "h.txt", f"Title {hostile}\nbody {hostile} zebra")
    code, out, _ = run(capsys, "search", "--corpus", str(corpus), "zebra")
    assert code == 0 and "\x1b" not in out
    if hostile.startswith("["):
        assert "[bold red]markup[/]" in out


def test_saved_search_from_the_command_line(capsys):
    from margin.search.userdata.database import UserData

    UserData().save_search("cars", "product:su7", "date")
    code, out, _ = run(capsys, "search", "--saved", "cars", "--jsonl")
    rows = [json.loads(line) for line in out.splitlines()]
    assert code == 0 and len(rows) == 4 and rows[0]["published"] == "2026-01-08"
    code, out, _ = run(capsys, "search", "--saved", "cars", "--jsonl", "huawei")
    assert code == 0 and [json.loads(line)["id"][:6] for line in out.splitlines()] == ["004-xi", "002-05"]
    code, _, err = run(capsys, "search", "--saved", "boats")
    assert code == 2 and "no saved search named 'boats' (saved: cars)" in err


def test_passages_export_and_import_from_the_command_line(capsys, tmp_path: Path):
    from margin.search import paths
    from margin.search.passages.store import PassageStore
    from margin.search.readers.documents import read_document
    from margin.search.userdata.database import UserData
    from margin.search.userdata.reading import ReadingStore

    doc = read_document(paths.bundled_corpus(), paths.bundled_corpus() / "002-07-affordable-apartments.md")
    start = doc.body.index("Xiaomi Youth Apartments")
    PassageStore(UserData(), str(paths.bundled_corpus().resolve())).add(
        doc.doc_id, doc.body, start, start + 23, "sha", tags=["housing"], note="n")
    ReadingStore(UserData(), str(paths.bundled_corpus().resolve())).set_starred(doc.doc_id, True)
    code, out, _ = run(capsys, "passages", "export", "--format", "markdown")
    assert code == 0 and "## Xiaomi’s Affordable Apartment Opens" in out and "> Xiaomi Youth Apartments" in out
    code, out, _ = run(capsys, "passages", "export", "--format", "csv", "--tag", "housing")
    assert code == 0 and "Xiaomi Youth Apartments,\"Xiaomi’s Affordable Apartment Opens: ¥1999/Month" in out
    target = tmp_path / "passages.json"
    code, _, err = run(capsys, "passages", "export", "--format", "json", "-o", str(target))
    exported = json.loads(target.read_text())
    assert code == 0 and exported["items"][0]["body"][0]["value"] == "housing"
    assert exported["reading"][0]["source"] == doc.doc_id and exported["reading"][0]["starred"]
    assert "1 passage and the reading state of 1 document written to" in err
    exported["reading"][0]["modified"] = "2099-01-01T00:00:00+00:00"  # newer than the stored state
    target.write_text(json.dumps(exported))
    code, out, _ = run(capsys, "passages", "import", str(target))
    assert code == 0 and "0 passages imported, 1 already there, reading state of 1 document taken" in out
    code, out, err = run(capsys, "passages", "--tag", "nothing")
    assert code == 1 and "0 passages" in err
    code, _, err = run(capsys, "passages", "import", str(tmp_path / "missing.json"))
    assert code == 2 and "missing.json" in err


def test_an_article_tagged_itself_is_listed_and_exported_as_an_article(capsys):
    """Issue 26: document tags; the listing and the exports say which tags are an article's own."""
    from margin.search import paths
    from margin.search.userdata.database import UserData
    from margin.search.userdata.reading import ReadingStore

    ReadingStore(UserData(), str(paths.bundled_corpus().resolve())).set_tags("000-lei-jun-marketing-nauseous.md",
                                                                           ["quotes"])
    code, out, err = run(capsys, "passages", "list", "--tag", "quotes")
    assert code == 0 and "000-lei-jun-marketing-nauseous.md  (the whole article)  #quotes" in out
    assert "0 passages and 1 tagged article" in err
    code, out, _ = run(capsys, "passages", "export", "--format", "markdown", "--tag", "quotes")
    assert code == 0 and "Article tags: #quotes" in out
    code, out, _ = run(capsys, "search", "tag:quotes", "--jsonl")
    assert code == 0 and [json.loads(line)["id"] for line in out.splitlines()] == ["000-lei-jun-marketing-nauseous.md"]


def test_any_bytes_in_argv_give_an_answer_not_a_traceback(capsys, tmp_path: Path):
    latin1 = b"\xe9t\xe9*".decode("utf-8", "surrogateescape")  # `été*` typed in a Latin-1 terminal
    code, _, err = run(capsys, "search", latin1)
    assert code in (0, 1) and "Traceback" not in err
    code, out, err = run(capsys, "show", b"\xff\x1b[2J".decode("utf-8", "surrogateescape"))
    assert code == 2 and err.count("\n") == 1 and "\x1b" not in err and "no document with id" in err


def test_capped_queries_are_named_on_stderr_and_in_json(capsys):
    code, out, err = run(capsys, "search", "xiaomi~7", "--json")
    assert "margin: query: edit distance capped at 2 (~7 asked)" in err
    assert json.loads(out)["notices"] == ["edit distance capped at 2 (~7 asked)"]


def test_json_escapes_c1_controls_and_bidi_overrides(capsys, tmp_path: Path):
    corpus = tmp_path / "c"
    write(corpus, "txt.\u202eevil\u009b.txt", "Title\nzebra text")  # file names are not cleaned
    code, out, _ = run(capsys, "search", "zebra", "--json", "--corpus", str(corpus))
    assert code == 0 and "\u202e" not in out and "\u009b" not in out
    assert json.loads(out)["total"] == 1
    code, out, _ = run(capsys, "search", "zebra", "--jsonl", "--corpus", str(corpus))
    assert "\u202e" not in out and "\u009b" not in out


def test_a_file_name_with_escape_sequences_never_reaches_the_terminal(capsys, tmp_path: Path):
    corpus = tmp_path / "c"
    name = "evil\x1b]52;c;b3duZWQ=\x07\x1b[2J.txt"  # would set the clipboard and clear the screen
    write(corpus, name, "Title\nzebra text")
    _, out, err = run(capsys, "search", "zebra", "--corpus", str(corpus))
    assert "\x1b" not in out + err and "\x07" not in out + err and "evil" in out


def test_counts_are_grouped_in_thousands_as_the_groups_line_writes_them():
    """At 100,000 documents the status line read "67925 of 100000 documents" beside the list's
    "22,654 with every word · 45,271 with some"."""
    from margin.search.plural import plural
    from margin.search.results import SearchResults

    assert plural(100_000, "document") == "100,000 documents" and plural(1, "document") == "1 document"
    results = SearchResults("oil prices", 67_925, [], 1, 20, "relevance", 100_000, every_word=22_654)
    assert results.groups == "22,654 with every word · 45,271 with some"


def test_the_empty_query_lists_every_document_as_the_readme_says(capsys):
    """Issue 26: `margin search ''` exited 2 ("search needs a query")."""
    code, out, _ = run(capsys, "search", "", "--json")
    assert code == 0 and json.loads(out)["total"] == 14
    code, _, err = run(capsys, "search")
    assert code == 2 and "needs a query" in err


@pytest.mark.parametrize("kind", ["md", "csv", "jsonl"])
def test_a_result_list_exports_as_markdown_csv_or_json_lines(capsys, kind: str):
    """Issue 31: `margin search QUERY --format md|csv|jsonl`, the rows the JSON output gives."""
    code, printed, _ = run(capsys, "search", "--json", "--limit", "3", "xiaomi")
    expected = [r["id"] for r in json.loads(printed)["results"]]
    code, out, _ = run(capsys, "search", "--format", kind, "--limit", "3", "xiaomi")
    assert code == 0
    if kind == "jsonl":
        assert [json.loads(line)["id"] for line in out.splitlines()] == expected
    elif kind == "csv":
        import csv

        rows = list(csv.DictReader(out.splitlines()))
        assert [r["id"] for r in rows] == expected and rows[0]["group"] == "every"
    else:
        assert out.startswith("# xiaomi\n") and [line.rsplit(" · ", 1)[-1] for line in out.splitlines()
                                                 if line[:2] in ("1.", "2.", "3.")] == [e.replace("_", "\\_") for e in expected]


@pytest.mark.parametrize("command", ["timeline", "facets"])
def test_timeline_and_facets_say_what_was_wrong_with_a_query(capsys, command: str):
    """A mistake in the query is said in one line, the words searched instead, as `search` does."""
    code, out, err = run(capsys, command, "--json", '"lei jun marketing')
    assert code in (0, 1) and "quote '\"' is not closed (column 1)" in err and "Traceback" not in err
    json.loads(out)
    code, _, err = run(capsys, command, "\udcff\ud800 xiaomi")  # lone surrogates, as a shell can pass them
    assert code == 0 and "Traceback" not in err
