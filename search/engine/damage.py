"""Telling damage to an index's files from a bug: the one costs a rebuild, the other must not."""

from __future__ import annotations

import os
import pickle
import struct
import zlib

from margin.search.engine.api import EngineDamage

_DAMAGE = (zlib.error, struct.error, EOFError, pickle.UnpicklingError, UnicodeDecodeError, ValueError, IndexError,
           KeyError, OSError)


def is_damage(exc: BaseException) -> bool:
    """Whether `exc` is what reading damaged index files raises: an engine's EngineDamage, or a
    zlib, struct, EOF or unpickling error (and the like) raised inside Whoosh, as opposed to a bug
    in margin or in Whoosh's query code (an AttributeError inside Whoosh must not cost a rebuild)."""
    if isinstance(exc, EngineDamage):
        return True
    if not isinstance(exc, _DAMAGE):
        return False
    tb = exc.__traceback__
    last = None
    while tb is not None:
        last = tb.tb_frame.f_code.co_filename
        tb = tb.tb_next
    return last is not None and f"{os.sep}whoosh{os.sep}" in last
