"""The extractor's fingerprint: which code, lists and model found an index's names.

An index records it (Manifest.extractor); an opening that finds another one keeps the index and
its text and finds every file's names again in the background, in the names pass's rounds, so
that better rules or a retrained model reach a folder indexed before them without a rebuild or a
schema bump.
"""

from __future__ import annotations

import hashlib
from functools import lru_cache
from importlib import resources

_CODE = ("chinese_names.py", "known.py", "learned.py", "mentions.py", "rules.py")
_DATA = ("cities.txt", "first_names.txt", "known_entities.yaml", "organizations.txt", "names_model.json.gz",
         "women_names.txt")


@lru_cache(maxsize=1)
def extractor_fingerprint() -> str:
    """A sha1 over the extractor's modules and data files, as installed."""
    digest = hashlib.sha1()
    for package, names in (("margin.search.entities", _CODE), ("margin.search.data", _DATA)):
        for name in names:
            path = resources.files(package).joinpath(name)
            digest.update(name.encode() + b"\0" + (path.read_bytes() if path.is_file() else b""))
    return digest.hexdigest()[:16]
