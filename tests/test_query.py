"""The query language over the bundled corpus: exact document ids for every kind of syntax."""

from __future__ import annotations

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from margin.search.library import Library

pytestmark = pytest.mark.usefixtures("each_engine")  # every test on both engines

LEI_JUN_DOCS = ["000", "001", "002-02", "002-03", "002-06", "002-08", "002-10", "003", "004"]
ALL_DOCS = ["000", "001", *[f"002-{i:02d}" for i in range(1, 11)], "003", "004"]

QUERIES = [
    # words, stemming, case and accents
    ("phones", ["000", "001", "003", "004"]),
    ("phone", ["000", "001", "003", "004"]),
    ("HUANG", ["002-02"]),
    ("jensen huang", ["002-02"]),
    ("singles day", ["001"]),
    ("YU7 endurance", ["002-10"]),
    # CJK
    ("雷军", ["004"]),
    ("山寨", ["004"]),
    ("山寨机", ["004"]),
    ("安徽", ["004"]),
    ("刘强东", ["004"]),
    # phrases, proximity, prefix, fuzzy
    ('"Lei Jun"', LEI_JUN_DOCS),
    ('"marketing master"', ["000"]),
    ('"he xiaopeng"', ["002-08"]),
    ("e-commerce", ["001"]),
    ('"jun stated"~3', ["000"]),
    ("popsicl*", ["002-04"]),
    ("xiao*", ALL_DOCS),
    ("title:apartm*", ["002-07"]),
    ("nvida~", ["002-02"]),
    ("phonr~", ["000", "001", "003", "004"]),
    # boolean operators and grouping
    ('"lei jun" marketing', ["000", "001", "002-02", "002-03", "002-08", "002-10", "003", "004"]),
    ("xiaomi NOT marketing", ["002-01", "002-04", "002-06", "002-07", "002-09"]),
    ("heatwave -xiaomi", []),  # the heatwave story names Xiaomi (Whoosh's AndNot missed it)
    ("heatwave -nvidia", ["002-01"]),
    ("(heatwave -xiaomi) OR nvidia", ["002-02"]),  # Whoosh's parser raised on a -word inside an OR
    ("(heatwave -nvidia) OR jensen", ["002-01", "002-02"]),
    ("huawei OR nvidia", ["001", "002-02", "002-05", "004"]),
    ("(huawei OR tencent) weibo", ["001"]),
    # metadata fields
    ("title:weibo", ["001"]),
    ("title:(drama)", ["002-03", "002-05"]),
    ("source:wallstreetcn", ["000"]),
    ('author:"eliza wong"', ["004"]),
    # entity fields, aliases and partial names
    ('person:"Lei Jun"', LEI_JUN_DOCS),
    ("person:雷军", LEI_JUN_DOCS),
    ("person:lei", LEI_JUN_DOCS),
    ('person:"jensen huang"', ["002-02"]),
    ("org:huawei", ["001", "002-05", "004"]),
    ("organization:xpeng", ["002-08"]),
    ("place:安徽", ["004"]),
    ("place:anhui", ["004"]),
    ("product:su7", ["000", "002-05", "002-08", "004"]),
    ('entity:"great wall motor"', ["002-06"]),
    # dates
    ("published:2025", ["004"]),
    ("published:2013-11", ["001"]),
    ("published:2013-11-18", ["001"]),
    ("published:>2024-06", ["000", "004"]),
    ("published:<2020", ["001"]),
    ("published:[2013 to 2014]", ["001"]),
    ("published:[2025 to 2026] xiaomi", ["000", "004"]),
    ("tag:later", []),
]


def short(doc_id: str) -> str:
    head = doc_id.split("-")[0]
    return f"{head}-{doc_id.split('-')[1]}" if head == "002" else head


@pytest.mark.parametrize("text, expected", QUERIES, ids=[q for q, _ in QUERIES])
def test_query_table(bundled: Library, text: str, expected: list[str]):
    """`expected`: the documents with every free word (the first group), as grep would find them."""
    results = bundled.search(text, page_size=100)
    assert results.problem is None
    every = [r for r in results.rows if r.every_word]
    assert sorted(short(r.doc_id) for r in every) == sorted(expected)
    assert (results.every_word if results.every_word is not None else results.total) == len(expected)
    assert results.rows[: len(every)] == every  # the first group comes first


