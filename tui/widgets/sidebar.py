"""The entity sidebar: who and what the current article names, grouped by type, with counts; or,
switched with a key, the facets of the current results (entities, sources, authors, folders)."""

from __future__ import annotations

from collections.abc import Sequence
from contextlib import suppress
from typing import TYPE_CHECKING, Any

from rich.text import Text
from textual import events
from textual.message import Message
from textual.widgets import OptionList
from textual.widgets.option_list import Option, OptionDoesNotExist

from margin.search.plural import plural
from margin.tui.keymap import bindings
from margin.tui.late_keys import run_late_key

if TYPE_CHECKING:  # the library (and Whoosh) loads after the first frame
    from margin.search.results import EntityCount, Facet

GROUPS = (("person", "People"), ("organization", "Organizations"), ("place", "Places"), ("product", "Products"))
FACET_GROUPS = (*GROUPS, ("source", "Sources"), ("author", "Authors"), ("path", "Folders"), ("tag", "Tags"))
ARTICLE, RESULTS = "article", "results"
SEPARATOR = "\t"


class EntitySidebar(OptionList):
    """OptionList with its keys from keymap.yaml (OptionList's own bindings have no ids)."""

    BINDINGS = bindings("sidebar")
    DEFAULT_CSS = """
    EntitySidebar { border: round $primary 40%; width: 34; height: 1fr; }
    EntitySidebar:focus { border: round $primary; }
    """

    class Chosen(Message):
        def __init__(self, kind: str, name: str) -> None:
            super().__init__()
            self.kind, self.name = kind, name

    class FacetChosen(Message):
        """A facet of the results to add to the query (`clause`), or to exclude from it."""

        def __init__(self, clause: str, exclude: bool) -> None:
            super().__init__()
            self.clause, self.exclude = clause, exclude

    class ViewChanged(Message):
        """The sidebar switched between this article's entities and the results' facets."""

        def __init__(self, view: str) -> None:
            super().__init__()
            self.view = view


    async def on_key(self, event: events.Key) -> None:
        await run_late_key(self, "sidebar", event)
    def __init__(self, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.entities: list[EntityCount] = []
        self.corpus_counts: dict[tuple[str, str], int] = {}
        self.tags: list[tuple[str, int]] = []
        self.view = ARTICLE
        self.facets: list[Facet] = []
        self._facet_clauses: dict[str, str] = {}  # option id -> the clause it adds

    def show_facets(self, facets: list[Facet], results: int, stories: int | None = None) -> None:
        """The results' facets: each value with its documents among the results and in the corpus
        (the title counts the results as stories too, when they hold copies)."""
        self.facets = facets
        if self.view != RESULTS:
            return
        self.clear_options()
        told = f"{plural(stories, 'story', 'stories')} · " if stories is not None and stories != results else ""
        self.border_title = f"Results · {told}{plural(results, 'document')}"
        options: list[Option] = []
        self._facet_clauses = {}
        for kind, title in FACET_GROUPS:
            group = [f for f in facets if f.kind == kind]
            if group:
                options.append(Option(Text(title, style="bold"), disabled=True))
            for facet in group:
                option_id = f"{kind}{SEPARATOR}{facet.value}"
                self._facet_clauses[option_id] = facet.clause
                label = Text.assemble(facet.value, (f"  {facet.in_results:,} of {facet.in_corpus:,}", "dim"))
                options.append(Option(label, id=option_id))
        self.add_options(options)
        if self.option_count:
            self.highlighted = self._row_after(None, None)

    def action_toggle_facets(self) -> None:
        self.view = RESULTS if self.view == ARTICLE else ARTICLE
        self.clear_options()  # so that `show` paints the article again, not keep what was there
        if self.view == ARTICLE:
            self.show(self.entities, self.corpus_counts, self.tags)
        else:
            self.border_title = "Results · counting…"
        self.post_message(self.ViewChanged(self.view))

    def action_exclude_facet(self) -> None:
        chosen = self._highlighted_entity()
        if chosen is not None:
            self.post_message(self.FacetChosen(self._clause(*chosen), exclude=True))

    def _clause(self, kind: str, name: str) -> str:
        from margin.search.entities.mentions import entity_query  # light: no Whoosh

        return self._facet_clauses.get(f"{kind}{SEPARATOR}{name}") or entity_query(kind, name)

    def show(self, entities: list[EntityCount], corpus_counts: dict[tuple[str, str], int],
             tags: Sequence[tuple[str, int]] = (), *, keep_row: bool = False) -> None:
        """List one article's tags (passages so tagged here), then its entities: mentions here, and
        documents naming it corpus-wide. With `keep_row` (the same article again, as after a
        correction), the highlighted row stays, or the row that took its place: it jumped to the
        top, and the next `x` hid another entity."""
        if self.view != ARTICLE:  # kept for when the view switches back
            self.entities, self.corpus_counts, self.tags = entities, corpus_counts, list(tags)
            return
        if self.option_count and corpus_counts is self.corpus_counts and (entities, list(tags)) == (self.entities, self.tags):
            return  # the same article under another query: a 1 MB article's 1,400 rows took 240 ms
        before = self.highlighted if keep_row else None
        before_id = self.get_option_at_index(before).id if before is not None and before < self.option_count else None
        self.entities, self.corpus_counts, self.tags = entities, corpus_counts, list(tags)
        self.clear_options()
        self.border_title = plural(len(entities), "entity", "entities") + (
            f" · {plural(len(self.tags), 'tag')}" if self.tags else "")
        options: list[Option] = []  # added at once: one by one, a 1 MB article's sidebar took 150-300 ms
        if self.tags:
            options.append(Option(Text("Tags", style="bold"), disabled=True))
            for tag, count in self.tags:
                label = Text.assemble(f"#{tag}", (f"  {plural(count, 'passage')}", "dim"))
                options.append(Option(label, id=f"tag{SEPARATOR}{tag}"))
        for kind, title in GROUPS:
            group = [e for e in entities if e.type == kind]
            if not group:
                continue
            options.append(Option(Text(title, style="bold"), disabled=True))
            for entity in group:
                docs = corpus_counts.get((kind, entity.name), 0)
                label = Text.assemble(entity.name, (f"  {entity.count}× · {plural(docs, 'doc')}", "dim"))
                options.append(Option(label, id=f"{kind}{SEPARATOR}{entity.name}"))
        self.add_options(options)
        if self.option_count:
            self.highlighted = self._row_after(before, before_id)

    def _row_after(self, before: int | None, before_id: str | None) -> int | None:
        """The row to highlight: the one with the same id, else the first enabled one from the same
        place on (or the last before it), else the first."""
        if before_id is not None:
            with suppress(OptionDoesNotExist):
                return self.get_option_index(before_id)
        enabled = [i for i in range(self.option_count) if not self.get_option_at_index(i).disabled]
        if not enabled or before is None:
            return enabled[0] if enabled else None
        return next((i for i in enabled if i >= before), enabled[-1])

    class WithWanted(Message):
        """Who and what appears with this entity (in the current results) was asked for."""

        def __init__(self, kind: str, name: str) -> None:
            super().__init__()
            self.kind, self.name = kind, name

    def set_tags(self, tags: list[tuple[str, int]]) -> None:
        """Show new tag counts (after tagging) with the same entities, keeping the highlighted row."""
        self._redraw(self.corpus_counts, tags)

    def set_counts(self, corpus_counts: dict[tuple[str, str], int]) -> None:
        """The corpus-wide counts arrived (they are computed after the first results)."""
        self._redraw(corpus_counts, self.tags)

    def _redraw(self, corpus_counts: dict[tuple[str, str], int], tags: list[tuple[str, int]]) -> None:
        self.show(self.entities, corpus_counts, tags, keep_row=True)

    def action_filter_entity(self) -> None:
        chosen = self._highlighted_entity()
        if chosen is not None and self.view == RESULTS:
            self.post_message(self.FacetChosen(self._clause(*chosen), exclude=False))
        elif chosen is not None:
            self.post_message(self.Chosen(*chosen))

    class CorrectionWanted(Message):
        """The user asked to correct the highlighted entity (merge, rename, retype, hide) or to
        undo the last correction (`kind` and `name` empty)."""

        def __init__(self, action: str, kind: str = "", name: str = "") -> None:
            super().__init__()
            self.action, self.kind, self.name = action, kind, name

    def _correction(self, action: str) -> None:
        chosen = self._highlighted_named()
        if chosen is not None:
            self.post_message(self.CorrectionWanted(action, *chosen))

    def action_merge_entity(self) -> None:
        self._correction("merge")

    def action_rename_entity(self) -> None:
        self._correction("rename")

    def action_retype_entity(self) -> None:
        self._correction("retype")

    def action_hide_entity(self) -> None:
        self._correction("hide")

    def action_undo_correction(self) -> None:
        self.post_message(self.CorrectionWanted("undo"))

    def action_appearing_with(self) -> None:
        chosen = self._highlighted_named()
        if chosen is not None:
            self.post_message(self.WithWanted(*chosen))

    def _highlighted_named(self) -> tuple[str, str] | None:
        """The highlighted row's (type, name) when it is an entity, not a tag."""
        chosen = self._highlighted_entity()
        return chosen if chosen is not None and chosen[0] in dict(GROUPS) else None

    def _highlighted_entity(self) -> tuple[str, str] | None:
        if self.highlighted is None:
            return None
        option = self.get_option_at_index(self.highlighted)
        if not option.id:
            return None
        kind, name = option.id.split(SEPARATOR, 1)
        return kind, name
