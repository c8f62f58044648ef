"""Entities: the curated list with aliases, precision-first rules, and corpus-wide counts."""

from __future__ import annotations

from pathlib import Path

from margin.search.entities import extract_entities, surname_owners
from margin.search.gazetteer import Entity, Gazetteer, load_gazetteer
from margin.search.library import Library

from .conftest import write

EMPTY = Gazetteer()


def found(text: str, gazetteer: Gazetteer = EMPTY) -> set[tuple[str, str, str]]:
    return {(m.type, m.name, text[m.start:m.end]) for m in extract_entities(text, gazetteer)}


def test_curated_aliases_count_as_the_canonical_entity():
    g = Gazetteer([Entity("Lei Jun", "person", ("雷军", "Lei")), Entity("Xiaomi", "organization")])
    assert found("Lei Jun (雷军) said Lei likes Xiaomi.", g) == {
        ("person", "Lei Jun", "Lei Jun"), ("person", "Lei Jun", "雷军"), ("person", "Lei Jun", "Lei"),
        ("organization", "Xiaomi", "Xiaomi")}


def test_curated_names_respect_word_boundaries():
    g = Gazetteer([Entity("Yu", "person"), Entity("SU7", "product")])
    assert found("The YU7 and SU7s and Yuan were shown; Yu spoke.", g) == {("person", "Yu", "Yu")}


def test_rules_find_people_organizations_and_places():
    text = ("Shares of Acme Holdings rose in Paris on Monday, said chief executive Maria Lopez. "
            "Lopez added that President Joe Biden would visit Germany. Mr. Tanaka declined to comment.")
    assert found(text) >= {
        ("organization", "Acme Holdings", "Acme Holdings"), ("place", "Paris", "Paris"),
        ("person", "Maria Lopez", "Maria Lopez"), ("person", "Maria Lopez", "Lopez"),
        ("person", "Joe Biden", "Joe Biden"), ("place", "Germany", "Germany"), ("person", "Tanaka", "Tanaka")}


def test_multi_word_titles_and_time_words_before_a_name():
    text = ("Prime Minister Tony Blair spoke. Foreign Secretary Jack Straw agreed. Yesterday Gordon Brown "
            "left. The Home Office and the Trade Ministry declined to comment.")
    assert found(text) >= {
        ("person", "Tony Blair", "Tony Blair"), ("person", "Jack Straw", "Jack Straw"),
        ("person", "Gordon Brown", "Gordon Brown"), ("organization", "Home Office", "Home Office"),
        ("organization", "Trade Ministry", "Trade Ministry")}


def test_rules_never_make_entities_of_sentence_words():
    text = "The market fell. However, He said It was fine. Many Analysts agree. In March, This happened."
    assert found(text) == set()


def test_possessive_is_not_part_of_the_name():
    assert ("organization", "Acme Holdings", "Acme Holdings") in found("Acme Holdings' shares and Acme Holdings’s plan")


def test_gazetteer_file_reports_bad_entries(tmp_path: Path):
    path = write(tmp_path, "entities.yaml", "- {name: Good, type: person}\n- {name: Bad, type: alien}\n- {type: place}\n")
    g = load_gazetteer(path)
    assert [e.name for e in g.entities] == ["Good"]
    assert len(g.warnings) == 2 and "entry 2" in g.warnings[0] and "alien" in g.warnings[0]


def test_corpus_wide_counts_and_per_document_counts(bundled: Library):
    counts = {(c.type, c.name): c.count for c in bundled.entity_counts()}
    assert counts[("person", "Lei Jun")] == 9 and counts[("organization", "Xiaomi")] == 14
    assert counts[("place", "Anhui")] == 1 and counts[("product", "SU7")] == 4
    people = bundled.entity_counts("person")
    assert people[0].name == "Lei Jun" and {c.type for c in people} == {"person"}
    doc = {(c.type, c.name): c.count for c in bundled.entities_of("004-xiaomi-marketing-model-backlash.md")}
    assert doc[("person", "Lei Jun")] == 11  # 7 × "Lei Jun", 4 × "雷军" and doc[("person", "Liu Qiangdong")] == 1
    assert doc[("place", "Anhui")] == 3  # 2 × "Anhui", 1 × "安徽"


def test_bundled_sidebar_has_no_junk(bundled: Library):
    names = {c.name for c in bundled.entity_counts()}
    assert not names & {"The", "However", "He", "It", "This", "Risk Warning", "Image", "Executive Summary"}


def test_counts_stay_exact_after_a_document_is_deleted(tmp_path: Path):
    corpus = tmp_path / "c"
    write(corpus, "a.txt", "A\nChief executive Maria Lopez spoke in Paris.")
    write(corpus, "b.txt", "B\nMaria Lopez flew to Paris.")
    Library.open(corpus, tmp_path / "ix").close()
    (corpus / "b.txt").unlink()
    with Library.open(corpus, tmp_path / "ix") as library:
        counts = {(c.type, c.name): c.count for c in library.entity_counts()}
        assert counts[("place", "Paris")] == 1


def test_a_lone_surname_resolves_to_the_full_name_the_corpus_mostly_means():
    counts = {"blair": 111, "tony blair": 114, "cherie blair": 6, "smith": 9, "john smith": 4, "jane smith": 3,
              "brown": 2, "gordon brown": 1}
    assert surname_owners(counts) == {"blair": "tony blair"}  # Smiths too close; Gordon Brown too rare


def test_entity_counts_queries_and_sidebar_merge_a_resolved_surname(tmp_path: Path):
    corpus = tmp_path / "corpus"
    for i in range(3):
        write(corpus, f"full{i}.txt", f"Title {i}\nTony Blair spoke in London on day {i}.\n")
    for i in range(2):
        write(corpus, f"mr{i}.txt", f"Other {i}\nMr Blair said the economy was strong, on day {i}.\n")
    with Library.open(corpus, tmp_path / "index") as library:
        people = {e.name: e.count for e in library.entity_counts("person")}
        assert people == {"Tony Blair": 5}
        assert library.search('person:"Tony Blair"').total == 5
        assert library.hits("mr0.txt", 'person:"Tony Blair"')[0].start == len("Mr ")
        assert [(e.name, e.count) for e in library.entities_of("mr0.txt")] == [("Tony Blair", 1)]
