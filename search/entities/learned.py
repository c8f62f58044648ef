"""A learned classifier for the capitalised runs the rules leave unnamed: recall beside precision.

The rules name a run only with evidence (a title, a suffix, a known name), and their lists cover a
fraction of the names in an article nobody tuned them for ("Clint Eastwood's Million Dollar
Baby"). Every capitalised run the rules found nothing in is given to a logistic regression over
the run's words, shape and context, trained offline by `scripts/train_names.py` on freely
licensed annotated text (its header names the sets and their licences) and shipped as
`data/names_model.json.gz`. A run becomes a name only when the model is sure of its type
(`Model.threshold`, chosen on the training sets' own held-out folds): a junk row in the sidebar costs
more than a missed one. Only runs are classified, never every token, so the model costs a
few dozen dot products an article, not a tagger's pass over every word.
"""

from __future__ import annotations

import gzip
import json
import math
import re
from functools import lru_cache
from importlib import resources
from typing import Any, NamedTuple

Word = tuple[str, int, int]  # text, start, end, as the rules cut runs

MODEL_FILE = "names_model.json.gz"
NEAR = 10_000  # characters around a run in which its words are looked for in lower case
TYPES = {"PER": "person", "ORG": "organization", "LOC": "place"}
_SHAPE = str.maketrans("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789",
                       "X" * 26 + "x" * 26 + "9" * 10)
_REPEATS = re.compile(r"([x9])\1+")
_WORD_END = "’'.&-"
_LOWERED = ("lowered=none", "lowered=some", "lowered=all")


class Model(NamedTuple):
    """Weights per feature for each class; the first class is "no name"."""

    classes: list[str]
    intercept: list[float]
    weights: dict[str, list[float]]
    threshold: float


@lru_cache(maxsize=1)
def model() -> Model | None:
    """The shipped model, read on first use (a worker that never meets an unnamed run never
    pays for it); None if the package was built without it."""
    path = resources.files("margin.search.data").joinpath(MODEL_FILE)
    if not path.is_file():
        return None
    data = json.loads(gzip.decompress(path.read_bytes()))
    return Model(data["classes"], data["intercept"], data["weights"], data["threshold"])


def shape(word: str) -> str:
    """"McDonald" -> "XxXx", "U.S." -> "X.X.", "F-16" -> "X-9": case and digits, runs collapsed."""
    return _REPEATS.sub(r"\1", word.translate(_SHAPE))[:6]


def written_lower(text: str, word: str, near: int) -> bool:
    """Whether the text also writes the word in lower case, after a space and as a word of its
    own, within NEAR characters of `near`: a capitalised word that is also written "apple" is
    less likely a name than one never written so. Asked of the few words the model reads, not
    of every word of the text; within a window, so that a 1 MB article is not read again for
    each of its thousands of names (an article of 20,000 characters is read whole)."""
    low = " " + word.lower()
    first, last = max(0, near - NEAR), min(len(text), near + NEAR)
    at = text.find(low, first, last)
    while at != -1:
        end = at + len(low)
        if end == len(text) or not text[end].isalnum():
            return True
        at = text.find(low, end, last)
    return False


def features(text: str, words: list[Word], *, at_start: bool, first_name: bool, again: bool,
             lowered: int) -> list[str]:
    """What the model reads of a run, as the training script gives it: the run's own words
    (run_features) and their place in the text (context_features)."""
    texts = tuple(w for w, _, _ in words)
    return [*run_features(texts, at_start, first_name), *context_features(text, words, again, lowered)]


@lru_cache(maxsize=1 << 16)
def run_features(texts: tuple[str, ...], at_start: bool, first_name: bool) -> tuple[str, ...]:
    """What the model reads of a run's own words: its words folded, first and last word, their
    beginning and ending, the run's length and shape, whether it opens a sentence and whether
    its first word is a known first name. The same for every mention of a name: cached."""
    lower = [w.lower() for w in texts]
    found = [f"w={w}" for w in lower]
    found += [f"first={lower[0]}", f"last={lower[-1]}", f"suf={lower[-1][-3:]}", f"len={min(len(texts), 4)}",
              f"shape={'_'.join(shape(w) for w in texts[:3])}", f"pre={lower[0][:3]}", f"suf4={lower[-1][-4:]}",
              f"suf2={lower[-1][-2:]}"]
    if at_start:
        found.append("start")
    if first_name:
        found.append("first_name")
    if len(texts) == 1:
        found.append(f"one={lower[0]}|{'start' if at_start else 'inner'}")
    return tuple(found)


