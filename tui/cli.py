"""The `margin` command line: search, show, index and entities without the reader.

Exit codes follow grep: 0 when something was found, 1 when nothing was, 2 on errors. Colour and
progress bars appear only on a terminal and never when NO_COLOR is set.
"""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Sequence
from dataclasses import asdict, replace
from pathlib import Path
from typing import TYPE_CHECKING, Any

from rich.console import Console
from rich.text import Text

from margin.search.entities.gazetteer import ENTITY_TYPES  # light: no Whoosh
from margin.search.errors import MarginError
from margin.search.plural import plural
from margin.search.sanitize import json_text, printable

if TYPE_CHECKING:
    from margin.search.document import Document
    from margin.search.index.indexing import UpdateReport
    from margin.search.library import Library, StoredDocument
    from margin.search.passages.service import OpenedLibrary
    from margin.search.passages.store import Passage, PassageStore
    from margin.search.results import Hit, ResultRow, SearchResults
    from margin.search.userdata.database import SavedSearch, UserData
    from margin.search.userdata.reading import Reading, ReadingStore

FOUND, NOT_FOUND, ERROR = 0, 1, 2


def _parser() -> argparse.ArgumentParser:
    # SUPPRESS, so that `margin --corpus X search` and `margin search --corpus X` both work.
    common = argparse.ArgumentParser(add_help=False, argument_default=argparse.SUPPRESS)
    common.add_argument("--corpus", type=Path, help="corpus folder (default: $MARGIN_CORPUS or the bundled corpus)")
    common.add_argument("--index", type=Path, help="index folder (default: one per corpus in the user cache)")
    parser = argparse.ArgumentParser(prog="margin", parents=[common],
                                     description="A keyboard-driven reader for a folder of articles.")
    parser.add_argument("--keymap", type=Path, help="a keymap.yaml to use over the defaults and your own")
    parser.add_argument("--version", action="version", version=f"margin {_version()}")
    sub = parser.add_subparsers(dest="command")
    search = sub.add_parser("search", parents=[common], help="search the corpus")
    search.add_argument("query", nargs="*", help="query (see README: words, OR, NOT, \"phrases\", fields)")
    search.add_argument("--saved", metavar="NAME", help="run a search saved in the reader (ctrl+s there)")
    out = search.add_mutually_exclusive_group()
    out.add_argument("--json", action="store_true", help="one JSON object with all results")
    out.add_argument("--jsonl", action="store_true", help="one JSON object per result")
    search.add_argument("--limit", type=int, default=20, help="results per page (default 20)")
    search.add_argument("--page", type=int, default=1, help="page number (default 1)")
    search.add_argument("--sort", choices=("relevance", "date"), default="relevance")
    search.add_argument("--hits", action="store_true", help="include every hit offset (JSON output)")
    search.add_argument("--exact-count", action="store_true",
                        help="count every match exactly where the count would be an estimate ('about N')")
    show = sub.add_parser("show", parents=[common], help="print one article")
    show.add_argument("id", help="document id: its path below the corpus folder")
    show.add_argument("--query", "-q", default="", help="light up this query's hits")
    show.add_argument("--json", action="store_true",
                      help="the document, its entity mentions and its passages as one JSON object")
    index = sub.add_parser("index", parents=[common], help="bring the index up to date")
    index.add_argument("--rebuild", action="store_true", help="rebuild from scratch")
    index.add_argument("--engine", choices=("whoosh", "tantivy"),
                       help="the search engine; another than the index's means a rebuild (default: the index's, "
                            "or $MARGIN_ENGINE, or tantivy from 2,000 files on)")
    index.add_argument("--watch", action="store_true",
                       help="then keep the index current as files change, one line per update (ctrl+c stops)")
    # Sub-commands of their own, each taking the common options: `passages import --corpus X FILE`
    # was refused when the positionals were one list (argparse does not take them after an option).
    options = argparse.ArgumentParser(add_help=False, argument_default=argparse.SUPPRESS)
    options.add_argument("--tag", help="only passages with this tag")
    options.add_argument("--json", action="store_true", help="list as W3C Web Annotation JSON")
    options.add_argument("--format", choices=("markdown", "json", "csv"), help="export format (default: markdown)")
    options.add_argument("-o", "--output", type=Path, help="write the export to this file")
    options.add_argument("--skip-invalid", action="store_true",
                         help="import: import the usable annotations and name the rest (default: all or nothing)")
    passages = sub.add_parser("passages", parents=[common, options], help="tagged passages: list, export, import")
    actions = passages.add_subparsers(dest="action")
    actions.add_parser("list", parents=[common, options], help="tagged passages (quote, file, tags)")
    actions.add_parser("export", parents=[common, options], help="passages as Markdown, Web Annotation JSON or CSV")
    imports = actions.add_parser("import", parents=[common, options], help="restore a JSON export")
    imports.add_argument("file", nargs="?", type=Path, help="the JSON file to import")
    entities = sub.add_parser("entities", parents=[common], help="entities and how many documents name them; "
                              "correct them: merge NAME --into NAME, rename NAME NEW, retype NAME TYPE, hide/unhide NAME, undo")
    entities.add_argument("action", nargs="?", default="list",
                          choices=("list", "merge", "rename", "retype", "hide", "unhide", "undo"))
    entities.add_argument("names", nargs="*", help="the entity (any of its names), then the new name or type")
    entities.add_argument("--into", metavar="NAME", help="merge: the entity the first one joins")
    entities.add_argument("--type", choices=ENTITY_TYPES)
    entities.add_argument("--limit", type=int, default=50)
    entities.add_argument("--json", action="store_true")
    entities.add_argument("--with", dest="with_", metavar="NAME",
                          help="the entities named in the same documents as NAME (any of its names), by documents in common")
    entities.add_argument("--query", "-q", default="", help="with --with: only among the documents this query finds")
    return parser


