"""The screens of tagged passages: the tagging dialog, and the list of every passage and orphan,
and of the articles tagged themselves (marked ARTICLE: no quote, the whole article)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from rich.segment import Segment
from rich.style import Style
from rich.text import Text
from textual.app import ComposeResult
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.suggester import Suggester
from textual.widgets import Input, Label, TextArea

from margin.search.passages.service import PassageListing, PassageService, TaggedArticle
from margin.search.passages.store import Passage, clean_tags
from margin.search.plural import plural
from margin.search.sanitize import printable
from margin.tui.keymap import bindings
from margin.tui.screens.dialogs import AskScreen, Attempt, stored
from margin.tui.widgets.rowlist import RowList

QUOTE_PREVIEW = 240  # characters of the quote shown in the dialog and the list


@dataclass(frozen=True)
class PassageEdit:
    tags: tuple[str, ...]
    note: str


def preview(quote: str, limit: int = QUOTE_PREVIEW) -> str:
    flat = " ".join(quote.split())
    return flat if len(flat) <= limit else flat[: limit - 1] + "…"


class TagSuggester(Suggester):
    """Completes the tag being typed (the last word) from the tags already used."""

    def __init__(self, tags: list[str]) -> None:
        super().__init__(use_cache=False, case_sensitive=True)
        self.tags = tags

    async def get_suggestion(self, value: str) -> str | None:
        typed = value.replace(",", " ").split(" ")[-1].lstrip("#")
        if not typed:
            return None
        for tag in self.tags:
            if tag.casefold().startswith(typed.casefold()) and tag != typed:
                return value[: len(value) - len(typed)] + tag
        return None


class PassageDialog(ModalScreen[None]):
    """Tags (completed from those used before) and a note of several lines; escape saves nothing."""

    BINDINGS = bindings("passage_dialog")
    DEFAULT_CSS = """
    PassageDialog { align: center middle; }
    PassageDialog > Vertical { width: 80; max-width: 100%; height: auto; max-height: 90%; border: round $primary;
                               background: $surface; padding: 0 1; }
    PassageDialog #quote { width: 100%; max-height: 4; color: $text-muted; text-style: italic; margin-bottom: 1; }
    PassageDialog #note { height: 6; }
    PassageDialog .hint { color: $text-muted; }
    """

    def __init__(self, quote: str, known_tags: list[str], current: PassageEdit | None,
                 save: Callable[[PassageEdit], Passage], saved: Callable[[Passage], None]) -> None:
        """`save` stores an edit, in a thread worker (a database locked by another process waits
        up to 5 s, and the screen must not stand still); `saved` gets what it gave, on the event
        loop, once the dialog is gone. When the store refuses (a lock held longer, a full disk),
        the dialog stays open with what was typed and says why."""
        super().__init__()
        self.quote, self.known_tags, self.current, self.save, self.saved = quote, known_tags, current, save, saved
        self._saving = False

    def compose(self) -> ComposeResult:
        with Vertical() as box:
            box.border_title = "Edit passage" if self.current else "Tag passage"
            yield Label(Text(f"“{preview(self.quote)}”"), id="quote")
            yield Label("Tags (space or comma between them; → completes):")
            yield Input(" ".join(self.current.tags) if self.current else "", placeholder="e.g. strategy funding",
                        suggester=TagSuggester(self.known_tags), id="tags")
            if self.known_tags:
                yield Label(Text("used: " + " ".join(f"#{t}" for t in self.known_tags[:12])), classes="hint")
            yield Label("Note:")
            yield TextArea(self.current.note if self.current else "", id="note", soft_wrap=True)
            yield Label("enter (in tags) or ctrl+s saves · tab moves · escape cancels", classes="hint")
            yield Label("", id="problem")

    def on_mount(self) -> None:
        self.query_one("#tags", Input).focus()

    def on_input_submitted(self, event: Input.Submitted) -> None:
        event.stop()
        self.action_save_passage()

    def action_save_passage(self) -> None:
        if self._saving:
            return
        edit = PassageEdit(clean_tags([self.query_one("#tags", Input).value]), self.query_one("#note", TextArea).text.strip())
        self._saving = True
        self._say("Saving…", "dim")
        self.run_worker(lambda: self._store(edit), thread=True, group="save-passage", exit_on_error=False,
                        description="Saving the passage")

    def _store(self, edit: PassageEdit) -> None:
        value, problem = stored(lambda: self.save(edit))
        self.app.call_from_thread(self._stored, value, problem)

    def _stored(self, value: Passage | None, problem: str | None) -> None:
        self._saving = False
        if value is not None:
            self.dismiss()
            self.saved(value)
            return
        self._say(f"Not saved: {problem}. Nothing typed is lost: ctrl+s tries again, escape discards it.", "bold red")

    def _say(self, text: str, style: str) -> None:
        self.query_one("#problem", Label).update(Text(text, style=style))

    def action_cancel_passage(self) -> None:
        self.dismiss(None)


Row = PassageListing | TaggedArticle


def article_tags_dialog(name: str, tags: tuple[str, ...], known: list[str]) -> AskScreen:
    """The dialog for an article's own tags (`+` in the reader, `e` here), completed from `known`."""
    question = Text.assemble("Tags of the article ", (name, "bold"), " itself (an empty line removes them):")
    return AskScreen(question, "e.g. follow-up to-read", " ".join(tags), suggester=TagSuggester(known),
                     empty_is_an_answer=True)


