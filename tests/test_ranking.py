"""Free words rank rather than filter: every word first, then some; function words and trailing
punctuation do not get in the way; explicit syntax keeps its meaning."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from margin.search.library import Library
from margin.tui.cli import main

from .conftest import write

DOCS = {
    "both.md": "# Dollar falls\n\nThe dollar is falling against the euro as markets fret.",
    "dollar.md": "# Currency desk\n\nThe dollar held steady in quiet trade.",
    "falling.md": "# Leaves\n\nLeaves keep falling in the park all week.",
    "neither.md": "# Weather\n\nSunny spells and light winds are expected.",
    "wind.md": "# Tunnel tests\n\nThe wind-tunnel corrections were measured twice.",
    "questions.md": "# Why and what\n\nWhy is what it is, and the rest is the same.",
}


def opened(tmp_path: Path, docs: dict[str, str], folder: str) -> Library:
    """A corpus of `docs` written to tmp_path/folder, indexed beside it."""
    for name, text in docs.items():
        write(tmp_path / folder, name, text)
    return Library.open(tmp_path / folder, tmp_path / f"{folder}-index")


@pytest.fixture
def library(tmp_path: Path) -> Library:
    return opened(tmp_path, DOCS, "c")


def grouped(library: Library, text: str) -> tuple[list[str], list[str]]:
    results = library.search(text, page_size=50)
    return ([r.doc_id for r in results.rows if r.every_word], sorted(r.doc_id for r in results.rows if not r.every_word))


def test_a_question_ranks_every_word_first_then_some(library: Library):
    results = library.search("why is the dollar falling?")
    assert [r.doc_id for r in results.rows][:1] == ["both.md"]
    assert grouped(library, "why is the dollar falling?") == (["both.md"], ["dollar.md", "falling.md"])
    assert (results.total, results.every_word, results.groups) == (3, 1, "1 with every word · 2 with some")


def test_function_words_are_not_required_and_stay_in_phrases(library: Library):
    assert grouped(library, "the dollar")[0] == ["both.md", "dollar.md"]  # "the" is not needed
    assert grouped(library, '"the dollar is falling"') == (["both.md"], [])
    assert grouped(library, "why is the")[0] == ["questions.md"]  # nothing else asked: kept
    assert library.search("dollar falling").rows[0].hits == library.search("the dollar falling").rows[0].hits


@pytest.mark.parametrize("typed", ["dollar falling?", "dollar falling!", "dollar, falling.", "dollar falling ?"])
def test_punctuation_ending_a_word_is_not_syntax(library: Library, typed: str):
    results = library.search(typed)
    assert results.problem is None and not results.notices
    assert grouped(library, typed) == (["both.md"], ["dollar.md", "falling.md"])


def test_a_hyphenated_word_is_a_free_word(library: Library):
    assert grouped(library, "wind-tunnel dollar") == ([], ["both.md", "dollar.md", "wind.md"])


@pytest.mark.parametrize("typed, every", [
    ("dollar AND falling", ["both.md"]), ("+dollar falling", ["both.md", "dollar.md"]),
    ('"dollar is" falling', ["both.md"]), ("dollar -euro", ["dollar.md"]),
    ("dollar OR leaves", ["both.md", "dollar.md", "falling.md"]), ("title:dollar falling", ["both.md"]),
])
def test_explicit_syntax_keeps_its_meaning(library: Library, typed: str, every: list[str]):
    assert sorted(grouped(library, typed)[0]) == sorted(every)
    assert grouped(library, typed)[1] == [] or typed == "title:dollar falling"


def test_words_that_all_occur_somewhere_never_give_an_empty_list(library: Library):
    assert grouped(library, "euro park winds") == ([], ["both.md", "falling.md", "neither.md", "wind.md"])


def test_paging_runs_across_the_two_groups(library: Library):
    pages = [library.search("why is the dollar falling", page=p, page_size=1) for p in (1, 2, 3, 4)]
    assert [[r.doc_id for r in page.rows] for page in pages][:1] == [["both.md"]]
    assert sorted(page.rows[0].doc_id for page in pages[1:3]) == ["dollar.md", "falling.md"]
    assert pages[3].rows == [] and all(page.total == 3 for page in pages)


def test_json_says_which_group_a_row_is_in(library: Library, tmp_path: Path, capsys):
    code = main(["--corpus", str(tmp_path / "c"), "--index", str(tmp_path / "c-index"), "search", "--json",
                 "the", "dollar", "falling"])
    data = json.loads(capsys.readouterr().out)
    assert code == 0 and (data["total"], data["every_word"]) == (3, 1)
    assert [r["group"] for r in data["results"]] == ["every", "some", "some"]


def test_the_text_output_draws_a_divider_between_the_groups(library: Library, tmp_path: Path, capsys):
    main(["--corpus", str(tmp_path / "c"), "--index", str(tmp_path / "c-index"), "search", "dollar", "falling"])
    out, err = capsys.readouterr()
    lines = out.splitlines()
    divider = lines.index("── 2 documents with some of the words ──")
    assert "Dollar falls" in "".join(lines[:divider]) and "Currency desk" in "".join(lines[divider:])
    assert "3 matching documents, 1 with every word · 2 with some" in err


async def test_the_list_shows_the_groups_and_the_cursor_steps_over_the_divider(tmp_path: Path):
    from .test_screen import painted_text
    from .tui_helpers import doc_list, make_app, search, settle, shown_id, started

    app = make_app(tmp_path)
    async with app.run_test(size=(130, 50)) as pilot:
        await started(pilot)
        await search(pilot, "xiaomi lei jun")
        documents = doc_list(app)
        assert documents.border_title == "9 with every word · 5 with some · 14 documents"
        lines = [line.strip("│ ") for line in painted_text(documents)]  # line 0: the top border
        assert lines[19] == "── 5 documents with some of the words ──" and lines[20] == ""
        assert "9 with every word · 5 with some" in painted_text(documents)[0]
        ninth, tenth = documents.rows[8], documents.rows[9]
        assert ninth.every_word and not tenth.every_word
        await pilot.press("enter", "escape")  # from the search box to the list
        documents.focus()
        await pilot.press(*["j"] * 9)
        await settle(pilot)
        assert documents.cursor == 10 and shown_id(app) == tenth.doc_id  # the divider was stepped over
        await pilot.press("k")
        await settle(pilot)
        assert documents.cursor == 8 and shown_id(app) == ninth.doc_id
        assert painted_text(documents)[17].strip("│ ●").startswith(ninth.title[:20])


NAMES = {
    "tennis1.md": "# Open final\n\nThe champion Federer won again, and fans cheered for Federer all night.",
    "tennis2.md": "# Quarter final\n\nYesterday Federer's serve was too strong for his rival.",
    "budget.md": "# Budget\n\nThe federal budget was cut, and a federal agency closed.",
    "gates1.md": "# Charity\n\nThe founder Bill Gates gave money, and Gates spoke on stage.",
    "gates2.md": "# Old town\n\nThe city gates were closed at night.",
    "gate.md": "# Garden\n\nThe garden gate was painted green.",
    "phones.md": "# Shops\n\nShops sold phones and the markets rose.",
    "phone.md": "# Desk\n\nA phone rang at the market stall.",
}


@pytest.fixture
def names(tmp_path: Path) -> Library:
    return opened(tmp_path, NAMES, "n")


@pytest.mark.parametrize("typed, found", [
    ("federer", ["tennis1.md", "tennis2.md"]),  # not "federal": its stem is the same
    ("Federer", ["tennis1.md", "tennis2.md"]),
    ("gates", ["gates1.md", "gates2.md"]),  # the word gates or Gates, not gate
    ("phones", ["phone.md", "phones.md"]),  # ordinary words keep their stems
    ("markets", ["phone.md", "phones.md"]),
])
def test_names_are_matched_as_written(names: Library, typed: str, found: list[str]):
    assert sorted(r.doc_id for r in names.search(typed).rows) == found


def test_the_typed_form_ranks_above_stemmed_variants(names: Library):
    assert [r.doc_id for r in names.search("phones").rows] == ["phones.md", "phone.md"]
    assert [r.doc_id for r in names.search("phone").rows] == ["phone.md", "phones.md"]


def test_a_name_is_lit_where_it_is_written(names: Library):
    row = names.search("federer", with_hits=True).rows
    body = names.document("tennis2.md").document.body
    hits = next(r for r in row if r.doc_id == "tennis2.md").hits
    assert [body[h.start:h.end] for h in hits if h.field == "body"] == ["Federer's"]


def test_did_you_mean_even_when_the_stem_matches(bundled: Library, capsys):
    results = bundled.search("xiaomy phones")
    assert results.total > 0 and results.suggestion == "xiaomi phones"
    assert bundled.search("xiaomi phones").suggestion is None
    assert bundled.search("why is xiaomi").suggestion is None  # function words are not corrected
    assert main(["search", "--json", "xiaomy"]) == 0
    out, err = capsys.readouterr()
    assert json.loads(out)["suggestion"] == "xiaomi" and "margin: did you mean: xiaomi" in err


async def test_a_key_accepts_the_suggestion(tmp_path: Path):
    from .test_screen import painted_text
    from .tui_helpers import make_app, search, settle, started

    app = make_app(tmp_path)
    async with app.run_test(size=(130, 40)) as pilot:
        await started(pilot)
        await search(pilot, "xiaomy")
        status = "".join(painted_text(app.main.query_one("#status")))
        assert "did you mean: xiaomi (ctrl+y searches for it)" in status
        await pilot.press("ctrl+y")
        await settle(pilot)
        assert app.main.search_box.value == "xiaomi" and app.main.search.current_query == "xiaomi"
        assert "14 of 14 documents for xiaomi" in "".join(painted_text(app.main.query_one("#status")))


@pytest.mark.parametrize("question, first, every", [
    ("what did lei jun say about marketing?", "000", 2),
    ("how many ice cream bars did xiaomi give away", "002-04", 0),
    ("when did xiaomi open a store in south korea", "002-09", 1),
    ("who is the founder of xiaomi?", "003", 5),
    ("what did nvidia and xiaomi bosses talk about", "002-02", 0),
])
def test_questions_over_the_bundled_corpus(bundled: Library, question: str, first: str, every: int):
    results = bundled.search(question, page_size=3)
    assert results.rows[0].doc_id.startswith(first) and results.every_word == every
    assert len(results.rows) == 3  # a page inside the first group holds no rows of the second
    assert [r.every_word for r in results.rows] == [i < every for i in range(3)]


def test_a_large_second_group_is_counted_about(library: Library, monkeypatch):
    from margin.search.engine.whoosh import ranking

    monkeypatch.setattr(ranking, "EXACT_COUNT", 0)  # every union counts as large
    monkeypatch.setattr(ranking, "RERANK", 1)  # and the first group fills what is re-ranked
    results = library.search("dollar falling", page_size=1)  # the page lies inside the first group
    assert not results.exact_total and results.groups.startswith("1 with every word · about ")
    assert library.exact_total("dollar falling") == 3  # both, dollar and falling: counted exactly
    assert library.search("dollar falling", page_size=10).exact_total  # scored, so counted exactly


def test_the_command_line_counts_exactly_when_asked(tmp_path: Path, monkeypatch, capsys):
    from margin.search.engine.whoosh import ranking

    monkeypatch.setattr(ranking, "EXACT_COUNT", 0)
    monkeypatch.setattr(ranking, "RERANK", 1)
    opened(tmp_path, DOCS, "c").close()
    where = ["--corpus", str(tmp_path / "c"), "--index", str(tmp_path / "c-index")]
    for flags, total, exact in (([], None, False), (["--exact-count"], 3, True)):
        assert main(["search", *where, "--json", "--limit", "1", *flags, "dollar falling"]) == 0
        data = json.loads(capsys.readouterr().out)
        assert data["total_exact"] is exact and (total is None or data["total"] == total)


async def test_an_estimated_count_is_finished_in_the_background(tmp_path: Path, monkeypatch):
    """The first page says "about N" at once; the exact count follows from the search's worker
    and is painted in the list's title and the status line."""
    from margin.search.engine.whoosh import ranking
    from margin.tui import messages

    from .test_screen import painted_text
    from .tui_helpers import doc_list, make_app, search, settle, started

    monkeypatch.setattr(ranking, "EXACT_COUNT", 0)  # every union counts as large
    for i in range(130):
        write(tmp_path / "many", f"both{i:03}.md", f"# Both {i}\n\nThe dollar is falling again, story {i}.")
    for i in range(30):
        write(tmp_path / "many", f"one{i:03}.md", f"# One {i}\n\nThe dollar held, story {i}.")
    app = make_app(tmp_path, corpus=tmp_path / "many")
    posted: list[object] = []
    async with app.run_test(size=(130, 40), message_hook=posted.append) as pilot:
        await started(pilot)
        await search(pilot, "dollar falling")
        await settle(pilot)
        first = [m.results for m in posted if isinstance(m, messages.ResultsReady) and m.results.query == "dollar falling"]
        assert first and not first[-1].exact_total  # the page itself estimated
        counted = [m.total for m in posted if isinstance(m, messages.CountReady)]
        assert counted and counted[-1] == 160  # one per search typed ("dollar f", ... "dollar falling")
        title = painted_text(doc_list(app))[0]
        assert "130 with every word · 30 with some · 160 d" in title and "about" not in title  # cut to the pane
        assert "160 of 160 documents for dollar falling" in "".join(painted_text(app.main.query_one("#status")))


