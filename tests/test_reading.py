"""Reading state on the search side: marks, is: queries, positions, renames, export and import."""

from __future__ import annotations

import io
import json
import os
from pathlib import Path

import pytest

from margin.search.passages.service import open_library
from margin.search.userdata.database import UserData
from margin.search.userdata.reading import ReadingStore

from .conftest import write


@pytest.fixture
def userdata(tmp_path: Path) -> UserData:
    return UserData(tmp_path / "user.sqlite")


def ids(opened, query: str) -> set[str]:
    return {row.doc_id for row in opened.library.search(query, page_size=100).rows}


def test_marks_and_is_queries(corpus: Path, tmp_path: Path, userdata: UserData):
    opened = open_library(corpus, tmp_path / "ix", userdata)
    reading = opened.reading
    assert reading is not None and reading.marks() == {}
    assert ids(opened, "is:unread") == {"one.md", "sub/two.txt", "three.html"}
    assert ids(opened, "is:read") == set() and ids(opened, "is:starred") == set()
    reading.set_read("one.md", True)
    reading.set_starred("three.html", True)
    assert ids(opened, "is:read") == {"one.md"}
    assert ids(opened, "is:unread") == {"sub/two.txt", "three.html"}
    assert ids(opened, "IS:Starred") == {"three.html"}
    assert ids(opened, "gamma is:unread") == {"three.html"} and ids(opened, "gamma is:read") == set()
    assert ids(opened, "alpha OR beta -is:read") == {"sub/two.txt"}
    reading.set_read("one.md", False)
    assert ids(opened, "is:read") == set()
    assert reading.mark("three.html").starred and not reading.mark("three.html").read


def test_a_wrong_state_is_named_with_its_column(corpus: Path, tmp_path: Path, userdata: UserData):
    opened = open_library(corpus, tmp_path / "ix", userdata)
    results = opened.library.search("gamma is:new")
    assert results.problem == "is: takes read, unread or starred (column 7); searching the words instead"


def test_position_is_kept_per_corpus(userdata: UserData):
    one, other = ReadingStore(userdata, "/corpus/one"), ReadingStore(userdata, "/corpus/two")
    assert one.position("a.md") is None
    one.set_position("a.md", 120, 180)
    one.set_read("a.md", True)
    assert one.position("a.md") == (120, 180) and other.position("a.md") is None
    assert one.mark("a.md").read  # setting the position kept the mark


def test_state_follows_a_renamed_file(corpus: Path, tmp_path: Path, userdata: UserData):
    opened = open_library(corpus, tmp_path / "ix", userdata)
    assert opened.reading is not None
    opened.reading.set_read("sub/two.txt", True)
    opened.reading.set_position("sub/two.txt", 5, 9)
    opened.library.close()
    os.rename(corpus / "sub/two.txt", corpus / "moved.txt")
    reopened = open_library(corpus, tmp_path / "ix", userdata)
    assert reopened.library.report.renamed == {"sub/two.txt": "moved.txt"}
    assert reopened.reading is not None and reopened.reading.position("moved.txt") == (5, 9)
    assert ids(reopened, "is:read") == {"moved.txt"}


def test_feed_entries_follow_their_file(tmp_path: Path, userdata: UserData):
    from .file_kinds import rss

    root = tmp_path / "feeds"
    write(root, "tech.xml", rss([(f"Story {n}", f"https://example.com/{n}", f"<p>Text of story {n}.</p>")
                                 for n in (3, 2, 1)]))
    opened = open_library(root, tmp_path / "ix", userdata)
    assert opened.reading is not None
    opened.reading.set_starred("tech.xml#2", True)
    opened.library.close()
    os.rename(root / "tech.xml", root / "news.xml")
    reopened = open_library(root, tmp_path / "ix", userdata)
    assert ids(reopened, "is:starred") == {"news.xml#2"}


