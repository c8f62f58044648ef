"""Entity mentions in an article: the corpus's curated list first, then the rules.

Mentions carry character offsets so the reader can mark them; `summarize` turns them into the
per-article counts the sidebar shows and the index stores for `person:"Lei Jun"` queries.
"""

from __future__ import annotations

import re
from collections import Counter
from typing import NamedTuple

from margin.search.entities.chinese_names import chinese_mentions
from margin.search.entities.gazetteer import Gazetteer
from margin.search.entities.rules import rule_mentions, women_names
from margin.search.spans import SpanSet

FIELD_OF_TYPE = {"person": "person", "organization": "org", "place": "place", "product": "product"}


def entity_query(kind: str | None, name: str) -> str:
    """The query that finds the documents naming an entity, as the sidebar runs it: its field
    (`entity:` for any type, `tag:` for a tag) and its name quoted, quotes removed from the name."""
    field = FIELD_OF_TYPE.get(kind, kind) if kind else "entity"
    return f'{field}:"{name.replace(chr(34), "")}"'


class Mention(NamedTuple):
    type: str
    name: str
    start: int
    end: int


def extract_entities(text: str, gazetteer: Gazetteer, *, rules: bool = True, chinese: bool = True,
                     learned: bool = True) -> list[Mention]:
    """The names in `text`; without `chinese`, none that only jieba's tagger finds (see
    chinese_names); without `learned`, none that only the learned model names (the benchmark's
    "before")."""
    mentions: list[Mention] = []
    if gazetteer.pattern is not None:
        for match in gazetteer.pattern.finditer(text):
            entity = gazetteer.by_form[match.group()]
            mentions.append(Mention(entity.type, entity.name, match.start(), match.end()))
    if rules:
        taken = SpanSet([(m.start, m.end) for m in mentions])
        mentions.extend(Mention(*m) for m in rule_mentions(text, taken, learned=learned))
        if chinese:
            mentions.extend(Mention(*m) for m in chinese_mentions(text, taken))
    mentions.sort(key=lambda m: m.start)
    return mentions


def summarize(mentions: list[Mention]) -> Counter[tuple[str, str]]:
    """Mention counts per (type, canonical name)."""
    return Counter((m.type, m.name) for m in mentions)


_ADDRESSED = frozenset("mrs mrs. ms ms. miss lady dame".split())
_NAME_PARTS = re.compile(r"\s+|[·•・]")  # "tony blair"; a transcribed name, "凯莉安·康威"


def surname_owners(doc_counts: dict[str, int], *, min_docs: int = 2, dominance: float = 2.0) -> dict[str, str]:
    """One-word person names, and a woman's form of address with a surname ("ms sturgeon"), that
    stand for one full name across the corpus.

    An article that only ever says "Mr Blair" yields the person "Blair"; if the corpus names one
    "... Blair" in at least `dominance` times as many documents as any other (and in `min_docs`
    or more), "Blair" is taken to be him, as a reader would. Keys and values are index terms
    (casefolded names); an ambiguous surname (two Smiths of similar weight) stays itself. "Ms
    Sturgeon" is asked only of the full names with a woman's first name (Nicola Sturgeon).
    """
    by_surname: dict[str, list[tuple[int, str]]] = {}
    for name, docs in doc_counts.items():
        parts = _NAME_PARTS.split(name)
        if len(parts) > 1 and parts[0] not in _ADDRESSED:  # "Mrs Howard" stands for no one else
            by_surname.setdefault(parts[-1], []).append((docs, name))
    owners = {}
    women = {name.casefold() for name in women_names()}
    for surname in doc_counts:
        parts = _NAME_PARTS.split(surname)
        if len(parts) == 2 and parts[0] in _ADDRESSED:  # "ms sturgeon": the women of that surname
            candidates = [c for c in by_surname.get(parts[1], []) if _NAME_PARTS.split(c[1])[0] in women]
        elif len(parts) == 1:
            candidates = by_surname.get(surname, [])
        else:
            continue
        candidates = sorted(candidates, reverse=True)
        if not candidates:
            continue
        best = candidates[0]
        runner_up = candidates[1][0] if len(candidates) > 1 else 0
        if best[0] >= min_docs and best[0] >= dominance * runner_up:
            owners[surname] = best[1]
    return owners | _without_initials(doc_counts)


def _without_initials(doc_counts: dict[str, int]) -> dict[str, str]:
    """"george bush", "george w bush" and "george w. bush" are one person: each stands for the
    form named in the most documents."""
    groups: dict[str, list[str]] = {}
    for name in doc_counts:
        parts = name.split()
        if len(parts) >= 2 and parts[0] not in _ADDRESSED:
            key = " ".join([parts[0], *(p for p in parts[1:-1] if len(p.rstrip(".")) > 1), parts[-1]])
            groups.setdefault(key, []).append(name)
    return _most_named(groups, doc_counts)


# The legal forms a company's name may end with (index terms are casefolded), and the "and" or
# "&" of "Merck and Co Inc".
_LEGAL_FORMS = frozenset("inc inc. corp corp. corporation co co. company cos cos. ltd ltd. limited llc plc ag sa nv "
                         "gmbh and &".split())


def company_owners(doc_counts: dict[str, int]) -> dict[str, str]:
    """"texaco inc", "texaco" and "texaco corp" are one company: each stands for the form named
    in the most documents (keys and values are index terms). A name of one word before its legal
    form is joined only to that word named alone: "power corp" and "power co" may be two firms."""
    groups: dict[str, list[str]] = {}
    for name in doc_counts:
        parts = name.split()
        while len(parts) > 1 and parts[-1] in _LEGAL_FORMS:
            parts.pop()
        key = " ".join(parts)
        if len(parts) > 1 or key in doc_counts:
            groups.setdefault(key, []).append(name)
    return _most_named(groups, doc_counts, shortest=True)


def _most_named(groups: dict[str, list[str]], doc_counts: dict[str, int], *, shortest: bool = False) -> dict[str, str]:
    """Each name of a group of forms of one entity -> the form named in the most documents (on a
    tie, with `shortest`, the shortest: "Texaco" before "Texaco Inc")."""
    owners = {}
    for names in groups.values():
        if len(names) > 1:
            best = max(names, key=lambda n: (doc_counts[n], -len(n) if shortest else 0, n))
            owners.update({n: best for n in names if n != best})
    return owners
