"""Processes forked to build an index: they must go when margin goes, and hold nothing of it.

Forked workers inherit the update lock's file (a flock): after `kill -9` or a closed terminal,
workers that lived on kept the corpus locked ("another margin process is building the index")
for minutes. With the parent-death signal they go with their parent, and so does the lock.
"""

from __future__ import annotations

import os


def become_worker() -> None:
    """What a forked build worker does first. Niced: the process that forked it (the reader
    itself, when it builds) keeps the CPU it needs to answer keys and to index."""
    die_with_parent()
    _forget_thread_pools()
    os.nice(5)


def _forget_thread_pools() -> None:
    """Forget the parent's thread pools in a forked worker.

    The reader builds in a Textual thread worker, a thread of a concurrent.futures pool. A process
    forked from it inherits the pool's exit hook, which joins the pool's threads at exit, the
    forking thread among them: "cannot join current thread" made every worker exit with 1 after
    its work was done, and the first opening of any folder of 500 files or more in the reader
    failed ("an indexing worker process failed"). The command line, which forks from the main
    thread, never met it.
    """
    from concurrent.futures import thread

    getattr(thread, "_threads_queues", {}).clear()


def die_with_parent() -> None:
    """Ask Linux to kill this process when its parent dies (elsewhere: it ends with its job queue)."""
    parent = os.getppid()
    try:
        import ctypes
        import signal

        ctypes.CDLL(None).prctl(1, signal.SIGKILL)  # PR_SET_PDEATHSIG (Linux)
    except (OSError, AttributeError):
        return  # not Linux: workers end when their job queue closes
    if os.getppid() != parent:  # the parent died before the signal was set
        os._exit(1)
