"""`dupes:show` and `dupes:hide` in a query: every copy listed, or one row a family."""

from __future__ import annotations

import re

_SWITCH = re.compile(r"(?<!\S)dupes:(\S*)", re.IGNORECASE)
VALUES = {"show": True, "all": True, "hide": False}


def dupes_switch(text: str) -> tuple[str, bool | None, str | None]:
    """The query without its switch, whether it asks for every copy (None: it does not say), and
    what was wrong with the switch, if anything (`dupes:maybe`)."""
    found = _SWITCH.search(text)
    if found is None:
        return text, None, None
    value = found.group(1).lower()
    rest = (text[: found.start()] + text[found.end() :]).strip()
    if value not in VALUES:
        return rest, None, f"dupes: takes show or hide, not {found.group(1)[:40]!r}"
    return rest, VALUES[value], None
