"""What one copy of a story adds to another, or what an article's new version changed.

The copy's (or the new version's) text with its new sentences lit in one colour and the new
words of changed sentences in another; the sentences the other text has and this one dropped are
listed under it; for a new version, the passages as they are placed now beside their text when
they were made. `c` (the reader's key again) steps to the next copy of the family.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from rich.text import Text
from textual.app import ComposeResult
from textual.containers import VerticalScroll
from textual.screen import Screen
from textual.widgets import Footer, Static

from margin.search.stories.compare import Comparison
from margin.tui.keymap import bindings

NEW = "black on #9be39b"  # both at 4.5:1 or more for black text
CHANGED = "black on #f2d76b"
DROPPED = "#c06060"


@dataclass(frozen=True)
class Passage:
    """A passage of the article as placed on its new text, beside its text when it was made."""

    now: str
    then: str
    exact: bool
    made: str  # "made on the version replaced 2026-12-07 10:02", or "made on this version"


@dataclass(frozen=True)
class Shown:
    """A comparison as the screen shows it."""

    heading: str
    text: str  # this copy's (or the new version's) body
    comparison: Comparison
    passages: tuple[Passage, ...] = ()


def comparison_text(shown: Shown) -> Text:
    """The body with its changes lit, then what it dropped, then the passages."""
    out = Text()
    out.append(shown.heading + "\n", style="bold")
    out.append(shown.comparison.summary + "\n\n", style="dim")
    body = Text(shown.text)
    for change in shown.comparison.changes:
        if change.kind == "new":
            body.stylize(NEW, change.start, change.end)
        elif change.kind == "changed":
            for start, end in change.words:
                body.stylize(CHANGED, start, end)
    out.append_text(body)
    dropped = shown.comparison.of("dropped")
    if dropped:
        out.append(f"\n\nDropped ({len(dropped)}):\n", style="bold")
        for change in dropped:
            out.append(f"  − {change.other}\n", style=DROPPED)
    if shown.passages:
        out.append("\nPassages:\n", style="bold")
        for passage in shown.passages:
            out.append(f"  • {passage.now}\n")
            where = "placed exactly" if passage.exact else "placed approximately"
            out.append(f"    {passage.made}; {where}\n", style="dim")
            if passage.now != passage.then:
                out.append(f"    was: {passage.then}\n", style="dim")
    return out


class CompareScreen(Screen[None]):
    BINDINGS = bindings("compare_screen")
    DEFAULT_CSS = "CompareScreen #comparison { padding: 0 2; }"

    def __init__(self, shown: Shown, next_copy: Callable[[], None] | None = None) -> None:
        super().__init__()
        self.shown = shown
        self._next = next_copy

    def compose(self) -> ComposeResult:
        with VerticalScroll(id="scroll"):
            yield Static(comparison_text(self.shown), id="comparison")
        yield Footer()

    def show(self, shown: Shown) -> None:
        self.shown = shown
        self.query_one("#comparison", Static).update(comparison_text(shown))
        self.query_one("#scroll", VerticalScroll).scroll_home(animate=False)

    def action_next_copy(self) -> None:
        if self._next is not None:
            self._next()
        else:
            self.app.bell()

    def action_scroll_down(self) -> None:
        self.query_one("#scroll", VerticalScroll).scroll_down(animate=False)

    def action_scroll_up(self) -> None:
        self.query_one("#scroll", VerticalScroll).scroll_up(animate=False)

    def action_page_down(self) -> None:
        self.query_one("#scroll", VerticalScroll).scroll_page_down(animate=False)
