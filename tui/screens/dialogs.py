"""Modal screens: help generated from the live keymap, saving a search, the saved searches."""

from __future__ import annotations

from collections.abc import Callable
from typing import Protocol, TypeVar

from rich.table import Table
from rich.text import Text
from textual.app import ComposeResult
from textual.containers import Vertical, VerticalScroll
from textual.keys import key_to_character
from textual.screen import ModalScreen
from textual.suggester import Suggester
from textual.widgets import Input, Label, OptionList, Static
from textual.widgets.option_list import Option

from margin.search.errors import MarginError
from margin.search.plural import plural
from margin.search.results import EntityCount
from margin.search.userdata.database import SavedSearch, UserData
from margin.tui.keymap import CONTEXT_TITLES, CONTEXTS, KeyAction, bindings

T = TypeVar("T")


class Attempt(Protocol):
    """Run a store change; a failure is reported (status line) and gives None."""

    def __call__(self, what: str, call: Callable[[], T]) -> T | None: ...


def stored(call: Callable[[], T]) -> tuple[T | None, str | None]:
    """(what `call` gave, None), or (None, why it failed): for a write whose dialog stays open
    with what was typed when the store refuses it, so the user can try again."""
    try:
        return call(), None
    except MarginError as exc:
        return None, str(exc)


def key_label(keys: str) -> str:
    """"left_parenthesis,ctrl+p" -> "(, ctrl+p": keys as they are printed on the keyboard."""
    return ", ".join(_key_name(k.strip()) for k in keys.split(","))


_UNNAMED = {"slash": "/", "plus": "+", "minus": "-", "underscore": "_"}  # Textual has no character for these


def _key_name(key: str) -> str:
    if key == "space":  # a blank would be invisible
        return key
    character = _UNNAMED.get(key) or key_to_character(key)
    return character if character and character.isprintable() else key


class Dialog(ModalScreen[T]):
    """A modal screen that `close` dismisses with nothing."""

    def action_close(self) -> None:
        self.dismiss(None)


class HelpScreen(Dialog[None]):
    """Every action with the keys it has now (so remapped keys show as remapped)."""

    BINDINGS = bindings("help_screen")
    DEFAULT_CSS = """
    HelpScreen { align: center middle; }
    HelpScreen > VerticalScroll { width: 72; max-width: 100%; max-height: 90%; border: round $primary; background: $surface; padding: 0 1; }
    """

    def __init__(self, actions: dict[str, KeyAction]) -> None:
        super().__init__()
        self.actions = actions

    def rows(self, context: str) -> list[tuple[str, str]]:
        """(keys, description) of each action of a context, as shown."""
        return [(key_label(a.keys), a.description) for a in self.actions.values() if a.context == context]

    def compose(self) -> ComposeResult:
        with VerticalScroll(id="help") as scroll:
            scroll.border_title = "Keys (escape closes; remap them in keymap.yaml)"
            for context in CONTEXTS:
                table = Table(title=CONTEXT_TITLES[context], title_justify="left", show_header=False,
                              box=None, expand=False, title_style="bold", padding=(0, 2, 0, 0))
                table.add_column("keys", style="bold cyan", width=22)
                table.add_column("action")
                for keys, description in self.rows(context):
                    table.add_row(keys, description)
                yield Static(table, classes="help-group")


class AskScreen(Dialog[str | None]):
    """Ask for one line of text (a name for a search, an entity's new name or type)."""

    BINDINGS = bindings("save_search_dialog")
    DEFAULT_CSS = """
    AskScreen { align: center middle; }
    AskScreen > Vertical { width: 70; max-width: 100%; height: auto; border: round $primary; background: $surface; padding: 0 1; }
    """

    def __init__(self, question: Text, placeholder: str, value: str = "",
                 check: Callable[[str], str | None] | None = None, *, suggester: Suggester | None = None,
                 empty_is_an_answer: bool = False) -> None:
        """`check` says what is wrong with an answer (None: nothing): the dialog then stays open
        with what was typed, and says it. An empty answer is no answer (escape), unless
        `empty_is_an_answer` (an article's tags, all removed)."""
        super().__init__()
        self.question, self.placeholder, self.value, self.check = question, placeholder, value, check
        self.suggester, self.empty_is_an_answer = suggester, empty_is_an_answer

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Label(self.question)
            yield Input(self.value, placeholder=self.placeholder, id="name", suggester=self.suggester)
            yield Label("", id="problem")

    def on_input_submitted(self, event: Input.Submitted) -> None:
        answer = event.value.strip()
        problem = self.check(answer) if self.check is not None and answer else None
        if problem is None:
            self.dismiss(answer if answer or self.empty_is_an_answer else None)
            return
        self.query_one("#problem", Label).update(Text(f"{problem} · escape cancels", style="bold red"))


class SaveSearchScreen(AskScreen):
    """Ask for the name under which to save the current query."""

    def __init__(self, query: str) -> None:
        super().__init__(Text.assemble("Save ", (query, "bold"), " as:"), "name")
        self.query_text = query


class WithList(OptionList):
    """The entities appearing with one, with keys from keymap.yaml."""

    BINDINGS = bindings("with_list")


