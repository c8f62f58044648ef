"""Entity mentions in an article: the corpus's curated list first, then the rules.

Mentions carry character offsets so the reader can mark them; `summarize` turns them into the
per-article counts the sidebar shows and the index stores for `person:"Lei Jun"` queries.
"""

from __future__ import annotations

from collections import Counter
from typing import NamedTuple

from .entity_rules import rule_mentions
from .gazetteer import Gazetteer
from .spans import SpanSet

FIELD_OF_TYPE = {"person": "person", "organization": "org", "place": "place", "product": "product"}


class Mention(NamedTuple):
    type: str
    name: str
    start: int
    end: int


def extract_entities(text: str, gazetteer: Gazetteer, *, rules: bool = True) -> list[Mention]:
    mentions: list[Mention] = []
    if gazetteer.pattern is not None:
        for match in gazetteer.pattern.finditer(text):
            entity = gazetteer.by_form[match.group()]
            mentions.append(Mention(entity.type, entity.name, match.start(), match.end()))
    if rules:
        taken = SpanSet([(m.start, m.end) for m in mentions])
        mentions.extend(Mention(*m) for m in rule_mentions(text, taken))
    mentions.sort(key=lambda m: m.start)
    return mentions


def summarize(mentions: list[Mention]) -> Counter[tuple[str, str]]:
    """Mention counts per (type, canonical name)."""
    return Counter((m.type, m.name) for m in mentions)
