"""Passages back in from a Web Annotation export: streamed, validated, all or nothing.

The file is read item by item (ijson), so memory stays flat however many passages it holds; every
item is checked before it is stored, and the whole import is one transaction: a bad item or a
file cut short leaves the store as it was. Items already present (same id) are skipped and
counted. With `skip_invalid`, bad items are skipped and named instead of refusing the file.
The "reading" list of a margin export (read, starred, position) is read in a second pass over
the file, in the same transaction; a document's state is taken unless the stored one is newer.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import IO, Any

import ijson

from margin.search.errors import MarginError
from margin.search.passages.anchoring import Anchor
from margin.search.passages.store import Passage, PassageStore, clean_tags
from margin.search.readers.documents import MAX_BYTES
from margin.search.sanitize import printable, utf8_encodable
from margin.search.userdata.reading import Reading, ReadingStore

MAX_QUOTE = 20_000  # characters: an orphaned quote is searched for in every article it could be in
MAX_CONTEXT = 1_000  # prefix and suffix (margin keeps 32)
MAX_NOTE = 100_000
MAX_ID = 200
MAX_DOCUMENT_TAGS = 100  # an article's own tags
SHOWN_PROBLEMS = 5
_CONTROLS = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")


class ImportRefused(MarginError):
    """Nothing was imported; the message says why (the first bad items, or the broken file)."""


class Invalid(ValueError):
    """One item cannot become a passage; the message says which field and why."""


@dataclass
class ImportReport:
    added: int = 0
    present: int = 0  # already in the store (same id)
    reading: int = 0  # documents whose read, starred or position state was taken
    invalid: int = 0
    problems: list[str] = field(default_factory=list)  # the first few, "item 3 (urn:…): why"

    def invalid_item(self, problem: str) -> None:
        self.invalid += 1
        if len(self.problems) < SHOWN_PROBLEMS:
            self.problems.append(problem)

    def refuse(self, file_name: str) -> ImportRefused:
        more = self.invalid - len(self.problems)
        listed = "; ".join(self.problems) + (f"; and {more} more" if more > 0 else "")
        return ImportRefused(f"{file_name}: nothing imported, {self.invalid} of the annotations cannot be "
                             f"used ({listed}); fix them or import with --skip-invalid")


def import_annotations(store: PassageStore, file: IO[bytes], *, skip_invalid: bool = False,
                       reading: ReadingStore | None = None) -> ImportReport:
    """Add the passages of a Web Annotation collection (and with `reading`, the reading state of a
    margin export) to the store's corpus, in one transaction."""
    report = ImportReport()
    name = printable(str(getattr(file, "name", "the import")))
    with store.data.transaction():
        items = 0
        for items, item in _elements(file, name, "items"):
            _import_item(store, report, items, item)
        states = 0
        if reading is not None and file.seekable():
            file.seek(0)
            for states, item in _elements(file, name, "reading"):
                _import_state(reading, report, states, item)
        if not items and not states:
            raise ImportRefused(f"{name}: no annotations found (expected a margin or Web Annotation export "
                                'with an "items" list)')
        if report.invalid and not skip_invalid:
            raise report.refuse(name)  # rolls the transaction back
    return report


def _import_item(store: PassageStore, report: ImportReport, number: int, item: Any) -> None:
    try:
        passage = _passage(item)
    except Invalid as exc:
        report.invalid_item(f"item {number}{_label(item)}: {exc}")
        return
    if store.restore_if_new(passage):
        report.added += 1
    else:
        report.present += 1


def _import_state(reading: ReadingStore, report: ImportReport, number: int, item: Any) -> None:
    try:
        state = _reading(item)
    except Invalid as exc:
        report.invalid_item(f"reading state {number}: {exc}")
        return
    report.reading += reading.merge(state)


def _elements(file: IO[bytes], name: str, key: str) -> Iterator[tuple[int, Any]]:
    """(number, element) for each element of the top-level list `key`, read as the file streams."""
    seen = 0
    try:
        for seen, item in enumerate(ijson.items(file, f"{key}.item"), 1):
            yield seen, item
    except (ijson.JSONError, UnicodeDecodeError, ValueError) as exc:
        what = "annotations" if key == "items" else "reading states"
        raise ImportRefused(f"{name}: nothing imported, not valid JSON after {seen} {what} ({exc})") from exc