def context_features(text: str, words: list[Word], again: bool, lowered: int) -> list[str]:
    """What the model reads of a run's place in its text: the word before and after it (or the
    punctuation that stands there), each beside the run's nearest word, whether the run recurs
    in the text and how many of its words the text also writes in lower case (`lowered`)."""
    first, last = words[0][0].lower(), words[-1][0].lower()
    prev, nxt = _word_before(text, words[0][1]), _word_after(text, words[-1][2])
    found = [f"prev={prev}", f"next={nxt}", f"prev+first={prev}|{first}", f"last+next={last}|{nxt}",
             _lowered_feature(lowered, len(words))]
    if again:
        found.append("again")  # a run twice in the article: more likely a name than a headline's capitals
    return found


def _lowered_feature(lowered: int, words: int) -> str:
    """How many of a run's `words` its text also writes in lower case: none, some or all."""
    return _LOWERED[0 if not lowered else 2 if lowered == words else 1]


def _word_before(text: str, start: int) -> str:
    """The word before a run, folded; or the punctuation there as "<,>"; "<p>" after a line break."""
    head = text[max(0, start - 30) : start].rstrip(" \t")
    if not head or head[-1] == "\n":
        return "<p>"
    if head[-1].isalnum() or head[-1] in _WORD_END:
        return head.split()[-1].lower()
    return f"<{head[-1]}>"


def _word_after(text: str, end: int) -> str:
    """The word after a run, folded; or the punctuation there as "<,>"; "<p>" at a line break."""
    tail = text[end : end + 30].lstrip(" \t")
    if not tail or tail[0] == "\n":
        return "<p>"
    if tail[0].isalnum():
        return tail.split()[0].lower()
    return f"<{tail[0]}>"


def classify(model: Model, found: list[str]) -> tuple[str, float]:
    """The most probable class of a run and its probability (a softmax over the classes; 1.0
    for "no name", whose probability is never asked)."""
    return _best(model, _scores(model, found))


def classify_run(texts: tuple[str, ...], first_name: bool, text: str, words: list[Word],
                 again: bool, lowered: int) -> tuple[str, float]:
    """classify() of the features of a run not at a sentence's start, computed the cheaper way:
    the part of its own words summed once per name and kept (a corpus names the same people
    again and again), the part of its context looked up by family, without writing the feature
    names (context_features writes them, for training)."""
    shipped = model()
    assert shipped is not None  # asked only once the model is loaded
    own = _run_scores(texts, False, first_name)
    families = _context_weights()
    first, last = texts[0].lower(), texts[-1].lower()
    prev, nxt = _word_before(text, words[0][1]), _word_after(text, words[-1][2])
    found = (families["prev"].get(prev), families["next"].get(nxt), families["prev+first"].get((prev, first)),
             families["last+next"].get((last, nxt)), families["lowered"].get(_lowered_feature(lowered, len(words))),
             families["again"].get("again") if again else None)
    rows = [row for row in found if row is not None]
    return _best(shipped, [sum(column) for column in zip(own, *rows)])


@lru_cache(maxsize=1)
def _context_weights() -> dict[str, dict[Any, list[float]]]:
    """The shipped model's context weights by family: "prev=said" under "prev" as "said",
    "prev+first=mr|tony" under "prev+first" as ("mr", "tony")."""
    shipped = model()
    assert shipped is not None
    families: dict[str, dict[Any, list[float]]] = {k: {} for k in ("prev", "next", "prev+first", "last+next")}
    families["lowered"] = {k: shipped.weights[k] for k in _LOWERED if k in shipped.weights}
    families["again"] = {"again": shipped.weights["again"]} if "again" in shipped.weights else {}
    for name, row in shipped.weights.items():
        family, _, value = name.partition("=")
        if family in ("prev", "next"):
            families[family][value] = row
        elif family in ("prev+first", "last+next"):
            families[family][tuple(value.split("|", 1))] = row
    return families


@lru_cache(maxsize=1 << 16)
def _run_scores(texts: tuple[str, ...], at_start: bool, first_name: bool) -> tuple[float, ...]:
    shipped = model()
    assert shipped is not None  # asked only once the model is loaded
    return tuple(_scores(shipped, list(run_features(texts, at_start, first_name))))


def _scores(model: Model, found: list[str], *, intercept: bool = True) -> list[float]:
    get = model.weights.get
    rows = [row for row in map(get, found) if row is not None]
    start = model.intercept if intercept else [0.0] * len(model.classes)
    return [sum(column) for column in zip(start, *rows)]  # summed in C, a class at a time


def _best(model: Model, scores: list[float]) -> tuple[str, float]:
    top = max(scores)
    best = scores.index(top)
    if best == 0:
        return model.classes[0], 1.0  # "no name" (most runs): its probability is never asked
    return model.classes[best], 1.0 / sum(math.exp(s - top) for s in scores)
