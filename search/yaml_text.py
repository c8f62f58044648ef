"""YAML from files margin did not write (front matter, entities.yaml, a corrections line), within
bounds: a 371-byte alias bomb took 33 s and 630 MB, a value nested 5,000 brackets deep overflowed
the stack, and `2025-02-30` raised from the date parser. Every way it fails is one `BadYaml`
that says where and why, which the caller names with the file and skips."""

from __future__ import annotations

from typing import Any

import yaml

from margin.search.errors import MarginError

# libyaml's safe loader when PyYAML was built with it: front matter parsing dominates small files.
LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


class BadYaml(MarginError):
    """YAML that margin does not read; the message says why (and at which line, when known)."""


def load_yaml(source: str, limit: int, *, first_line: int = 1) -> Any:
    """The YAML value of `source`, or BadYaml: too long, aliases (*name), syntax, depth, a bad value."""
    if len(source) > limit:
        raise BadYaml(f"longer than {limit // 1024:,} KB")
    try:
        if "*" in source and any(isinstance(e, yaml.AliasEvent) for e in yaml.parse(source, Loader=LOADER)):
            raise BadYaml("uses YAML aliases (*name), which margin does not read")
        return yaml.load(source, Loader=LOADER)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f" at line {mark.line + first_line}" if mark else ""
        problem = getattr(exc, "problem", None) or "syntax error"
        raise BadYaml(f"is not valid YAML{where}: {problem}") from exc
    except RecursionError as exc:
        raise BadYaml("is nested too deeply") from exc
    except ValueError as exc:  # a date such as 2025-02-30
        raise BadYaml(f"has a value that is not valid: {exc}") from exc
