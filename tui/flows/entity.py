"""The entity flow: the sidebar's entities as queries, the user's corrections, and who appears with whom.

It holds the corpus-wide entity counts the sidebar shows beside each row, and reaches the screen
only through `EntityHost`.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any, Protocol, TypeVar

from textual.suggester import SuggestFromList

from margin.search.entities.mentions import entity_query
from margin.tui import messages
from margin.tui.flows.host import FlowHost
from margin.tui.flows.search import SearchFlow
from margin.tui.widgets.doclist import DocumentList
from margin.tui.widgets.sidebar import EntitySidebar

if TYPE_CHECKING:
    from margin.search.library import Library
    from margin.search.results import EntityCount

T = TypeVar("T")


class EntityHost(FlowHost, Protocol):
    """What the entity flow may touch of the screen."""

    search: SearchFlow

    @property
    def documents(self) -> DocumentList: ...
    @property
    def sidebar(self) -> EntitySidebar: ...
    def attempt(self, what: str, call: Callable[[], T]) -> T | None: ...
    def ask(self, screen: Any, answered: Callable[[Any], None]) -> None: ...
    def reload_article(self) -> None: ...


class EntityFlow:
    def __init__(self, host: EntityHost) -> None:
        self.host = host
        self.counts: dict[tuple[str, str], int] = {}  # documents per entity across the corpus

    def counts_ready(self, counts: dict[tuple[str, str], int]) -> None:
        self.counts = counts
        self.host.sidebar.set_counts(counts)

    def chosen(self, event: EntitySidebar.Chosen) -> None:
        self.host.search.set_query(entity_query(event.kind, event.name))
        self.host.documents.focus()

    # ------------------------------------------------------------ corrections
    def correction_wanted(self, event: EntitySidebar.CorrectionWanted) -> None:
        """Ask what the correction needs (a target, a new name, a type), then make it in a worker."""
        from rich.text import Text

        from margin.tui.screens.dialogs import AskScreen, stored

        library = self.host.library
        if library is None:
            return

        def run(target: str | None = "") -> None:
            if target is not None:
                self._correct(library, event.action, event.name, target)

        questions = {"merge": ("Merge {} into (any name of the other entity):", "name", ""),
                     "rename": ("Rename {} to:", "new name", event.name),
                     "retype": ("Type of {} (person, organization, place or product):", "type", event.kind)}
        if event.action not in questions:
            run()
            return
        question, placeholder, value = questions[event.action]
        before, _, after = question.partition("{}")

        def check(target: str) -> str | None:
            return stored(lambda: library.entities.correction(event.action, event.name, target))[1]

        names = self._entity_names(library) if event.action == "merge" else []
        self.host.ask(AskScreen(Text.assemble(before, (event.name, "bold"), after), placeholder, value, check,
                                suggester=SuggestFromList(names, case_sensitive=False) if names else None), run)

    def _entity_names(self, library: Library) -> list[str]:
        """Every entity's name, most named first, to complete a merge's target."""
        return [row.name for row in self.host.attempt("Listing the entities", library.entities.counts) or []]

    def _correct(self, library: Library, action: str, name: str, target: str) -> None:
        def run() -> None:
            entities = library.entities
            if action == "undo":
                undone = entities.uncorrect()
                said = f"Undone: {undone.as_yaml()[2:]}" if undone else "No entity correction to undo"
            else:
                made = entities.correct(action, name, target)
                said = f"{made.as_yaml()[2:]} · u undoes · saved in {entities.corrections_file}"
            counts = {(c.type, c.name): c.count for c in entities.counts()}
            self.host.post_message(messages.Corrected(said, counts))

        self.host.in_thread(run, group="correct", exclusive=True, description="Correcting an entity")

    def corrected(self, message: messages.Corrected) -> None:
        self.host.say(message.said)
        self.counts = message.counts
        self.host.reload_article()  # the sidebar and the reader's marks as corrected

    # ---------------------------------------------------------- appearing with
    def with_wanted(self, event: EntitySidebar.WithWanted) -> None:
        library = self.host.library
        if library is None:
            return
        kind, name, within = event.kind, event.name, self.host.search.current_query

        def run() -> None:
            self.host.post_message(messages.AppearingWith(kind, name, within, library.appearing_with(name, kind, within)))

        self.host.in_thread(run, group="with", exclusive=True, description="Appearing with")

    def appearing_with(self, message: messages.AppearingWith) -> None:
        from margin.tui.screens.dialogs import WithScreen

        if not message.rows:
            where = f" in the results of {message.within!r}" if message.within.strip() else ""
            self.host.say(f"Nothing appears with {message.name}{where}")
            return

        def chosen(row: EntityCount | None) -> None:
            if row is not None:
                both = f"{entity_query(message.kind, message.name)} {entity_query(row.type, row.name)}"
                self.host.search.set_query(f"({message.within}) {both}" if message.within.strip() else both)
                self.host.documents.focus()

        self.host.ask(WithScreen(message.kind, message.name, message.within, message.rows), chosen)
