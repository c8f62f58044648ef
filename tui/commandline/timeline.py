"""`margin timeline QUERY`: the results per day, week, month or year, as bars or as JSON."""

from __future__ import annotations

import argparse
import shutil

from rich.console import Console
from rich.text import Text

from margin.search.plural import plural
from margin.search.sanitize import json_text
from margin.search.timeline import Timeline
from margin.tui.bars import cell_width, cells, columns
from margin.tui.commandline.opening import FOUND, NOT_FOUND, library_notices, open_corpus, query_notices

STYLES = {"every": "cyan", "some": "bright_black", None: ""}
HEIGHT = 6


def timeline_command(args: argparse.Namespace, out: Console, err: Console) -> int:
    library = open_corpus(args, err).library
    width = shutil.get_terminal_size().columns
    found = library.timeline(" ".join(args.query), args.by, most=max(10, width - 2))
    library_notices(library, err)
    parsed = library.parse(" ".join(args.query))
    query_notices(str(parsed.problem) if parsed.problem else None, parsed.notes, err)
    if args.json:
        print(json_text(as_json(found), indent=2))
    else:
        out.print(drawn(found, width))
    return FOUND if found.dated or found.undated else NOT_FOUND


def as_json(found: Timeline) -> dict[str, object]:
    return {
        "by": found.by,
        "bars": [{"start": b.start, "every": b.every, "some": b.some, "total": b.total} for b in found.bars],
        "undated": {"every": found.undated_every, "some": found.undated_some, "total": found.undated},
        "dated": found.dated,
    }


def drawn(found: Timeline, width: int) -> Text:
    """The bars over the terminal's width, the first and last dates under them, the undated apart."""
    text = Text()
    if found.bars:
        spans = columns(found.bars, max(10, width - 2))
        wide = cell_width(spans, width - 2)
        for row in cells(found.bars, spans, HEIGHT):
            for cell in row:
                style = f"{STYLES[cell.fg]} on {STYLES[cell.bg]}" if cell.bg else STYLES[cell.fg]
                text.append(cell.glyph * wide, style=style)
            text.append("\n")
        first, last = found.bars[0].start, found.bars[-1].start
        text.append(first + " " * max(1, wide * len(spans) - len(first) - len(last)) + last + "\n", style="dim")
    text.append(f"{plural(found.dated, 'dated result')} by {found.by}", style="bold")
    text.append(" · every word ", style="")
    text.append("█", style=STYLES["every"])
    text.append(" · some ", style="")
    text.append("█", style=STYLES["some"])
    if found.undated:
        text.append(f" · {found.undated:,} undated")
    return text
