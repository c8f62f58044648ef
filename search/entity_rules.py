"""Rule-based names for corpora without a curated list: precision first.

A capitalised run of words becomes an entity only with evidence: an organisation suffix
("Holdings", "Inc"), a title or role before it ("President", "CEO", "founder"), a known first
name, or a place gazetteer (pycountry's countries and divisions plus a short city list). Bare
capitalised words ("However", "The") are never entities; a junk entry in the sidebar costs more
than a missed one. Surnames of people found this way are recognised again later in the article.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from functools import lru_cache
from importlib import resources
from pathlib import Path
from typing import NamedTuple

from .spans import SpanSet

_CAPWORD = r"[A-Z][\w’'\-]*(?:\.(?=\w))?[\w’'\-]*"
_CONNECTORS = frozenset("of de da du del der van von le la al bin & and".split())
_CONNECT = rf"(?:[ \t]+(?:{'|'.join(map(re.escape, _CONNECTORS))})(?=[ \t]+[A-Z]))?[ \t]+"
_RUN = re.compile(rf"(?<![\w’'\-]){_CAPWORD}(?:{_CONNECT}{_CAPWORD})*")
ORG_SUFFIXES = frozenset("""
Inc Inc. Corp Corp. Corporation Co Co. Company Ltd Ltd. Limited LLC PLC Plc plc AG SA NV GmbH
Group Holdings Holding Bank Bancorp Motors Motor Airlines Airways Technologies Technology Systems
Industries Communications Electronics Pharmaceuticals Partners Capital Ventures Labs Laboratories
University College Institute Agency Association Federation Union Council Ministry Commission
Committee Party Exchange Reserve Fund Foundation Trust Securities Insurance Petroleum Oil Energy
Telecom Media Network Networks Studios Records Entertainment Automotive Logistics Army Navy Police
Assembly Parliament Congress Senate Court Cabinet Office Department Bureau Authority Organisation
Organization
""".split())
PERSON_TITLES = frozenset("""
Mr Mr. Mrs Mrs. Ms Ms. Dr Dr. Prof Prof. Sir Dame Lady Lord President Premier Senator Sen. Governor
Gov. Judge Justice Chancellor King Queen Prince Princess Pope Cardinal Bishop General Gen. Colonel
Col. Captain Capt. Rev. Rabbi Sheikh Mayor Minister Secretary Ambassador Chairman Chairwoman
Prime Deputy Vice Chief
""".split())
# "Foreign Secretary Jack Straw", but "Foreign Office" is an organisation: these lead a title only.
_OFFICE_WORDS = frozenset("Foreign Finance Defence Defense Home Interior Trade Health Education Justice".split())
_POSSESSIVE = re.compile(r"[’']s?$")
_TITLE_BEFORE = re.compile(r"\b(?:" + "|".join(sorted({re.escape(t.rstrip(".")) for t in PERSON_TITLES}))
                           + r")\.?\s+$")
ROLE_WORDS = re.compile(
    r"(?:\b(?:founder|co-founder|CEO|chairman|chairwoman|chief executive|president|spokesman|"
    r"spokeswoman|spokesperson|director|minister|coach|striker|captain|analyst|economist|"
    r"executive|manager|head|vice president|leader|told|said|says)\s+)$"
)
SENTENCE_WORDS = frozenset("""
The A An In On At For From By With Without As But And Or If When While After Before Since Then
This That These Those There Here It Its He She They We I You His Her Their Our My Your However
Meanwhile Also Yet So Although Though Because During Under Over Despite Among Between About
Yesterday Tomorrow Tonight Earlier Later Separately Instead Indeed Finally Initially Previously
Last Next New Many Most Some Other Such Each Every All Both No Not Only Even Still Just Now Today
Monday Tuesday Wednesday Thursday Friday Saturday Sunday January February March April May June July
August September October November December Mon Tue Wed Thu Fri Sat Sun Jan Feb Mar Apr Jun Jul Aug
Sep Sept Oct Nov Dec Chinese American British European Asian Western Eastern North South East West
Northeast Northwest Southeast Southwest Central Internet Image Read Click Key Recent Risk Data
""".split())


class RuleMention(NamedTuple):
    type: str
    name: str
    start: int
    end: int


@lru_cache(maxsize=1)
def first_names() -> frozenset[str]:
    """Common first names from gender-guesser's list (those frequent in at least one country)."""
    data = resources.files("gender_guesser").joinpath("data/nam_dict.txt").read_bytes()
    names = set()
    for line in data.decode("latin-1").splitlines():
        if line.startswith("#") or len(line) < 31 or line[0] == "=":
            continue
        name = line[3:29].strip()
        counts = line[30:80].replace(" ", "")
        if "+" not in name and counts and max(counts) >= "4" and name not in SENTENCE_WORDS:
            names.add(name)
    return frozenset(names)


@lru_cache(maxsize=1)
def country_names() -> frozenset[str]:
    """Countries by official, common and short names (pycountry), plus the usual news forms."""
    import pycountry

    names: set[str] = set()
    for country in pycountry.countries:
        for attr in ("name", "common_name", "official_name"):
            value = getattr(country, attr, None)
            if value and "," not in value:
                names.add(value)
    names.update({"US", "U.S.", "USA", "UK", "U.K.", "Britain", "Russia", "South Korea", "North Korea",
                  "Taiwan", "Iran", "Syria", "Vietnam", "Bolivia", "Venezuela", "Tanzania", "Laos",
                  "Moldova", "Czech Republic", "Holland", "England", "Scotland", "Wales"})
    return frozenset(n for n in names if n not in SENTENCE_WORDS)