def _label(item: Any) -> str:
    ident = item.get("id") if isinstance(item, dict) else None
    return f" ({printable(ident[:60])})" if isinstance(ident, str) else ""


def _passage(item: Any) -> Passage:
    item = _object(item, "the annotation")
    target = _object(item.get("target"), "target")
    selectors = target.get("selector")
    if not isinstance(selectors, list):
        raise Invalid("target.selector is not a list")
    by_type = {s.get("type"): s for s in selectors if isinstance(s, dict)}
    quote = _object(by_type.get("TextQuoteSelector"), "TextQuoteSelector")
    position = _object(by_type.get("TextPositionSelector"), "TextPositionSelector")
    start, end = _offset(position, "start"), _offset(position, "end")
    if start >= end:
        raise Invalid(f"start {start} is not before end {end}")
    body = item.get("body", [])
    if not isinstance(body, list) or not all(isinstance(b, dict) for b in body):
        raise Invalid("body is not a list of objects")
    margin = _object(item.get("margin", {}), "margin")
    created = _time(item, "created")
    return Passage(
        id=0, uuid=_text(item, "id", MAX_ID, line=True).removeprefix("urn:uuid:"),
        doc_id=_source(target),
        anchor=Anchor(_text(quote, "exact", MAX_QUOTE), _text(quote, "prefix", MAX_CONTEXT, required=False),
                      _text(quote, "suffix", MAX_CONTEXT, required=False), start, end),
        doc_sha1=_text(margin, "doc_sha1", 64, required=False, line=True),
        tags=clean_tags([_text(b, "value", MAX_ID, line=True) for b in body if b.get("purpose") == "tagging"]),
        note="\n".join(_text(b, "value", MAX_NOTE) for b in body if b.get("purpose") == "commenting"),
        created=created, updated=_time(item, "modified") if "modified" in item else created,
        orphan=margin.get("orphan", False) is True,
    )


def _reading(item: Any) -> Reading:
    item = _object(item, "the reading state")
    position = _object(item.get("position", {"top": 0, "cursor": 0}), "position")
    read, starred = item.get("read", False), item.get("starred", False)
    if not isinstance(read, bool) or not isinstance(starred, bool):
        raise Invalid("read and starred must be true or false")
    tags = item.get("tags", [])
    if not isinstance(tags, list) or len(tags) > MAX_DOCUMENT_TAGS:
        raise Invalid(f"tags must be a list of at most {MAX_DOCUMENT_TAGS} names")
    return Reading(_source(item), read, starred, _offset(position, "top"), _offset(position, "cursor"),
                   _time(item, "modified"), clean_tags([_text({"tag": t}, "tag", MAX_ID, line=True) for t in tags]))


def _object(value: Any, what: str) -> dict[str, Any]:
    if not isinstance(value, dict):
        raise Invalid(f"{what} is missing or not an object")
    return value


def _text(parent: dict[str, Any], key: str, longest: int, *, required: bool = True, line: bool = False) -> str:
    value = parent.get(key, None if required else "")
    if not isinstance(value, str) or (required and not value):
        raise Invalid(f"{key} is missing or not text")
    if len(value) > longest:
        raise Invalid(f"{key} is longer than {longest:,} characters")
    if not utf8_encodable(value) or _CONTROLS.search(value) or (line and ("\n" in value or "\t" in value)):
        raise Invalid(f"{key} holds control characters")
    return value


def _offset(position: dict[str, Any], key: str) -> int:
    value = position.get(key)
    if not isinstance(value, int) or isinstance(value, bool):
        raise Invalid(f"{key} is not a whole number")
    if not 0 <= value <= MAX_BYTES:
        raise Invalid(f"{key} {value} is outside any article")
    return value


def _source(target: dict[str, Any]) -> str:
    """A document id: a path relative to the corpus folder, never leaving it."""
    source = _text(target, "source", 4096, line=True)
    parts = source.split("/")
    if "\\" in source or {"", ".", ".."} & set(parts):
        raise Invalid(f"source {printable(source[:80])!r} is not a file inside the corpus")
    return source


def _time(item: dict[str, Any], key: str) -> float:
    value = item.get(key)
    if not isinstance(value, str) or len(value) > 40:
        raise Invalid(f"{key} is missing or not a date")
    try:
        moment = dt.datetime.fromisoformat(value)
    except ValueError:
        raise Invalid(f"{key} {printable(value)!r} is not an ISO 8601 date") from None
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=dt.UTC)
    return moment.timestamp()
