"""The curated entity list of a corpus (`entities.yaml`): canonical names, types and aliases.

A corpus may ship one at its root. Bad entries are reported and skipped, never fatal: an
unfamiliar corpus still gets the rule-based entities.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

from margin.search.sanitize import clean_line, printable
from margin.search.yaml_text import BadYaml, load_yaml

ENTITY_TYPES = ("person", "organization", "place", "product")
FILENAME = "entities.yaml"


@dataclass(frozen=True)
class Entity:
    name: str
    type: str
    aliases: tuple[str, ...] = ()


@dataclass
class Gazetteer:
    """Surface form -> entity, with one compiled pattern that finds the longest forms first."""

    entities: list[Entity] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)

    def __post_init__(self) -> None:
        self.by_form: dict[str, Entity] = {}
        self.by_folded: dict[str, Entity] = {}
        for entity in self.entities:
            for form in (entity.name, *entity.aliases):
                self.by_form.setdefault(form, entity)
                self.by_folded.setdefault(form.casefold(), entity)
        self.pattern = _forms_pattern(sorted(self.by_form, key=len, reverse=True))

    def canonical(self, text: str) -> Entity | None:
        """The entity a name or alias stands for, ignoring case (for queries such as person:雷军)."""
        return self.by_form.get(text) or self.by_folded.get(text.casefold())


def _forms_pattern(forms: list[str]) -> re.Pattern[str] | None:
    """One pattern for all forms, longest first, grouped by first character: as one alternation
    of the forms it tried every form at every character (144 forms: 7 ms an article, twice the
    rest of its reading); grouped, a character tries only the forms starting with it."""
    by_first: dict[str, list[str]] = {}
    for form in forms:
        if form:
            by_first.setdefault(form[0], []).append(_rest_pattern(form))
    if not by_first:
        return None
    firsts = "".join(re.escape(c) for c in by_first)
    groups = "|".join(f"{re.escape(c)}(?:{'|'.join(rests)})" for c, rests in by_first.items())
    return re.compile(f"(?=[{firsts}])(?:{groups})")


def _rest_pattern(form: str) -> str:
    """A form after its first character. Word-bounded for Latin script (the character before
    the first one is looked behind from after it); CJK names are matched anywhere (no spaces to
    bound them)."""
    rest = re.escape(form[1:])
    if form[:1].isascii() or form[-1:].isascii():
        return rf"(?<![\w].){rest}(?![\w])"
    return rest


MAX_FILE = 2 * 1024 * 1024
MAX_FORMS = 5_000  # names and aliases kept: 200,000 cost 39 s and 559 MB on every command, 20,000 30 ms an article


def load_gazetteer(path: Path) -> Gazetteer:
    """Read entities.yaml; a missing file is an empty list, a broken one a warning. Names are
    cleaned as article text is (no escape sequences, controls or bidi overrides): they are
    printed by `margin entities` and painted in the sidebar."""
    if not path.is_file():
        return Gazetteer()
    where = printable(str(path))
    try:
        raw = load_yaml(path.read_text(encoding="utf-8-sig"), MAX_FILE)
    except (OSError, UnicodeDecodeError, BadYaml) as exc:
        why = exc if isinstance(exc, BadYaml) else f"not readable ({type(exc).__name__})"
        return Gazetteer(warnings=[f"{where}: {why}; entity list ignored"])
    if raw is None:
        return Gazetteer()
    if not isinstance(raw, list):
        return Gazetteer(warnings=[f"{where}: expected a list of entities; entity list ignored"])
    entities, warnings, forms = [], [], 0
    for number, item in enumerate(raw, 1):
        entity, problem = _entity(item)
        if entity is None:
            warnings.append(f"{where}: entry {number}: {problem}; skipped")
            continue
        forms += 1 + len(entity.aliases)
        if forms > MAX_FORMS:
            warnings.append(f"{where}: more than {MAX_FORMS:,} names and aliases; "
                            f"entries from {number} on ignored")
            break
        entities.append(entity)
    return Gazetteer(entities, warnings)


def _entity(item: object) -> tuple[Entity | None, str]:
    name = clean_line(item["name"]) if isinstance(item, dict) and isinstance(item.get("name"), str) else ""
    if not isinstance(item, dict) or not name:
        return None, "needs a 'name'"
    kind = item.get("type")
    if kind not in ENTITY_TYPES:
        return None, f"type {printable(repr(kind))[:80]} is not one of {', '.join(ENTITY_TYPES)}"
    aliases = item.get("aliases") or []
    if not isinstance(aliases, list) or not all(isinstance(a, str) for a in aliases):
        return None, "'aliases' must be a list of names"
    return Entity(name, kind, tuple(a for a in map(clean_line, aliases) if a)), ""
