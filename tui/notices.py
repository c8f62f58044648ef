"""What opening a corpus reports in the status line: the index change and what needs attention."""

from __future__ import annotations

from typing import TYPE_CHECKING

from margin.search.plural import plural

if TYPE_CHECKING:
    from margin.search.passages.service import OpenedLibrary


def first_build(opened: OpenedLibrary) -> list[str]:
    """A first build's time: the first results replace it."""
    from margin.search.index.indexing import FIRST_BUILD

    report = opened.library.report
    return [f"index built in {report.seconds:.1f} s"] if report.rebuilt == FIRST_BUILD else []


def still_computing(opened: OpenedLibrary) -> str:
    """What the first build left for the scan after the first results (or ""): said beside every
    result count until that scan's progress, then its FolderChanged, replace it."""
    later = opened.library.report.names_later
    return f"names still being found ({plural(later, 'file')})" if later else ""


def rebuild_note(opened: OpenedLibrary) -> list[str]:
    """Why an existing index was rebuilt (a new index format, damage): it stays beside the results."""
    from margin.search.index.indexing import FIRST_BUILD

    rebuilt = opened.library.report.rebuilt
    return [f"index rebuilt: {rebuilt}"] if rebuilt and rebuilt != FIRST_BUILD else []


def attention_notes(opened: OpenedLibrary) -> list[str]:
    """What opening found that needs the user's attention, one short clause each."""
    report = opened.library.report
    notes = []
    if report.read_only:
        notes.append(report.read_only)
    if report.skipped:
        notes.append(f"{plural(len(report.skipped), 'file')} skipped "
                     f"(first: {report.skipped[0][0]}: {report.skipped[0][1]})")
    if report.warnings:
        notes.append(f"{plural(len(report.warnings), 'warning')} (first: {report.warnings[0]})")
    if report.unknown_kinds and (report.rebuilt or report.added):
        notes.append(report.unknown_kinds)
    if opened.orphaned:
        notes.append(f"{plural(opened.orphaned, 'passage')} no longer found in their article (p lists them)")
    if opened.relinked:
        notes.append(f"{plural(opened.relinked, 'passage')} followed their renamed article")
    return notes
