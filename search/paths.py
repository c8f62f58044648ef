"""Where margin keeps its files: platformdirs locations, each overridable by an environment variable.

The index is a cache (rebuildable from the corpus); saved searches, history and tagged passages
are user data; keymap.yaml is configuration. MARGIN_CACHE_DIR, MARGIN_DATA_DIR and
MARGIN_CONFIG_DIR point them elsewhere (tests, portable installs).
"""

from __future__ import annotations

import hashlib
import importlib.util
import os
import re
from pathlib import Path

import platformdirs

APP = "margin"


def _dir(env: str, default: str) -> Path:
    return Path(os.environ.get(env) or default)


def cache_dir() -> Path:
    return _dir("MARGIN_CACHE_DIR", platformdirs.user_cache_dir(APP, appauthor=False))


def data_dir() -> Path:
    return _dir("MARGIN_DATA_DIR", platformdirs.user_data_dir(APP, appauthor=False))


def config_dir() -> Path:
    return _dir("MARGIN_CONFIG_DIR", platformdirs.user_config_dir(APP, appauthor=False))


def index_dir_for(corpus: Path) -> Path:
    """One index per corpus folder, named after the folder and a hash of its absolute path."""
    resolved = corpus.resolve()
    digest = hashlib.sha1(str(resolved).encode("utf-8", "surrogateescape")).hexdigest()[:12]
    slug = re.sub(r"[^A-Za-z0-9_.-]+", "-", resolved.name)[:40] or "corpus"
    return cache_dir() / "indexes" / f"{slug}-{digest}"


def _package_dir(name: str) -> Path:
    """Folder of a data-only package (margin.corpus, margin), editable or installed."""
    spec = importlib.util.find_spec(name)
    if spec is None or not spec.submodule_search_locations:
        raise FileNotFoundError(f"{name} is not installed with margin")
    return Path(next(iter(spec.submodule_search_locations)))


def bundled_corpus() -> Path:
    return _package_dir("margin.corpus")


def default_keymap() -> Path:
    return _package_dir("margin") / "keymap.yaml"


def default_corpus() -> Path:
    """MARGIN_CORPUS if set, else the corpus that ships with margin."""
    return Path(os.environ["MARGIN_CORPUS"]) if os.environ.get("MARGIN_CORPUS") else bundled_corpus()
