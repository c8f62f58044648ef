"""Modal screens: help generated from the live keymap, saving a search, the saved searches."""

from __future__ import annotations

from collections.abc import Callable

from rich.table import Table
from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical, VerticalScroll
from textual.keys import key_to_character
from textual.screen import ModalScreen
from textual.widgets import Input, Label, OptionList, Static
from textual.widgets.option_list import Option

from margin.search.userdata import SavedSearch

from .keymap import CONTEXT_TITLES, CONTEXTS, KeyAction

CLOSE = [Binding("escape,q,question_mark", "dismiss_screen", "Close")]


def key_label(keys: str) -> str:
    """"left_parenthesis,ctrl+p" -> "(, ctrl+p": keys as they are printed on the keyboard."""
    return ", ".join(_key_name(k.strip()) for k in keys.split(","))


def _key_name(key: str) -> str:
    if key == "space":  # a blank would be invisible
        return key
    character = "/" if key == "slash" else key_to_character(key)  # Textual has no character for slash
    return character if character and character.isprintable() else key


class HelpScreen(ModalScreen[None]):
    """Every action with the keys it has now (so remapped keys show as remapped)."""

    BINDINGS = CLOSE
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

    def action_dismiss_screen(self) -> None:
        self.dismiss(None)


class SaveSearchScreen(ModalScreen[str | None]):
    """Ask for the name under which to save the current query."""

    BINDINGS = [Binding("escape", "dismiss_screen", "Cancel")]
    DEFAULT_CSS = """
    SaveSearchScreen { align: center middle; }
    SaveSearchScreen > Vertical { width: 70; max-width: 100%; height: auto; border: round $primary; background: $surface; padding: 0 1; }
    """

    def __init__(self, query: str) -> None:
        super().__init__()
        self.query_text = query

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Label(Text.assemble("Save ", (self.query_text, "bold"), " as:"))
            yield Input(placeholder="name", id="name")

    def on_input_submitted(self, event: Input.Submitted) -> None:
        self.dismiss(event.value.strip() or None)

    def action_dismiss_screen(self) -> None:
        self.dismiss(None)


class SavedSearchesScreen(ModalScreen[SavedSearch | None]):
    """The saved searches with their current hit counts; Enter opens one, d deletes one."""

    BINDINGS = [*CLOSE, Binding("d,delete", "delete_saved", "Delete")]
    DEFAULT_CSS = """
    SavedSearchesScreen { align: center middle; }
    SavedSearchesScreen > OptionList { width: 90; max-width: 100%; max-height: 80%; border: round $primary; background: $surface; }
    """

    def __init__(self, searches: list[tuple[SavedSearch, int]], delete: Callable[[str], None]) -> None:
        super().__init__()
        self.searches = searches
        self.delete = delete

    def compose(self) -> ComposeResult:
        options = [Option(Text.assemble((s.name, "bold"), "  ", (s.query, "cyan"), (f"  {n} documents", "dim")),
                          id=s.name) for s, n in self.searches]
        yield OptionList(*options or [Option("No saved searches yet: ctrl+s saves the current one.",
                                             disabled=True)])

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        chosen = next((s for s, _ in self.searches if s.name == event.option.id), None)
        self.dismiss(chosen)

    def action_delete_saved(self) -> None:
        options = self.query_one(OptionList)
        if options.highlighted is None:
            return
        name = options.get_option_at_index(options.highlighted).id
        if name:
            self.delete(name)
            self.searches = [(s, n) for s, n in self.searches if s.name != name]
            options.remove_option(name)

    def action_dismiss_screen(self) -> None:
        self.dismiss(None)
