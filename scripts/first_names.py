"""Write search/data/first_names.txt, the first names the entity rules know, from permissive sources.

    python3 scripts/first_names.py FAKER_DIR CENSUS_DIR [TEXT ...]
    python3 scripts/first_names.py --women FAKER_DIR CENSUS_DIR

FAKER_DIR: an unpacked Faker wheel (MIT; `pip download faker==40.63.0 --no-deps`, then unzip), whose
person providers list the common first names of 70 locales. CENSUS_DIR: the 1990 US Census name
files dist.male.first, dist.female.first and dist.all.last (public domain; shipped in the `names`
package, MIT). TEXT: plain English text in which a word written in lower case mid-sentence is a
word, not a name (we used WMT21's English news, both directions, and Cranfield's abstracts: not sets
the entity rules are measured on).

Kept: every Census first name of frequency 0.05 % or more (the common names, words or not: Bill,
Mark, Rose); any other Census or Faker name in Latin letters unless the TEXT writes it in lower case
more often than capitalised, or it is a surname of 0.002 % or more and a commoner surname than
first name in the US (Census: Brown, Fisher, Reagan), unless another country lists it as a first
name (Faker's other locales: Werner, Heinz). Romanised Chinese family names count as first names:
Chinese names are written family name first.

With --women, it writes search/data/women_names.txt: the names of first_names.txt that are
women's, so that "Ms Henderson" can be the article's "Belinda Henderson" and never its "Michael
Henderson": a Census first name at least three times as common among women as among men, or a
name not in the Census that Faker lists only among some locale's women's names.
"""

from __future__ import annotations

import importlib
import pkgutil
import re
import sys
import unicodedata
from collections import Counter
from pathlib import Path

COMMON = 0.05  # % of the Census population: kept whatever else the word is (Bill, Mark, Rose; not Will, Young, May)
SURNAME = 0.002  # % of the Census population: a name this common as a surname, and commoner so, is left out
OUT = Path(__file__).resolve().parents[1] / "search" / "data" / "first_names.txt"
HEADER = """\
# First names for the entity rules (margin.search.entities.rules.first_names), one a line.
# Written by scripts/first_names.py from Faker 40.63.0's person providers (MIT License,
# Copyright (c) 2012 Daniele Faraglia) and the 1990 US Census name files (public domain).
"""


def census(folder: Path, name: str) -> dict[str, float]:
    found: dict[str, float] = {}
    for line in (folder / name).read_text(encoding="ascii").splitlines():
        parts = line.split()
        if len(parts) >= 2:
            found[parts[0].capitalize()] = found.get(parts[0].capitalize(), 0.0) + float(parts[1])
    return found


def faker_names(folder: Path) -> tuple[set[str], set[str], set[str]]:
    """(the given names of every locale, those of a locale not English, the romanised Chinese
    family names)."""
    sys.path.insert(0, str(folder))
    person = importlib.import_module("faker.providers.person")
    given: set[str] = set()
    elsewhere: set[str] = set()
    family: set[str] = set()
    for module in pkgutil.iter_modules(person.__path__):
        provider = getattr(importlib.import_module(f"faker.providers.person.{module.name}"), "Provider", None)
        for attribute in ("first_names", "first_names_male", "first_names_female", "first_romanized_names"):
            names = _listed(provider, attribute)
            given.update(names)
            if not module.name.startswith("en"):
                elsewhere.update(names)
        if module.name.startswith("zh_"):  # written family name first ("Wang Guangying"): where the rules look
            family.update(_listed(provider, "last_romanized_names"))
    return given, elsewhere, family


def _listed(provider: object, attribute: str) -> list[str]:
    listed = getattr(provider, attribute, ())
    return list(listed) if isinstance(listed, (tuple, list, dict)) else []  # a dict: name -> weight


def latin(name: str) -> bool:
    """A name in Latin letters, capitalised (each part of a hyphenated one: Jean-Paul)."""
    return all(len(part) > 1 and part[0].isupper() and part[1:].islower() and part.isalpha()
               and all("LATIN" in unicodedata.name(c, "") for c in part) for part in name.split("-"))


def written_as_words(texts: list[Path]) -> set[str]:
    """Words the texts write in lower case mid-sentence more often than capitalised."""
    lower: Counter[str] = Counter()
    upper: Counter[str] = Counter()
    for path in texts:
        for sentence in re.split(r"(?<=[.!?])\s+|\n", path.read_text(encoding="utf-8", errors="replace")):
            for word in re.findall(r"[A-Za-z]+", sentence)[1:]:
                (upper if word[0].isupper() else lower)[word.lower()] += 1
    return {w for w, n in lower.items() if n > upper[w]}


WOMEN_OUT = OUT.with_name("women_names.txt")
WOMEN_HEADER = HEADER.replace("# First names for the entity rules (margin.search.entities.rules.first_names)",
                              "# Women's first names among first_names.txt (margin.search.entities.rules.women_names)")


def women(faker_dir: str, census_dir: str) -> int:
    folder = Path(census_dir)
    female, male = census(folder, "dist.female.first"), census(folder, "dist.male.first")
    sys.path.insert(0, faker_dir)
    person = importlib.import_module("faker.providers.person")
    listed_female: set[str] = set()
    listed_male: set[str] = set()
    for module in pkgutil.iter_modules(person.__path__):
        provider = getattr(importlib.import_module(f"faker.providers.person.{module.name}"), "Provider", None)
        listed_female.update(_listed(provider, "first_names_female"))
        listed_male.update(_listed(provider, "first_names_male"))
    known = {line for line in OUT.read_text(encoding="utf-8").splitlines() if line and not line.startswith("#")}
    kept = {n for n in known if (n in female or n in male) and female.get(n, 0.0) >= 3 * male.get(n, 0.0)}
    kept |= {n for n in known - set(female) - set(male) if n in listed_female and n not in listed_male}
    WOMEN_OUT.write_text(WOMEN_HEADER + "\n".join(sorted(kept)) + "\n", encoding="utf-8")
    print(f"{len(kept):,} women's names -> {WOMEN_OUT}")
    return 0


def main(faker_dir: str, census_dir: str, *texts: str) -> int:
    folder = Path(census_dir)
    first = census(folder, "dist.male.first")
    for name, share in census(folder, "dist.female.first").items():
        first[name] = first.get(name, 0.0) + share
    last = census(folder, "dist.all.last")
    words = written_as_words([Path(t) for t in texts])
    given, elsewhere, family = faker_names(Path(faker_dir))
    common = {n for n, share in first.items() if share >= COMMON}
    others = {n for n in (set(first) | given) - common if latin(n)}
    surnames = {n for n, share in last.items() if share >= SURNAME and share > first.get(n, 0.0)} - elsewhere
    kept = common | {n for n in others if n.lower() not in words and n not in surnames}
    kept |= {n for n in family if latin(n) and n.lower() not in words}
    OUT.write_text(HEADER + "\n".join(sorted(kept)) + "\n", encoding="utf-8")
    print(f"{len(kept):,} names ({len(common):,} common Census names, {len(kept) - len(common):,} others) -> {OUT}")
    return 0


if __name__ == "__main__":
    sys.exit(women(*sys.argv[2:]) if sys.argv[1:2] == ["--women"] else main(*sys.argv[1:]))