def matches(row: Row, words: list[str]) -> bool:
    """Every word matches: "#tag" a tag (by prefix), any other word the quote, note or title."""
    if isinstance(row, TaggedArticle):
        haystack, tags = f"{row.title} {row.doc_id}".casefold(), [t.casefold() for t in row.tags]
    else:
        haystack = f"{row.passage.anchor.exact} {row.passage.note} {row.title}".casefold()
        tags = [t.casefold() for t in row.passage.tags]
    return all(any(t.startswith(w[1:]) for t in tags) if w.startswith("#") and len(w) > 1 else w in haystack
               for w in words)


class PassageList(RowList):
    """Passages, four lines each: quote; tags and note; article, date and file; a blank."""

    BINDINGS = bindings("passages_list")
    LINES_PER_ROW = 4

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.rows: list[Row] = []

    @property
    def total(self) -> int:
        return len(self.rows)

    def show(self, rows: list[Row], cursor: int = 0) -> None:
        self.rows = rows
        self.set_total(cursor)

    @property
    def current(self) -> Row | None:
        return self.rows[self.cursor] if 0 <= self.cursor < len(self.rows) else None

    def row_segments(self, index: int, part: int, base: Style, selected: bool) -> list[Segment]:
        row = self.rows[index]
        if isinstance(row, TaggedArticle):
            return _article_segments(row, part, base, selected)
        p = row.passage
        if part == 0:
            orphan = [Segment("ORPHAN ", base + Style(bold=True, color="#ffaf00"))] if p.orphan else []
            return [*orphan, Segment(f"“{preview(p.anchor.exact, 400)}”", base + Style(bold=selected))]
        if part == 1:
            tags = " ".join(f"#{t}" for t in p.tags)
            note = " ".join(p.note.split())
            return [Segment(tags, base + Style(color="cyan")), Segment(("  " if tags else "") + note, base)]
        if part == 2:
            where = " · ".join(x for x in (row.title, row.published or "undated", printable(p.doc_id)) if x)
            return [Segment(where, base + Style(dim=True))]
        return []


def _article_segments(row: TaggedArticle, part: int, base: Style, selected: bool) -> list[Segment]:
    if part == 0:
        return [Segment("ARTICLE ", base + Style(bold=True, color="#af87ff")),
                Segment(row.title or printable(row.doc_id), base + Style(bold=selected))]
    if part == 1:
        return [Segment(" ".join(f"#{t}" for t in row.tags), base + Style(color="cyan"))]
    if part == 2:
        where = " · ".join(x for x in ("the whole article", row.published or "undated", printable(row.doc_id)) if x)
        return [Segment(where, base + Style(dim=True))]
    return []