MISTAKES = [  # (query, what the message says, at which column): the grammar's own tests use them too
    ('"unclosed', "quote '\"' is not closed", 1),
    ("title:", "'title:' needs a value", 1),
    ("xiaomi published:[2025", "range '[' is not closed", 18),
    ("published:soon", "published: takes a year", 1),
    ("nosuchfield:x", "unknown field 'nosuchfield:'", 1),
    ("(huawei OR nvidia", "'(' is not closed", 1),
    ("huawei)", "')' has no matching '('", 7),
    ("published:[2013 2014]", "a range needs 'to'", 11),
    ("is:sleeping", "is: takes read, unread or starred", 1),
]


@pytest.mark.parametrize("text, message, column", MISTAKES)
def test_invalid_syntax_gives_message_and_runs_words(bundled: Library, text, message, column):
    results = bundled.search(text)
    assert message in results.problem and f"(column {column})" in results.problem


def test_invalid_query_still_searches_its_words(bundled: Library):
    results = bundled.search('"lei jun marketing master')
    assert results.problem and [short(r.doc_id) for r in results.rows if r.every_word] == ["000", "001"]


def test_did_you_mean(bundled: Library):
    assert bundled.search("xiaomy").suggestion == "xiaomi"
    none = bundled.search("nvidiaa heatwve")
    assert none.total == 0 and none.suggestion == "nvidia heatwave"
    assert bundled.search("xiaomi").suggestion is None
    assert bundled.search('person:"lei jun" markting').suggestion == 'person:"lei jun" marketing'


def test_sort_by_date_puts_newest_first_and_undated_last(bundled: Library):
    rows = bundled.search("xiaomi", sort="date", page_size=100).rows
    dates = [r.published for r in rows]
    assert dates[:3] == ["2026-01-08", "2025-10-23", "2013-11-18"] and set(dates[3:]) == {""}


def test_empty_query_lists_every_document(bundled: Library):
    results = bundled.search("   ")
    assert results.total == 14 and len(results.rows) == 14 and results.problem is None


def test_paging(bundled: Library):
    first = bundled.search("xiaomi", page=1, page_size=5)
    third = bundled.search("xiaomi", page=3, page_size=5)
    assert first.total == third.total == 14 and len(first.rows) == 5 and len(third.rows) == 4
    assert not {r.doc_id for r in first.rows} & {r.doc_id for r in third.rows}
    assert third.pages == 3


def test_hit_counts_snippets_and_offsets(bundled: Library):
    row = bundled.search('"marketing master"', with_hits=True).rows[0]
    body = bundled.document(row.doc_id).document.body
    assert row.hit_count == len(row.hits) == 2
    assert {body[h.start:h.end].lower() for h in row.hits} == {"marketing master"}
    assert any(is_hit and part.lower() == "marketing master" for part, is_hit in row.snippet.parts)


def test_cjk_hit_offsets(bundled: Library):
    doc_id = "004-xiaomi-marketing-model-backlash.md"
    body = bundled.document(doc_id).document.body
    assert {body[h.start:h.end] for h in bundled.hits(doc_id, "山寨机")} == {"山寨机"}
    assert {body[h.start:h.end] for h in bundled.hits(doc_id, "雷军")} == {"雷军"}


def test_entity_query_marks_aliases(bundled: Library):
    doc_id = "004-xiaomi-marketing-model-backlash.md"
    body = bundled.document(doc_id).document.body
    marked = {body[h.start:h.end] for h in bundled.hits(doc_id, 'person:"Lei Jun"')}
    assert marked == {"Lei Jun", "雷军"}


def test_excluded_words_are_not_lit(bundled: Library):
    hits = bundled.hits("002-01-heilongjiang-ac-sales-heatwave.md", "heatwave -nvidia")
    assert hits and all(h.end - h.start == len("heatwave") for h in hits)


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])  # the index is read only
@given(st.text(alphabet=st.sampled_from(list('abc xyz"()[]{}:~*^+-><=!?\\/雷军AND OR NOT to published: title: person:')),
               max_size=40) | st.text(max_size=30))
def test_random_strings_never_raise(bundled: Library, text: str):
    results = bundled.search(text)
    assert results.total >= 0 and len(results.rows) <= results.page_size


