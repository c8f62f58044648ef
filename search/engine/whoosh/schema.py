"""Whoosh's schema: margin's analysis (terms.py) as Whoosh tokenizers, and the fields of an index."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from whoosh import fields
from whoosh.analysis import Token, Tokenizer

from margin.search.query.fields import ENTITY_FIELDS, FACET_FIELDS
from margin.search.query.terms import fold_word, iter_surface_forms, iter_terms


class MarginTokenizer(Tokenizer):
    """Whoosh's view of `margin.search.query.terms`: the one definition of a term."""

    def __call__(self, value: str, positions: bool = False, chars: bool = False, keeporiginal: bool = False,
                 removestops: bool = True, start_pos: int = 0, start_char: int = 0, tokenize: bool = True,
                 mode: str = "", **kwargs: Any) -> Iterator[Any]:
        token = Token(positions, chars, removestops=removestops, mode=mode, **kwargs)
        if not tokenize:
            # Prefix, wildcard and fuzzy patterns: fold case and accents but do not stem.
            token.original = token.text = fold_word(value)
            token.boost = 1.0
            if positions:
                token.pos = start_pos
            if chars:
                token.startchar, token.endchar = start_char, start_char + len(value)
            yield token
            return
        for term in iter_terms(value, query=(mode == "query")):
            token.text = term.text
            token.boost = 1.0
            if keeporiginal:
                token.original = value[term.start : term.end]
            token.stopped = False
            if positions:
                token.pos = start_pos + term.pos
            if chars:
                token.startchar, token.endchar = start_char + term.start, start_char + term.end
            yield token


class SurfaceTokenizer(Tokenizer):
    """Words as written (folded, not stemmed): a name is matched as itself, not by its stem."""

    def __call__(self, value: str, positions: bool = False, chars: bool = False, keeporiginal: bool = False,
                 removestops: bool = True, start_pos: int = 0, start_char: int = 0, tokenize: bool = True,
                 mode: str = "", **kwargs: Any) -> Iterator[Any]:
        token = Token(positions, chars, removestops=removestops, mode=mode, **kwargs)
        for term in iter_surface_forms(value) if tokenize else [None]:
            token.text = term.text if term else fold_word(value)
            token.boost = 1.0
            token.stopped = False
            if positions:
                token.pos = start_pos + (term.pos if term else 0)
            yield token


class NameListTokenizer(Tokenizer):
    """One token per line: each line is a canonical entity name, matched whole and caselessly
    (`fold`), or a facet's value, counted as written."""

    def __init__(self, fold: bool = True) -> None:
        self.fold = fold

    def __call__(self, value: str, positions: bool = False, chars: bool = False, keeporiginal: bool = False,
                 removestops: bool = True, start_pos: int = 0, start_char: int = 0, tokenize: bool = True,
                 mode: str = "", **kwargs: Any) -> Iterator[Any]:
        token = Token(positions, chars, removestops=removestops, mode=mode, **kwargs)
        offset = 0
        for i, line in enumerate(value.split("\n")):
            name = " ".join(line.split())
            name = name.casefold() if self.fold else name
            if name:
                token.text = token.original = name
                token.boost = 1.0
                token.stopped = False
                if positions:
                    token.pos = start_pos + i
                if chars:
                    token.startchar, token.endchar = start_char + offset, start_char + offset + len(line)
                yield token
            offset += len(line) + 1


def build_schema() -> fields.Schema:
    text = MarginTokenizer()
    names = NameListTokenizer()
    entity_fields = {name: fields.TEXT(analyzer=names, phrase=False) for name in ENTITY_FIELDS}
    facet_fields = {name: fields.TEXT(analyzer=NameListTokenizer(fold=False), phrase=False) for name in FACET_FIELDS}
    return fields.Schema(
        id=fields.ID(stored=True, unique=True),
        file=fields.ID(stored=True),  # the file holding the document (a feed or a mailbox holds many)
        title=fields.TEXT(analyzer=text, stored=True, multitoken_query="phrase"),
        body=fields.STORED(),
        content=fields.TEXT(analyzer=text, multitoken_query="phrase"),
        exact=fields.TEXT(analyzer=SurfaceTokenizer(), phrase=False),
        source=fields.TEXT(analyzer=text, stored=True, multitoken_query="phrase"),
        author=fields.TEXT(analyzer=text, stored=True, multitoken_query="phrase"),
        published=fields.ID(stored=True, sortable=True),
        language=fields.ID(stored=True),
        url=fields.STORED(),
        mentions=fields.STORED(),
        **entity_fields,
        **facet_fields,
    )


def term_text(term: bytes | str) -> str:
    """A term as Whoosh's lexicon and postings hand it over (bytes in this version), as text."""
    return term.decode("utf-8") if isinstance(term, bytes) else term
