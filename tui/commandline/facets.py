"""`margin facets QUERY`: the entities, sources, authors and folders most frequent in the results."""

from __future__ import annotations

import argparse

from rich.console import Console
from rich.text import Text

from margin.search.results import Facet
from margin.search.sanitize import json_text
from margin.tui.commandline.opening import FOUND, NOT_FOUND, library_notices, open_corpus, query_notices

KINDS = (("person", "People"), ("organization", "Organizations"), ("place", "Places"), ("product", "Products"),
         ("source", "Sources"), ("author", "Authors"), ("path", "Folders"), ("tag", "Tags"))


def facets_command(args: argparse.Namespace, out: Console, err: Console) -> int:
    library = open_corpus(args, err).library
    found = library.facets(" ".join(args.query), max(1, args.limit))
    library_notices(library, err)
    parsed = library.parse(" ".join(args.query))
    query_notices(str(parsed.problem) if parsed.problem else None, parsed.notes, err)
    if args.json:
        print(json_text({"query": " ".join(args.query), "facets": as_json(found)}, indent=2))
    else:
        out.print(drawn(found))
    return FOUND if found else NOT_FOUND


def as_json(found: list[Facet]) -> dict[str, list[dict[str, object]]]:
    return {kind: [{"value": f.value, "in_results": f.in_results, "in_corpus": f.in_corpus, "query": f.clause}
                   for f in found if f.kind == kind] for kind, _ in KINDS}


def drawn(found: list[Facet]) -> Text:
    text = Text()
    for kind, title in KINDS:
        rows = [f for f in found if f.kind == kind]
        if rows:
            text.append(f"{title}\n", style="bold")
            for f in rows:
                text.append(f"  {f.value}")
                text.append(f"  {f.in_results:,} of {f.in_corpus:,}\n", style="dim")
    return text
