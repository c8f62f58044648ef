"""Keys that reach a pane after the focus has left it.

Textual hands a key to the widget focused when the key is read, but resolves the pane's bindings
only when the key bubbles back up to the app, against whatever is focused by then. In a burst
such as `enter / a b c` from the list, `/` (a priority binding) has moved the focus to the search
box before the list sees its enter, so the enter became the box's own (run the search, focus the
list) and the keys after it went to the list. A pane that receives a key without the focus runs
its own binding for it here.
"""

from __future__ import annotations

from textual import events
from textual.widget import Widget


async def run_late_key(pane: Widget, context: str, event: events.Key) -> None:
    """Run `pane`'s action for a key sent to it while it had the focus; a no-op while it has it."""
    if pane.screen.focused is pane:  # not has_focus: that follows a moment later, with the Blur event
        return
    keys = getattr(pane.app, "keys", None)
    action = keys.action_for(context, event.key) if keys is not None else None
    if action is not None:
        event.stop()
        event.prevent_default()
        await pane.run_action(action.runs)
