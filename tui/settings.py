"""What the reader remembers between runs in the config folder: `settings.yaml` (the theme).

The file is the program's, rewritten whole on every change (atomically, so a crash leaves the
old one); a broken or unreadable one is reported in one line and the defaults are used.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path

import yaml

from margin.search import paths

FILENAME = "settings.yaml"


@dataclass(frozen=True)
class Settings:
    theme: str | None = None
    problems: list[str] = field(default_factory=list, compare=False)


def settings_file() -> Path:
    return paths.config_dir() / FILENAME


def load() -> Settings:
    path = settings_file()
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8")) if path.is_file() else {}
    except (OSError, UnicodeDecodeError, yaml.YAMLError) as exc:
        return Settings(problems=[f"{path}: {_reason(exc)}; using the default theme"])
    if not isinstance(data, dict):
        return Settings(problems=[f"{path}: expected a mapping such as 'theme: nord'; using the default theme"])
    theme = data.get("theme")
    return Settings(theme=theme if isinstance(theme, str) else None)


def save(settings: Settings) -> str | None:
    """Write the settings; a problem comes back as one line (the reader goes on without saving)."""
    path = settings_file()
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        tmp = path.with_suffix(".tmp")
        tmp.write_text(yaml.safe_dump({"theme": settings.theme}), encoding="utf-8")
        os.replace(tmp, path)
    except OSError as exc:
        return f"could not save {path}: {exc.strerror or exc}"
    return None


def _reason(exc: Exception) -> str:
    mark = getattr(exc, "problem_mark", None)
    where = f"line {mark.line + 1}: " if mark else ""
    return where + str(getattr(exc, "problem", None) or getattr(exc, "strerror", None) or exc)