def _version() -> str:
    from importlib.metadata import PackageNotFoundError, version

    try:
        return version("margin-reader")
    except PackageNotFoundError:
        return "(not installed)"


def _consoles() -> tuple[Console, Console]:
    """Messages never wrap (one line each); results wrap only on a terminal, not in a pipe."""
    no_color = bool(os.environ.get("NO_COLOR"))
    out = Console(no_color=no_color, highlight=False)
    out.soft_wrap = not out.is_terminal
    return out, Console(stderr=True, no_color=no_color, highlight=False, soft_wrap=True)


def _open(args: argparse.Namespace, err: Console, *, rebuild: bool = False, userdata: UserData | None = None,
          engine: str | None = None) -> OpenedLibrary:
    """Open the library (with the user's passages when `userdata` is given), with a progress bar
    when indexing on a terminal; notices go to stderr."""
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeRemainingColumn

    from margin.search.passages.service import open_library

    if not err.is_terminal:
        opened = open_library(args.corpus, args.index, userdata, rebuild=rebuild, engine=engine)
    else:
        columns = (TextColumn("Indexing"), BarColumn(), MofNCompleteColumn(), TimeRemainingColumn())
        with Progress(*columns, console=err, transient=True) as bar:
            task = bar.add_task("index", total=None)
            opened = open_library(args.corpus, args.index, userdata, rebuild=rebuild, engine=engine,
                                  progress=lambda done, total: bar.update(task, completed=done, total=total))
    _notices(opened.library.report, err)
    if opened.orphaned:
        err.print(Text(f"margin: {plural(opened.orphaned, 'passage')} no longer found in their article "
                       "(listed as orphans)", style="yellow"))
    if opened.relinked:
        err.print(Text(f"margin: {plural(opened.relinked, 'passage')} followed their renamed article", style="dim"))
    return opened


