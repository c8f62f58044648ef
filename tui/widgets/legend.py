"""The line under the search box: each of the query's terms in the colour the reader lights it
with, its hits in the article shown and the documents of the results holding it
(`oil 14/1,544 · prices 9/2,012 · "opec meeting" 2/31`)."""

from __future__ import annotations

from collections import Counter
from typing import TYPE_CHECKING, Any

from rich.style import Style
from rich.text import Text
from textual.widget import Widget

from margin.tui.palette import palette_for

if TYPE_CHECKING:
    from margin.search.results import Hit


class TermLegend(Widget):
    DEFAULT_CSS = """
    TermLegend { height: 1; padding: 0 2; display: none; color: $text-muted; }
    TermLegend.-shown { display: block; }
    """

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.terms: tuple[str, ...] = ()
        self.counts: Counter[int] = Counter()
        self.documents: tuple[int, ...] = ()  # per term, the results holding it (after typing pauses)
        self.chosen: int | None = None  # the term the reader's `#` follows, underlined here

    def show_terms(self, terms: tuple[str, ...]) -> None:
        """The terms of the query whose results are listed (none: the legend hides)."""
        if terms != self.terms:
            self.terms, self.counts, self.documents = terms, Counter(), ()
            self.set_class(bool(terms), "-shown")
            self.refresh()

    def show_hits(self, hits: list[Hit]) -> None:
        """The hits of each term in the article shown."""
        self.counts = Counter(h.term for h in hits)
        self.refresh()

    def choose(self, term: int | None) -> None:
        self.chosen = term
        self.refresh()

    def show_documents(self, documents: tuple[int, ...]) -> None:
        self.documents = documents
        self.refresh()

    def render(self) -> Text:
        palette = palette_for(self.app.current_theme)
        text = Text(no_wrap=True, overflow="ellipsis")
        for number, label in enumerate(self.terms):
            if number:
                text.append(" · ")
            chosen = Style(underline=True, bold=True) if number == self.chosen else Style()
            text.append(f" {label} ", palette.term(number) + chosen)
            text.append(f" {self.counts.get(number, 0):,}")
            if number < len(self.documents):
                text.append(f"/{self.documents[number]:,}", "dim")
        return text
