"""Stories: families of copies, one row a family, more like this, comparisons and versions."""

from __future__ import annotations

import os
import time
from pathlib import Path

import pytest

from margin.search.library import Library
from margin.search.stories.compare import compare
from tests.stories_corpus import article, paragraph, planted

pytestmark = pytest.mark.usefixtures("each_engine")


@pytest.fixture
def folder(tmp_path: Path) -> Path:
    planted(tmp_path / "corpus")
    return tmp_path / "corpus"


def families(library: Library) -> dict[str, list[str]]:
    return {head: sorted(members) for head, members in library.families().members.items()}


def test_planted_copies_form_their_families_and_nothing_else_does(folder: Path, tmp_path: Path):
    with Library.open(folder, tmp_path / "ix") as library:
        assert families(library) == planted(tmp_path / "again")  # boilerplate alone joins nothing
        row = library.search("", page_size=50).rows
        assert len(row) == 12 and len({r.family for r in row}) == 12  # one row a family, newest first
        harbour = next(r for r in row if r.family == "wire/original.md")
        assert harbour.doc_id == "outlets/no-end.md"  # newest first: the family's newest copy stands for it
        assert (harbour.copies, harbour.earliest) == (3, "2024-03-01")
        assert len(library.search("dupes:show", page_size=50).rows) == 16
        assert len(library.search("", page_size=50, copies=True).rows) == 16
        assert library.story_count("") == 12


def test_a_change_regroups_only_the_family_it_touches(folder: Path, tmp_path: Path):
    Library.open(folder, tmp_path / "ix").close()
    (folder / "outlets" / "no-end.md").unlink()
    article(folder, "outlets/late.md", "Floods, a day later", "2024-04-05",
            (folder / "wire" / "second.md").read_text().split("---\n", 2)[2].strip().split("\n\n"))
    with Library.open(folder, tmp_path / "ix") as library:
        found = families(library)
    assert found["wire/original.md"] == ["outlets/edited.md", "outlets/new-lead.md", "wire/original.md"]
    assert found["wire/second.md"] == ["outlets/late.md", "outlets/second-copy.md", "wire/second.md"]


def test_more_like_this_leaves_the_family_out_and_says_what_it_did(folder: Path, tmp_path: Path):
    import random

    rng = random.Random(9)
    original = (folder / "wire" / "original.md").read_text().split("---\n", 2)[2].strip().split("\n\n")
    article(folder, "later/follow-up.md", "Harbour, a year on", "2025-03-01", [original[1], paragraph(rng), paragraph(rng)])
    with Library.open(folder, tmp_path / "ix") as library:
        found = library.search('like:"wire/original.md"', page_size=5, copies=True)
        assert found.rows[0].doc_id == "later/follow-up.md"
        assert not {r.doc_id for r in found.rows} & {"outlets/edited.md", "outlets/new-lead.md", "wire/original.md"}
        assert any("most distinctive words" in n and "3 copies left out" in n for n in found.notices)
        missing = library.search('like:"nowhere.md"')
        assert missing.total == 0 and "no document 'nowhere.md'" in missing.notices[0]


def test_two_edits_keep_two_versions_with_what_changed(folder: Path, tmp_path: Path):
    path = folder / "alone" / "0.md"
    Library.open(folder, tmp_path / "ix").close()
    first = path.read_text()
    path.write_text(first.replace("Story 0", "Story 0 (updated)").rstrip() + "\n\nA correction was added.\n")
    os.utime(path, (time.time() + 5, time.time() + 5))
    Library.open(folder, tmp_path / "ix").close()
    second = path.read_text()
    path.write_text(second.replace("A correction was added.", "A correction was added on Tuesday."))
    os.utime(path, (time.time() + 10, time.time() + 10))
    with Library.open(folder, tmp_path / "ix") as library:
        versions = library.versions("alone/0.md")
        now = library.document("alone/0.md").document.body
        assert [v.title for v in versions] == ["Story 0 (updated)", "Story 0"]
        assert compare(now, versions[0].body).summary == "1 changed sentences"
        assert compare(versions[0].body, versions[1].body).summary == "1 new sentences"
    with Library.open(folder, tmp_path / "ix", rebuild=True) as library:
        assert len(library.versions("alone/0.md")) == 2  # history survives a rebuild


def test_a_comparison_names_new_changed_and_dropped_sentences():
    old = "The port opens in May. Ships will dock at night. Fees rise by 5%."
    new = "The port opens in June. Ships will dock at night. A new terminal is planned."
    found = compare(new, old)
    kinds = [(c.kind, new[c.start : c.end] if c.start >= 0 else c.other) for c in found.changes]
    assert kinds == [("changed", "The port opens in June."), ("same", "Ships will dock at night."),
                     ("dropped", "Fees rise by 5%."), ("new", "A new terminal is planned.")]
    assert [new[s:e] for s, e in found.changes[0].words] == ["June"]


def test_a_damaged_stories_or_versions_file_costs_a_rebuild_or_its_history_never_the_build(folder: Path, tmp_path: Path):
    Library.open(folder, tmp_path / "ix").close()
    (tmp_path / "ix" / "margin-stories.sqlite").write_bytes(b"not a database" * 100)
    (tmp_path / "ix" / "margin-versions.sqlite").write_bytes(b"not a database" * 100)
    path = folder / "alone" / "1.md"
    path.write_text(path.read_text() + "\nOne more sentence here.\n")
    os.utime(path, (time.time() + 5, time.time() + 5))
    with Library.open(folder, tmp_path / "ix") as library:
        assert "margin-stories.sqlite missing or unreadable" in (library.report.rebuilt or "")
        assert families(library)  # grouped again by the rebuild
    path.write_text(path.read_text() + "\nAnd another.\n")
    os.utime(path, (time.time() + 10, time.time() + 10))
    with Library.open(folder, tmp_path / "ix") as library:
        assert any("margin-versions.sqlite could not be written" in w and "moved to" in w for w in library.report.warnings)
    path.write_text(path.read_text() + "\nAnd a third.\n")
    os.utime(path, (time.time() + 15, time.time() + 15))
    with Library.open(folder, tmp_path / "ix") as library:
        assert len(library.versions("alone/1.md")) == 1  # a new history started beside the damaged one


def test_the_command_line_lists_families_similar_documents_and_versions(folder: Path, tmp_path: Path, capsys):
    import json

    from margin.tui.cli import main

    said = []

    def run(*argv: str) -> tuple[int, object]:
        code = main([*argv, "--corpus", str(folder), "--index", str(tmp_path / "ix"), "--json"])
        out, err = capsys.readouterr()
        said.append(err)
        return code, json.loads(out)

    code, found = run("families", "harbour dupes:maybe")
    assert code == 0 and [f["documents"] for f in found["families"]] == [4]  # type: ignore[index]
    members = found["families"][0]["members"]  # type: ignore[index]
    assert [m["id"] for m in members][0] == "wire/original.md" and "dupes: takes show or hide" in said[-1]
    code, similar = run("similar", "wire/second.md")
    assert code in (0, 1) and "outlets/second-copy.md" not in [r["id"] for r in similar["results"]]  # type: ignore[index]
    code, versions = run("versions", "alone/2.md")
    assert code == 1 and versions["versions"] == []  # type: ignore[index]