def _notices(report: UpdateReport, err: Console) -> None:
    from margin.search.index.indexing import FIRST_BUILD

    if report.rebuilt == FIRST_BUILD:
        err.print(Text(f"margin: built the index ({plural(report.documents, 'document')}, {report.seconds:.1f} s)", style="dim"))
    elif report.rebuilt:
        err.print(Text(f"margin: rebuilt the index: {report.rebuilt}", style="yellow"))
    if report.read_only:
        err.print(Text(f"margin: {report.read_only}", style="yellow"))
    for line in report.warnings:
        err.print(Text(f"margin: warning: {line}", style="yellow"))
    for doc_id, why in report.newly_skipped:  # once: `margin index` lists every skipped file
        err.print(Text(f"margin: skipped {printable(doc_id)}: {why}", style="yellow"))
    if report.unknown_kinds and (report.rebuilt or report.added):  # said when files came in; `margin index` always
        err.print(Text(f"margin: {printable(report.unknown_kinds)}", style="dim"))


def _library_notices(library: Library, err: Console) -> None:
    """What happened to the index while the command read it (a repair), in one line each."""
    for notice in library.take_notices():
        err.print(Text(f"margin: {notice}", style="yellow"))


def _row_json(row: ResultRow, with_hits: bool) -> dict[str, Any]:
    data: dict[str, Any] = {
        "id": row.doc_id, "title": row.title, "source": row.source, "author": row.author,
        "published": row.published or None, "score": row.score, "hit_count": row.hit_count,
        "snippet": row.snippet.text,
        "snippet_hits": _snippet_offsets(row), "group": "every" if row.every_word else "some",
    }
    if with_hits:
        data["hits"] = [asdict(h) for h in row.hits]
    return data


def _snippet_offsets(row: ResultRow) -> list[list[int]]:
    offsets, cursor = [], 0
    for text, is_hit in row.snippet.parts:
        if is_hit:
            offsets.append([cursor, cursor + len(text)])
        cursor += len(text)
    return offsets


def _search(args: argparse.Namespace, out: Console, err: Console) -> int:
    query, sort = " ".join(args.query), args.sort
    if args.saved:
        saved = _saved(args.saved)
        query, sort = (f"({saved.query}) {query}" if query else saved.query), saved.sort
    elif not args.query:  # `margin search ''` is the empty query: every document, newest first
        err.print("margin: search needs a query, or --saved NAME")
        return ERROR
    library = _open(args, err, userdata=_userdata(err)).library
    results = library.search(query, page=args.page, page_size=max(1, args.limit), sort=sort, with_hits=args.hits)
    if args.exact_count and not results.exact_total:
        results = replace(results, total=library.exact_total(query), exact_total=True)
    if results.problem:
        err.print(Text(f"margin: query: {results.problem}", style="yellow"))
    for notice in results.notices:
        err.print(Text(f"margin: query: {notice}", style="yellow"))
    for notice in results.index_notices:
        err.print(Text(f"margin: {notice}", style="yellow"))
    if args.json or args.jsonl:
        _print_json(results, args, out)
    else:
        _print_results(results, out, err)
    if results.suggestion:
        err.print(Text(f"margin: did you mean: {results.suggestion}", style="cyan"))
    return FOUND if results.total else NOT_FOUND


def _print_json(results: SearchResults, args: argparse.Namespace, out: Console) -> None:
    rows = [_row_json(r, args.hits) for r in results.rows]
    if args.jsonl:
        for row in rows:
            print(json_text(row))
        return
    print(json_text({
        "query": results.query, "total": results.total, "total_exact": results.exact_total, "every_word": results.every_word, "page": results.page,
        "page_size": results.page_size, "sort": results.sort, "documents": results.documents,
        "problem": results.problem, "suggestion": results.suggestion, "notices": [*results.index_notices, *results.notices],
        "results": rows,
    }, indent=2))


