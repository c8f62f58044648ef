"""Rows saved from a damaged user database, copied into the new one.

SQLite's own `.recover` lives in the command-line shell, not in Python's sqlite3 module. This is
the row-by-row copy instead: each table is read in rowid order, and where a damaged page stops
the read, reading starts again past it. A row that cannot be read is lost; every other row
(passages above all) is kept.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from pathlib import Path

# Parents before children: a tag is only copied with its passage.
TABLES = ("history", "saved_search", "passage", "passage_tag", "reading", "document_tag", "passage_made_on")
LONGEST_JUMP = 2**40  # past this many rowids of damage, give up on the rest of the table


def recover_rows(damaged: Path, into: sqlite3.Connection) -> dict[str, int]:
    """Copy what can be read of `damaged` into `into` (inside the caller's transaction); the
    number of rows saved per table."""
    saved = dict.fromkeys(TABLES, 0)
    try:
        source = sqlite3.connect(f"{damaged.resolve().as_uri()}?mode=ro", uri=True)
    except sqlite3.Error:
        return saved
    try:
        for table in TABLES:
            columns = [row[1] for row in into.execute(f"PRAGMA table_info({table})")]
            saved[table] = _copy(source, into, table, columns)
    finally:
        source.close()
    return saved


def _copy(source: sqlite3.Connection, into: sqlite3.Connection, table: str, columns: list[str]) -> int:
    names = ", ".join(columns)
    insert = f"INSERT OR IGNORE INTO {table} ({names}) VALUES ({', '.join('?' * len(columns))})"
    copied = 0
    for row in _readable(source, table, names):
        row = tuple(v.decode("utf-8", "replace") if isinstance(v, bytes) else v for v in row)  # mangled text
        try:
            copied += into.execute(insert, row).rowcount
        except sqlite3.Error:  # a mangled value breaking a constraint (a tag whose passage was lost)
            continue
    return copied


def _readable(source: sqlite3.Connection, table: str, names: str) -> Iterator[tuple[object, ...]]:
    """The rows of `table` that can be read, in rowid order, stepping over damaged pages."""
    after = -(2**63)
    while True:
        try:
            for row in source.execute(f"SELECT rowid, {names} FROM {table} WHERE rowid > ? ORDER BY rowid", (after,)):
                after = row[0]
                yield row[1:]
            return
        except sqlite3.DatabaseError:
            resumed = _past_damage(source, table, after)
            if resumed is None:
                return
            after = resumed


def _past_damage(source: sqlite3.Connection, table: str, after: int) -> int | None:
    """A rowid from which reading works again (rows after it can be read), or None."""
    jump = 1
    while jump <= LONGEST_JUMP:
        try:
            row = source.execute(f"SELECT rowid FROM {table} WHERE rowid > ? ORDER BY rowid LIMIT 1",
                                 (after + jump,)).fetchone()
            return None if row is None else row[0] - 1
        except sqlite3.DatabaseError:
            jump *= 2
    return None