HOSTILE = st.lists(st.one_of(st.characters(categories=["Cs", "Mn", "Cc", "Lo", "Ll", "Zs"]),
                             st.sampled_from(["~", "~9", "*", "?", '"', ":", "title:", "(", ")"])),
                   max_size=25).map("".join)


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])  # the index is read only
@given(HOSTILE)
def test_lone_surrogates_accents_and_controls_never_raise(bundled: Library, text: str):
    results = bundled.search(text)
    assert results.total >= 0


@pytest.mark.parametrize(("text", "notice"), [
    ("abcdefghijklmnop~9", "edit distance capped at 2 (~9 asked)"),
    ("xiaomi~5", "edit distance capped at 2 (~5 asked)"),
    ("a" * 20_000, "query cut to its first 1,000 characters (of 20,000)"),
])
def test_expensive_queries_are_capped_and_say_so(bundled: Library, text: str, notice: str):
    assert bundled.search(text).notices == [notice]


def test_bytes_from_a_latin_1_terminal_are_read_as_cp1252(bundled: Library):
    typed = b"\xe9t\xe9*".decode("utf-8", "surrogateescape")  # what argv holds for `été*` in Latin-1
    assert bundled.parse(typed).text == "été*"
    assert bundled.search("\u0301~").total == 0  # a lone combining accent before ~ (IndexError before)


def test_tag_note_and_has_find_documents_with_passages(bundled: Library, tmp_path):
    from margin.search.passages.store import PassageStore
    from margin.search.userdata.database import UserData

    store = PassageStore(UserData(tmp_path / "user.sqlite"), str(bundled.corpus))
    for doc_id, tag, note in (("002-07-affordable-apartments.md", "Housing", "rent is ¥1999"),
                              ("001-weibo-xiaomi-draws-kudos.md", "hype", "")):
        body = bundled.document(doc_id).document.body
        store.add(doc_id, body, 0, 20, "sha", tags=[tag], note=note)
    bundled.passages = store
    try:
        def ids(text: str) -> list[str]:
            return sorted(short(r.doc_id) for r in bundled.search(text).rows)

        assert ids("tag:housing") == ["002-07"] and ids("tag:hype xiaomi") == ["001"]
        assert ids("note:rent") == ["002-07"] and ids("has:passage") == ["001", "002-07"]
        assert ids("has:passage -tag:hype") == ["002-07"] and ids("tag:nothing") == []
        assert "has: takes passage" in bundled.search("has:elephants").problem
    finally:
        bundled.passages = None


def test_an_unknown_value_of_a_known_field_names_the_accepted_ones(bundled: Library):
    """`has:foo` used to suggest "did you mean: for"."""
    results = bundled.search("has:foo")
    assert results.problem and "has: takes passage" in results.problem
    assert results.suggestion is None


def test_path_finds_the_documents_in_a_folder(tmp_path):
    """Issue 26: BBC News's five category folders were unusable: `path:sport` finds what is under sport/."""
    from .conftest import write

    corpus = tmp_path / "c"
    write(corpus, "sport/a.txt", "Cup final\nThe final ended in a draw.")
    write(corpus, "sport/2024/b.txt", "Open\nA final set decided it.")
    write(corpus, "politics/c.txt", "Budget\nThe final vote is today.")
    write(corpus, "sportswear.txt", "Shoes\nThe final price fell.")
    with Library.open(corpus, tmp_path / "ix") as library:
        def ids(query: str) -> list[str]:
            return sorted(r.doc_id for r in library.search(query).rows)

        assert ids("path:sport") == ["sport/2024/b.txt", "sport/a.txt"]  # not sportswear.txt
        assert ids('path:"sport/2024"') == ids("folder:sport/2024") == ["sport/2024/b.txt"]
        ranked = [r.doc_id for r in library.search("path:sport final draw").rows]
        assert ranked[0] == "sport/a.txt" and all(doc.startswith("sport/") for doc in ranked)
        assert ids("final -path:sport") == ["politics/c.txt", "sportswear.txt"]


def test_an_operator_with_nothing_to_join_is_a_function_word(bundled: Library):
    """`xiaomi OR` (typed half-way to `xiaomi OR nvidia`) searched "or" as a content word: the
    capitalised OR passed for an acronym and made a second group of nearly every document."""
    assert bundled.parse("xiaomi OR").query == bundled.parse("xiaomi").query
    assert bundled.search("OR").total > 0  # alone, it is what was asked