def _print_results(results: SearchResults, out: Console, err: Console) -> None:
    from margin.tui.render import result_block

    first = (results.page - 1) * results.page_size
    some = results.total - (results.every_word or 0)
    for number, row in enumerate(results.rows, first + 1):
        if not row.every_word and (number == first + 1 or results.rows[number - first - 2].every_word):
            out.print(Text(f"── {plural(some, 'document')} with some of the words ──", style="dim"))
        out.print(result_block(number, row))
    shown = f"{first + 1}-{first + len(results.rows)} of " if results.rows else ""
    groups = f", {results.groups}" if results.groups else ""
    about = "" if results.exact_total else "about "
    err.print(Text(f"{shown}{about}{plural(results.total, 'matching document')}{groups} (of {results.documents:,}) "
                   f"in {results.seconds * 1000:.0f} ms", style="dim"))


def _show(args: argparse.Namespace, out: Console, err: Console) -> int:
    from margin.tui.render import highlighted, meta_line

    opened = _open(args, err, userdata=_userdata(err) if args.json else None)
    library = opened.library
    stored = library.document(args.id)
    hits = library.hits(args.id, args.query) if args.query and stored is not None else []
    _library_notices(library, err)
    if stored is None:
        err.print(Text(f"margin: no document with id {printable(args.id)!r} in {library.corpus}", style="red"))
        return ERROR
    doc = stored.document
    if args.json:
        print(json_text(_document_json(opened, stored, hits), indent=2))
        return FOUND if hits or not args.query else NOT_FOUND
    out.print(highlighted(doc.title, hits, "title", "bold"))
    out.print(meta_line(doc.source, doc.author, doc.published, doc.doc_id))
    out.print()
    out.print(highlighted(doc.body, hits, "body"))
    if args.query:
        err.print(Text(f"{plural(len(hits), 'hit')} for {args.query!r}", style="dim"))
    return FOUND if hits or not args.query else NOT_FOUND


def _document_json(opened: OpenedLibrary, stored: StoredDocument, hits: list[Hit]) -> dict[str, Any]:
    """A document for scripts and evaluations: its fields, its entity mentions under their
    canonical names (offsets in the title or body), its passages where they are now, its hits."""
    doc, library = stored.document, opened.library
    placed = opened.passages.place(doc).passages if opened.passages is not None else []
    mentions = library.entities.canonical_mentions(stored.mentions)
    fields = asdict(doc)
    return {"id": fields.pop("doc_id")} | fields | {
        "entities": [{"field": field, "type": kind, "name": name, "start": start, "end": end,
                      "text": getattr(doc, field)[start:end]} for field, kind, name, start, end in mentions],
        "passages": [{"id": p.passage.id, "uuid": p.passage.uuid, "start": p.start, "end": p.end,
                      "text": doc.body[p.start:p.end], "exact": p.exact, "tags": list(p.passage.tags),
                      "note": p.passage.note} for p in placed],
        "hits": [{"field": h.field, "start": h.start, "end": h.end} for h in hits],
    }


def _index(args: argparse.Namespace, out: Console, err: Console) -> int:
    library = _open_waiting(args, err) if args.watch else _open(args, err, rebuild=args.rebuild, engine=args.engine).library
    r = library.report
    fresh = set(r.newly_skipped)
    for doc_id, why in r.skipped:
        if (doc_id, why) not in fresh:  # the new ones were just printed
            err.print(Text(f"margin: skipped {printable(doc_id)}: {why}", style="yellow"))
    if r.unknown_kinds and not (r.rebuilt or r.added):  # else just printed
        err.print(Text(f"margin: {printable(r.unknown_kinds)}", style="dim"))
    if r.ignored:
        err.print(Text(f"margin: {r.ignored}", style="dim"))
    out.print(f"{plural(r.documents, 'document')} indexed in {library.index_dir} "
              f"({r.added} added, {r.changed} changed, {r.removed} removed, {len(r.skipped)} skipped) "
              f"in {r.seconds:.2f} s by {r.engine}", highlight=False)
    if args.watch:
        _watch(library, out, err)
    return FOUND


def _open_waiting(args: argparse.Namespace, err: Console) -> Library:
    """The library for `--watch`, waiting while another margin process builds the index: a second
    watcher started beside the first exited with "another margin process is building the index"."""
    import time

    from margin.search.errors import IndexBusy

    said = False
    while True:
        try:
            return _open(args, err, rebuild=args.rebuild, engine=args.engine).library
        except IndexBusy as exc:
            if not said:
                err.print(Text(f"margin: {exc}; waiting (ctrl+c stops)", style="dim"))
                said = True
            time.sleep(0.5)