def dated_in_two_segments(tmp_path: Path, dates: list[str], *, removed: str, added: str) -> Path:
    """Documents `0.md`... with these dates ("" undated), indexed; then `removed` deleted and `7.md`
    dated `added` written, indexed again: two segments and a deletion."""
    corpus = tmp_path / "c"
    for n, date in enumerate(dates):
        write(corpus, f"{n}.md", f"---\ntitle: Doc {n}\n" + (f"published: {date}\n" if date else "") + "---\n\nText.")
    Library.open(corpus, tmp_path / "ix").close()
    (corpus / removed).unlink()
    write(corpus, "7.md", f"---\ntitle: Doc 7\npublished: {added}\n---\n\nText, in a second segment.")
    return corpus


def test_the_empty_query_lists_newest_first_in_whoosh_order_with_ties_and_deletions(tmp_path: Path):
    """The empty query's order is read from the dates column (engine.ranking.newest_first); it must
    be the order Whoosh's own sort gives, ties (the later document first) and deleted ones too."""
    from whoosh.query import Every

    from margin.search.engine.whoosh.ranking import newest_first

    corpus = dated_in_two_segments(tmp_path, ["2024-01-02", "", "2024-01-02", "2023-05-01", "", "2025-07-07", "2024-01-02"],
                                   removed="2.md", added="2024-01-02")
    with Library.open(corpus, tmp_path / "ix") as library:
        searcher = library._current().whoosh
        assert searcher.reader().has_deletions()
        whoosh = [d for d, _ in searcher.search(Every(), limit=None, sortedby="published", reverse=True).items()]
        assert newest_first(searcher) == whoosh
        listed = [r.doc_id for r in library.search("", page_size=20).rows]
        assert listed[0] == "5.md" and set(listed) == {"0.md", "1.md", "3.md", "4.md", "5.md", "6.md", "7.md"}


