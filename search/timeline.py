"""The results of a query over time: how many per day, week, month or year, in both groups.

Counted from each engine's date column (engine.api.Searcher.date_counts), never by fetching
documents, so the counts are the list's own. A date given less precisely than a bar (a month on
a timeline by week) counts as undated there: no range of those bars would find it.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass

PERIODS = ("day", "week", "month", "year")
MOST_BARS = 120  # the finest period that gives at most this many bars is the one chosen
PRECISION = {"day": 10, "week": 10, "month": 7, "year": 4}  # the characters of an ISO date a bar needs


@dataclass(frozen=True)
class Bar:
    start: str  # ISO date of the period's first day
    every: int  # documents with every free word
    some: int  # documents with only some of them

    @property
    def total(self) -> int:
        return self.every + self.some


@dataclass(frozen=True)
class Timeline:
    by: str
    bars: tuple[Bar, ...]  # every period from the first dated result to the last, empty ones too
    undated_every: int = 0
    undated_some: int = 0

    @property
    def dated(self) -> int:
        return sum(b.total for b in self.bars)

    @property
    def undated(self) -> int:
        return self.undated_every + self.undated_some

    def spans_months(self) -> bool:
        """Whether the dated results fall in more than one calendar month (the strip shows then)."""
        return bool(self.bars) and self.bars[0].start[:7] != self.bars[-1].start[:7]

    def range_of(self, first: int, last: int) -> tuple[str, str]:
        """(first, last) of bars first..last, both included, as `published:[A to B]` takes them:
        months and years as such, so that a document dated only to the month is in its month's range."""
        keep = PRECISION[self.by]
        if keep < 10:
            return self.bars[first].start[:keep], self.bars[last].start[:keep]
        return self.bars[first].start, _period_end(self.bars[last].start, self.by)


def _day(iso: str) -> dt.date | None:
    """The first day a stored date stands for; None when undated or unreadable."""
    parts = iso.split("-")
    try:
        return dt.date(int(parts[0]), int(parts[1]) if len(parts) > 1 else 1, int(parts[2]) if len(parts) > 2 else 1)
    except (ValueError, IndexError):
        return None


def period_start(day: dt.date, by: str) -> dt.date:
    if by == "year":
        return day.replace(month=1, day=1)
    if by == "month":
        return day.replace(day=1)
    if by == "week":  # ISO weeks start on Monday
        return day - dt.timedelta(days=day.weekday())
    return day


def _next(start: dt.date, by: str) -> dt.date:
    if by == "year":
        return start.replace(year=start.year + 1)
    if by == "month":
        return (start.replace(day=28) + dt.timedelta(days=4)).replace(day=1)
    return start + dt.timedelta(days=7 if by == "week" else 1)


def _period_end(start: str, by: str) -> str:
    begun = dt.date.fromisoformat(start)
    return (_next(begun, by) - dt.timedelta(days=1)).isoformat()


def choose_period(first: dt.date, last: dt.date, most: int = MOST_BARS) -> str:
    """The finest period that draws the span in at most `most` bars (the width it is drawn in)."""
    for by in PERIODS:
        bars, at = 0, period_start(first, by)
        while at <= last and bars <= most:
            at, bars = _next(at, by), bars + 1
        if bars <= most:
            return by
    return "year"


def timeline(every: Mapping[str, int], some_only: Mapping[str, int], by: str | None = None,
             most: int = MOST_BARS) -> Timeline:
    """Bars from date counts: `every` of the documents with every free word, `some_only` of those
    with only some. Every period between the first and the last dated result gets a bar."""
    days: dict[str, dt.date | None] = {iso: _day(iso) for iso in {*every, *some_only}}
    dated = sorted(d for d in days.values() if d is not None)
    if dated:
        by = by or choose_period(dated[0], dated[-1], most)
        days = {iso: day if len(iso) >= PRECISION[by] else None for iso, day in days.items()}
        dated = sorted(d for d in days.values() if d is not None)
    undated_every = sum(n for iso, n in every.items() if days[iso] is None)
    undated_some = sum(n for iso, n in some_only.items() if days[iso] is None)
    if not dated or by is None:
        return Timeline(by or "month", (), undated_every, undated_some)
    counts: dict[dt.date, list[int]] = {}
    for group, counter in ((0, every), (1, some_only)):
        for iso, n in counter.items():
            day = days[iso]
            if day is not None:
                counts.setdefault(period_start(day, by), [0, 0])[group] += n
    bars, at, end = [], period_start(dated[0], by), period_start(dated[-1], by)
    while at <= end:
        every_n, some_n = counts.get(at, (0, 0))
        bars.append(Bar(at.isoformat(), every_n, some_n))
        at = _next(at, by)
    return Timeline(by, tuple(bars), undated_every, undated_some)
