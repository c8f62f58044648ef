"""The reader's corrections to the entities margin found: merge, rename, retype, hide.

They are a plain YAML file per corpus that a person can read, edit and keep in git: a list of
one-line items, applied in order over the names the extractor stored, at read time (sidebar,
counts, `person:` queries, the reader's marks), so a correction takes effect at once and
survives any rebuild of the index.

    - {merge: George Bush, into: George W Bush}
    - {rename: Fed, to: Federal Reserve}
    - {retype: Liverpool, to: organization}
    - {hide: Election}

The file is `entity-corrections.yaml` in the corpus folder; where the corpus folder cannot be
written (margin's own bundled corpus, installed read-only), the same file in margin's data
folder. A bad line is named and skipped; the others still apply.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

import yaml

from margin.search import paths
from margin.search.entities.gazetteer import ENTITY_TYPES
from margin.search.errors import MarginError
from margin.search.sanitize import clean_line, printable
from margin.search.yaml_text import BadYaml, load_yaml

FILENAME = "entity-corrections.yaml"
MAX_LINE = 4096
MAX_FILE = 2 * 1024 * 1024
ACTIONS = {"merge": "into", "rename": "to", "retype": "to", "hide": None}
_HEADER = ("# margin's corrections to the entities of this corpus, applied in order (see README).\n"
           "# One item a line: merge NAME into NAME, rename NAME to NEW, retype NAME to TYPE, hide NAME.\n")


@dataclass(frozen=True)
class Correction:
    action: str  # merge, rename, retype, hide
    name: str  # the entity's name as the sidebar shows it (matched ignoring case)
    target: str = ""  # merge: the entity it joins; rename: the new name; retype: the new type

    def as_yaml(self) -> str:
        item = {self.action: self.name} | ({ACTIONS[self.action]: self.target} if ACTIONS[self.action] else {})
        return "- " + yaml.safe_dump(item, default_flow_style=True, allow_unicode=True, width=10_000, sort_keys=False).strip()


def corrections_path(corpus: Path) -> Path:
    """Where this corpus's corrections are: beside its articles, unless that folder is read-only."""
    beside = corpus / FILENAME
    if beside.exists() or os.access(corpus, os.W_OK):
        return beside
    return paths.data_dir() / "corrections" / f"{paths.index_dir_for(corpus).name}.yaml"


def load_corrections(path: Path) -> tuple[list[Correction], list[str]]:
    """The corrections in `path` and a warning for each line that is not one (missing file: none)."""
    try:
        text = path.read_text(encoding="utf-8-sig")
    except FileNotFoundError:
        return [], []
    except (OSError, UnicodeDecodeError) as exc:
        return [], [f"{printable(str(path))}: cannot read the entity corrections ({type(exc).__name__}); none applied"]
    if len(text) > MAX_FILE:
        return [], [f"{printable(str(path))}: longer than {MAX_FILE // (1024 * 1024)} MB; no entity corrections applied"]
    corrections, warnings = [], []
    for number, line in enumerate(text.splitlines(), 1):
        if not line.strip() or line.lstrip().startswith("#"):
            continue
        correction, problem = _parse_line(line)
        if correction is None:
            warnings.append(f"{printable(str(path))} line {number}: {problem}; skipped")
        else:
            corrections.append(correction)
    return corrections, warnings


def _parse_line(line: str) -> tuple[Correction | None, str]:
    """One line as a correction, its names cleaned as article text is (they are printed and painted)."""
    try:
        parsed = load_yaml(line, MAX_LINE)
    except BadYaml:
        return None, "not a correction (expected e.g. - {merge: A, into: B})"
    item = parsed[0] if isinstance(parsed, list) and len(parsed) == 1 else parsed
    if not isinstance(item, dict):
        return None, "not a correction (expected e.g. - {merge: A, into: B})"
    action = next((a for a in ACTIONS if a in item), None)
    if action is None:
        return None, f"no action (one of {', '.join(ACTIONS)})"
    name, target_key = item[action], ACTIONS[action]
    target = item.get(target_key) if target_key else ""
    if not isinstance(name, str) or not isinstance(target, str):
        return None, f"'{action}' needs a name" + (f" and '{target_key}'" if target_key else "")
    try:
        return checked(action, name, target), ""
    except CorrectionProblem as exc:
        return None, str(exc)


class CorrectionProblem(MarginError):
    """A correction that cannot be made as given; the message says why."""


def checked(action: str, name: str, target: str = "") -> Correction:
    """A correction validated as every line of the file is, before it is written: a retype to
    `car` was written from the sidebar, and every article then failed to open."""
    name, target = clean_line(name), clean_line(target)
    if not name:
        raise CorrectionProblem(f"'{action}' needs the entity's name")
    if action == "retype":
        target = entity_type(target)
    elif action in ("merge", "rename"):
        if not target:
            raise CorrectionProblem("'merge' needs the entity to merge into" if action == "merge" else "'rename' needs the new name")
        if target.casefold() == name.casefold():
            raise CorrectionProblem(f"{name} cannot be {'merged into' if action == 'merge' else 'renamed to'} itself")
    return Correction(action, name, target if ACTIONS.get(action) else "")


def entity_type(text: str) -> str:
    """One of ENTITY_TYPES from what was typed: the type, a unique beginning (`org`), or the
    British spelling."""
    word = text.strip().lower().replace("organisation", "organization")
    found = [t for t in ENTITY_TYPES if t.startswith(word)] if word else []
    if len(found) != 1:
        raise CorrectionProblem(f"type {printable(repr(text))[:80]} is not one of {', '.join(ENTITY_TYPES)}")
    return found[0]


def save_corrections(path: Path, corrections: list[Correction]) -> None:
    """Write the corrections, one a line, replacing the file in one step (never half written)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    kept = [line for line in _read_lines(path) if line.lstrip().startswith("#")] or _HEADER.splitlines()
    partial = path.with_name(path.name + ".partial")
    partial.write_text("\n".join([*kept, *(c.as_yaml() for c in corrections)]) + "\n", encoding="utf-8")
    partial.replace(path)


def _read_lines(path: Path) -> list[str]:
    try:
        return path.read_text(encoding="utf-8-sig").splitlines()
    except (OSError, UnicodeDecodeError):
        return []


class Corrector:
    """Applies the corrections to (type, name) pairs as the extractor stored them."""

    def __init__(self, corrections: list[Correction]) -> None:
        self.corrections = list(corrections)
        self.kind_of: dict[str, str] = {}  # a name (casefolded) -> its type: what a merge takes on

    def __bool__(self) -> bool:
        return bool(self.corrections)

    def resolve(self, kind: str, name: str) -> tuple[str, str] | None:
        """The entity a stored (type, name) is after the corrections, or None when hidden."""
        for c in self.corrections:
            if name.casefold() != c.name.casefold():
                continue
            if c.action == "hide":
                return None
            if c.action == "retype":
                kind = c.target
            else:
                kind = self.kind_of.get(c.target.casefold(), kind) if c.action == "merge" else kind
                name = c.target
        return kind, name
