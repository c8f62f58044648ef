"""Issue 25: no file, side file, query or swap between scan and read takes a corpus down or
reaches the terminal raw."""

from __future__ import annotations

import os
import re
import subprocess
import sys
import threading
from pathlib import Path

import pytest

from margin.search.errors import UnreadableFile
from margin.search.library import Library
from margin.search.readers.documents import read_article_bytes

from .conftest import write
from .hostile_files import HOSTILE, make_hostile

MARGIN = [str(Path(sys.executable).parent / "margin")]
# Escape sequences, C0/C1 controls and bidi overrides: what must never reach a terminal.
CONTROLS = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")


@pytest.fixture(scope="module")
def hostile_corpus(tmp_path_factory: pytest.TempPathFactory) -> Path:
    corpus = tmp_path_factory.mktemp("hostile")
    make_hostile(corpus)
    write(corpus, "good.md", "# Good\n\nThe orchard flooded twice this spring.")
    return corpus


def test_every_hostile_file_is_skipped_with_its_reason_and_the_rest_is_searchable(hostile_corpus: Path, tmp_path: Path):
    with Library.open(hostile_corpus, tmp_path / "ix") as library:
        skipped = dict(library.report.skipped)
        assert [r.doc_id for r in library.search("orchard").rows] == ["good.md"]
    assert len(skipped) == len(HOSTILE), skipped
    reasons = " | ".join(skipped.values())
    for expected in ("could not be read (XMLSyntaxError", "DOCX file unpacks to more than 100 MB", "EPUB file is encrypted",
                     "compression method margin does not read", "EPUB text is longer than 25 MB", "200,000 tags",
                     "nested too deeply to read", "the PDF reader crashed on this file"):
        assert expected in reasons, reasons


def test_the_command_line_names_each_hostile_file_and_a_second_run_does_not_fail(hostile_corpus: Path, tmp_path: Path):
    for _ in range(2):
        run = subprocess.run([*MARGIN, "index", "--corpus", str(hostile_corpus), "--index", str(tmp_path / "ix")],
                             capture_output=True, text=True, timeout=300)
        assert run.returncode == 0, run.stderr
        assert "Traceback" not in run.stderr
    listed = subprocess.run([*MARGIN, "index", "--corpus", str(hostile_corpus), "--index", str(tmp_path / "ix")],
                            capture_output=True, text=True, timeout=300)
    assert "stream-bomb.pdf" in listed.stdout + listed.stderr and "deep.odt" in listed.stdout + listed.stderr


def test_a_file_swapped_for_a_link_or_a_fifo_after_the_scan_is_not_read(tmp_path: Path):
    (tmp_path / "link.md").symlink_to("/etc/passwd")
    os.mkfifo(tmp_path / "fifo.md")
    with pytest.raises(UnreadableFile, match="became a symbolic link after the folder was scanned"):
        read_article_bytes(str(tmp_path / "link.md"))
    done = threading.Event()

    def read_fifo() -> None:
        with pytest.raises(UnreadableFile, match="not a regular file"):
            read_article_bytes(str(tmp_path / "fifo.md"))
        done.set()

    threading.Thread(target=read_fifo, daemon=True).start()
    assert done.wait(5), "reading a FIFO blocked"


