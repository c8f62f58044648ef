"""What the status line says about the corpus and the current results.

Two kinds of note meet there: the index's (a rebuild and why, skipped files, orphaned passages),
which stand beside every result count until the index changes, and the current search's (its
count, a mistake in the query, "did you mean"), which the next search replaces. Keeping them
apart is what lets a rebuild's reason survive the first results.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from margin.search.results import SearchResults


@dataclass
class StatusLine:
    index_notes: str = ""  # what opening or updating the index reported
    index_problem: bool = False  # ... and whether it needs the user's attention
    pending: str = ""  # what the index is still computing ("names being found: 40 %"), until it is done
    names_found: tuple[int, int] | None = None  # (files whose names are found, files) while names are pending

    def set_index_notes(self, notes: list[str], *, problem: bool) -> None:
        self.index_notes, self.index_problem = " · ".join(notes), problem

    def add_index_notes(self, notes: list[str], *, problem: bool) -> None:
        self.index_notes = " · ".join(filter(None, [self.index_notes, *notes]))
        self.index_problem = self.index_problem or problem

    def for_results(self, results: SearchResults, suggestion: str | None, accept_key: str) -> tuple[str, bool]:
        """(the line, whether it is a problem) for a result set: problems first, then the count,
        "did you mean" and the index's notes."""
        accept = f" ({accept_key} searches for it)"
        if results.index_notices:
            return "; ".join(results.index_notices), True
        if results.problem or results.notices:
            return "query: " + "; ".join(filter(None, [results.problem, *results.notices])), True
        if suggestion and not results.total:
            return f"no documents match; did you mean: {suggestion}{accept}", True
        found = results.count + (f" for {results.query}" if results.query.strip() else "")
        hint = f"did you mean: {suggestion}{accept}" if suggestion else ""
        covered = self._covered(results)  # a query by entity: said first, it qualifies the count
        notes = (found, covered, hint, self.index_notes) if covered else (found, hint, self.index_notes, self.pending)
        return " · ".join(filter(None, notes)), self.index_problem

    def _covered(self, results: SearchResults) -> str:
        """For a query by entity while names are still being found, how much of the corpus has them."""
        if not (results.by_entity and self.pending and self.names_found is not None):
            return ""
        done, files = self.names_found
        return f"entities: {100 * done // max(1, files)} % of documents so far"
