"""Rich renderables for results and articles; article text always enters as plain `Text`, never markup."""

from __future__ import annotations

from rich.console import Group
from rich.text import Text

from margin.search.results import Hit, ResultRow, Snippet
from margin.search.sanitize import printable
from margin.tui.term_colours import TERM_BACKGROUNDS

TERM_HITS = tuple(f"bold black on {hue}" for hue in TERM_BACKGROUNDS)  # one a query term, as the reader
TITLE = "bold"
META = "dim"


def snippet_text(snippet: Snippet) -> Text:
    text, terms = Text(), iter(snippet.terms)
    for part, is_hit in snippet.parts:
        text.append(part, term_hit(next(terms, 0)) if is_hit else "")
    return text


def term_hit(term: int) -> str:
    return TERM_HITS[term % len(TERM_HITS)]


def meta_line(source: str, author: str, published: str, extra: str = "") -> Text:
    parts = [p for p in (source, author, published or "undated", extra) if p]
    return Text(" · ".join(parts), style=META)


def copies_label(row: ResultRow) -> str:
    """"+4 copies, first 2024-05-02": what a row standing for a family says of it."""
    first = f", first {row.earliest}" if row.earliest and row.earliest != row.published else ""
    return f"+{row.copies} cop{'y' if row.copies == 1 else 'ies'}{first}"


def result_block(number: int, row: ResultRow) -> Group:
    head = Text(f"{number:>3}. ", style=META)
    head.append(row.title, TITLE)
    hits = f"{row.hit_count} hit{'s' if row.hit_count != 1 else ''}"
    copies = f" · {copies_label(row)}" if row.copies else ""
    meta = meta_line(row.source, row.author, row.published, f"{hits}{copies} · {printable(row.doc_id)}")
    meta.pad_left(5)
    snippet = snippet_text(row.snippet)
    snippet.pad_left(5)
    return Group(head, meta, snippet, Text(""))


def highlighted(text: str, spans: list[Hit], field: str, style: str = "") -> Text:
    out = Text(text, style=style)
    for hit in spans:
        if hit.field == field:
            out.stylize(term_hit(hit.term), hit.start, hit.end)
    return out
