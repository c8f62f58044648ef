"""The entities of an opened corpus: each entity with all its names, the user's corrections over
them, and articles' mentions under the names they stand for.

Worked out from the index's entity fields and cached until the index changes (`forget`); a
`Library` holds one (`library.entities`) and shares its lock, its searcher and its repair.
"""

from __future__ import annotations

import threading
from collections import Counter
from collections.abc import Callable
from pathlib import Path
from typing import Protocol, TypeVar

from margin.search.engine.api import Index, Searcher
from margin.search.engine.schema import FILLER
from margin.search.entities.corrections import (
    Correction,
    Corrector,
    checked,
    corrections_path,
    load_corrections,
    save_corrections,
)
from margin.search.entities.gazetteer import Gazetteer
from margin.search.entities.known import canonical as known_entity
from margin.search.entities.mentions import FIELD_OF_TYPE, company_owners, surname_owners
from margin.search.errors import MarginError
from margin.search.query.fields import ENTITY_FIELDS, TYPE_OF_FIELD
from margin.search.results import EntityCount

Mention = tuple[str, str, str, int, int]  # (title or body, type, name, start, end)
T = TypeVar("T")
_RESOLVED_FIELDS: dict[str, Callable[[dict[str, int]], dict[str, str]]] = {"person": surname_owners, "org": company_owners}


class Repairing(Protocol):
    """Runs a read of the index, rebuilding it once if it meets damage (Library.with_repair)."""

    def __call__(self, read: Callable[[], T]) -> T: ...


