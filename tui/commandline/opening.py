"""What every subcommand shares: the consoles, opening a corpus with its notices, the user database,
the exit codes (grep's: 0 found, 1 nothing found, 2 an error)."""

from __future__ import annotations

import argparse
import os
from typing import TYPE_CHECKING

from rich.console import Console
from rich.text import Text

from margin.search.errors import MarginError
from margin.search.plural import plural
from margin.search.sanitize import printable

if TYPE_CHECKING:
    from margin.search.index.indexing import UpdateReport
    from margin.search.library import Library
    from margin.search.passages.service import OpenedLibrary
    from margin.search.userdata.database import UserData

FOUND, NOT_FOUND, ERROR = 0, 1, 2


def consoles() -> tuple[Console, Console]:
    """Messages never wrap (one line each); results wrap only on a terminal, not in a pipe."""
    no_color = bool(os.environ.get("NO_COLOR"))
    out = Console(no_color=no_color, highlight=False)
    out.soft_wrap = not out.is_terminal
    return out, Console(stderr=True, no_color=no_color, highlight=False, soft_wrap=True)


def open_corpus(args: argparse.Namespace, err: Console, *, rebuild: bool = False, userdata: UserData | None = None,
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
    notices(opened.library.report, err)
    if opened.orphaned:
        err.print(Text(f"margin: {plural(opened.orphaned, 'passage')} no longer found in their article "
                       "(listed as orphans)", style="yellow"))
    if opened.relinked:
        err.print(Text(f"margin: {plural(opened.relinked, 'passage')} followed their renamed article", style="dim"))
    return opened


def notices(report: UpdateReport, err: Console) -> None:
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


def library_notices(library: Library, err: Console) -> None:
    """What happened to the index while the command read it (a repair), in one line each."""
    for notice in library.take_notices():
        err.print(Text(f"margin: {notice}", style="yellow"))


def query_notices(problem: str | None, notes: list[str] | tuple[str, ...], err: Console) -> None:
    """A query's mistake (the words searched instead) and what it had capped, one line each."""
    if problem:
        err.print(Text(f"margin: query: {problem}", style="yellow"))
    for note in notes:
        err.print(Text(f"margin: query: {note}", style="yellow"))


def load_userdata() -> tuple[UserData | None, str]:
    """The user database and what the user should know about it (moved aside, or not usable)."""
    from margin.search.userdata.database import UserData

    try:
        userdata = UserData()
    except MarginError as exc:
        return None, f"{exc}; history, saved searches and passages are off"
    return userdata, userdata.notice


def open_userdata(err: Console) -> UserData | None:
    userdata, notice = load_userdata()
    if notice:
        err.print(Text(f"margin: {notice}", style="yellow"))
    return userdata
