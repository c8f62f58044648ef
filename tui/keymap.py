"""keymap.yaml: the bindings of every pane, and the user's overrides, checked line by line.

The default keymap.yaml is the single source of the key bindings: each id is also the name of
the action it runs in its context. A user's keymap.yaml (config folder) or --keymap FILE may
override any subset, nested by context like the default or flat (`id: keys`). Textual itself does
not report an unknown id, a key bound twice, or a printable key the search box would swallow, so
we do, naming the file and line; bad entries keep their default keys.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, replace
from functools import lru_cache
from pathlib import Path

import yaml
from textual.binding import Binding, BindingType

from margin.search import paths

CONTEXT_TITLES = {"anywhere": "Anywhere", "timeline": "Timeline", "document_list": "Document list", "reader": "Reader",
                  "sidebar": "Entity sidebar", "search_box": "Search box", "passage_dialog": "Tagging dialog",
                  "passages_screen": "Passages screen", "passages_list": "Passages list",
                  "saved_searches": "Saved searches", "save_search_dialog": "Typing a name",
                  "with_list": "Appearing with an entity", "compare_screen": "Comparing copies or versions",
                  "help_screen": "This help"}
CONTEXTS = tuple(CONTEXT_TITLES)
# A printable key there would be typed, not run.
TYPING_CONTEXTS = ("search_box", "passage_dialog", "save_search_dialog")


@dataclass(frozen=True)
class KeyAction:
    id: str
    context: str
    keys: str
    description: str
    footer: bool = True  # shown in the footer bar (help and the palette list every action)
    action: str = ""  # the action it runs, when it is not the id (several ids can share one action)
    first: bool = False  # runs before the focused widget sees the key (a priority binding), printable or not
    label: str = ""  # the footer's short name, when the description would not fit beside the others

    @property
    def runs(self) -> str:
        return self.action or self.id

    @property
    def key_list(self) -> list[str]:
        return [k.strip() for k in self.keys.split(",") if k.strip()]


def printable(key: str) -> bool:
    """A key an Input would insert as text (so an app binding cannot fire while typing):
    a character, or a character's name such as question_mark or space."""
    return "+" not in key and key not in _NAMED_KEYS


# Keys the panes use themselves (escape drops a selection, enter opens): never priority.
_WIDGET_KEYS = {"enter", "escape", "up", "down", "left", "right", "home", "end", "pageup", "pagedown", "backspace",
                "delete"}
_NAMED_KEYS = {"enter", "escape", "tab", "backspace", "delete", "insert", "home", "end", "pageup",
               "pagedown", "up", "down", "left", "right", *(f"f{i}" for i in range(1, 25))}


def _yaml_nodes(text: str) -> Iterator[tuple[str | None, str, yaml.Node, int]]:
    """(context or None, id, value, line) for each entry, with 1-based line numbers."""
    root = yaml.compose(text, Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader))  # libyaml: 17 -> 2 ms
    if root is None:
        return
    if not isinstance(root, yaml.MappingNode):
        raise ValueError(f"line {root.start_mark.line + 1}: expected a mapping of action ids")
    for key_node, value_node in root.value:
        if isinstance(value_node, yaml.MappingNode) and key_node.value in CONTEXTS:
            for id_node, entry in value_node.value:
                yield key_node.value, id_node.value, entry, id_node.start_mark.line + 1
        else:
            yield None, key_node.value, value_node, key_node.start_mark.line + 1


def _keys_of(node: yaml.Node) -> str | None:
    if isinstance(node, yaml.ScalarNode):
        return str(node.value)
    if isinstance(node, yaml.MappingNode):
        for key_node, value_node in node.value:
            if key_node.value == "keys" and isinstance(value_node, yaml.ScalarNode):
                return str(value_node.value)
    return None


def _read(path: Path) -> list[tuple[str | None, str, yaml.Node, int]]:
    return list(_yaml_nodes(path.read_text(encoding="utf-8-sig")))


