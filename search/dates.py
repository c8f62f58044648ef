"""Publication dates as ISO strings, and the calendar periods the query language speaks of.

Dates are kept as `YYYY`, `YYYY-MM` or `YYYY-MM-DD` strings: they sort correctly as text, keep
the precision the source gave, and a period such as `2024-06` becomes a half-open text range
[`2024-06`, `2024-07`) that contains every finer date inside it.
"""

from __future__ import annotations

import datetime as dt
import re

_ISO = re.compile(r"^(\d{4})(?:[-/.](\d{1,2})(?:[-/.](\d{1,2}))?)?(?:[T ].*)?$")


def normalize_date(value: object) -> str | None:
    """Return an ISO date string for a front-matter or metadata value, or None if it is not one."""
    if isinstance(value, dt.datetime):
        return value.date().isoformat()
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, int) and 1000 <= value <= 9999:
        return str(value)
    if not isinstance(value, str):
        return None
    match = _ISO.match(value.strip())
    if not match:
        return None
    year, month, day = match.groups()
    try:
        if day:
            return dt.date(int(year), int(month), int(day)).isoformat()
        if month:
            dt.date(int(year), int(month), 1)
            return f"{year}-{int(month):02d}"
    except ValueError:
        return None
    return year


def period(value: str) -> tuple[str, str] | None:
    """The half-open range [start, end) of ISO strings covering a year, month or day."""
    iso = normalize_date(value)
    if iso is None:
        return None
    parts = iso.split("-")
    if len(parts) == 1:
        return iso, str(int(iso) + 1)
    if len(parts) == 2:
        year, month = int(parts[0]), int(parts[1])
        nxt = f"{year + 1}-01" if month == 12 else f"{year}-{month + 1:02d}"
        return iso, nxt
    day = dt.date.fromisoformat(iso)
    return iso, (day + dt.timedelta(days=1)).isoformat()
