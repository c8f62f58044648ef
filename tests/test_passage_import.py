"""Importing passages: every bad file or item is refused in one line and nothing is half-imported."""

from __future__ import annotations

import copy
import io
import json
from pathlib import Path

import pytest

from margin.search.passages.export import to_json
from margin.search.passages.importing import ImportRefused, import_annotations
from margin.search.passages.store import PassageStore
from margin.search.userdata.database import UserData
from margin.tui.cli import main

TEXT = "Alpha begins. The quick brown fox jumps over the lazy dog. Omega ends the story here."


@pytest.fixture
def store(tmp_path: Path) -> PassageStore:
    return PassageStore(UserData(tmp_path / "user.sqlite"), "/corpus")


def export_of(count: int, tmp_path: Path) -> dict:
    source = PassageStore(UserData(tmp_path / "source.sqlite"), "/corpus")
    for i in range(count):
        source.add(f"doc{i}.md", TEXT, 14, 40, "sha", tags=["t"], note=f"n{i}")
    return json.loads(to_json(source.search()))


def stream(data: object) -> io.BytesIO:
    return io.BytesIO(json.dumps(data).encode())


def count(store: PassageStore) -> int:
    return store.db.execute("SELECT count(*) FROM passage").fetchone()[0]


def spoil(path: str, value: object):
    """An item with one field (a dotted path; selector 0 is the quote, 1 the position) replaced."""
    def change(item: dict) -> dict:
        item = copy.deepcopy(item)
        *parents, last = path.split(".")
        node = item
        for key in parents:
            node = node[int(key)] if key.isdigit() else node[key]
        node[int(last) if last.isdigit() else last] = value
        return item
    return change


HOSTILE = {
    "item is a number": lambda item: 5,
    "id is a number": spoil("id", 42),
    "start is 1e300": spoil("target.selector.1.start", 1e300),
    "start is negative": spoil("target.selector.1.start", -4),
    "start after end": spoil("target.selector.1.start", 50),
    "start is text": spoil("target.selector.1.start", "14"),
    "start is true": spoil("target.selector.1.start", True),
    "source outside the corpus": spoil("target.source", "../../etc/passwd"),
    "absolute source": spoil("target.source", "/etc/passwd"),
    "source with an escape": spoil("target.source", "a\x1b]52;c;AAAA\x07.md"),
    "quote of 1 MB": spoil("target.selector.0.exact", "x" * 1_000_000),
    "quote with escapes": spoil("target.selector.0.exact", "\x1b[2Jboom"),
    "empty quote": spoil("target.selector.0.exact", ""),
    "tag with a bidi override": spoil("body.0.value", "\u202eevil"),
    "note with CSI": spoil("body.1.value", "\x9b31mred"),
    "selector not a list": spoil("target.selector", {"type": "TextQuoteSelector"}),
    "target missing": spoil("target", None),
    "body not a list": spoil("body", "tag"),
    "created not a date": spoil("created", "yesterday"),
    "created a number": spoil("created", 1700000000),
    "orphan flag as text": spoil("margin", "orphan"),
}


@pytest.mark.parametrize("what", list(HOSTILE))
def test_a_hostile_item_refuses_the_whole_file(store: PassageStore, tmp_path: Path, what: str):
    data = export_of(3, tmp_path)
    data["items"][1] = HOSTILE[what](data["items"][1])
    with pytest.raises(ImportRefused, match=r"nothing imported, 1 of the annotations cannot be used \(item 2"):
        import_annotations(store, stream(data))
    assert count(store) == 0  # the good item before it was not kept


def test_skip_invalid_imports_the_rest_and_names_what_it_skipped(store: PassageStore, tmp_path: Path):
    data = export_of(4, tmp_path)
    data["items"][0] = HOSTILE["start after end"](data["items"][0])
    data["items"][2] = HOSTILE["source outside the corpus"](data["items"][2])
    report = import_annotations(store, stream(data), skip_invalid=True)
    assert (report.added, report.present, report.invalid) == (2, 0, 2)
    assert report.problems[0].endswith(": start 50 is not before end 40")
    assert "source '../../etc/passwd' is not a file inside the corpus" in report.problems[1]
    assert count(store) == 2


@pytest.mark.parametrize("text", [b"", b"[1, 2]", b'{"items": 3}', b"\xff\xfe{", b'{"items": [{"id": "a"'])
def test_what_is_not_an_export_is_refused_in_one_line(store: PassageStore, text: bytes):
    with pytest.raises(ImportRefused, match="nothing imported|no annotations found"):
        import_annotations(store, io.BytesIO(text))
    assert count(store) == 0


def test_a_file_cut_short_keeps_nothing(store: PassageStore, tmp_path: Path):
    text = json.dumps(export_of(5, tmp_path)).encode()
    with pytest.raises(ImportRefused, match="not valid JSON after 4 annotations"):
        import_annotations(store, io.BytesIO(text[: int(len(text) * 0.9)]))
    assert count(store) == 0


def test_the_command_line_refuses_in_one_line_and_keeps_the_store(tmp_path: Path, capsys):
    data = export_of(2, tmp_path)
    data["items"][1] = HOSTILE["quote with escapes"](data["items"][1])
    path = tmp_path / "in.json"
    path.write_text(json.dumps(data))
    code = main(["--corpus", str(tmp_path), "passages", "import", str(path)])
    out, err = capsys.readouterr()
    assert code == 2 and out == "" and "Traceback" not in err
    assert err.startswith(f"margin: {path}: nothing imported, 1 of the annotations cannot be used (item 2")
    assert "exact holds control characters" in err and "\x1b" not in err
    assert main(["--corpus", str(tmp_path), "passages", "import", str(path), "--skip-invalid"]) == 0
    assert "1 passage imported, 0 already there, 1 skipped as unusable" in capsys.readouterr().out