def test_date_ranges_from_the_column_match_what_the_date_terms_match(tmp_path: Path):
    """engine.date_filter reads dates from the column (3.2 s -> 78 ms for `published:>1987-10 bank`
    at 100,000 documents); the documents must be those Whoosh's term range finds, segment by
    segment and with deletions, undated documents never included."""
    from whoosh.query import TermRange

    from margin.search.engine.whoosh.date_filter import DateRange

    corpus = dated_in_two_segments(tmp_path, ["2024-01-02", "", "2024-01-02", "2023-05-01", "", "2025-07-07", "2024-03-31"],
                                   removed="0.md", added="2024-02-10")
    with Library.open(corpus, tmp_path / "ix") as library:
        searcher = library._current().whoosh
        for start, end in [("2024-01-01", "2025-01-01"), (None, "2024-03-31"), ("2024-03-31", None), (None, None)]:
            theirs = {d for d, _ in searcher.search(TermRange("published", start, end, endexcl=True), limit=None).items()}
            ours = {d for d, _ in searcher.search(DateRange(start, end), limit=None).items()}
            assert ours == theirs and len(ours) > 0, (start, end)
        def ids(query: str) -> set[str]:
            return {r.doc_id for r in library.search(query, page_size=20).rows}

        assert ids("published:2024") == {"2.md", "6.md", "7.md"}
        assert ids("published:<2024-03 text") == {"2.md", "3.md", "7.md"}
        assert ids("text -published:>=2024") == {"1.md", "3.md", "4.md"}


