"""Margin's query tree: immutable nodes the grammar builds, the builder rewrites and each engine
translates. Equal nodes compare equal, so a tree can be de-duplicated and cached by value."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass, replace


@dataclass(frozen=True, slots=True)
class Term:
    field: str
    text: str
    boost: float = 1.0


@dataclass(frozen=True, slots=True)
class Phrase:
    """Words in order, each at most `slop` positions after the one before (1: adjacent).
    `compound`: one typed word the analyser split (`e-commerce`, `山寨机`), not a quotation."""

    field: str
    words: tuple[str, ...]
    slop: int = 1
    boost: float = 1.0
    compound: bool = False


@dataclass(frozen=True, slots=True)
class Prefix:
    field: str
    text: str
    boost: float = 1.0


@dataclass(frozen=True, slots=True)
class Wildcard:
    """`*` any run of characters, `?` one character."""

    field: str
    text: str
    boost: float = 1.0


@dataclass(frozen=True, slots=True)
class Fuzzy:
    """Words within `maxdist` edits of `text` whose first `prefix` letters are the same."""

    field: str
    text: str
    maxdist: int = 1
    prefix: int = 0
    boost: float = 1.0


@dataclass(frozen=True, slots=True)
class Range:
    """Terms between two texts; either end may be open (None)."""

    field: str
    start: str | None
    end: str | None
    start_excluded: bool = False
    end_excluded: bool = False
    boost: float = 1.0


@dataclass(frozen=True, slots=True)
class DateRange:
    """Documents dated from `start` (included) to `end` (excluded), ISO dates; undated never match."""

    start: str | None
    end: str | None
    boost: float = 1.0


@dataclass(frozen=True, slots=True)
class And:
    parts: tuple[Node, ...]
    boost: float = 1.0


@dataclass(frozen=True, slots=True)
class Or:
    parts: tuple[Node, ...]
    boost: float = 1.0


@dataclass(frozen=True, slots=True)
class Not:
    """Every document but those `part` matches (inside an And: the And's documents without them)."""

    part: Node
    boost: float = 1.0


@dataclass(frozen=True, slots=True)
class AndMaybe:
    """`+word other`: documents `required` matches, scored higher where `optional` matches too."""

    required: Node
    optional: Node
    boost: float = 1.0


@dataclass(frozen=True, slots=True)
class ConstantScore:
    """`part`'s documents, each scored `score` (a pattern's expansion scores as one word)."""

    part: Node
    score: float = 1.0
    boost: float = 1.0


@dataclass(frozen=True, slots=True)
class Every:
    boost: float = 1.0


@dataclass(frozen=True, slots=True)
class Nothing:
    """No document. `ignorable`: a pattern that matched no word, dropped from the And around it,
    so that one stray `?word` in a pasted question does not empty the whole question."""

    boost: float = 1.0
    ignorable: bool = False


Leaf = Term | Phrase | Prefix | Wildcard | Fuzzy | Range | DateRange | Every | Nothing
Pattern = Prefix | Wildcard | Fuzzy | Range  # what an engine expands to the terms it holds
Node = Leaf | And | Or | Not | AndMaybe | ConstantScore
PATTERNS = (Prefix, Wildcard, Fuzzy, Range)
LEAVES = (Term, Phrase, Prefix, Wildcard, Fuzzy, Range, DateRange, Every, Nothing)
NOTHING = Nothing()
UNMATCHED = Nothing(ignorable=True)
EVERY = Every()


def children(node: Node) -> tuple[Node, ...]:
    if isinstance(node, (And, Or)):
        return node.parts
    if isinstance(node, (Not, ConstantScore)):
        return (node.part,)
    if isinstance(node, AndMaybe):
        return (node.required, node.optional)
    return ()


def with_children(node: Node, new: tuple[Node, ...]) -> Node:
    """A copy of `node` over other children (as many as it has)."""
    if isinstance(node, (And, Or)):
        return replace(node, parts=new)
    if isinstance(node, (Not, ConstantScore)):
        return replace(node, part=new[0])
    if isinstance(node, AndMaybe):
        return replace(node, required=new[0], optional=new[1])
    return node


def mapped(node: Node, change: Callable[[Node], Node]) -> Node:
    """`node` with `change` applied to each child (not to itself): a rewrite's recursion step."""
    kids = children(node)
    return with_children(node, tuple(change(k) for k in kids)) if kids else node


def leaves(node: Node) -> Iterator[Leaf]:
    kids = children(node)
    if not kids:
        yield node  # type: ignore[misc]  # a node without children is a leaf
    for kid in kids:
        yield from leaves(kid)


def positive_leaves(node: Node) -> Iterator[Leaf]:
    """The leaves a matching document holds: not those under a Not."""
    if isinstance(node, Not):
        return
    kids = children(node)
    if not kids:
        yield node  # type: ignore[misc]  # a node without children is a leaf
    for kid in kids:
        yield from positive_leaves(kid)


def field_of(node: Node) -> str | None:
    return getattr(node, "field", None) if isinstance(node, LEAVES) else None


def normalized(node: Node) -> Node:
    """`node` simplified without changing what it matches: nested Ands and Ors flattened, each
    part once (a question's repeated word counts once), Nothing and Every folded away."""
    if isinstance(node, And):
        return _normalized_and(node)
    if isinstance(node, Or):
        return _normalized_or(node)
    return mapped(node, normalized)


def _flattened(node: And | Or) -> list[Node]:
    parts: list[Node] = []
    for part in (normalized(p) for p in node.parts):
        parts.extend(part.parts if isinstance(part, (And, Or)) and type(part) is type(node) and part.boost == 1.0 else [part])
    return list(dict.fromkeys(parts))


def _normalized_and(node: And) -> Node:
    parts = [p for p in _flattened(node) if p != UNMATCHED] or [NOTHING]
    if any(isinstance(p, Nothing) for p in parts):
        return NOTHING
    kept: list[Node] = [p for p in parts if not isinstance(p, Every)]
    if not any(not isinstance(p, Not) for p in kept) and len(kept) < len(parts):
        kept.insert(0, EVERY)  # only exclusions: every document without them
    return _one_or_many(node, kept, EVERY)


def _normalized_or(node: Or) -> Node:
    parts: list[Node] = [p for p in _flattened(node) if not isinstance(p, Nothing)]
    if any(isinstance(p, Every) for p in parts):
        return EVERY
    return _one_or_many(node, parts, NOTHING)


def _one_or_many(node: And | Or, parts: list[Node], empty: Node) -> Node:
    if not parts:
        return empty
    if len(parts) == 1:
        only = parts[0]
        return replace(only, boost=only.boost * node.boost) if node.boost != 1.0 else only
    return replace(node, parts=tuple(parts))


@dataclass
class QueryProblem(Exception):
    """A mistake in a query: raised by the grammar, said beside the results."""

    message: str
    column: int  # 1-based, as an editor shows it

    def __str__(self) -> str:
        return f"{self.message} (column {self.column}); searching the words instead"


@dataclass(frozen=True)
class ParsedQuery:
    """What the user typed, what ran, and the problem that made them differ (if any)."""

    text: str
    query: Node | None  # None: the empty query, every document; else documents with every free word
    problem: QueryProblem | None = None
    notes: tuple[str, ...] = ()  # what was capped to keep the query within its time and memory budget
    some: Node | None = None  # documents with at least one of two or more free words (None: no such group)
    boosts: tuple[Node, ...] = ()  # scored beside either group, never matched alone (see builder._in_title)
    free_words: int = 0  # how many free words the groups were made of (function words left out)
    words_ran: str = ""  # what ran when not `text`: the words alone, when the syntax was wrong

    @property
    def runnable(self) -> Node:
        """The query to give the searcher: the empty query matches every document."""
        return self.query if self.query is not None else EVERY

    @property
    def results(self) -> Node:
        """Every document the query finds: both groups (the second holds the first)."""
        return self.some if self.some is not None else self.runnable

    @property
    def ran(self) -> str:
        return self.words_ran or self.text
