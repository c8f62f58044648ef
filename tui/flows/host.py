"""What every flow of the main screen may use of it: the library, a reply in the status line,
and work in a thread worker that posts its answer back as a message."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Protocol

from textual.message import Message

if TYPE_CHECKING:
    from margin.search.library import Library


class FlowHost(Protocol):
    library: Library | None

    def say(self, message: str) -> None: ...
    def post_message(self, message: Message) -> bool: ...
    def in_thread(self, work: Callable[[], object], *, group: str, exclusive: bool, description: str) -> None: ...