class CorpusEntities:
    def __init__(self, corpus: Path, gazetteer: Gazetteer, lock: threading.RLock, searcher: Callable[[], Searcher],
                 index: Callable[[], Index], reading: Repairing, changed: Callable[[], None]) -> None:
        self.corpus = corpus
        self.gazetteer = gazetteer
        self._lock = lock
        self._searcher = searcher  # the library's current searcher (call under the lock)
        self._index = index
        self._reading = reading
        self._changed = changed  # the corrections changed: what the library worked out from them goes
        self.display_names: dict[str, str] = {}  # index term -> the name as most written (extras)
        self._names: dict[str, list[str]] = {}
        # Per field, the forms standing for another: "blair" -> "tony blair" (see surname_owners),
        # "texaco inc" -> "texaco" (company_owners); and the inverse, "tony blair" -> ["blair"].
        self._owners: dict[str, dict[str, str]] = {}
        self._owned: dict[str, dict[str, list[str]]] = {}
        # (type, name) as listed -> the index terms (field, term) naming it; and each name it had
        self._groups: dict[tuple[str, str], list[tuple[str, str]]] | None = None
        self._group_of: dict[tuple[str, str], tuple[str, str]] = {}
        self.corrections_file = corrections_path(corpus)
        corrections, self.notices = load_corrections(self.corrections_file)
        self.corrector = Corrector(corrections)

    def forget(self) -> None:
        """Drop what was worked out from the index's previous state."""
        self._names.clear()
        self._owners.clear()
        self._owned.clear()
        self._groups = None

    # ------------------------------------------------------------------ names
    def names_in(self, field: str) -> list[str]:
        if field not in self._names:
            self._names[field] = sorted(self._terms(field))
        return self._names[field]

    def _terms(self, field: str) -> dict[str, int]:
        """The field's names in the index with their document counts, less the filler that
        evens the fields' lengths (schema.FILLER)."""
        return {name: docs for name, docs in self._searcher().terms(field).items() if name != FILLER}

    def owners(self, field: str) -> dict[str, str]:
        """The names (index terms) the corpus resolves to another form of the same entity: lone
        surnames and names without a middle initial to the full name (person), a company's name
        with and without its legal form to the form most used (org). Other fields: none."""
        return self._reading(lambda: self._owners_of(field))

    def _owners_of(self, field: str) -> dict[str, str]:
        with self._lock:
            if field not in self._owners:
                resolve = _RESOLVED_FIELDS.get(field)
                self._owners[field] = resolve(self._terms(field)) if resolve else {}
            return self._owners[field]

    def _owned_forms(self, field: str) -> dict[str, list[str]]:
        """Name -> the forms that stand for it (the inverse of owners)."""
        with self._lock:
            if field not in self._owned:
                owned: dict[str, list[str]] = {}
                for form, owner in self.owners(field).items():
                    owned.setdefault(owner, []).append(form)
                self._owned[field] = owned
            return self._owned[field]

    def surnames_of(self, field: str, name: str) -> list[str]:
        """Every form that stands for the entity `name` is (person:"Tony Blair" also finds "Mr
        Blair"; person:"george bush" finds George W Bush, whom the corpus mostly names so;
        org:texaco finds "Texaco Inc")."""
        if field not in _RESOLVED_FIELDS:
            return []
        owner = self.owners(field).get(name, name)
        return [owner, *self._owned_forms(field).get(owner, [])]

    # ----------------------------------------------------------------- counts
    def counts(self, kind: str | None = None) -> list[EntityCount]:
        """Documents per entity across the corpus, most frequent first: every name of an entity
        counted together (a lone surname with the full name it stands for, the user's merges)."""
        return self._reading(lambda: self._counts(kind))

    def _counts(self, kind: str | None) -> list[EntityCount]:
        groups = [(entity, sources) for entity, sources in self._entity_groups().items() if not kind or entity[0] == kind]
        # Counted by the index outside the library's lock: counting took 2.7 s at 100,000
        # documents, and the reader's first article waited for the lock all that time.
        docs = self._index().count_documents([sources for _, sources in groups])
        counts = [EntityCount(entity_type, name, n) for ((entity_type, name), _), n in zip(groups, docs, strict=True) if n]
        return sorted(counts, key=lambda c: (-c.count, c.type, c.name.casefold()))

    def tally(self, by_field: dict[str, dict[str, int]]) -> dict[tuple[str, str], int]:
        """Per listed entity (type, name), the documents its index terms count in `by_field`
        (field -> term -> documents of a result set), summed over its forms as the sidebar
        groups them, corrections applied. A document naming two forms of one entity ("Tony Blair"
        and a lone "Blair" the article did not resolve) counts twice: rare once names are
        resolved in their article first."""
        totals: dict[tuple[str, str], int] = {}
        for entity, sources in self._entity_groups().items():
            n = sum(by_field.get(field, {}).get(term, 0) for field, term in sources)
            if n:
                totals[entity] = n
        return totals

    def _entity_groups(self) -> dict[tuple[str, str], list[tuple[str, str]]]:
        """Each entity as listed, (type, name), with the index terms (field, term) that name it:
        lone surnames and forms without a middle initial under the full name, a company's forms
        under the one most used (see owners), then the user's corrections (merged, renamed,
        retyped; hidden ones left out)."""
        with self._lock:
            if self._groups is None:
                groups: dict[tuple[str, str], list[tuple[str, str]]] = {}
                self._group_of = {}
                self.corrector.kind_of = {self.display_names.get(t, t).casefold(): TYPE_OF_FIELD[f]
                                          for f in ENTITY_FIELDS for t in self.names_in(f)}
                for field in ENTITY_FIELDS:
                    kind, owners = TYPE_OF_FIELD[field], self.owners(field)
                    for term in self.names_in(field):
                        base = owners.get(term, term)
                        display = self.display_names.get(base, base)
                        entity = self.corrector.resolve(kind, display)
                        if entity is not None:
                            groups.setdefault(entity, []).append((field, term))
                            self._group_of[(kind, display.casefold())] = entity
                            self._group_of[(entity[0], entity[1].casefold())] = entity
                self._groups = groups
            return self._groups

    # ------------------------------------------------------------ corrections
    def named(self, name: str) -> tuple[str, str]:
        """The listed entity (type, name) that `name` (any of its names, any case) is."""
        self._entity_groups()
        listed = self.gazetteer.canonical(name) or known_entity(name)
        for candidate in (name, *([listed.name] if listed else [])):
            for kind in ("person", "organization", "place", "product"):
                if (kind, candidate.casefold()) in self._group_of:
                    return self._group_of[(kind, candidate.casefold())]
        raise MarginError(f"no entity named {name!r} in {self.corpus} (see margin entities)")

    def correction(self, action: str, name: str, target: str = "") -> Correction:
        """The correction as it would be saved (names resolved to listed entities), or a
        MarginError saying what is wrong with it (an unknown type or name, a merge into itself)."""
        entity = name if action == "unhide" else self.named(name)[1]
        if action == "merge":
            target = self.named(target)[1] if target.strip() else ""
        return checked(action, entity, target)

    def correct(self, action: str, name: str, target: str = "") -> Correction:
        """Add a correction by any names of the entities, save it, and apply it at once."""
        correction = self.correction(action, name, target)
        with self._lock:
            self._save_corrections([*self.corrector.corrections, correction])
        return correction

    def uncorrect(self, name: str | None = None) -> Correction | None:
        """Take back the last correction (or the last hiding of `name`: unhide); None if none."""
        with self._lock:
            kept = list(self.corrector.corrections)
            at = next((i for i in reversed(range(len(kept)))
                       if name is None or kept[i].action == "hide" and kept[i].name.casefold() == name.casefold()), None)
            if at is None:
                return None
            undone = kept.pop(at)
            self._save_corrections(kept)
            return undone

    def _save_corrections(self, corrections: list[Correction]) -> None:
        try:
            save_corrections(self.corrections_file, corrections)
        except OSError as exc:
            raise MarginError(f"cannot write the entity corrections to {self.corrections_file}: {exc.strerror or exc}") from exc
        self.corrector = Corrector(corrections)
        self._groups = None
        self._changed()

    def resolve(self, kind: str, name: str) -> tuple[str, str] | None:
        """A stored (type, name) after the user's corrections (None: hidden). The groups are worked
        out first: they tell the corrector the type a merged entity takes on."""
        if self.corrector:
            self._entity_groups()
        return self.corrector.resolve(kind, name)

    def corrected(self, field: str, text: str) -> list[tuple[str, str]] | None:
        """The index terms an entity query means after the user's corrections (`person:"george
        bush"` once merged into George W Bush: both names' terms), or None where no correction
        touches it; [] for a hidden entity, or one retyped away from this field."""
        if not self.corrector:
            return None
        kind = TYPE_OF_FIELD[field]
        groups = self._entity_groups()
        entity = self._group_of.get((kind, text.casefold()))
        if entity is None:
            return [] if self.corrector.resolve(kind, text) is None else None
        sources = groups[entity] if entity[0] == kind else []
        return None if sources == [(field, text)] else sources

    # --------------------------------------------------------------- mentions
    def count_mentions(self, mentions: list[Mention]) -> list[EntityCount]:
        """An article's mentions per entity, each other form counted under the name it stands for."""
        return mention_counts(self.canonical_mentions(mentions))

    def canonical_mentions(self, mentions: list[Mention]) -> list[Mention]:
        """Mentions under the name the corpus resolves each to (see owners): "Mr Blair" under Tony
        Blair, "Texaco Inc" under Texaco; those the user hid left out."""
        resolved = []
        for field, kind, name, start, end in mentions:
            owner = self.owners(FIELD_OF_TYPE[kind]).get(name.casefold())
            entity = self.resolve(kind, self.display_names.get(owner, owner) if owner else name)
            if entity is not None:
                resolved.append((field, entity[0], entity[1], start, end))
        return resolved

    def stored_as_corrected(self, mentions: list[Mention]) -> list[Mention]:
        """A stored document's mentions as the reader marks them: typed as corrected, hidden ones gone."""
        if not self.corrector:
            return mentions
        return [(f, e[0], n, a, b) for f, k, n, a, b in mentions if (e := self.resolve(k, n))]


def mention_counts(mentions: list[Mention]) -> list[EntityCount]:
    """Mentions per entity, most mentioned first, from a stored document's mentions."""
    counts = Counter((kind, name) for _, kind, name, _, _ in mentions)
    return sorted((EntityCount(k, n, c) for (k, n), c in counts.items()), key=lambda e: (-e.count, e.name))
