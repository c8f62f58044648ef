"""Counts in words: "1 passage", "3 passages", "100,000 documents" (grouped as the groups line
writes its counts, so one status line does not mix 100000 with 45,271)."""

from __future__ import annotations


def plural(count: int, noun: str, nouns: str | None = None) -> str:
    return f"{count:,} {noun if count == 1 else nouns or noun + 's'}"