class WithScreen(Dialog[EntityCount | None]):
    """Who and what appears with an entity in the current results, by documents in common; enter
    gives the row chosen (the caller searches for the documents naming both)."""

    DEFAULT_CSS = """
    WithScreen { align: center middle; }
    WithScreen > WithList { width: 80; max-width: 100%; max-height: 80%; border: round $primary; background: $surface; }
    """

    def __init__(self, kind: str, name: str, within: str, rows: list[EntityCount]) -> None:
        super().__init__()
        self.entity, self.within, self.rows = (kind, name), within, rows  # `name` is the widget's own

    def compose(self) -> ComposeResult:
        listing = WithList()
        where = f" in the results for {self.within}" if self.within.strip() else ""
        listing.border_title = f"Appearing with {self.entity[1]}{where}"
        listing.border_subtitle = "enter: the documents naming both · escape closes"
        if not self.rows:
            listing.add_option(Option("Nothing else is named in these documents.", disabled=True))
        listing.add_options(Option(Text.assemble((r.name, "bold"), f"  {r.type}",
                                                 (f"  {plural(r.count, 'document')} in common", "dim")))
                            for r in self.rows)
        yield listing

    def on_mount(self) -> None:
        listing = self.query_one(WithList)
        listing.highlighted = 0 if self.rows else None
        listing.focus()

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        self.dismiss(self.rows[event.option_index])


class SavedList(OptionList):
    """The saved searches, with keys from keymap.yaml (OptionList's own bindings have no ids)."""

    BINDINGS = bindings("saved_searches")


class SavedSearchesScreen(Dialog[SavedSearch | None]):
    """The saved searches with their current counts; enter runs one, d deletes one, u undoes."""

    DEFAULT_CSS = """
    SavedSearchesScreen { align: center middle; }
    SavedSearchesScreen > SavedList { width: 90; max-width: 100%; max-height: 80%; border: round $primary; background: $surface; }
    """

    def __init__(self, searches: list[tuple[SavedSearch, int]], userdata: UserData, attempt: Attempt) -> None:
        super().__init__()
        self.searches, self.userdata, self.attempt = searches, userdata, attempt
        self.deleted: list[tuple[SavedSearch, int]] = []

    def compose(self) -> ComposeResult:
        yield SavedList()

    def on_mount(self) -> None:
        self._fill()

    def _fill(self, highlighted: int = 0) -> None:
        listing = self.query_one(SavedList)
        listing.clear_options()
        listing.border_title = "Saved searches"
        listing.border_subtitle = "enter runs · d deletes · u undoes · escape closes"
        if not self.searches:
            listing.add_option(Option("No saved searches yet: ctrl+s saves the current one.", disabled=True))
            return
        listing.add_options(Option(Text.assemble((s.name, "bold"), "  ", (s.query, "cyan"),
                                                 (f"  {plural(n, 'document')}", "dim")), id=s.name)
                            for s, n in self.searches)
        listing.highlighted = min(highlighted, len(self.searches) - 1)
        listing.focus()

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        self.dismiss(next((s for s, _ in self.searches if s.name == event.option.id), None))

    def action_delete_saved(self) -> None:
        at = self.query_one(SavedList).highlighted
        if at is None or not self.searches:
            return
        saved, count = self.searches[at]
        if self.attempt("Deleting the saved search", lambda: self.userdata.delete_search(saved.name)):
            self.deleted.append((saved, count))
            self.searches = self.searches[:at] + self.searches[at + 1 :]
            self._fill(at)
            self.notify(f"Deleted “{saved.name}” · u undoes", markup=False)

    def action_undo_saved(self) -> None:
        if not self.deleted:
            self.app.bell()
            return
        saved, count = self.deleted[-1]

        def restore() -> bool:
            self.userdata.save_search(saved.name, saved.query, saved.sort)
            return True

        if self.attempt("Restoring the saved search", restore):
            self.deleted.pop()
            self.searches = sorted([*self.searches, (saved, count)], key=lambda item: item[0].name.casefold())
            self._fill(self.searches.index((saved, count)))


class ChoiceList(OptionList):
    """The choices of a ChoiceScreen, with keys from keymap.yaml."""

    BINDINGS = bindings("with_list")


class ChoiceScreen(Dialog[str | None]):
    """One of a few actions, each labelled with what it will do (`Mark 1,544 documents read`);
    enter gives its key, escape nothing."""

    DEFAULT_CSS = """
    ChoiceScreen { align: center middle; }
    ChoiceScreen > ChoiceList { width: 70; max-width: 100%; height: auto; border: round $primary; background: $surface; }
    """

    def __init__(self, title: Text, choices: list[tuple[str, str]]) -> None:
        super().__init__()
        self.title_text, self.choices = title, choices

    def compose(self) -> ComposeResult:
        listing = ChoiceList(*(Option(label, id=key) for key, label in self.choices))
        listing.border_title = self.title_text
        listing.border_subtitle = "enter: do it · escape: cancel"
        yield listing

    def on_mount(self) -> None:
        listing = self.query_one(ChoiceList)
        listing.highlighted = 0
        listing.focus()

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        self.dismiss(event.option.id)
