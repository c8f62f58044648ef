"""Reading one file in a forked child with its own memory limit and time limit.

pdfium is C++: a 0.65 MB PDF with a 256 MB FlateDecode stream made it abort the process (signal
6), which in the reader closed the app. In a child, an abort, a crash or an allocation refused by
the limit ends only the child, and the file is skipped with the reason. Where there is no fork
(Windows), the work runs in this process.
"""

from __future__ import annotations

import faulthandler
import os
import pickle
import resource
import select
import signal
import time
from collections.abc import Callable
from typing import TypeVar

from margin.search.errors import UnreadableFile, reader_failure

T = TypeVar("T")
MEMORY = 400 * 1024 * 1024  # address space the child may add to what it inherits
SECONDS = 60.0


def run_isolated(work: Callable[[], T], what: str, *, memory: int = MEMORY, seconds: float = SECONDS) -> T:
    """`work()`'s result, computed in a child; its UnreadableFile, or why the child failed, as UnreadableFile."""
    if not hasattr(os, "fork"):
        return work()
    read_end, write_end = os.pipe()
    pid = os.fork()
    if pid == 0:  # the child: never returns
        os.close(read_end)
        _child(work, write_end, memory)
    os.close(write_end)
    try:
        data = _read_until(read_end, time.monotonic() + seconds)
    finally:
        os.close(read_end)
    if data is None:
        os.kill(pid, signal.SIGKILL)
    _, status = os.waitpid(pid, 0)
    if data is None:
        raise UnreadableFile(f"the {what} reader took longer than {seconds:.0f} s on this file")
    if not data:
        why = f"signal {os.WTERMSIG(status)}" if os.WIFSIGNALED(status) else f"exit {os.WEXITSTATUS(status)}"
        raise UnreadableFile(f"the {what} reader crashed on this file ({why})")
    kind, value = pickle.loads(data)
    if kind == "unreadable":
        raise UnreadableFile(value)
    return value  # type: ignore[no-any-return]


def _child(work: Callable[[], object], out: int, memory: int) -> None:
    status = 1
    try:
        _silenced()
        _limit_memory(memory)
        try:
            outcome: tuple[str, object] = ("ok", work())
        except UnreadableFile as exc:
            outcome = ("unreadable", str(exc))
        except Exception as exc:  # the library's own failure, named in the reason
            outcome = ("unreadable", reader_failure(exc))
        with os.fdopen(out, "wb") as stream:
            pickle.dump(outcome, stream, protocol=pickle.HIGHEST_PROTOCOL)
        status = 0
    finally:
        os._exit(status)


def _silenced() -> None:
    """Nothing the library or a crash prints reaches the terminal: the parent says what happened."""
    faulthandler.disable()
    devnull = os.open(os.devnull, os.O_WRONLY)
    os.dup2(devnull, 2)
    os.close(devnull)


def _limit_memory(extra: int) -> None:
    """The child's address space capped at what it inherited plus `extra`."""
    try:
        with open("/proc/self/status") as status:
            size = next(int(line.split()[1]) * 1024 for line in status if line.startswith("VmSize:"))
    except (OSError, StopIteration, ValueError):
        return
    resource.setrlimit(resource.RLIMIT_AS, (size + extra, size + extra))


def _read_until(fd: int, deadline: float) -> bytes | None:
    """Everything the child writes, or None when the deadline passes first."""
    chunks: list[bytes] = []
    waiting = select.poll()  # not select(): it refuses a descriptor numbered over 1023 (a busy process)
    waiting.register(fd, select.POLLIN | select.POLLHUP)
    while True:
        left = deadline - time.monotonic()
        if left <= 0 or not waiting.poll(left * 1000):
            return None
        chunk = os.read(fd, 1 << 20)
        if not chunk:
            return b"".join(chunks)
        chunks.append(chunk)