@pytest.mark.parametrize("query", ["why is xiaomi raising the price of the su7", "lei jun marketing", "xiaomi phones"])
def test_common_boost_words_found_by_skipping_score_as_when_decoded(bundled: Library, monkeypatch, query: str):
    """Boost and feedback words in many documents are scored at the candidates by skipping along
    their postings (engine.ranking.COMMON_POSTINGS); the page must be the one full decoding gives."""
    from margin.search.engine.whoosh import ranking

    def page() -> list[tuple[str, float]]:
        bundled._hits.clear()
        return [(r.doc_id, r.score) for r in bundled.search(query, page_size=20, suggest=False).rows]

    monkeypatch.setattr(ranking, "COMMON_POSTINGS", 10**9)
    decoded = page()
    monkeypatch.setattr(ranking, "COMMON_POSTINGS", 0)
    assert page() == decoded and decoded


PASTED = {
    "image.md": "# Notes\n\nAn image of the harbour at dawn, taken from the pier.",
    "text.md": "# Notes\n\nA text about the harbour at dawn, written on the pier.",
    "quoted.md": "# Office of the future\n\nThe office of the future will hold fewer papers and more screens.",
    "office.md": "# Offices\n\nThe future of the office is debated by planners and architects.",
}


@pytest.mark.usefixtures("each_engine")
def test_a_word_said_three_times_weighs_more_than_one_said_once(tmp_path: Path):
    """Issue 30: a question that says "image" three times is about images (query-term weight)."""
    library = opened(tmp_path, PASTED, "p")
    rows = library.search("text or image? an image, I mean: the image", page_size=5).rows
    assert [r.doc_id for r in rows][:2] == ["image.md", "text.md"]
    rows = library.search("text or image? a text, I mean: the text", page_size=5).rows
    assert [r.doc_id for r in rows][:2] == ["text.md", "image.md"]