def _watch(library: Library, out: Console, err: Console) -> None:
    """Follow the corpus folder: one line per update, until interrupted."""
    import time

    from margin.search.index.watching import updates

    library.close()
    err.print(Text(f"margin: following {library.corpus} (ctrl+c stops)", style="dim"))
    try:
        for r in updates(library.corpus, library.index_dir):
            _notices(r, err)
            out.print(f"{time.strftime('%H:%M:%S')}  {r.added} added, {r.changed} changed, {r.removed} removed · "
                      f"{plural(r.documents, 'document')} · {r.seconds:.2f} s", highlight=False)
    except KeyboardInterrupt:
        pass


def _entities(args: argparse.Namespace, out: Console, err: Console) -> int:
    from rich.table import Table

    library = _open(args, err).library
    if args.action != "list":
        return _correct(library, args, out, err)
    if args.with_:
        counts = library.appearing_with(args.with_, within=args.query)[: max(0, args.limit)]
    else:
        counts = library.entities.counts(args.type)[: max(0, args.limit)]
    _library_notices(library, err)
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


def _passages(args: argparse.Namespace, out: Console, err: Console) -> int:
    from margin.search import paths
    from margin.search.passages.store import PassageStore
    from margin.search.userdata.reading import ReadingStore

    userdata = _userdata(err)
    if userdata is None:
        return ERROR
    if args.action == "import":  # needs the stores only, not the index
        corpus = str((args.corpus or paths.default_corpus()).expanduser().resolve())
        return _import(PassageStore(userdata, corpus), ReadingStore(userdata, corpus), args, out, err)
    opened = _open(args, err, userdata=userdata)  # passages re-placed in changed articles first
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


def _saved(name: str) -> SavedSearch:
    from margin.search.userdata.database import UserData

    saved = UserData().saved_search(name)
    if saved is None:
        names = ", ".join(s.name for s in UserData().saved_searches()) or "none yet"
        raise MarginError(f"no saved search named {name!r} (saved: {names})")
    return saved


def _reader(args: argparse.Namespace, err: Console) -> int:
    """Open the full-screen reader (imported here so the other commands stay quick to start).

    What is wrong with the user database is said inside the reader: printed before it takes the
    screen, it was only seen after quitting."""
    from margin.tui.app import MarginApp

    userdata, notice = _load_userdata()
    MarginApp(args.corpus, args.index, args.keymap, userdata, notice).run()
    return FOUND


def _load_userdata() -> tuple[UserData | None, str]:
    """The user database and what the user should know about it (moved aside, or not usable)."""
    from margin.search.userdata.database import UserData

    try:
        userdata = UserData()
    except MarginError as exc:
        return None, f"{exc}; history, saved searches and passages are off"
    return userdata, userdata.notice


def _userdata(err: Console) -> UserData | None:
    userdata, notice = _load_userdata()
    if notice:
        err.print(Text(f"margin: {notice}", style="yellow"))
    return userdata


def main(argv: list[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    defaults = {"corpus": None, "index": None, "action": "list", "tag": None, "json": False, "format": "markdown",
                "output": None, "skip_invalid": False, "file": None}
    for name, default in defaults.items():  # options given nowhere (SUPPRESS keeps a later default from winning)
        setattr(args, name, getattr(args, name, None) or default)
    out, err = _consoles()
    handlers = {"search": _search, "show": _show, "index": _index, "entities": _entities, "passages": _passages}
    try:
        if args.command is None:
            return _reader(args, err)
        return handlers[args.command](args, out, err)
    except MarginError as exc:
        err.print(Text(f"margin: {exc}", style="red"))
        return ERROR
    except KeyboardInterrupt:
        return ERROR
    except BrokenPipeError:
        sys.stderr.close()
        return FOUND
