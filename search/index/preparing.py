"""Reading changed files into what the engine indexes: in worker processes for a large build.

Reading a file, finding its entities and analysing its text cost some 2 ms of Python per article
and are independent per file; a build of 2,000 files or more does them in one forked worker per
core, in file order, while this process only hands the results to the engine and keeps the books
(indexing.py). Workers send back plain data, a batch of files at a time: each file's documents as
the engine analysed them (or why it was skipped), and the batch's words counted for "did you
mean" and display names found, merged in the worker: merging them file by file was the largest
part of this process's work, which the workers then waited for.
"""

from __future__ import annotations

import multiprocessing
import os
from collections import Counter
from collections.abc import Callable, Iterator
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from margin.search.document import Document
from margin.search.engine.schema import document_fields
from margin.search.entities.chinese_names import needs_tagger
from margin.search.entities.gazetteer import Gazetteer
from margin.search.entities.mentions import extract_entities
from margin.search.errors import UnreadableFile, reader_failure
from margin.search.index.corpus import FileState, sha1_bytes
from margin.search.index.workers import become_worker
from margin.search.query.spelling import capitalised_words, surface_words
from margin.search.readers.documents import MAX_TEXT, read_article_bytes, read_documents
from margin.search.stories.sketch import sketch
from margin.search.stories.store import SketchRow

Analyse = Callable[[dict[str, Any]], Any]
BATCH = 256  # files per job sent to a worker, at most


@dataclass
class Prepared:
    """One changed file, read: its documents as the engine takes them, or why it was skipped."""

    file_id: str
    state: FileState  # with the content's sha1 once read
    skipped: str | None = None
    unchanged: bool = False  # same content as indexed (touched, not changed)
    names_later: bool = False  # indexed without some of its names, still to be found (Job.names_later)
    documents: list[Any] = field(default_factory=list)
    sketches: list[SketchRow] = field(default_factory=list)  # each document's, for its family (stories)
    bodies: dict[str, str] = field(default_factory=dict)  # doc id -> body (Job.bodies): a changed text's old one is kept
    warnings: list[str] = field(default_factory=list)


@dataclass
class Batch:
    """Consecutive files prepared, and what their documents hold for the index's extras."""

    files: list[Prepared] = field(default_factory=list)
    vocabulary: Counter[str] = field(default_factory=Counter)
    capitalised: Counter[str] = field(default_factory=Counter)
    names: dict[str, str] = field(default_factory=dict)  # casefolded -> as written


@dataclass(frozen=True)
class Job:
    """What preparing a file needs besides the file: the same for every file of one build."""

    corpus: Path
    gazetteer: Gazetteer
    analyse: Analyse
    # A first build for the reader: the names in Chinese text wait for the scan that follows the
    # first results, rather than the first results waiting a second for jieba's tagger to load;
    # with `rules_later` (a large folder) so do the rules' names: they are half of a build's time.
    # The curated list (entities.yaml) is matched at once: a regular expression, cheap.
    names_later: bool = False
    rules_later: bool = False
    bodies: bool = False  # send each text back too: an update keeps the text a changed one replaces


Item = tuple[str, str, FileState, str]  # file id, path, stat, sha1 indexed


