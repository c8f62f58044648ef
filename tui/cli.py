"""The `margin` command line: search, show, index and entities without the reader.

Exit codes follow grep: 0 when something was found, 1 when nothing was, 2 on errors. Colour and
progress bars appear only on a terminal and never when NO_COLOR is set.
"""

from __future__ import annotations

import argparse
import sys
from dataclasses import asdict, replace
from pathlib import Path
from typing import TYPE_CHECKING, Any

from rich.console import Console
from rich.text import Text

from margin.search.entities.gazetteer import ENTITY_TYPES  # light: no Whoosh
from margin.search.errors import MarginError
from margin.search.plural import plural
from margin.search.sanitize import json_text, printable
from margin.search.stories.similar import like_clause
from margin.search.timeline import PERIODS
from margin.tui.commandline.entities import entities_command
from margin.tui.commandline.facets import facets_command
from margin.tui.commandline.opening import (
    ERROR,
    FOUND,
    NOT_FOUND,
    consoles,
    library_notices,
    load_userdata,
    notices,
    open_corpus,
    open_userdata,
    query_notices,
)
from margin.tui.commandline.passages import passages_command
from margin.tui.commandline.result_export import FORMATS
from margin.tui.commandline.stories import families_command, versions_command
from margin.tui.commandline.timeline import timeline_command

if TYPE_CHECKING:
    from margin.search.library import Library, StoredDocument
    from margin.search.passages.service import OpenedLibrary
    from margin.search.results import Hit, ResultRow, SearchResults
    from margin.search.userdata.database import SavedSearch



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
    out.add_argument("--format", dest="export", choices=tuple(FORMATS),
                     help="the result list as Markdown, CSV or JSON Lines (with --limit, as many rows as wanted)")
    search.add_argument("--limit", type=int, default=20, help="results per page (default 20)")
    search.add_argument("--page", type=int, default=1, help="page number (default 1)")
    search.add_argument("--sort", choices=("relevance", "date"), default="relevance")
    search.add_argument("--hits", action="store_true", help="include every hit offset (JSON output)")
    search.add_argument("--copies", action="store_true",
                        help="list every copy of a story (default: one row a family of copies, as dupes:show asks)")
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
    timeline = sub.add_parser("timeline", parents=[common], help="the results per day, week, month or year")
    timeline.add_argument("query", nargs="*", help="query (as for search; none: every document)")
    timeline.add_argument("--by", choices=PERIODS, help="the period of a bar (default: the finest that fits)")
    timeline.add_argument("--json", action="store_true", help="the counts as one JSON object")
    facets = sub.add_parser("facets", parents=[common], help="the entities, sources, authors and folders most "
                            "frequent in the results, with their documents there and in the corpus")
    facets.add_argument("query", nargs="*", help="query (as for search; none: every document)")
    facets.add_argument("--limit", type=int, default=10, help="values of each kind (default 10)")
    facets.add_argument("--json", action="store_true", help="the facets as one JSON object")
    families = sub.add_parser("families", parents=[common], help="the families of copies among the results, "
                              "with their members")
    families.add_argument("query", nargs="*", help="query (as for search; none: every document)")
    families.add_argument("--limit", type=int, default=50, help="families, at most (default 50)")
    families.add_argument("--json", action="store_true", help="the families as one JSON object")
    similar = sub.add_parser("similar", parents=[common], help="the documents most like one (its family left out)")
    similar.add_argument("id", help="document id (ID@START-END: that range of its body)")
    similar.add_argument("--limit", type=int, default=20, help="results (default 20)")
    similar.add_argument("--json", action="store_true", help="the results as one JSON object")
    versions = sub.add_parser("versions", parents=[common], help="the earlier texts of a changed document")
    versions.add_argument("id", help="document id")
    versions.add_argument("--json", action="store_true", help="the versions, with what each changed, as JSON")
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


def _row_json(row: ResultRow, with_hits: bool) -> dict[str, Any]:
    data: dict[str, Any] = {
        "id": row.doc_id, "title": row.title, "source": row.source, "author": row.author,
        "published": row.published or None, "score": row.score, "hit_count": row.hit_count,
        "snippet": row.snippet.text,
        "snippet_hits": _snippet_offsets(row), "group": "every" if row.every_word else "some",
        "family": row.family or row.doc_id, "copies": row.copies, "family_earliest": row.earliest or None,
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
    library = open_corpus(args, err, userdata=open_userdata(err)).library
    results = library.search(query, page=args.page, page_size=max(1, args.limit), sort=sort, with_hits=args.hits,
                             copies=args.copies)
    if args.exact_count and not results.exact_total:
        results = replace(results, total=library.exact_total(query), exact_total=True)
    query_notices(results.problem, results.notices, err)
    for notice in results.index_notices:
        err.print(Text(f"margin: {notice}", style="yellow"))
    if args.export:
        sys.stdout.write(FORMATS[args.export](results, lambda row: _row_json(row, args.hits)))
    elif args.json or args.jsonl:
        _print_json(results, args, out)
    else:
        _print_results(results, out, err)
    if results.suggestion:
        err.print(Text(f"margin: did you mean: {results.suggestion}", style="cyan"))
    return FOUND if results.total else NOT_FOUND


def _similar(args: argparse.Namespace, out: Console, err: Console) -> int:
    """`margin similar ID`: a search for `like:"ID"`, printed as any search is."""
    args.query, args.saved, args.page, args.sort, args.hits = [like_clause(args.id)], None, 1, "relevance", False
    args.jsonl = args.export = args.exact_count = args.copies = False
    return _search(args, out, err)


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

    opened = open_corpus(args, err, userdata=open_userdata(err) if args.json else None)
    library = opened.library
    stored = library.document(args.id)
    hits = library.hits(args.id, args.query) if args.query and stored is not None else []
    library_notices(library, err)
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
    library = _open_waiting(args, err) if args.watch else open_corpus(args, err, rebuild=args.rebuild, engine=args.engine).library
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
            return open_corpus(args, err, rebuild=args.rebuild, engine=args.engine).library
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
            notices(r, err)
            out.print(f"{time.strftime('%H:%M:%S')}  {r.added} added, {r.changed} changed, {r.removed} removed · "
                      f"{plural(r.documents, 'document')} · {r.seconds:.2f} s", highlight=False)
    except KeyboardInterrupt:
        pass


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

    userdata, notice = load_userdata()
    MarginApp(args.corpus, args.index, args.keymap, userdata, notice).run()
    return FOUND


def main(argv: list[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    defaults = {"corpus": None, "index": None, "action": "list", "tag": None, "json": False, "format": "markdown",
                "output": None, "skip_invalid": False, "file": None}
    for name, default in defaults.items():  # options given nowhere (SUPPRESS keeps a later default from winning)
        setattr(args, name, getattr(args, name, None) or default)
    out, err = consoles()
    handlers = {"search": _search, "show": _show, "index": _index, "entities": entities_command,
                "passages": passages_command, "timeline": timeline_command, "facets": facets_command,
                "families": families_command, "similar": _similar, "versions": versions_command}
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
