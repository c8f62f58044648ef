"""Entities news names without introducing them: countries, international bodies, central banks,
parties, clubs, large companies, each with the other names it goes by.

The list is `data/known_entities.yaml` (written for margin) plus pycountry's countries and the
cities of `data/cities.txt`. Every form maps to one canonical name, so "U.S.", "US" and "United
States" are one sidebar row and `place:us` finds them all.
"""

from __future__ import annotations

from functools import lru_cache
from importlib import resources
from typing import NamedTuple

import yaml

DATA = resources.files("margin.search.data")


class Known(NamedTuple):
    type: str
    name: str  # canonical


@lru_cache(maxsize=1)
def known_forms() -> dict[str, Known]:
    """Every written form of every known entity, to its entity (forms are case-sensitive)."""
    raw = yaml.safe_load((DATA / "known_entities.yaml").read_text("utf-8"))
    forms: dict[str, Known] = {}
    for kind in ("place", "organization", "product"):
        for name, aliases in raw[kind].items():
            for form in (name, *(aliases or ())):
                forms.setdefault(str(form), Known(kind, name))
    _add_countries(forms)
    for city in city_names():
        forms.setdefault(city, Known("place", city))
    return forms


@lru_cache(maxsize=1)
def city_names() -> frozenset[str]:
    return frozenset(data_lines("cities.txt"))


def canonical(name: str) -> Known | None:
    """The known entity a name stands for, ignoring case (`org:imf`, `place:u.s.`)."""
    return _by_folded().get(name.casefold())


@lru_cache(maxsize=1)
def _by_folded() -> dict[str, Known]:
    folded: dict[str, Known] = {}
    for form, entity in known_forms().items():
        folded.setdefault(form.casefold(), entity)
    return folded


@lru_cache(maxsize=1)
def clubs_or_places() -> dict[str, Known]:
    """Club names that are also their city's ("Liverpool"): the club among sports words."""
    raw = yaml.safe_load((DATA / "known_entities.yaml").read_text("utf-8"))
    return {str(short): Known("organization", club) for short, club in raw["club_or_place"].items()}


def _add_countries(forms: dict[str, Known]) -> None:
    """pycountry's names; a country the YAML already names lends it its other names as aliases."""
    import pycountry

    for country in pycountry.countries:
        names = [n for n in (getattr(country, a, None) for a in ("common_name", "name", "official_name"))
                 if n and "," not in n]
        if not names:
            continue
        entity = next((forms[n] for n in names if n in forms), None) or Known("place", names[0])
        for name in names:
            forms.setdefault(name, entity)


def data_lines(name: str) -> list[str]:
    """A shipped list: one entry a line, "#" lines the file's own notes."""
    text = (DATA / name).read_text("utf-8")
    return [line.strip() for line in text.splitlines() if line.strip() and not line.startswith("#")]
