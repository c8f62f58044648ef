"""Typing in a real terminal: how soon the search box shows each key, and the list its results.

Run a reader in tmux first (`tmux new-session -d -x 160 -y 45 -s NAME "margin --corpus DIR"`),
then `python3 bench/typing_tmux.py NAME [WORD]`. The word is typed with `send-keys`, 80 ms a key,
three times; the pane is read with `capture-pane` as fast as it goes (2-4 ms a read, included in
the figures). Echo: a prefix's key sent until the box holds it. List: until the status line
names it ("… for gover"), which it does once that query's results are on screen.
"""

from __future__ import annotations

import statistics
import subprocess
import sys
import threading
import time

KEY_GAP_S = 0.08


def _pane(session: str) -> list[str]:
    return subprocess.run(["tmux", "capture-pane", "-t", session, "-p"], capture_output=True, text=True,
                          check=True).stdout.splitlines()


def _keys(session: str, *keys: str, literal: bool = False) -> None:
    subprocess.run(["tmux", "send-keys", "-t", session, *(["-l"] if literal else []), *keys], check=True)


def one_run(session: str, word: str) -> tuple[list[float], list[float]]:
    _keys(session, "Escape", "Escape")
    time.sleep(1.5)
    _keys(session, "/")
    time.sleep(0.5)
    sent: dict[str, float] = {}

    def typer() -> None:
        for i, char in enumerate(word):
            sent[word[: i + 1]] = time.perf_counter()
            _keys(session, char, literal=True)
            time.sleep(KEY_GAP_S)

    thread = threading.Thread(target=typer)
    thread.start()
    echo: dict[str, float] = {}
    listed: dict[str, float] = {}
    give_up = time.perf_counter() + 10
    while time.perf_counter() < give_up and word not in listed:
        lines = _pane(session)
        now = time.perf_counter()
        box = lines[1].strip("│ ").rstrip() if len(lines) > 2 else ""
        status = lines[-2].strip() if len(lines) > 2 else ""
        for prefix, at in list(sent.items()):
            if prefix not in echo and box.startswith(prefix):
                echo[prefix] = now - at
            if prefix not in listed and status.endswith(f"for {prefix}"):
                listed[prefix] = now - at
    thread.join()
    return list(echo.values()), list(listed.values())


def _p95(values: list[float]) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(0.95 * len(ordered)))]


def main(session: str, word: str = "government") -> None:
    echo: list[float] = []
    listed: list[float] = []
    for _ in range(3):
        e, li = one_run(session, word)
        echo += e
        listed += li
    print(f"echo: median {statistics.median(echo) * 1000:.0f} ms p95 {_p95(echo) * 1000:.0f} ms (n={len(echo)}); "
          f"list: median {statistics.median(listed) * 1000:.0f} ms p95 {_p95(listed) * 1000:.0f} ms (n={len(listed)})")


if __name__ == "__main__":
    main(*sys.argv[1:3])
