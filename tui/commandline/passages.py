"""`margin passages`: list, export and import the tagged passages and the reading state."""

from __future__ import annotations

import argparse
from collections.abc import Sequence
from typing import TYPE_CHECKING

from rich.console import Console
from rich.text import Text

from margin.search.plural import plural
from margin.search.sanitize import printable
from margin.tui.commandline.opening import ERROR, FOUND, NOT_FOUND, open_corpus, open_userdata

if TYPE_CHECKING:
    from margin.search.document import Document
    from margin.search.library import Library
    from margin.search.passages.store import Passage, PassageStore
    from margin.search.userdata.reading import Reading, ReadingStore

def passages_command(args: argparse.Namespace, out: Console, err: Console) -> int:
    from margin.search import paths
    from margin.search.passages.store import PassageStore
    from margin.search.userdata.reading import ReadingStore

    userdata = open_userdata(err)
    if userdata is None:
        return ERROR
    if args.action == "import":  # needs the stores only, not the index
        corpus = str((args.corpus or paths.default_corpus()).expanduser().resolve())
        return _import(PassageStore(userdata, corpus), ReadingStore(userdata, corpus), args, out, err)
    opened = open_corpus(args, err, userdata=userdata)  # passages re-placed in changed articles first
    library, service = opened.library, opened.passages
    passages = service.search(tag=args.tag) if service is not None else []
    states = opened.reading.all() if opened.reading is not None else []
    tagged = opened.reading.tagged(args.tag) if opened.reading is not None and args.tag else set()
    articles = [r for r in states if r.tags and (not args.tag or r.doc_id in tagged)]
    if args.action == "list" and not args.json:
        for p in passages:
            line = Text(f"{printable(p.doc_id)}  ", style="dim")
            line.append(printable(" ".join(p.anchor.exact.split())[:100]), "yellow" if p.orphan else "")
            line.append("  " + " ".join(f"#{printable(t)}" for t in p.tags), "cyan")
            out.print(line)
        for r in articles:
            line = Text(f"{printable(r.doc_id)}  ", style="dim")
            line.append("(the whole article)", "italic")
            line.append("  " + " ".join(f"#{t}" for t in r.tags), "cyan")
            out.print(line)
        err.print(Text(plural(len(passages), "passage") + (f" and {plural(len(articles), 'tagged article')}"
                                                          if articles else ""), style="dim"))
        return FOUND if passages or articles else NOT_FOUND
    # The whole reading state goes with a JSON export of every passage; with --tag, the articles so tagged.
    reading = (articles if args.tag else states) if args.action == "export" else articles
    text = _export(passages, "json" if args.action == "list" else args.format, library, reading)
    if args.output:
        args.output.write_text(text, encoding="utf-8")
        what = f" and the reading state of {plural(len(reading), 'document')}" if reading and args.format == "json" else ""
        err.print(Text(f"{plural(len(passages), 'passage')}{what} written to {args.output}", style="dim"))
    else:
        print(text, end="")
    return FOUND if passages or articles else NOT_FOUND


def _import(store: PassageStore, reading: ReadingStore, args: argparse.Namespace, out: Console, err: Console) -> int:
    from margin.search.passages.importing import import_annotations

    if args.file is None:
        err.print("margin: passages import needs a JSON file (from margin passages export --format json)")
        return ERROR
    try:
        with args.file.open("rb") as file:
            report = import_annotations(store, file, skip_invalid=args.skip_invalid, reading=reading)
    except OSError as exc:
        err.print(Text(f"margin: cannot read {printable(str(args.file))}: {exc.strerror or exc}", style="red"))
        return ERROR
    for problem in report.problems:
        err.print(Text(f"margin: skipped {problem}", style="yellow"))
    skipped = f", {report.invalid} skipped as unusable" if report.invalid else ""
    states = f", reading state of {plural(report.reading, 'document')} taken" if report.reading else ""
    out.print(f"{plural(report.added, 'passage')} imported, {report.present} already there{states}{skipped}",
              highlight=False)
    return FOUND


def _export(passages: list[Passage], kind: str, library: Library, reading: Sequence[Reading] = ()) -> str:
    from margin.search.passages import export as passage_export

    if kind == "json":
        return passage_export.to_json(passages, reading)

    def lookup(doc_id: str) -> Document | None:
        stored = library.document(doc_id)
        return stored.document if stored else None

    if kind == "markdown":
        return passage_export.to_markdown(passages, lookup, {r.doc_id: r.tags for r in reading if r.tags})
    return passage_export.to_csv(passages, lookup)
