"""More like this: a text's most distinctive terms, as Lucene's MoreLikeThis picks them.

Each term of the text is weighed by BM25's term weight, its frequency there saturated (k1 = 1.2)
times its inverse document frequency in the corpus; the MOST_TERMS heaviest make an OR query,
each boosted by its weight over the heaviest's. Terms only the text's family holds find nothing
else and terms in more than half the corpus find everything: both are left out, as are
function words, one-letter terms and terms with a digit (a figure, "2nd", "39.6": what an
article says once, not what it is about). Both engines run the query as any other, so the
result list pages, counts and draws its timeline as a search does.
"""

from __future__ import annotations

import math
import re
from collections import Counter
from collections.abc import Callable

from margin.search.query.builder import FUNCTION_TERMS
from margin.search.query.fields import CONTENT
from margin.search.query.terms import term_texts
from margin.search.query.tree import Node, Or, Term

MOST_TERMS = 25
K1 = 1.2
MOST_SHARE = 0.5  # of the corpus's documents a term may be in, at most
_DIGIT = re.compile(r"\d")


def distinctive_terms(text: str, documents: int, doc_frequency: Callable[[str], int],
                      most: int = MOST_TERMS, family: int = 1) -> list[tuple[str, float]]:
    """The text's heaviest terms, heaviest first, each with its weight; a term must be in more
    documents than the text's `family` (its copies, which the query leaves out): a word only
    the story's own copies use finds nothing else."""
    counts = Counter(t for t in term_texts(text) if len(t) > 1 and not _DIGIT.search(t) and t not in FUNCTION_TERMS)
    weighed = []
    for term, tf in counts.items():
        df = doc_frequency(term)
        if df <= family or df > MOST_SHARE * documents:
            continue
        idf = math.log(1 + (documents - df + 0.5) / (df + 0.5))
        weighed.append((term, idf * tf * (K1 + 1) / (tf + K1)))
    weighed.sort(key=lambda tw: (-tw[1], tw[0]))
    return weighed[:most]


def like_query(terms: list[tuple[str, float]]) -> Node | None:
    """The terms as one OR query over the content, each boosted by its share of the heaviest."""
    if not terms:
        return None
    top = terms[0][1]
    return Or(tuple(Term(CONTENT, term, round(weight / top, 3)) for term, weight in terms))


def like_target(value: str) -> tuple[str, tuple[int, int] | None]:
    """`a/b.md@120-480` -> ("a/b.md", (120, 480)); an id without a range -> (id, None)."""
    doc_id, at, span = value.rpartition("@")
    start, dash, end = span.partition("-")
    if at and dash and start.isdigit() and end.isdigit() and int(start) < int(end):
        return doc_id, (int(start), int(end))
    return value, None


def like_clause(doc_id: str, part: tuple[int, int] | None = None) -> str:
    """The query clause asking for the documents most like one (or a range of its body)."""
    target = f"{doc_id}@{part[0]}-{part[1]}" if part else doc_id
    return 'like:"' + target.replace('"', "") + '"'