@lru_cache(maxsize=1)
def defaults() -> dict[str, KeyAction]:
    """The shipped keymap.yaml, parsed once: it defines every action id."""
    actions = {}
    for context, action_id, node, _ in _read(paths.default_keymap()):
        fields = {k.value: v.value for k, v in node.value} if isinstance(node, yaml.MappingNode) else {}
        actions[action_id] = KeyAction(action_id, context or "anywhere", _keys_of(node) or "",
                                       fields.get("description", ""), fields.get("footer", "true") != "false",
                                       fields.get("action", ""), fields.get("first", "false") == "true",
                                       fields.get("label", ""))
    return actions


def bindings(context: str, *, only: frozenset[str] | None = None,
             exclude: frozenset[str] = frozenset()) -> list[BindingType]:
    """Textual bindings of one context (or of `only` some of its ids), each with its id so the
    keymap can remap it.

    Keys that are not printable (ctrl+..., F-keys, tab) get priority in the `anywhere` context, so
    they work while the search box has focus; printable ones must not, or typing would trigger them.
    """
    result: list[BindingType] = []
    for action in defaults().values():
        if action.context != context or action.id in exclude or (only is not None and action.id not in only):
            continue
        priority = action.first or (context == "anywhere"
                                    and not any(printable(k) or k in _WIDGET_KEYS for k in action.key_list))
        result.append(Binding(action.keys, action.runs, action.label or action.description, id=action.id,
                              priority=priority, show=action.footer, tooltip=action.description))
    return result


@dataclass
class LoadedKeymap:
    actions: dict[str, KeyAction]
    overrides: dict[str, str]
    problems: list[str]

    def action_for(self, context: str, key: str) -> KeyAction | None:
        return next((a for a in self.actions.values() if a.context == context and key in a.key_list), None)


def load(files: list[Path]) -> LoadedKeymap:
    """Merge the user's files over the defaults; every rejected entry becomes one problem line."""
    actions = dict(defaults())
    overrides: dict[str, str] = {}
    problems: list[str] = []
    for path in files:
        if not path.is_file():
            continue
        try:
            entries = _read(path)
        except (OSError, UnicodeDecodeError, ValueError, yaml.YAMLError) as exc:
            mark = getattr(exc, "problem_mark", None)
            where = f" line {mark.line + 1}" if mark else ""
            reason = getattr(exc, "problem", None) or str(exc)
            problems.append(f"{path}{where}: {reason}; using the default keys")
            continue
        for context, action_id, node, line in entries:
            problem = _check_entry(actions, context, action_id, node)
            if problem:
                problems.append(f"{path} line {line}: {problem}")
                continue
            keys = ",".join(k.strip() for k in (_keys_of(node) or "").split(","))
            candidate = replace(actions[action_id], keys=keys)
            clash = _clash(actions, candidate)
            if clash:
                key, owner = clash
                problems.append(f"{path} line {line}: '{key}' is already bound to '{owner}' in "
                                f"{candidate.context}; '{action_id}' keeps {actions[action_id].keys}")
                continue
            actions[action_id] = candidate
            overrides[action_id] = keys
    return LoadedKeymap(actions, overrides, problems)


def _check_entry(actions: dict[str, KeyAction], context: str | None, action_id: str, node: yaml.Node) -> str | None:
    if action_id not in actions:
        return f"unknown action id '{action_id}'"
    if context is not None and actions[action_id].context != context:
        return f"'{action_id}' belongs to {actions[action_id].context}, not {context}"
    keys = _keys_of(node)
    if not keys or not keys.strip():
        return f"keys for '{action_id}' must be a string such as \"j,down\""
    if actions[action_id].context in TYPING_CONTEXTS:
        typed = [k for k in keys.split(",") if printable(k.strip())]
        if typed:
            where = CONTEXT_TITLES[actions[action_id].context].lower()
            return (f"'{typed[0].strip()}' for '{action_id}' would be typed into the {where}; "
                    "use a ctrl key, an F-key, an arrow, enter or escape")
    return None


def _clash(actions: dict[str, KeyAction], candidate: KeyAction) -> tuple[str, str] | None:
    """(key, other action id) when another action of the same context already uses a key of `candidate`."""
    for other in actions.values():
        if other.id != candidate.id and other.context == candidate.context:
            shared = set(other.key_list) & set(candidate.key_list)
            if shared:
                return sorted(shared)[0], other.id
    return None


def user_keymap_files(extra: Path | None) -> list[Path]:
    files = [paths.config_dir() / "keymap.yaml"]
    return files + [extra] if extra else files
