"""A result list as a file to keep: Markdown (a numbered list with links and snippets), CSV (one
row a document, for a spreadsheet) or JSON Lines (one object a document)."""

from __future__ import annotations

import csv
import io
from collections.abc import Callable
from typing import Any

from margin.search.results import ResultRow, SearchResults
from margin.search.sanitize import json_text

COLUMNS = ("id", "title", "source", "author", "published", "score", "hit_count", "group", "snippet")


def as_markdown(results: SearchResults, row_json: Callable[[ResultRow], dict[str, Any]]) -> str:
    lines = [f"# {results.query or 'Every document'}", "",
             f"{len(results.rows):,} of {results.total:,} results ({results.groups or 'ranked'}) in {results.documents:,} documents", ""]
    first = (results.page - 1) * results.page_size
    for number, row in enumerate(results.rows, first + 1):
        meta = " · ".join(p for p in (row.source, row.author, row.published or "undated", row.doc_id) if p)
        lines.append(f"{number}. **{_markdown(row.title)}** — {_markdown(meta)}")
        if row.snippet.text:
            lines.append(f"   > {_markdown(row.snippet.text)}")
    return "\n".join(lines) + "\n"


def as_csv(results: SearchResults, row_json: Callable[[ResultRow], dict[str, Any]]) -> str:
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(COLUMNS)
    for row in results.rows:
        data = row_json(row)
        writer.writerow([_cell(data.get(c)) for c in COLUMNS])
    return out.getvalue()


def _cell(value: Any) -> Any:
    """A value as a spreadsheet will not run it: text starting like a formula gets a quote."""
    if value is None:
        return ""
    return f"'{value}" if isinstance(value, str) and value[:1] in ("=", "+", "-", "@") else value


def as_jsonl(results: SearchResults, row_json: Callable[[ResultRow], dict[str, Any]]) -> str:
    return "".join(json_text(row_json(row)) + "\n" for row in results.rows)


FORMATS = {"md": as_markdown, "csv": as_csv, "jsonl": as_jsonl}


def _markdown(text: str) -> str:
    """Text that Markdown shows as written (emphasis and link characters escaped)."""
    return "".join(f"\\{c}" if c in "\\`*_[]<>#|" else c for c in " ".join(text.split()))