def test_export_and_import_carry_the_reading_state(corpus: Path, tmp_path: Path, userdata: UserData):
    from margin.search.passages.export import to_json
    from margin.search.passages.importing import import_annotations

    opened = open_library(corpus, tmp_path / "ix", userdata)
    assert opened.reading is not None and opened.passages is not None
    opened.reading.set_read("one.md", True)
    opened.reading.set_position("one.md", 4, 10)
    opened.reading.set_starred("three.html", True)
    exported = to_json([], opened.reading.all())
    data = json.loads(exported)
    assert [(r["source"], r["read"], r["starred"]) for r in data["reading"]] == [
        ("one.md", True, False), ("three.html", False, True)]
    elsewhere = UserData(tmp_path / "other.sqlite")
    other = open_library(corpus, tmp_path / "ix", elsewhere)
    assert other.passages is not None and other.reading is not None
    report = import_annotations(other.passages.store, io.BytesIO(exported.encode()), reading=other.reading)
    assert (report.added, report.reading) == (0, 2)
    assert other.reading.position("one.md") == (4, 10) and ids(other, "is:starred") == {"three.html"}
    again = import_annotations(other.passages.store, io.BytesIO(exported.encode()), reading=other.reading)
    assert again.reading == 0  # not newer than what is stored


def test_an_article_tagged_itself_is_found_by_tag_beside_tagged_passages(corpus: Path, tmp_path: Path,
                                                                         userdata: UserData):
    """Issue 26: document tags, notmuch's way; tag: finds the article and articles with a passage so tagged."""
    opened = open_library(corpus, tmp_path / "ix", userdata)
    assert opened.reading is not None and opened.passages is not None
    assert opened.reading.set_tags("one.md", ["#Follow-up", "later,later"]) == ("Follow-up", "later")
    body = opened.library.document("three.html").document.body
    opened.passages.store.add("three.html", body, 0, 5, "sha", tags=["follow-up"])
    assert ids(opened, "tag:follow-up") == {"one.md", "three.html"} and ids(opened, "tag:later") == {"one.md"}
    assert opened.reading.marks()["one.md"].tags == ("Follow-up", "later") and not opened.reading.mark("one.md").read
    assert opened.reading.tag_counts() == [("Follow-up", 1), ("later", 1)]
    opened.reading.set_tags("one.md", [])
    assert ids(opened, "tag:later") == set() and "one.md" not in opened.reading.marks()


def test_an_articles_tags_follow_its_file_and_survive_export_and_import(corpus: Path, tmp_path: Path,
                                                                      userdata: UserData):
    from margin.search.passages.export import to_json, to_markdown
    from margin.search.passages.importing import import_annotations

    opened = open_library(corpus, tmp_path / "ix", userdata)
    assert opened.reading is not None
    opened.reading.set_tags("sub/two.txt", ["keep"])
    opened.library.close()
    os.rename(corpus / "sub/two.txt", corpus / "moved.txt")
    reopened = open_library(corpus, tmp_path / "ix", userdata)
    assert reopened.reading is not None and ids(reopened, "tag:keep") == {"moved.txt"}
    exported = to_json([], reopened.reading.all())
    assert json.loads(exported)["reading"] == [{"source": "moved.txt", "read": False, "starred": False,
                                                "position": {"top": 0, "cursor": 0},
                                                "modified": "1970-01-01T00:00:00.000000+00:00", "tags": ["keep"]}]
    assert "Article tags: #keep" in to_markdown([], lambda _: None, {"moved.txt": ("keep",)})
    other = open_library(corpus, tmp_path / "ix", UserData(tmp_path / "other.sqlite"))
    assert other.passages is not None and other.reading is not None
    report = import_annotations(other.passages.store, io.BytesIO(exported.encode()), reading=other.reading)
    assert report.reading == 1 and ids(other, "tag:keep") == {"moved.txt"}


class _Row:
    def __init__(self, doc_id: str) -> None:
        self.doc_id = doc_id


def test_first_unread_goes_round_and_pages(monkeypatch: pytest.MonkeyPatch):
    from margin.search.userdata import reading

    monkeypatch.setattr(reading, "SCAN_PAGE", 3)
    docs = [f"d{i}" for i in range(10)]
    asked: list[int] = []

    def page_of(page: int, size: int):
        asked.append(page)
        return [_Row(d) for d in docs[(page - 1) * size : page * size]]

    read = {"d0", "d1", "d2", "d3", "d4", "d5", "d7", "d8", "d9"}
    assert reading.first_unread(page_of, 4, read) == 6 and asked == [2, 3]
    assert reading.first_unread(page_of, 7, read) == 6  # round to the top
    assert reading.first_unread(page_of, 0, read | {"d6"}) is None
    assert reading.first_unread(page_of, 10, read) == 6  # from past the last row
