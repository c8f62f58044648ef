"""The test collections `bench relevance` ranks: documents, questions as written, judgements.

Cranfield is read from ../shared/data; NPL, LISA and CISI from RELEVANCE_DATA (default
/tmp/relevance), where `bench/RELEVANCE_SOURCES.md` says how to fetch each and which counts it
must have. A collection whose files are absent is left out of the run, said in one line.
"""

from __future__ import annotations

import os
import re
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from common import SHARED

DATA = Path(os.environ.get("RELEVANCE_DATA", "/tmp/relevance"))


@dataclass(frozen=True)
class Collection:
    name: str
    documents: dict[str, tuple[str, str]]  # doc number -> (title, body); title "" where none is given
    questions: dict[str, str]  # question number -> text as written
    judged: dict[str, dict[str, int]]  # question number -> {doc number: gain}
    graded: bool


def _smart(path: Path) -> list[dict[str, str]]:
    """The `.I` records of a SMART file (Cranfield, CISI), each as {field letter: text}."""
    records: list[dict[str, str]] = []
    field = ""
    for line in path.read_text(encoding="utf-8", errors="replace").splitlines():
        if line.startswith(".I"):
            records.append({"I": line[2:].strip()})
            field = ""
        elif re.fullmatch(r"\.[A-Z]", line.strip()):
            field = line.strip()[1]
            records[-1][field] = ""
        elif field:
            records[-1][field] += line + "\n"
    return records


def _folded(text: str) -> str:
    return " ".join(text.split())


def cranfield() -> Collection:
    """1,400 aeronautics abstracts, 225 short questions, graded judgements (gain 5 - code)."""
    folder = SHARED / "cranfield"
    documents = {}
    for r in _smart(folder / "cran.all.1400"):
        title, body = _folded(r.get("T", "")), _folded(r.get("W", ""))
        documents[r["I"]] = (title, body.removeprefix(title).strip())  # the abstract repeats its title
    questions = {str(n): _folded(r.get("W", "")) for n, r in enumerate(_smart(folder / "cran.qry"), 1)}
    judged: dict[str, dict[str, int]] = {}
    for line in (folder / "cranqrel").read_text().splitlines():
        parts = line.split()
        if len(parts) == 3 and 1 <= int(parts[2]) <= 4:
            judged.setdefault(parts[0], {})[parts[1]] = 5 - int(parts[2])
    return Collection("Cranfield", documents, questions, judged, graded=True)


def npl() -> Collection:
    """11,429 electronics abstracts without titles, 93 short questions in capitals, binary judgements."""
    folder = DATA / "npl"
    documents = {}
    for record in re.split(r"\n\s*/\s*\n", (folder / "doc-text").read_text(encoding="latin-1")):
        number, _, text = record.strip().partition("\n")
        if number.strip().isdigit():
            documents[number.strip()] = ("", _folded(text))
    questions = {}
    for line in (folder / "query-text").read_text(encoding="latin-1").splitlines():
        number, _, text = line.partition(";")
        if number.strip().isdigit():
            questions[number.strip()] = _folded(text)
    return Collection("NPL", documents, questions, _trec_qrels(folder / "qrels.nocr"), graded=False)


def lisa() -> Collection:
    """6,004 library-science abstracts in capitals, 35 long questions (a paragraph and keywords)."""
    folder = DATA / "lisa"
    documents = {}
    for path in sorted(folder.glob("LISA[0-9].[0-9][0-9][0-9]")):
        for record in path.read_text(encoding="latin-1").split("*" * 44):
            found = re.match(r"\s*Document\s+(\d+)\s*\n(.*?)\n\s*\n(.*)", record, re.DOTALL)
            if found and found[1] not in documents:
                documents[found[1]] = (_folded(found[2]), _folded(found[3]))
    questions = {}
    for record in (folder / "LISA.QUE").read_text(encoding="latin-1").split("#"):
        number, _, text = record.strip().partition("\n")
        if number.strip().isdigit():
            questions[number.strip()] = _folded(text)
    judged: dict[str, dict[str, int]] = {}
    rel = (folder / "LISA.REL").read_text(encoding="latin-1")
    for number, refs in re.findall(r"Query\s+(\d+)\s*\n\s*\d+\s+Relevant Refs:\s*\n(.*?)-1", rel, re.DOTALL):
        judged[number] = {doc: 1 for doc in refs.split()}
    return Collection("LISA", documents, questions, judged, graded=False)


def cisi() -> Collection:
    """1,460 information-science abstracts, 112 long questions (76 judged), binary judgements."""
    folder = DATA / "cisi"
    documents = {r["I"]: (_folded(r.get("T", "")), _folded(r.get("W", ""))) for r in _smart(folder / "CISI.ALL")}
    questions = {r["I"]: _folded(r.get("W", "")) for r in _smart(folder / "CISI.QRY")}
    judged: dict[str, dict[str, int]] = {}
    for line in (folder / "CISI.REL").read_text().splitlines():
        parts = line.split()
        if len(parts) >= 2:
            judged.setdefault(parts[0], {})[parts[1]] = 1
    return Collection("CISI", documents, questions, judged, graded=False)


def _trec_qrels(path: Path) -> dict[str, dict[str, int]]:
    judged: dict[str, dict[str, int]] = {}
    for line in path.read_text().splitlines():
        parts = line.split()
        if len(parts) == 4 and int(parts[3]) > 0:
            judged.setdefault(parts[0], {})[parts[2]] = int(parts[3])
    return judged


READERS: dict[str, Callable[[], Collection]] = {"cranfield": cranfield, "npl": npl, "lisa": lisa, "cisi": cisi}
# (documents, questions) of the copies RELEVANCE_SOURCES.md names, checked there against the
# published counts: NPL's numbers run to 11,429 with three absent (none judged); LISA's 6,004
# records hold numbers 1998-2001 twice and 1993-1997 never (the first of each is kept). A copy
# with other counts is not the one measured and is refused.
EXPECTED = {"cranfield": (1400, 225), "npl": (11426, 93), "lisa": (5999, 35), "cisi": (1460, 112)}


def load(name: str) -> Collection | str:
    """The collection, or why it is left out (files absent, or counts unlike the published ones)."""
    try:
        found = READERS[name]()
    except FileNotFoundError as missing:
        return f"{name}: left out, {missing.filename} not found (see bench/RELEVANCE_SOURCES.md)"
    counts = (len(found.documents), len(found.questions))
    if counts != EXPECTED[name]:
        return f"{name}: left out, {counts[0]} documents and {counts[1]} questions, not the {EXPECTED[name]} expected"
    return found
