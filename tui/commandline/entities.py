"""`margin entities`: the corpus's entities, those appearing with one, and corrections."""

from __future__ import annotations

import argparse
from dataclasses import asdict
from typing import TYPE_CHECKING

from rich.console import Console
from rich.text import Text

from margin.search.entities.gazetteer import ENTITY_TYPES  # light: no Whoosh
from margin.search.sanitize import json_text
from margin.tui.commandline.opening import ERROR, FOUND, NOT_FOUND, library_notices, open_corpus

if TYPE_CHECKING:
    from margin.search.library import Library

def entities_command(args: argparse.Namespace, out: Console, err: Console) -> int:
    from rich.table import Table

    library = open_corpus(args, err).library
    if args.action != "list":
        return _correct(library, args, out, err)
    if args.with_:
        counts = library.appearing_with(args.with_, within=args.query)[: max(0, args.limit)]
    else:
        counts = library.entities.counts(args.type)[: max(0, args.limit)]
    library_notices(library, err)
    heading = "documents in common" if args.with_ else "documents"
    if args.json:
        rows = [asdict(c) | {"documents": c.count} for c in counts]
        print(json_text({"entity": args.with_, "query": args.query, "with": rows} if args.with_ else rows, indent=2))
    else:
        table = Table("entity", "type", heading, box=None, header_style="bold")
        for c in counts:
            table.add_row(Text(c.name), c.type, str(c.count))
        out.print(table)
    return FOUND if counts else NOT_FOUND


_NEEDS = {"merge": 1, "rename": 2, "retype": 2, "hide": 1, "unhide": 1, "undo": 0}


def _correct(library: Library, args: argparse.Namespace, out: Console, err: Console) -> int:
    """One correction to the entities, saved to the corpus's corrections file and applied at once."""
    names = list(args.names)
    if len(names) != _NEEDS[args.action] or (args.action == "merge") != bool(args.into):
        usage = {"merge": "merge NAME --into NAME", "rename": "rename NAME NEW", "retype": "retype NAME TYPE",
                 "hide": "hide NAME", "unhide": "unhide NAME", "undo": "undo"}[args.action]
        err.print(Text(f"margin: usage: margin entities {usage}", style="red"))
        return ERROR
    if args.action == "retype" and names[1] not in ENTITY_TYPES:
        err.print(Text(f"margin: {names[1]!r} is not a type: {', '.join(ENTITY_TYPES)}", style="red"))
        return ERROR
    if args.action in ("undo", "unhide"):
        undone = library.entities.uncorrect(names[0] if names else None)
        if undone is None:
            err.print(Text(f"margin: nothing to {args.action}" + (f" for {names[0]!r}" if names else ""), style="yellow"))
            return NOT_FOUND
        out.print(Text(f"undone: {undone.as_yaml()[2:]}  ({library.entities.corrections_file})"), highlight=False)
        return FOUND
    correction = library.entities.correct(args.action, names[0], args.into or (names[1] if len(names) > 1 else ""))
    out.print(Text(f"{correction.as_yaml()[2:]}  (saved in {library.entities.corrections_file})"), highlight=False)
    return FOUND
