"""Files that hold many articles: RSS and Atom feeds (feedparser) and mailboxes (the standard
library's email; mailboxes split here). Each entry or message is its own document, id `file#n`.

The number stays with its entry when the file grows: a feed lists its newest entry first, so
entries are numbered from the oldest (the last in the file); a mailbox appends, so messages are
numbered from the first. A single message (.eml) is one document with the file's own id.
"""

from __future__ import annotations

import email
import email.policy
import email.utils
import re
from dataclasses import replace
from email.message import EmailMessage
from pathlib import Path
from typing import Any

from margin.search.dates import normalize_date
from margin.search.document import Document
from margin.search.errors import UnreadableFile
from margin.search.readers.html_text import fragment_text
from margin.search.sanitize import clean_line, clean_text

MAX_ENTRIES = 20_000  # entries or messages read from one file
_SEPARATOR = re.compile(rb"^From ", re.MULTILINE)
_QUOTED_FROM = re.compile(rb"^>(>*From )", re.MULTILINE)


def feed_documents(file_id: str, data: bytes) -> list[Document]:
    import feedparser

    parsed = feedparser.parse(data)
    entries = list(parsed.entries)
    if not entries and (parsed.bozo or not parsed.feed):
        raise UnreadableFile("not an RSS or Atom feed")
    source = clean_line(parsed.feed.get("title", ""))
    documents = []
    for number, entry in enumerate(reversed(entries[:MAX_ENTRIES]), 1):
        doc_id = f"{file_id}#{number}"
        body = _entry_text(entry)
        title = clean_line(entry.get("title", "")) or body.split("\n", 1)[0][:80]
        published = entry.get("published_parsed") or entry.get("updated_parsed")
        date = normalize_date(f"{published.tm_year:04}-{published.tm_mon:02}-{published.tm_mday:02}") if published else ""
        documents.append(Document(doc_id, title or f"Entry {number}", body, source=source,
                                  author=clean_line((entry.get("author_detail") or {}).get("name") or entry.get("author", "")),
                                  published=date or "",
                                  url=clean_line(entry.get("link", ""))))
    return _with_cap_warning(list(reversed(documents)), max(0, len(entries) - MAX_ENTRIES), "entries")


def _entry_text(entry: Any) -> str:
    """An entry's content (or summary) as text: HTML through the article reader."""
    content = entry.get("content")
    html = content[0].get("value", "") if content else entry.get("summary", "")
    try:
        return fragment_text(html)
    except UnreadableFile:
        return ""


def mbox_documents(file_id: str, data: bytes) -> list[Document]:
    messages: list[bytes] = []
    dropped = 0
    for separator, raw in _mbox_parts(data):
        if messages and not _has_headers(raw):
            # A body line starting "From " that the writer did not escape as ">From " looked like
            # the start of a message: put the line and what follows back into the one before.
            if not dropped:
                messages[-1] += separator + raw
        elif len(messages) < MAX_ENTRIES:
            messages.append(raw)
        else:
            dropped += 1
    if not messages:
        raise UnreadableFile("mailbox holds no messages")
    documents = [_message_document(f"{file_id}#{n}", _unescaped(raw)) for n, raw in enumerate(messages, 1)]
    return _with_cap_warning(documents, dropped, "messages")


def _with_cap_warning(documents: list[Document], dropped: int, what: str) -> list[Document]:
    """The documents, the first saying how many were left out past MAX_ENTRIES (said, not silent)."""
    if not dropped:
        return documents
    first = documents[0]
    warning = f"the file holds {len(documents) + dropped:,} {what}; the first {MAX_ENTRIES:,} were read"
    return [replace(first, warnings=(*first.warnings, warning)), *documents[1:]]


def _mbox_parts(data: bytes) -> list[tuple[bytes, bytes]]:
    """(separator line, message) pairs. The standard library's mailbox decodes the separator as
    ASCII (a UTF-8 body line starting "From " broke it) and reads only from a path."""
    cuts = [m.start() for m in _SEPARATOR.finditer(data)]
    parts = []
    for start, end in zip(cuts, [*cuts[1:], len(data)], strict=True):
        line_end = data.find(b"\n", start) + 1 or end
        parts.append((data[start:line_end], data[line_end:end]))
    return parts


def _has_headers(raw: bytes) -> bool:
    return bool(email.message_from_bytes(raw, policy=email.policy.default).keys())


def _unescaped(raw: bytes) -> bytes:
    """mboxrd writers quote a body line ">From " (and ">>From " ...); one ">" comes off."""
    return _QUOTED_FROM.sub(rb"\1", raw)


def eml_document(file_id: str, data: bytes) -> Document:
    return _message_document(file_id, data)


def _message_document(doc_id: str, raw: bytes) -> Document:
    message = email.message_from_bytes(raw, policy=email.policy.default)
    if not isinstance(message, EmailMessage) or not (message.keys()):
        raise UnreadableFile("not an e-mail message")
    part = message.get_body(preferencelist=("plain", "html"))
    text = ""
    if part is not None:
        content = part.get_content()
        if part.get_content_subtype() == "html":
            text = fragment_text(content)
        else:
            text = clean_text(content)
    date = message.get("date")
    published = ""
    if date:
        try:
            published = email.utils.parsedate_to_datetime(str(date)).date().isoformat()
        except (TypeError, ValueError):
            published = ""
    sender = email.utils.parseaddr(str(message.get("from", "")))
    return Document(doc_id, clean_line(str(message.get("subject", ""))) or "(no subject)", text.strip(),
                    author=clean_line(sender[0] or sender[1]), published=published,
                    url=_message_link(str(message.get("message-id", ""))))


def _message_link(message_id: str) -> str:
    """A mid: link to the message (RFC 2392), which mail programs open."""
    bare = clean_line(message_id).strip("<>")
    return f"mid:{bare}" if bare else ""


def read_many(file_id: str, path: Path, data: bytes) -> list[Document] | None:
    """The documents of a file that holds several, or None for a one-article file."""
    suffix = path.suffix.lower()
    if suffix in (".rss", ".atom", ".xml"):
        return feed_documents(file_id, data)
    if suffix == ".mbox":
        return mbox_documents(file_id, data)
    return None
