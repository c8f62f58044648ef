"""The Margin reader: the app starts the main screen and holds what applies over every screen.

Quit, help and the command palette are bound here; the theme chosen in the palette is saved in
the config folder and restored at the next start. Everything else (panes, workers, passages)
belongs to MainScreen, so the app's state is the keymap, the user database and the theme.
"""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path
from typing import Any

from textual.app import App, SystemCommand
from textual.command import Provider
from textual.screen import Screen
from textual.theme import Theme

from margin.search.userdata.database import UserData
from margin.tui import keymap, settings
from margin.tui.screens.dialogs import HelpScreen
from margin.tui.screens.main import APP_ACTIONS, MainScreen


class MarginApp(App[None]):
    TITLE = "margin"
    BINDINGS = keymap.bindings("anywhere", only=APP_ACTIONS)
    COMMANDS = App.COMMANDS | {lambda: _margin_commands()}

    def __init__(self, corpus: Path | None = None, index: Path | None = None, keymap_file: Path | None = None,
                 userdata: UserData | None = None, userdata_notice: str = "") -> None:
        super().__init__()
        self.corpus, self.index, self.userdata = corpus, index, userdata
        self.userdata_notice = userdata_notice
        self.keys = keymap.load(keymap.user_keymap_files(keymap_file))
        self.settings = settings.load()
        if self.settings.theme in self.available_themes:
            self.theme = self.settings.theme

    def get_default_screen(self) -> MainScreen:
        return MainScreen(self.corpus, self.index, self.userdata, self.userdata_notice)

    @property
    def main(self) -> MainScreen:
        """The main screen (also while a dialog is over it): the bottom of the stack."""
        screen = self.screen_stack[0]
        assert isinstance(screen, MainScreen)
        return screen

    def on_mount(self) -> None:
        self.set_keymap(self.keys.overrides)
        self.theme_changed_signal.subscribe(self, self._theme_changed)
        for problem in (*self.keys.problems, *self.settings.problems):
            self.notify(problem, title="margin", severity="warning", timeout=15, markup=False)

    def _theme_changed(self, theme: Theme) -> None:
        problem = settings.save(settings.Settings(theme=theme.name))
        if problem:
            self.notify(problem, severity="warning", markup=False)

    def action_help(self) -> None:
        self.push_screen(HelpScreen(self.keys.actions))

    def get_system_commands(self, screen: Screen[Any]) -> Iterable[SystemCommand]:
        """Textual's own commands but those margin's palette has under its own names (Quit, and
        Keys, which `?` shows as remapped): the palette listed two Quits."""
        ours = {"Quit", "Keys"}
        return (command for command in super().get_system_commands(screen) if command.title not in ours)


def _margin_commands() -> type[Provider]:
    """The palette's provider, imported when the palette first opens (not before the first frame)."""
    from margin.tui.commands import MarginCommands

    return MarginCommands