@pytest.mark.usefixtures("each_engine")
def test_a_quotation_in_a_pasted_paragraph_ranks_but_never_filters(tmp_path: Path):
    """Issue 30: in a question of more than a dozen words a quotation is a boost, so a quoted
    phrase no document holds leaves the words to rank; a short query keeps the phrase required."""
    library = opened(tmp_path, PASTED, "p")
    unmatched = 'we want to read what planners say about the future of the office, the "paperless desk" idea'
    assert {r.doc_id for r in library.search(unmatched, page_size=5).rows} >= {"office.md", "quoted.md"}
    matched = 'we want to read what planners say about the future of the office, the "office of the future"'
    assert library.search(matched, page_size=5).rows[0].doc_id == "quoted.md"
    assert library.search('"paperless desk" office').total == 0  # short: the phrase is required


@pytest.mark.usefixtures("each_engine")
def test_a_question_written_in_capitals_has_no_operators(tmp_path: Path):
    """NPL's and LISA's questions are in capitals: their AND joined every word into one required
    group, and "OF", "THE" counted as names, so 18 of NPL's 93 questions found nothing."""
    library = opened(tmp_path, PASTED, "p")
    results = library.search("IMAGE AND TEXT OF THE HARBOUR AT NIGHT")
    assert results.problem is None and {r.doc_id for r in results.rows} == {"image.md", "text.md"}
    assert library.search("image AND night").total == 0  # among lower-case words AND is the operator


def test_did_you_mean_never_offers_a_word_the_search_drops(tmp_path: Path):
    """Issue 30: `hate` was offered as `have`, a function word the search leaves out."""
    library = opened(tmp_path, {"a.md": "# Have\n\nWe have what we have, and they have it too; hats off."}, "h")
    assert library.search("hate").suggestion == "hats"


CLUB = {
    **{f"club{i}.md": f"# Match report {i}\n\nFans of Chelsea watched as Chelsea drew again, said the coach of Chelsea."
       for i in range(4)},
    "sacked.md": "# Chelsea sack Mutu\n\nChelsea have sacked Mutu. Chelsea said Mutu broke the club's rules, and "
                 "Chelsea will not appeal. The striker joined Chelsea last year; Chelsea paid a large fee.",
    "festival.md": "# Festival line-up\n\nThe organisers say this year's line-up is unbeatable, with bands from "
                   "every corner of the country playing across three days in the park.",
    "rest.md": "# Weather\n\nRain is expected in the park over the weekend, and the bands may move indoors.",
    "unbeaten.md": "# Records\n\nThe unbeatable record of the old champions still stands after forty years.",
}


@pytest.mark.usefixtures("each_engine")
def test_a_name_in_the_title_outranks_one_rarer_word_in_passing(tmp_path: Path):
    """Issue 30: `is chelsea unbeatable` ranked a festival story's one "unbeatable" above "Chelsea
    sack Mutu": a name, matched as written, lacked the bonus every word found as typed has."""
    library = opened(tmp_path, CLUB, "club")
    rows = library.search("is chelsea unbeatable", page_size=10).rows
    assert rows[0].doc_id == "sacked.md"
    assert [r.doc_id for r in rows].index("sacked.md") < [r.doc_id for r in rows].index("festival.md")