@lru_cache(maxsize=1)
def place_names() -> frozenset[str]:
    """Countries, the states and provinces of large federations, and the cities in cities.txt.

    Divisions of other countries are left out: many are also surnames or common words.
    """
    import pycountry

    names = set(country_names())
    for code in _FEDERATIONS:
        divisions = pycountry.subdivisions.get(country_code=code) or ()  # type: ignore[no-untyped-call]
        names.update(_strip_division_suffix(d.name) for d in divisions
                     if d.parent_code is None)
    names.update(_data_lines("cities.txt"))
    return frozenset(n for n in names if n not in SENTENCE_WORDS)


@lru_cache(maxsize=1)
def organization_names() -> frozenset[str]:
    return frozenset(_data_lines("organizations.txt"))


def _data_lines(name: str) -> list[str]:
    text = (Path(__file__).parent / "data" / name).read_text("utf-8")
    return [line.strip() for line in text.splitlines() if line.strip() and not line.startswith("#")]


_FEDERATIONS = ("US", "CA", "AU", "CN", "IN", "BR", "DE", "MX")


def _strip_division_suffix(name: str) -> str:
    for suffix in (" Sheng", " Shi", " Zizhiqu", " SAR", " Province", " State"):
        if name.endswith(suffix):
            return name[: -len(suffix)]
    return name


def _words(run: str, offset: int) -> list[tuple[str, int, int]]:
    return [(m.group(), offset + m.start(), offset + m.end()) for m in re.finditer(r"\S+", run)]


def _classify(words: list[tuple[str, int, int]], before: str) -> str | None:
    texts = [w for w, _, _ in words]
    name = " ".join(texts)
    places = place_names()
    if name in organization_names() or (texts[-1] in ORG_SUFFIXES and len(texts) >= 2):
        return "organization"
    # Headlines and sports tables are in capitals; there a city is usually a team, a country a place.
    if name in places and not name.isupper() or name.isupper() and name.title() in country_names():
        return "place"
    if any(t.isupper() and len(t) > 1 for t in texts):
        return None
    if any(t in places or t in ORG_SUFFIXES for t in texts):
        return None
    if 2 <= len(texts) <= 3 and (texts[0] in first_names() or ROLE_WORDS.search(before)):
        return "person"
    if len(texts) <= 3 and _TITLE_BEFORE.search(before):
        return "person"
    return None


def _runs(text: str) -> Iterator[tuple[list[tuple[str, int, int]], str]]:
    """Capitalised runs with leading sentence words and titles removed, and the text before them."""
    for match in _RUN.finditer(text):
        words = _words(match.group(), match.start())
        whole = " ".join(w for w, _, _ in words)
        if whole in place_names() or whole in organization_names():
            yield words, text[max(0, match.start() - 30) : match.start()]
            continue
        titled = False
        while words and (words[0][0] in SENTENCE_WORDS or words[0][0] in PERSON_TITLES
                         or words[0][0] in _OFFICE_WORDS and len(words) > 1 and words[1][0] in PERSON_TITLES):
            titled = titled or words[0][0] not in SENTENCE_WORDS
            words = words[1:]
        if not words or words[0][0] in _CONNECTORS:
            continue
        if _at_sentence_start(text, words[0][1]):
            # "Shares of Acme Holdings": a sentence's first word is no evidence of a name.
            cut = next((i for i, w in enumerate(words) if w[0] in _CONNECTORS), None)
            if cut is not None:
                words = words[cut + 1 :]
        if not words:
            continue
        last, start, end = words[-1]
        trimmed = _POSSESSIVE.sub("", last)
        if trimmed != last:
            words[-1] = (trimmed, start, start + len(trimmed))
        before = "President " if titled else text[max(0, words[0][1] - 30) : words[0][1]]
        yield words, before


def _at_sentence_start(text: str, start: int) -> bool:
    before = text[max(0, start - 3) : start].rstrip(" \t\"“‘'(")
    return not before or before[-1] in ".!?:\n"


def rule_mentions(text: str, taken: SpanSet) -> list[RuleMention]:
    """Typed names found by the rules, skipping spans already `taken` by the curated list."""
    found: list[RuleMention] = []
    for words, before in _runs(text):
        start, end = words[0][1], words[-1][2]
        if taken.overlaps(start, end):
            continue
        kind = _classify(words, before)
        if kind:
            found.append(RuleMention(kind, text[start:end], start, end))
    return found + _surnames(text, found, taken)


def _surnames(text: str, people: list[RuleMention], taken: SpanSet) -> list[RuleMention]:
    """Later lone mentions of a found person's surname ("Clinton" after "Bill Clinton")."""
    full = {m.name.split()[-1]: m.name for m in people if m.type == "person" and " " in m.name
            and len(m.name.split()[-1]) >= 3 and not m.name.split()[-1].isupper()}
    if not full:
        return []
    occupied = SpanSet(taken.spans + [(m.start, m.end) for m in people])
    pattern = re.compile(r"(?<![\w’'\-])(" + "|".join(map(re.escape, full)) + r")(?![\w\-])")
    extra = []
    for match in pattern.finditer(text):
        if not occupied.overlaps(match.start(), match.end()):
            extra.append(RuleMention("person", full[match.group(1)], match.start(), match.end()))
    return extra
