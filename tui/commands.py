"""Command palette: every keymap action with its key, saved searches, and documents by title."""

from __future__ import annotations

from functools import partial

from textual.command import DiscoveryHit, Hit, Hits, Provider

from .screens import key_label

TARGETS = {"document_list": "#list", "reader": "#reader", "sidebar": "#sidebar", "search_box": "#search"}


class MarginCommands(Provider):
    def _actions(self):
        app = self.app
        for action in app.keys.actions.values():
            if action.id == "command_palette" or action.context not in {"anywhere", *TARGETS}:
                continue  # dialog and passages-screen keys mean nothing outside those screens
            label = f"{action.description}  ({key_label(action.keys)})"
            yield label, partial(app.run_action, action.id) if action.context == "anywhere" else \
                partial(self._focused_action, action.id, action.context), action.context

    def _focused_action(self, action_id: str, context: str) -> None:
        target = self.app.query_one(TARGETS[context])
        target.focus()
        self.app.call_later(target.run_action, action_id)

    async def discover(self) -> Hits:
        for label, command, context in self._actions():
            yield DiscoveryHit(label, command, help=context.replace("_", " "))

    async def search(self, query: str) -> Hits:
        matcher = self.matcher(query)
        for label, command, context in self._actions():
            score = matcher.match(label)
            if score > 0:
                yield Hit(score, matcher.highlight(label), command, help=context.replace("_", " "))
        app = self.app
        if app.userdata is not None:
            for saved in app.userdata.saved_searches():
                label = f"Saved search: {saved.name} ({saved.query})"
                score = matcher.match(label)
                if score > 0:
                    yield Hit(score, matcher.highlight(label), partial(app.run_saved, saved))
        if app.library is not None and query.strip():
            words = [w for w in query.replace('"', " ").split() if w.isalnum()]
            if words:
                for row in await app.title_matches(" ".join(f"title:{w}*" for w in words)):
                    label = f"Open: {row.title}"
                    yield Hit(max(0.5, matcher.match(label)), matcher.highlight(label),
                              partial(app.open_document, row.doc_id), help=row.doc_id)
