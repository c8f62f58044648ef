"""Command palette: every keymap action with its key, saved searches, and documents by title."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from functools import partial
from typing import TYPE_CHECKING

from textual.command import DiscoveryHit, Hit, Hits, Provider

from margin.tui.screens.dialogs import key_label

if TYPE_CHECKING:
    from margin.tui.app import MarginApp
    from margin.tui.screens.main import MainScreen

TARGETS = {"document_list": "#list", "reader": "#reader", "sidebar": "#sidebar", "search_box": "#search"}


class MarginCommands(Provider):
    @property
    def margin(self) -> MarginApp:
        from margin.tui.app import MarginApp

        assert isinstance(self.app, MarginApp)
        return self.app

    @property
    def main(self) -> MainScreen:
        return self.margin.main

    def _actions(self) -> Iterator[tuple[str, Callable[[], object], str]]:
        for action in self.margin.keys.actions.values():
            if action.id == "command_palette" or action.context not in {"anywhere", *TARGETS}:
                continue  # dialog and passages-screen keys mean nothing outside those screens
            label = f"{action.description}  ({key_label(action.keys)})"
            yield label, partial(self._run, action.runs, action.context), action.context

    def _run(self, action: str, context: str) -> None:
        """Run an action where its key would: on the app, the main screen or the pane it belongs to."""
        main = self.main
        if context != "anywhere":
            target = main.query_one(TARGETS[context])
            target.focus()
            self.app.call_later(target.run_action, action)
        elif hasattr(main, f"action_{action}"):
            self.app.call_later(main.run_action, action)
        else:
            self.app.call_later(self.app.run_action, action)

    async def discover(self) -> Hits:
        for label, command, context in self._actions():
            yield DiscoveryHit(label, command, help=context.replace("_", " "))

    async def search(self, query: str) -> Hits:
        matcher = self.matcher(query)
        for label, command, context in self._actions():
            score = matcher.match(label)
            if score > 0:
                yield Hit(score, matcher.highlight(label), command, help=context.replace("_", " "))
        main = self.main
        if main.userdata is not None:
            for saved in main.userdata.saved_searches():
                label = f"Saved search: {saved.name} ({saved.query})"
                score = matcher.match(label)
                if score > 0:
                    yield Hit(score, matcher.highlight(label), partial(main.run_saved, saved))
        words = [w for w in query.replace('"', " ").split() if w.isalnum()]
        if main.library is not None and words:
            for row in await main.title_matches(" ".join(f"title:{w}*" for w in words)):
                label = f"Open: {row.title}"
                yield Hit(max(0.5, matcher.match(label)), matcher.highlight(label),
                          partial(main.open_document, row.doc_id), help=row.doc_id)
