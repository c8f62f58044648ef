"""The tokenizer: one definition of a term for the index, the hit finder and the query parser."""

from hypothesis import given, settings
from hypothesis import strategies as st

from margin.search.query.terms import find_terms, iter_surface_forms, iter_terms, plain_terms, surface_spans, term_spans

TEXT = st.text(alphabet=st.sampled_from(list("abcé xyz’'.-,\n雷军山寨机ABC12")), max_size=60)


def test_english_folding_and_stemming():
    assert [t.text for t in iter_terms("Xiaomi’s PHONES running Café e-commerce U.S.")] == [
        "xiaomi", "phone", "run", "cafe", "e", "commerc", "u.s"]


def test_cjk_bigrams_with_unigrams_when_indexing_only():
    assert [(t.text, t.pos) for t in iter_terms("山寨机 x")] == [
        ("山寨", 0), ("山", 0), ("寨机", 1), ("寨", 1), ("机", 1), ("x", 2)]
    assert [(t.text, t.pos) for t in iter_terms("山寨机 x", query=True)] == [("山寨", 0), ("寨机", 1), ("x", 2)]


def test_offsets_point_at_the_surface_text():
    text = "of山寨机 (Lei Jun’s)"
    assert [text[t.start:t.end] for t in iter_terms(text, query=True)] == ["of", "山寨", "寨机", "Lei", "Jun’s"]


@settings(max_examples=300)
@given(TEXT, st.data())
def test_find_terms_is_iter_terms_filtered(text, data):
    every = list(iter_terms(text))
    wanted = set(data.draw(st.lists(st.sampled_from([t.text for t in every] or ["x"]), max_size=4)))
    assert find_terms(text, wanted) == [t for t in every if t.text in wanted]


@settings(max_examples=400)
@given(st.text(alphabet=st.sampled_from(list("oil Oil’s.'-xy 雷军\n0.6é")), max_size=80), st.data())
def test_term_spans_by_surface_form_equals_the_token_walk(text, data):
    every = list(iter_terms(text))
    wanted = set(data.draw(st.lists(st.sampled_from([t.text for t in every] or ["oil"]), max_size=3)))
    walked = [(t.start, t.end) for t in find_terms(text, wanted)]
    assert term_spans(text, wanted) == sorted(walked)


@settings(max_examples=400)
@given(st.text(alphabet=st.sampled_from(list("oil Oil’s.'-xy 雷军\n0.6é")), max_size=80), st.data())
def test_surface_spans_by_search_equal_the_token_walk(text, data):
    every = list(iter_surface_forms(text))
    wanted = set(data.draw(st.lists(st.sampled_from([t.text for t in every] or ["oil"]), max_size=3)))
    assert surface_spans(text, wanted) == [(t.start, t.end) for t in every if t.text in wanted]


WORDS = ["lying", "lied", "Lie", "dying", "die", "cry", "cries", "pricing", "Prices", "U.S.", "o’neil",
         "O'Neil's", "skies", "sky", "running", "relational", "ability", "able", "Xiaomi’s", "news", "cafés"]


@settings(max_examples=400)
@given(st.lists(st.sampled_from(WORDS), max_size=12), st.lists(st.sampled_from([" ", ", ", ".", "\n", "-"]), min_size=12,
                                                               max_size=12), st.data())
def test_term_spans_of_stemmed_words_equal_the_token_walk(words, gaps, data):
    """Hits are searched for by the start of each wanted stem in the lower-cased text: every
    inflection Porter2 maps onto a stem (lying -> lie, pricing -> price) must still be found."""
    text = "".join(w + g for w, g in zip(words, gaps))
    every = list(iter_terms(text))
    wanted = set(data.draw(st.lists(st.sampled_from([t.text for t in every] or ["lie"]), max_size=3)))
    assert term_spans(text, wanted) == sorted((t.start, t.end) for t in find_terms(text, wanted))


def test_names_are_found_as_written():
    text = "Said Federer's coach: Federer, federal, FEDERER and xFederer. " * 1000
    spans = surface_spans(text, {"federer"})
    assert [text[a:b] for a, b in spans[:3]] == ["Federer's", "Federer", "FEDERER"]
    assert len(spans) == 3000


@given(st.text(alphabet=st.sampled_from("ab É'’.-\n\t1é雷軍x"), max_size=60))
def test_plain_terms_are_what_the_generators_yield(text: str):
    """The indexer's one-pass analysis (plain_terms) must give the very terms iter_terms and
    iter_surface_forms give, or say it cannot (CJK runs)."""
    found = plain_terms(text)
    if any("\u4e00" <= c <= "\u9fff" for c in text):
        assert found is None
    else:
        assert found == ([t.text for t in iter_terms(text)], [t.text for t in iter_surface_forms(text)])


@settings(max_examples=400)
@given(st.lists(st.sampled_from(["oil", "Oil’s", "price", "prices", "the", "山寨机", "x", "U.S.", "lying", "lie"]), max_size=14),
       st.lists(st.sampled_from([" ", ", ", ". ", "\n", "-", "雷"]), min_size=14, max_size=14), st.data())
def test_phrases_found_after_their_first_word_are_those_of_the_whole_walk(words, gaps, data):
    """matching.phrase_spans walks only the few tokens after each first word; the spans must be
    those a walk of the whole text finds (every position, in order, within the slop)."""
    from collections import defaultdict

    from margin.search.engine.matching import _phrase_spans, phrase_spans

    text = "".join(w + g for w, g in zip(words, gaps))
    terms = [t.text for t in iter_terms(text)] or ["oil"]
    phrase = data.draw(st.lists(st.sampled_from(terms), min_size=2, max_size=3))
    slop = data.draw(st.integers(1, 3))
    by_pos = defaultdict(list)
    for term in find_terms(text, set(phrase)):
        by_pos[term.pos].append(term)
    assert sorted(phrase_spans(text, phrase, slop)) == sorted(_phrase_spans(by_pos, phrase, slop))


def test_snowballs_stemmer_keeps_apart_what_whooshs_porter2_conflated():
    """Issue 27: Whoosh's Porter2 stemmed "university" and "universal" alike, "organizing" as
    "organ", "paste" as "past"; Snowball's (PyStemmer) keeps them apart and agrees elsewhere."""
    from margin.search.query.terms import normalize_word

    for one, other in (("university", "universal"), ("organizing", "organ"), ("paste", "past"), ("emergency", "emerge")):
        assert normalize_word(one) != normalize_word(other), (one, other)
    assert [normalize_word(w) for w in ("Prices", "pricing", "lying", "cries", "Xiaomi's")] == [
        "price", "price", "lie", "cri", "xiaomi"]