def prepared_batches(todo: list[Item], job: Job, *, parallel: bool) -> Iterator[Batch]:
    """The files of `todo` prepared, in order, a batch at a time."""
    procs = min(os.cpu_count() or 1, 4)
    size = max(16, min(BATCH, -(-len(todo) // (4 * procs))))  # a few batches a worker, so both finish together
    batches = [todo[i : i + size] for i in range(0, len(todo), size)]
    if not parallel or procs < 2:
        yield from (_prepare_batch(job, batch) for batch in batches)
        return
    # concurrent.futures rather than multiprocessing.Pool: a worker that dies (out of memory,
    # killed) ends the build with BrokenProcessPool instead of leaving it waiting forever.
    pool = ProcessPoolExecutor(procs, multiprocessing.get_context("fork"), _start_worker, (job,))
    try:
        yield from pool.map(_batch_in_worker, batches)
    finally:
        pool.shutdown(wait=True, cancel_futures=True)


_JOB: Job | None = None  # set in each worker when it starts (the gazetteer is sent once per worker)


def _start_worker(job: Job) -> None:
    global _JOB
    become_worker()
    _JOB = job


def _batch_in_worker(items: list[Item]) -> Batch:
    assert _JOB is not None
    return _prepare_batch(_JOB, items)


def _prepare_batch(job: Job, items: list[Item]) -> Batch:
    """The batch's files read, then all their documents' names found, words counted and texts
    analysed, one step at a time: each step's code and tables stay in the processor's caches
    for the whole batch. Taken file by file, every step ran about 30 % slower."""
    batch = Batch()
    read = [_read(job, *item) for item in items]
    batch.files = [prepared for prepared, _ in read]
    docs = [(prepared, doc) for prepared, documents in read for doc in documents]
    mentions = [_mentions(prepared, doc, job, batch) for prepared, doc in docs]
    for prepared, doc in docs:
        prepared.warnings.extend(f"{doc.doc_id}: {w}" for w in doc.warnings)
        body_words = surface_words(doc.body)
        batch.vocabulary.update(surface_words(doc.title))
        batch.vocabulary.update(body_words)
        for text in (doc.title, doc.body):
            batch.capitalised.update(capitalised_words(text))
        made = sketch(doc.body, body_words)
        if job.bodies:
            prepared.bodies[doc.doc_id] = doc.body
        prepared.sketches.append(SketchRow(doc.doc_id, prepared.file_id, doc.published, made.shingles, made.to_bytes()))
    for (prepared, doc), found in zip(docs, mentions):
        prepared.documents.append(job.analyse(document_fields(doc, found) | {"file": prepared.file_id}))
    return batch


def _read(job: Job, file_id: str, path: str, state: FileState, indexed_sha1: str) -> tuple[Prepared, list[Document]]:
    """A changed file as prepared so far (or why it is skipped), and the documents it holds.
    Whatever goes wrong inside one file's reader skips that file with the reason: a DOCX cut
    short, an ODT nested past the stack, a zlib stream that does not decompress must never stop
    the build of every other file."""
    try:
        data = read_article_bytes(path)
    except UnreadableFile as exc:
        return Prepared(file_id, state, skipped=str(exc)), []
    read = FileState(state.size, state.mtime_ns, sha1_bytes(data))
    if read.sha1 == indexed_sha1:
        return Prepared(file_id, read, unchanged=True), []
    try:
        docs = read_documents(job.corpus, job.corpus / file_id, data)  # a link is read through its target
    except UnreadableFile as exc:
        return Prepared(file_id, read, skipped=str(exc)), []
    except Exception as exc:  # a reader library's own failure, named in the reason
        return Prepared(file_id, read, skipped=reader_failure(exc)), []
    if any(len(d.body) > MAX_TEXT for d in docs):
        return Prepared(file_id, read, skipped=f"more than {MAX_TEXT:,} characters of text once extracted"), []
    return Prepared(file_id, read), docs


def _mentions(prepared: Prepared, doc: Document, job: Job, batch: Batch) -> list[tuple[str, str, str, int, int]]:
    """The document's names, by field; the batch keeps each name as first written."""
    mentions = []
    rules = not (job.names_later and job.rules_later)
    chinese = rules and not (job.names_later and (needs_tagger(doc.title) or needs_tagger(doc.body)))
    prepared.names_later = prepared.names_later or not chinese
    for field_name in ("title", "body"):
        for m in extract_entities(getattr(doc, field_name), job.gazetteer, rules=rules, chinese=chinese):
            mentions.append((field_name, *m))
            batch.names.setdefault(m.name.casefold(), m.name)
    return mentions