def test_a_swap_between_scan_and_read_skips_the_file_in_a_build(tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    from margin.search.index import indexing

    corpus = tmp_path / "c"
    write(corpus, "a.md", "# A\n\nalpha")
    write(corpus, "b.md", "# B\n\nbeta")
    real_scan = indexing.scan

    def scan_then_swap(root: Path):  # type: ignore[no-untyped-def]
        found = real_scan(root)
        (corpus / "b.md").unlink()
        (corpus / "b.md").symlink_to("/etc/passwd")
        return found

    monkeypatch.setattr(indexing, "scan", scan_then_swap)
    with Library.open(corpus, tmp_path / "ix") as library:
        assert dict(library.report.skipped) == {"b.md": "became a symbolic link after the folder was scanned (not followed)"}
        assert library.search("root").total == 0


HOSTILE_NAME = "\x1b]52;c;SGVsbG8=\x07Evil\x1b]0;pwned\x07 Corp\x1b[2J\u202e\x9b31m"


def test_side_files_are_cleaned_before_any_output(tmp_path: Path):
    corpus = tmp_path / "c"
    write(corpus, "entities.yaml", f'- name: "{_yaml_escaped(HOSTILE_NAME)}"\n  type: organization\n'
                                  f'  aliases: ["Evil Inc", "Evil\\x1b[31m Ltd"]\n')
    write(corpus, "entity-corrections.yaml", f'- {{rename: Evil Corp, to: "{_yaml_escaped(HOSTILE_NAME)} Two"}}\n')
    write(corpus, "a.md", "# A\n\nEvil Corp said so. Evil Inc agreed.")
    args = ["--corpus", str(corpus), "--index", str(tmp_path / "ix")]
    for command, shows_name in ((["entities"], True), (["entities", "--json"], True),
                                (["entities", "--with", "Evil Corp Two"], False), (["search", "evil"], False)):
        run = subprocess.run([*MARGIN, *command, *args], capture_output=True, text=True, timeout=120,
                             env={**os.environ, "NO_COLOR": "1"})
        assert not shows_name or "Evil Corp Two" in run.stdout, (command, run.stdout, run.stderr)
        assert not CONTROLS.search(run.stdout + run.stderr), (command, run.stdout, run.stderr)


def _yaml_escaped(text: str) -> str:
    return "".join(c if c.isprintable() else f"\\u{ord(c):04x}" if ord(c) > 0xff else f"\\x{ord(c):02x}" for c in text)


@pytest.mark.parametrize("side, content", [
    ("entities.yaml", "[" * 5000 + "]" * 5000),
    ("entities.yaml", "a: &a [1,2,3]\nb: [*a,*a,*a]\n"),
    ("entity-corrections.yaml", "- {merge: A, into: B}\n" + "- " + "[" * 5000 + "]" * 5000 + "\n"),
], ids=["entities nested", "entities with aliases", "a correction nested"])
def test_a_broken_side_file_is_named_and_skipped_and_every_command_works(tmp_path: Path, side: str, content: str):
    corpus = tmp_path / "c"
    write(corpus, side, content)
    write(corpus, "a.md", "# A\n\nalpha words")
    args = ["--corpus", str(corpus), "--index", str(tmp_path / "ix")]
    said = ""
    for command in (["search", "alpha"], ["entities"], ["index"]):
        run = subprocess.run([*MARGIN, *command, *args], capture_output=True, text=True, timeout=120)
        assert run.returncode in (0, 1) and "Traceback" not in run.stderr, (command, run.stderr)  # 1: none found
        said += run.stderr
    assert side in said


def test_an_entity_list_past_its_bound_keeps_its_first_names(tmp_path: Path):
    from margin.search.entities.gazetteer import MAX_FORMS, load_gazetteer

    entries = "".join(f"- {{name: Name{i} Person, type: person, aliases: [N{i}a, N{i}b, N{i}c]}}\n" for i in range(MAX_FORMS))
    write(tmp_path, "entities.yaml", entries)
    gazetteer = load_gazetteer(tmp_path / "entities.yaml")
    assert len(gazetteer.by_form) <= MAX_FORMS and "Name0 Person" in gazetteer.by_form
    assert "names and aliases; entries from" in gazetteer.warnings[0]


def test_a_failed_tantivy_write_gives_back_its_partial_segments(tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    """Issue 25: a first build that failed on a full disk left its segments, and the disk stayed full."""
    from margin.search.engine import discard_unfinished

    monkeypatch.setenv("MARGIN_ENGINE", "tantivy")
    corpus = tmp_path / "c"
    write(corpus, "a.md", "# A\n\nalpha words")
    Library.open(corpus, tmp_path / "ix").close()
    segments = tmp_path / "ix" / "tantivy"
    kept = sorted(p.name for p in segments.iterdir())
    for ext in ("idx", "pos", "store"):
        (segments / f"{'ab' * 16}.{ext}").write_bytes(bytes(1000))  # what a write cut short leaves
    discard_unfinished(tmp_path / "ix", "tantivy")
    assert sorted(p.name for p in segments.iterdir()) == kept
    with Library.open(corpus, tmp_path / "ix") as library:
        assert library.search("alpha").total == 1


@pytest.mark.parametrize("engine", ["whoosh", "tantivy"])
def test_queries_that_killed_or_rebuilt_an_index_are_bounded_on_both_engines(tmp_path: Path, engine: str,
                                                                               monkeypatch: pytest.MonkeyPatch):
    monkeypatch.setenv("MARGIN_ENGINE", engine)
    words = " ".join(["xiaomi", "phone", "car", "lei", "jun", "said", "company", "market"] * 5)
    with Library.open(None, tmp_path / "ix") as library:
        rebuilt = library.report.rebuilt
        for query, note in ((f'"{words}"~10', "searched as its words"), ('"xiaomi phone"~99999999999999999999',
                            "word distance capped at 20"), ("entity:xiao*", ""), ("entity:xiaomy~1", ""),
                            ("tag:lat*", "takes whole words"), ("note:foll*", "takes whole words")):
            results = library.search(query)
            assert not note or any(note in n for n in results.notices), (query, results.notices)
            assert not results.index_notices, (query, results.index_notices)  # no query taken for damage
        assert library.search("entity:xiao*").total == library.search("org:xiao*").total > 0
        assert library.report.rebuilt == rebuilt


def test_a_panic_inside_tantivy_is_damage_that_repairs_and_other_errors_are_not():
    """Bytes changed inside a `.term` file gave a PanicException (a BaseException) on every search."""
    from margin.search.engine.api import EngineDamage
    from margin.search.engine.tantivy.index import _guarded

    class PanicException(BaseException):  # as pyo3 names it
        pass

    def panics() -> None:
        raise PanicException("called `Option::unwrap()` on a `None` value")

    with pytest.raises(EngineDamage, match="tantivy panicked"):
        _guarded(panics)
    with pytest.raises(KeyboardInterrupt):
        _guarded(lambda: (_ for _ in ()).throw(KeyboardInterrupt()))


async def test_the_sidebar_paints_a_hostile_entity_name_cleaned(tmp_path: Path):
    """The reader's sidebar painted `ESC ] 0 ;` from an entities.yaml name: the tmux pane title changed."""
    from .tui_helpers import make_app, painted_text, sidebar, started

    corpus = tmp_path / "c"
    write(corpus, "entities.yaml", f'- name: "{_yaml_escaped(HOSTILE_NAME)}"\n  type: organization\n'
                                  '  aliases: ["Evil Inc"]\n')
    write(corpus, "a.md", "# A\n\nEvil Inc said so on Tuesday.")
    app = make_app(tmp_path, corpus)
    async with app.run_test(size=(150, 40)) as pilot:
        await started(pilot)
        await pilot.pause(0.3)
        lines = painted_text(sidebar(app))
        assert any("Evil Corp" in line for line in lines), lines
        assert not any(CONTROLS.search(line) for line in lines), lines


def test_a_pdf_is_read_in_a_process_holding_over_a_thousand_files(tmp_path: Path):
    """Seen in a long run: the PDF reader's child was watched with select(), which refuses a
    descriptor numbered over 1023, so every PDF was skipped ("filedescriptor out of range")."""
    import resource

    from margin.search.readers.documents import read_document

    from .file_kinds import make_pdf

    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    if hard != resource.RLIM_INFINITY and hard < 1200:
        pytest.skip("this machine allows too few open files")
    resource.setrlimit(resource.RLIMIT_NOFILE, (max(soft, 1200), hard))
    pdf = make_pdf(tmp_path / "c" / "a.pdf", [["A heading", "Text of a page about the harbour."]])
    held = [os.open(os.devnull, os.O_RDONLY) for _ in range(1100)]
    try:
        assert "harbour" in read_document(tmp_path / "c", pdf).body
    finally:
        for fd in held:
            os.close(fd)
        resource.setrlimit(resource.RLIMIT_NOFILE, (soft, hard))