class PassagesScreen(ModalScreen[Passage | str | None]):
    """Every tagged passage (orphans first), then every article tagged itself: filter, open the
    article (at the passage), edit, delete, re-attach. Dismissed with the passage or the id of
    the article to open."""

    BINDINGS = bindings("passages_screen")
    DEFAULT_CSS = """
    PassagesScreen { align: center middle; background: $background; }  /* opaque: nothing behind to blend */
    PassagesScreen > Vertical { width: 95%; height: 90%; border: round $primary; background: $surface; }
    PassagesScreen PassageList { height: 1fr; padding: 0 1; }
    PassagesScreen .hint { color: $text-muted; padding: 0 1; }
    PassagesScreen #full { width: 100%; max-height: 8; padding: 0 1; border-top: solid $primary 40%; }
    """

    def __init__(self, rows: list[Row], service: PassageService, attempt: Attempt) -> None:
        super().__init__()
        self.rows = sorted(rows, key=_order)
        self.service, self.attempt = service, attempt
        self.deleted: list[Row] = []  # rows deleted here (a passage, an article's tags), for undo

    def compose(self) -> ComposeResult:
        with Vertical() as box:
            box.border_title = "Tagged passages"
            yield Input(placeholder="filter: words in quote, note or title; #tag for a tag", id="filter")
            yield PassageList(id="passages")
            yield Label(id="full")
            yield Label("enter opens · e edits · d deletes · u undoes · a re-attaches an orphan · / filters · "
                        "escape closes", classes="hint")

    def on_mount(self) -> None:
        listing = self.query_one(PassageList)
        self.watch(listing, "cursor", lambda _: self._show_full())
        self._fill()
        listing.focus()

    def _show_full(self) -> None:
        """The whole quote and note of the passage under the cursor (the list shows one line of each)."""
        row = self.current()
        text = Text()
        if isinstance(row, TaggedArticle):
            text.append(f"The whole article {row.title or printable(row.doc_id)} is tagged " +
                        " ".join(f"#{t}" for t in row.tags), "italic")
        elif row is not None:
            text.append(f"“{row.passage.anchor.exact}”", "italic")
            if row.passage.note:
                text.append("\n" + row.passage.note, "cyan")
        self.query_one("#full", Label).update(text)

    def shown_rows(self) -> list[Row]:
        words = self.query_one("#filter", Input).value.casefold().split()
        return [row for row in self.rows if matches(row, words)]

    def _fill(self, keep: int = 0) -> None:
        rows = self.shown_rows()
        orphans = sum(isinstance(r, PassageListing) and r.passage.orphan for r in rows)
        articles = sum(isinstance(r, TaggedArticle) for r in rows)
        hint = "" if self.rows else " · none yet: in the reader, t tags a sentence, v selects"
        self.query_one(Vertical).border_subtitle = (f"{len(rows)} of {len(self.rows)}"
                                                    + (f" · {plural(orphans, 'orphan')}" if orphans else "")
                                                    + (f" · {plural(articles, 'tagged article')}" if articles else "")
                                                    + hint)
        self.query_one(PassageList).show(rows, keep)
        self._show_full()  # set_total moves the cursor without the watcher

    def on_input_changed(self, event: Input.Changed) -> None:
        self._fill()

    def on_input_submitted(self, event: Input.Submitted) -> None:
        event.stop()
        self.query_one(PassageList).focus()

    def current(self) -> Row | None:
        return self.query_one(PassageList).current

    def action_open_passage(self) -> None:
        row = self.current()
        if row is None:
            return
        if isinstance(row, TaggedArticle):
            self.dismiss(row.doc_id)
            return
        if row.passage.orphan:
            self.notify("An orphan has no place in an article: a re-attaches it, d deletes it.", severity="warning")
            return
        self.dismiss(row.passage)

    def action_filter_passages(self) -> None:
        self.query_one("#filter", Input).focus()

    def _replace(self, row: Row, passage: Passage | TaggedArticle | None) -> None:
        if passage is not None:
            new = passage if isinstance(passage, TaggedArticle) else PassageListing(passage, row.title, row.published)
            self.rows = [new if r is row else r for r in self.rows]
            self._fill(self.query_one(PassageList).cursor)

    def action_edit_passage(self) -> None:
        row = self.current()
        if row is None:
            return
        if isinstance(row, TaggedArticle):
            self._edit_article(row)
            return
        passage = row.passage

        def save(edit: PassageEdit) -> Passage:
            return self.service.edit(passage.id, edit.tags, edit.note)

        known = self.attempt("Reading the tags", self.service.all_tags) or []
        self.app.push_screen(PassageDialog(passage.anchor.exact, known, PassageEdit(passage.tags, passage.note), save,
                                           lambda edited: self._replace(row, edited)))

    def _edit_article(self, row: TaggedArticle) -> None:
        def answered(tags: str | None) -> None:
            if tags is None:
                return
            kept = self.attempt("Tagging the article", lambda: self.service.tag_article(row.doc_id, tags.split()))
            if kept is not None:
                self._replace(row, TaggedArticle(row.doc_id, kept, row.title, row.published))

        known = self.attempt("Reading the tags", self.service.all_tags) or []
        self.app.push_screen(article_tags_dialog(row.title or printable(row.doc_id), row.tags, known), answered)

    def action_remove_passage(self) -> None:
        row = self.current()
        if row is None:
            return
        if isinstance(row, TaggedArticle):
            if self.attempt("Removing the article's tags", lambda: self.service.tag_article(row.doc_id, [])) is None:
                return
        elif self.attempt("Deleting the passage", lambda: self.service.delete(row.passage.id)) is None:
            return  # the store refused (reported) or it was already gone: nothing to undo
        self.deleted.append(row)
        self.rows = [r for r in self.rows if r is not row]
        self._fill(self.query_one(PassageList).cursor)
        self.notify(("The article's tags removed" if isinstance(row, TaggedArticle) else "Passage deleted")
                    + " · u undoes")

    def action_undo_remove(self) -> None:
        if not self.deleted:
            self.app.bell()
            return
        row = self.deleted[-1]
        if isinstance(row, TaggedArticle):
            if self.attempt("Tagging the article", lambda: self.service.tag_article(row.doc_id, row.tags)) is None:
                return
            back: Row = row
        else:
            restored = self.attempt("Restoring the passage", self.service.undo)
            if restored is None:
                return
            back = PassageListing(restored, row.title, row.published)
        self.deleted.pop()
        self.rows = sorted([back, *self.rows], key=_order)
        self._fill()
        self.notify("Restored")

    def action_reattach_passage(self) -> None:
        row = self.current()
        if row is None or isinstance(row, TaggedArticle) or not row.passage.orphan:
            self.notify("Only orphans need re-attaching.", severity="warning")
            return
        found = self.attempt("Re-attaching the passage", lambda: self.service.reattach(row.passage))
        if found is None:
            self.notify("No article holds this quote any more; d deletes the passage.", severity="warning")
            return
        self._replace(row, found)
        self.notify(f"Re-attached to {printable(found.doc_id)}", markup=False)

    def action_close_passages(self) -> None:
        self.dismiss(None)


def _order(row: Row) -> tuple[int, float, int]:
    """Orphans first (they need the user), then passages newest first, as the store lists them,
    then the articles tagged themselves (in the order listed: by id)."""
    if isinstance(row, TaggedArticle):
        return 2, 0.0, 0
    return (0 if row.passage.orphan else 1), -row.passage.created, -row.passage.id
