"""Handing a document to the rest of the desktop: its link to the browser, its file to a viewer.

A terminal reader often runs where no window can open (over SSH, in a container). There Python's
webbrowser falls back to a text browser in the same terminal, fighting the reader for it; so
without a window system the link is copied to the clipboard instead (see MainScreen.action_open_link).
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from margin.search.errors import MarginError

WEB_SCHEMES = ("http://", "https://")


def windows_can_open() -> bool:
    """A browser or viewer would show up somewhere the user can see it."""
    if sys.platform in ("darwin", "win32"):
        return True
    return bool(os.environ.get("DISPLAY") or os.environ.get("WAYLAND_DISPLAY"))


def web_link(url: str) -> str | None:
    """The URL if a browser can open it (a mail's `mid:` link or a `javascript:` one it cannot)."""
    return url if url.lower().startswith(WEB_SCHEMES) else None


def open_file(path: Path) -> None:
    """Open a file in the system's viewer, detached from the reader (MarginError when there is none)."""
    if sys.platform == "win32":
        os.startfile(path)  # type: ignore[attr-defined]  # Windows only
        return
    opener = "open" if sys.platform == "darwin" else "xdg-open"
    try:
        subprocess.Popen([opener, str(path)], stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL,
                         stderr=subprocess.DEVNULL, start_new_session=True)
    except OSError as exc:
        raise MarginError(f"cannot run {opener} to open {path}: {exc.strerror or exc}") from exc
