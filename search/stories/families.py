"""Which documents are copies of one story: candidate pairs by LSH banding, checked, then joined.

Two documents are copies when their shingles overlap by at least `Rule.smaller` of the smaller
document's and `Rule.larger` of the larger's (estimated from the sketches' agreement and the two
shingle counts). Containment rather than Jaccard alone: an agency story run with a new first
paragraph and its last one dropped keeps most of its text but little more than half its Jaccard.
The second bound keeps a round-up that quotes a whole wire story out of that story's family. A
family is a star (`stars`): a centre and its copies, never a chain of overlaps. Both bounds were
chosen on planted copies in one generated corpus and reported on another and on BBC News
(`bench stories`).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

from margin.search.stories.sketch import BINS, EMPTY

ROWS = 2  # sketch positions a band holds: 32 bands find a pair of Jaccard 0.3 with 95 % probability
# Shingles the smaller document must have: two notes of a line each that say the same are not two
# copies of a story, and a sketch of a dozen shingles is mostly empty bins.
FEWEST_SHINGLES = 20
CHECKED = 200_000  # candidate pairs compared at a time (a 64-column boolean array each)

Pairs = npt.NDArray[np.int64]  # (n, 2) row numbers into the sketch matrix


@dataclass(frozen=True)
class Rule:
    smaller: float = 0.6
    larger: float = 0.5

    def same(self, agree: npt.NDArray[np.float64], small: npt.NDArray[np.int64],
             large: npt.NDArray[np.int64]) -> npt.NDArray[np.bool_]:
        """Of pairs with this sketch agreement (an estimate of Jaccard) and these shingle counts,
        those sharing enough of both documents."""
        shared = agree / (1 + agree) * (small + large)
        return (small >= FEWEST_SHINGLES) & (shared >= self.smaller * small) & (shared >= self.larger * large)


RULE = Rule()


def candidates(mins: npt.NDArray[np.uint32]) -> Pairs:
    """Pairs of rows that agree on every position of at least one band (each pair once)."""
    found = []
    for band in range(BINS // ROWS):
        cols = mins[:, band * ROWS : (band + 1) * ROWS].astype(np.uint64)
        keys = (cols[:, 0] << np.uint64(32)) | cols[:, 1]
        keys[(cols == EMPTY).any(axis=1)] = np.uint64(2**64 - 1)  # no shingles: never a candidate
        found.append(_bucket_pairs(keys))
    if not found:
        return np.empty((0, 2), dtype=np.int64)
    pairs = np.concatenate(found)
    return np.unique(pairs, axis=0) if len(pairs) else pairs


def _bucket_pairs(keys: npt.NDArray[np.uint64]) -> Pairs:
    """For rows of equal key: each with the first of its bucket and with the one before it. Not
    every pair of a bucket: a boilerplate paragraph shared by a thousand documents would make half
    a million, and the copies of one story also meet in the other bands."""
    order = np.argsort(keys, kind="stable")
    ordered = keys[order]
    same = np.flatnonzero((ordered[1:] == ordered[:-1]) & (ordered[1:] != np.uint64(2**64 - 1))) + 1
    if not len(same):
        return np.empty((0, 2), dtype=np.int64)
    starts = np.zeros(len(keys), dtype=np.int64)
    new = np.ones(len(keys), dtype=bool)
    new[same] = False
    starts[new] = np.flatnonzero(new)
    starts = np.maximum.accumulate(starts)
    pairs = np.concatenate([np.stack([order[same - 1], order[same]], axis=1),
                            np.stack([order[starts[same]], order[same]], axis=1)])
    pairs.sort(axis=1)
    kept: Pairs = pairs[pairs[:, 0] != pairs[:, 1]].astype(np.int64)
    return kept


def agreement(mins: npt.NDArray[np.uint32], pairs: Pairs) -> npt.NDArray[np.float64]:
    """The share of the bins either sketch fills where the two agree: the Jaccard estimate."""
    out = np.empty(len(pairs), dtype=np.float64)
    for start in range(0, len(pairs), CHECKED):
        chunk = pairs[start : start + CHECKED]
        a, b = mins[chunk[:, 0]], mins[chunk[:, 1]]
        filled = ((a != EMPTY) | (b != EMPTY)).sum(axis=1)
        out[start : start + CHECKED] = ((a == b) & (a != EMPTY)).sum(axis=1) / np.maximum(filled, 1)
    return out


def same_story(mins: npt.NDArray[np.uint32], sizes: npt.NDArray[np.int64], pairs: Pairs,
               rule: Rule = RULE) -> Pairs:
    """The pairs that are copies of one story."""
    if not len(pairs):
        return pairs
    a, b = sizes[pairs[:, 0]], sizes[pairs[:, 1]]
    return pairs[rule.same(agreement(mins, pairs), np.minimum(a, b), np.maximum(a, b))]


def stars(count: int, pairs: Iterable[tuple[int, int]]) -> list[int]:
    """The family of each row: the centre it joined, itself when alone. Star clustering (Aslam,
    Pelekhov and Rus 2004): the row with the most copies becomes a centre and takes its copies not
    yet taken, then the next. Unlike connected components, a family then holds only copies of its
    centre: two unrelated stories that each share most of a third (a round-up, a chain of small
    overlaps the sketches overestimate) stay apart."""
    neighbours: dict[int, set[int]] = {}
    for i, j in pairs:
        neighbours.setdefault(int(i), set()).add(int(j))
        neighbours.setdefault(int(j), set()).add(int(i))
    centre = list(range(count))
    taken: set[int] = set()
    for row in sorted(neighbours, key=lambda r: (-len(neighbours[r]), r)):
        if row in taken:
            continue
        taken.add(row)
        for other in sorted(neighbours[row] - taken):
            centre[other] = row
            taken.add(other)
    return centre
