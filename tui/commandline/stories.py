"""`margin families QUERY` and `margin versions ID`: a corpus's copies and an article's history."""

from __future__ import annotations

import argparse
import datetime as dt
from typing import Any

from rich.console import Console
from rich.text import Text

from margin.search.errors import MarginError
from margin.search.results import ResultRow
from margin.search.sanitize import json_text
from margin.search.stories.compare import compare
from margin.tui.commandline.opening import FOUND, NOT_FOUND, library_notices, open_corpus, query_notices


def families_command(args: argparse.Namespace, out: Console, err: Console) -> int:
    library = open_corpus(args, err).library
    text = " ".join(args.query)
    found = library.result_families(text, max(1, args.limit))
    library_notices(library, err)
    parsed = library.parse(text)
    query_notices(str(parsed.problem) if parsed.problem else None, parsed.notes, err)
    if args.json:
        print(json_text({"query": text, "families": [_family_json(f) for f in found]}, indent=2))
    else:
        for members in found:
            out.print(_family_text(members))
    return FOUND if found else NOT_FOUND


def _family_json(members: list[ResultRow]) -> dict[str, object]:
    return {"family": members[0].family or members[0].doc_id, "earliest": members[0].earliest or None,
            "documents": len(members),
            "members": [{"id": m.doc_id, "title": m.title, "source": m.source, "published": m.published or None,
                         "hit_count": m.hit_count} for m in members]}


def _family_text(members: list[ResultRow]) -> Text:
    text = Text()
    head = members[0]
    text.append(f"{head.title}\n", style="bold")
    text.append(f"  {len(members)} copies, first {head.earliest or 'undated'}\n", style="dim")
    for m in members:
        text.append(f"  {m.published or 'undated':10}  {m.source or '-'} · {m.doc_id}\n")
    return text


def versions_command(args: argparse.Namespace, out: Console, err: Console) -> int:
    library = open_corpus(args, err).library
    stored = library.document(args.id)
    if stored is None:
        raise MarginError(f"no document {args.id!r} in this corpus")
    versions = library.versions(args.id)
    library_notices(library, err)
    newer = stored.document.body
    rows: list[dict[str, Any]] = []
    for version in versions:  # newest first: each compared with the text that replaced it
        rows.append({"replaced": _when(version.replaced), "sha1": version.sha1, "title": version.title,
                     "characters": len(version.body), "changed": compare(newer, version.body).summary})
        newer = version.body
    if args.json:
        print(json_text({"id": args.id, "current": {"title": stored.document.title, "characters": len(stored.document.body)},
                         "versions": rows}, indent=2))
    elif not rows:
        err.print(f"margin: {args.id} has no earlier version (its text has not changed since it was indexed)")
    else:
        for row in rows:
            out.print(f"{row['replaced']}  {row['characters']:>7,} characters  {row['changed']} in the next  "
                      f"{row['sha1'][:10]}", highlight=False)
    return FOUND if rows else NOT_FOUND


def _when(seconds: float) -> str:
    return dt.datetime.fromtimestamp(seconds, dt.UTC).isoformat(timespec="seconds")
