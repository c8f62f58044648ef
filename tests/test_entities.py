"""Entities: the curated list with aliases, precision-first rules, and corpus-wide counts."""

from __future__ import annotations

from pathlib import Path

import pytest

from margin.search.entities import learned, rules
from margin.search.entities.gazetteer import Entity, Gazetteer, load_gazetteer
from margin.search.entities.mentions import company_owners, extract_entities, surname_owners
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
    counts = {(c.type, c.name): c.count for c in bundled.entities.counts()}
    assert counts[("person", "Lei Jun")] == 9 and counts[("organization", "Xiaomi")] == 14
    assert counts[("place", "Anhui")] == 1 and counts[("product", "SU7")] == 4
    people = bundled.entities.counts("person")
    assert people[0].name == "Lei Jun" and {c.type for c in people} == {"person"}
    doc = {(c.type, c.name): c.count for c in bundled.entities_of("004-xiaomi-marketing-model-backlash.md")}
    assert doc[("person", "Lei Jun")] == 11  # 7 × "Lei Jun", 4 × "雷军" and doc[("person", "Liu Qiangdong")] == 1
    assert doc[("place", "Anhui")] == 3  # 2 × "Anhui", 1 × "安徽"


def test_bundled_sidebar_has_no_junk(bundled: Library):
    names = {c.name for c in bundled.entities.counts()}
    assert not names & {"The", "However", "He", "It", "This", "Risk Warning", "Image", "Executive Summary"}


def test_counts_stay_exact_after_a_document_is_deleted(tmp_path: Path):
    corpus = tmp_path / "c"
    write(corpus, "a.txt", "A\nChief executive Maria Lopez spoke in Paris.")
    write(corpus, "b.txt", "B\nMaria Lopez flew to Paris.")
    Library.open(corpus, tmp_path / "ix").close()
    (corpus / "b.txt").unlink()
    with Library.open(corpus, tmp_path / "ix") as library:
        counts = {(c.type, c.name): c.count for c in library.entities.counts()}
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
        people = {e.name: e.count for e in library.entities.counts("person")}
        assert people == {"Tony Blair": 5}
        assert library.search('person:"Tony Blair"').total == 5
        assert library.hits("mr0.txt", 'person:"Tony Blair"')[0].start == len("Mr ")
        assert [(e.name, e.count) for e in library.entities_of("mr0.txt")] == [("Tony Blair", 1)]


# Every cause issue 11 found, one row each: (text, entities that must be found, names that must not).
CAUSES = [
    ("The U.S. and the U.K. met at the U.N.",  # a trailing full stop dropped them
     {("place", "United States", "U.S."), ("place", "United Kingdom", "U.K."),
      ("organization", "United Nations", "U.N.")}, set()),
    ("The EU and the UK agreed; the US did not.",  # capitals were refused
     {("organization", "European Union", "EU"), ("place", "United Kingdom", "UK"), ("place", "United States", "US")},
     set()),
    ("Talks between France and Germany stalled, said Tony Blair and Gordon Brown.",  # "and" joined two names
     {("place", "France", "France"), ("place", "Germany", "Germany"),
      ("person", "Tony Blair", "Tony Blair"), ("person", "Gordon Brown", "Gordon Brown")},
     {"France and Germany", "Tony Blair and Gordon Brown"}),
    ("Treasury Secretary James Baker met Trade Representative Clayton Yeutter and "
     "Chancellor of the Exchequer Nigel Lawson.",  # multi-word titles lost the person
     {("person", "James Baker", "James Baker"), ("person", "Clayton Yeutter", "Clayton Yeutter"),
      ("person", "Nigel Lawson", "Nigel Lawson")}, {"Trade Representative"}),
    ("Grain went to the Soviet Union.",  # "Union" made it an organisation
     {("place", "Soviet Union", "Soviet Union")}, set()),
    ("The Asian Development Bank lent more.",  # stripping "Asian" cut the name
     {("organization", "Asian Development Bank", "Asian Development Bank")}, {"Development Bank"}),
    ("Exports to Turkey, Zaire and the Soviet Union rose.",  # older and common country names
     {("place", "Turkey", "Turkey"), ("place", "Zaire", "Zaire")}, set()),
    ("Microsoft and Google shares rose; Yukos fell.",  # well-known companies without a suffix
     {("organization", "Microsoft", "Microsoft"), ("organization", "Google", "Google"),
      ("organization", "Yukos", "Yukos")}, set()),
    ("The Liberal Democrats and Labour gained seats.",  # parties are organisations
     {("organization", "Liberal Democrats", "Liberal Democrats"), ("organization", "Labour Party", "Labour")},
     set()),
    ("Liverpool beat Chelsea 2-1 in the league.",  # clubs named for places, among sports words
     {("organization", "Liverpool FC", "Liverpool"), ("organization", "Chelsea FC", "Chelsea")}, set()),
    ("Liverpool is a port city in England.", {("place", "Liverpool", "Liverpool")}, set()),
    ("Vadim Mitroshin The Moscow court ruled.", {("person", "Vadim Mitroshin", "Vadim Mitroshin")},
     {"Vadim Mitroshin The"}),
    ("Mrs Howard said her husband Michael Howard agreed.",  # forms of address decide between people
     {("person", "Mrs Howard", "Howard"), ("person", "Michael Howard", "Michael Howard")}, set()),
    ("Ken Clarke, the former chancellor, spoke. Mr Clarke said the rules would change.",  # issue 29: the
     {("person", "Ken Clarke", "Ken Clarke"), ("person", "Ken Clarke", "Clarke")}, {"Clarke"}),  # article first
    # Issue 29, second part: a month is a surname's last word; an owner before what is theirs; a
    # person after an office of some words; the learned model's runs.
    ("Home Secretary Theresa May said Lei Jun and Brian May agreed.",
     {("person", "Theresa May", "Theresa May"), ("person", "Lei Jun", "Lei Jun"), ("person", "Brian May", "Brian May")},
     {"Theresa", "Lei", "Brian"}),
    ("Clint Eastwood's Million Dollar Baby beat The Aviator to the top prize.",
     {("person", "Clint Eastwood", "Clint Eastwood")}, {"Clint Eastwood's Million Dollar Baby"}),
    ("On Monday US Secretary of State Condoleezza Rice met President of France Emmanuel Macron.",
     {("person", "Condoleezza Rice", "Condoleezza Rice"), ("person", "Emmanuel Macron", "Emmanuel Macron")},
     {"State Condoleezza Rice", "France Emmanuel Macron"}),
    ("Shares of McDonald's Corp rose, and then the Prime Minister said no.",
     {("organization", "McDonald's Corp", "McDonald's Corp")}, {"McDonald", "Prime Minister"}),
    ("小米集团创始人雷军在北京说，华为和联合国都同意。",  # known names by their Chinese names: one row with the English
     {("organization", "Xiaomi", "小米集团"), ("place", "Beijing", "北京"), ("organization", "Huawei", "华为"),
      ("organization", "United Nations", "联合国"), ("person", "雷军", "雷军")}, set()),
    ("Michael Smith and Sarah Smith spoke. Mr Smith said no.",  # a surname two of the article's people share
     {("person", "Smith", "Smith")}, set()),
    ("The Prime Minister said the Election and the League would wait.", set(),
     {"Minister", "Election", "League", "Prime Minister"}),
    ("The International Monetary Fund (IMF) warned. The IMF said growth slows.",  # abbreviation defined
     {("organization", "International Monetary Fund", "IMF")}, {"IMF"}),
    ("Bank of Japan Governor Satoshi Sumita spoke.",
     {("organization", "Bank of Japan", "Bank of Japan"), ("person", "Satoshi Sumita", "Satoshi Sumita")}, set()),
    ("Paine Webber International said shares of Gerald Ford rose.",
     {("organization", "Paine Webber", "Paine Webber")}, {"Paine Webber International", "Ford Motor"}),
    ("A report released late on Monday by the U.S. Agriculture\nDepartment said it would buy more.",  # hard-wrapped
     {("organization", "Department of Agriculture", "U.S. Agriculture\nDepartment")}, set()),
    ("Hartford 4 BOSTON 2", {("organization", "Hartford", "Hartford"), ("organization", "BOSTON", "BOSTON")}, set()),
    ("LONDON 1996-12-06", {("place", "London", "LONDON")}, set()),
    # Found in the BBC News sidebar (stop 23):
    ("As Mr Brown spoke, accountancy firm Ernst & Young urged him to act.",  # "Ernst" is a first name
     {("organization", "Ernst & Young", "Ernst & Young")}, set()),
    ("Fans of Richard & Judy watched Mind, Body & Soul.", set(), {"Richard & Judy", "Body & Soul"}),
    ("He spoke just after Prime Minister's Questions.", set(), {"Minister", "Questions", "Minister's Questions"}),
    ("They heard Tony Blair's speech in the Information Commissioner's Office.",  # "Blair's" was a sentence word
     {("person", "Tony Blair", "Tony Blair"),
      ("organization", "Information Commissioner's Office", "Information Commissioner's Office")}, {"Tony"}),
    ("James Blunt won at the 2004 Brit Awards and the Grammy Awards in Beverly Hills.",
     {("person", "James Blunt", "James Blunt")}, {"Brit Awards", "Beverly Hills"}),
    ("Standard & Poor's raised the rating.",  # known with its possessive, not without it
     {("organization", "Standard and Poor's", "Standard & Poor's")}, {"Standard & Poor"}),
    ("Merck and Co Inc said J.P. Morgan and Co Inc advised it.",  # known names before "and Co Inc"
     {("organization", "Merck and Co Inc", "Merck and Co Inc")}, {"Co Inc"}),
    ("Sun Co Inc said so. The manager is Dillon, Read and Co Inc.",  # Sun, Read: sentence words
     {("organization", "Sun Co Inc", "Sun Co Inc"), ("organization", "Read and Co Inc", "Read and Co Inc")},
     {"Co Inc"}),
    ("In a joint statement, Merrill Lynch and\nCo Inc chairman spoke.", {("organization", "Merrill Lynch", "Merrill Lynch")},
     {"Co Inc"}),  # a line break cut "Co Inc" from its name
    ("The Securities & Exchange Commission sued.",  # an ampersand for the "and" of a known name
     {("organization", "Securities and Exchange Commission", "Securities & Exchange Commission")}, set()),
]


@pytest.mark.parametrize("text, wanted, unwanted", CAUSES, ids=[c[0][:40] for c in CAUSES])
def test_entity_table(text: str, wanted: set[tuple[str, str, str]], unwanted: set[str]):
    got = found(text)
    assert wanted <= got, got
    assert not {name for _, name, _ in got} & unwanted, got


def test_a_transcribed_surname_resolves_to_the_full_name():
    assert surname_owners({"凯莉安·康威": 5, "康威": 4, "博索纳罗": 7}) == {"康威": "凯莉安·康威"}


def test_names_with_and_without_a_middle_initial_are_one_person():
    owners = surname_owners({"george w bush": 40, "george bush": 5, "george w. bush": 2, "bush": 9})
    assert owners == {"george bush": "george w bush", "george w. bush": "george w bush", "bush": "george w bush"}


def test_a_company_with_and_without_its_legal_form_is_one_company():
    owners = company_owners({"texaco": 40, "texaco inc": 12, "texaco corp": 3, "merck and co inc": 4, "merck": 9,
                             "bank of japan": 30, "co": 2, "power corp": 5, "power co": 3})
    assert owners == {"texaco inc": "texaco", "texaco corp": "texaco", "merck and co inc": "merck"}


def test_sidebar_queries_and_article_counts_join_a_company_s_forms(tmp_path: Path):
    corpus = tmp_path / "corpus"
    for i in range(3):
        write(corpus, f"inc{i}.txt", f"Title {i}\nShares of Acme Widgets Inc rose on day {i}.\n")
    write(corpus, "corp.txt", "Other\nAcme Widgets Corp said it would cut jobs.\n")
    write(corpus, "texaco.txt", "Oil\nTexaco Inc and Texaco said the same.\n")
    with Library.open(corpus, tmp_path / "index") as library:
        companies = {e.name: e.count for e in library.entities.counts("organization")}
        assert companies == {"Acme Widgets Inc": 4, "Texaco": 1}
        assert library.search('org:"Acme Widgets Corp"').total == 4
        assert library.search('org:"acme widgets inc"').total == 4
        assert [(e.name, e.count) for e in library.entities_of("corp.txt")] == [("Acme Widgets Inc", 1)]
        assert [(e.name, e.count) for e in library.entities_of("texaco.txt")] == [("Texaco", 2)]


def test_mrs_howard_is_not_michael_howard():
    assert surname_owners({"michael howard": 30, "mrs howard": 3, "howard": 8}) == {"howard": "michael howard"}


def test_a_query_by_any_name_of_a_known_entity_finds_it(tmp_path: Path):
    write(tmp_path / "c", "a.md", "# Fund\n\nThe International Monetary Fund said rates would rise.")
    write(tmp_path / "c", "b.md", "# Fund again\n\nThe IMF met U.S. officials.")
    write(tmp_path / "c", "c.md", "# States\n\nThe United States and the US economy grew.")
    with Library.open(tmp_path / "c", tmp_path / "ix") as library:
        assert library.search("org:imf").total == 2
        assert library.search('org:"international monetary fund"').total == 2
        assert library.search("place:us").total == 2 and library.search('place:"u.s."').total == 2
        rows = {(c.type, c.name): c.count for c in library.entities.counts()}
        assert rows[("organization", "International Monetary Fund")] == 2 and ("organization", "IMF") not in rows


def corrected_corpus(tmp_path: Path) -> Path:
    import shutil

    from margin.search import paths

    shutil.copytree(paths.bundled_corpus(), tmp_path / "c", ignore=shutil.ignore_patterns("__*"))
    return tmp_path / "c"


def test_corrections_apply_at_once_everywhere_and_survive_a_rebuild(tmp_path: Path):
    corpus = corrected_corpus(tmp_path)
    with Library.open(corpus, tmp_path / "ix") as library:
        library.entities.correct("merge", "lei", "Jensen Huang")  # any of its names
        library.entities.correct("retype", "Weibo", "product")
        library.entities.correct("hide", "Steve Jobs")
        library.entities.correct("rename", "Xiaomi", "Xiaomi Corp")
        rows = {(c.type, c.name): c.count for c in library.entities.counts()}
        assert rows[("person", "Jensen Huang")] == 9 and ("person", "Lei Jun") not in rows
        assert rows[("product", "Weibo")] == 3 and ("organization", "Weibo") not in rows
        assert not any(name == "Steve Jobs" for _, name in rows) and rows[("organization", "Xiaomi Corp")] == 14
        assert library.search('person:"lei jun"').total == 9 and library.search("org:weibo").total == 0
        assert library.search('person:"steve jobs"').total == 0 and library.search('org:"xiaomi corp"').total == 14
        marks = library.document("003-lei-jun-chinese-steve-jobs-strategy.md").mentions
        assert not any(name == "Steve Jobs" for _, _, name, _, _ in marks)
    lines = (corpus / "entity-corrections.yaml").read_text().splitlines()
    assert "- {merge: Lei Jun, into: Jensen Huang}" in lines and "- {hide: Steve Jobs}" in lines
    with Library.open(corpus, tmp_path / "ix", rebuild=True) as library:
        assert library.search('person:"jensen huang"').total == 9
        assert library.entities.uncorrect("steve jobs").action == "hide" and library.search('person:"steve jobs"').total == 1
        assert library.entities.uncorrect().action == "rename" and library.search("org:xiaomi").total == 14


def test_a_bad_line_in_the_corrections_file_is_named_and_the_rest_applies(tmp_path: Path):
    corpus = corrected_corpus(tmp_path)
    (corpus / "entity-corrections.yaml").write_text(
        "- {hide: Steve Jobs}\n- {merge: Foo}\ngarbage: [\n- {retype: Weibo, to: spaceship}\n- {hide: Weibo}\n")
    with Library.open(corpus, tmp_path / "ix") as library:
        notices = library.take_notices()
        assert [n.split(": ", 1)[0].rsplit(" ", 2)[1:] for n in notices] == [["line", "2"], ["line", "3"], ["line", "4"]]
        assert "spaceship" in notices[2] and library.search('person:"steve jobs"').total == 0
        assert library.search("org:weibo").total == 0


def test_chinese_names_without_an_entity_list():
    text = "国家主席习近平在北京会见了美国总统拜登，双方讨论了华为公司的问题。雷军表示，城市的青春与田野的友谊很重要。"
    got = found(text)
    assert {("person", "习近平", "习近平"), ("place", "Beijing", "北京"), ("place", "United States", "美国"),
            ("person", "拜登", "拜登"), ("organization", "Huawei", "华为公司"), ("person", "雷军", "雷军")} <= got
    assert not {written for *_, written in got} & {"城市", "青春", "田野", "友谊"}  # jieba tags them as names


def test_pieces_of_transcribed_foreign_names_are_no_people():
    """jieba cuts transcribed names into pieces (博尔克斯 -> 博尔 克斯): a piece glued to another
    transcription character is dropped; a first name before "·" runs on to its surname."""
    got = found("主任安德烈斯·博尔克斯说，反击中布罗佐维奇送出直塞。领袖米奇·麦康奈尔（Mitch）表示反对。"
                "美国约翰斯·霍普金斯大学网站显示，病例增加。白宫总统顾问凯莉安·康威在新闻发布会上表示。")
    people = {name for kind, name, _ in got if kind == "person"}
    assert people == {"安德烈斯·博尔克斯", "米奇·麦康奈尔", "凯莉安·康威"}, got  # 凯 is no surname of China's


def test_a_query_by_the_name_without_the_initial_finds_the_person(tmp_path: Path):
    for i in range(3):
        write(tmp_path / "c", f"w{i}.md", f"# Story {i}\n\nPresident George W Bush spoke on day {i}.")
    write(tmp_path / "c", "plain.md", "# Plain\n\nPresident George Bush spoke too.")
    with Library.open(tmp_path / "c", tmp_path / "ix") as library:
        assert library.search('person:"george bush"').total == 4 == library.search('person:"george w bush"').total
        assert [(c.name, c.count) for c in library.entities.counts("person")] == [("George W Bush", 4)]


def test_the_learned_model_names_runs_the_rules_leave_unnamed():
    """Issue 29: the model adds what no rule has evidence for (places after "in"), only where
    the rules left a run unnamed, and never a word that is also a first name alone ("Clinton"
    is Bill, Hillary or Clinton Whitelaw: no one row)."""
    text = ("Seagal made headlines when he described Russia's actions in Crimea as reasonable. "
            "The new spending is fueled by Clinton's large bank account. "
            "A power station in Badarpur, south-east Delhi, will stop operating.")
    learned = {(m.type, m.name) for m in extract_entities(text, EMPTY)}
    rules_alone = {(m.type, m.name) for m in extract_entities(text, EMPTY, learned=False)}
    added = learned - rules_alone
    assert {("place", "Crimea"), ("place", "Badarpur")} <= added
    assert rules_alone <= learned and not any(name == "Clinton" for _, name in learned)


def test_a_womans_form_of_address_is_the_woman_of_that_surname(tmp_path: Path):
    """Issue 29: "Ms Sturgeon" in an article that gives no full name is the corpus's Nicola
    Sturgeon, never its Michael Sturgeon; in an article that names both a woman and a man of
    that surname, she is the woman."""
    corpus = tmp_path / "corpus"
    for i in range(3):
        write(corpus, f"full{i}.txt", f"Title {i}\nNicola Sturgeon spoke in Glasgow on day {i}.\n")
    write(corpus, "michael.txt", "Other\nMichael Sturgeon, a farmer, spoke in Perth.\n")
    for i in range(2):
        write(corpus, f"ms{i}.txt", f"Other {i}\nMs Sturgeon said the policy was funded, on day {i}.\n")
    write(corpus, "both.txt", "Both\nBelinda Henderson and Michael Henderson came. Ms Henderson spoke first.\n")
    with Library.open(corpus, tmp_path / "index") as library:
        people = {e.name: e.count for e in library.entities.counts("person")}
        assert people["Nicola Sturgeon"] == 5 and "Ms Sturgeon" not in people and people["Michael Sturgeon"] == 1
        assert library.search('person:"Nicola Sturgeon"').total == 5
        assert [(e.name, e.count) for e in library.entities_of("both.txt")] == [
            ("Belinda Henderson", 2), ("Michael Henderson", 1)]


def test_the_models_quick_scoring_is_its_scoring():
    """Issue 29: the reader scores a run's context by feature family, without writing the feature
    names the training script gives the model (RunContext.classify against learned.classify):
    both must give every run the same class and probability."""
    text = ("Seagal made headlines when he described Russia's actions in Crimea as reasonable. The new "
            "spending is fueled by Clinton's large bank account, said Kori Schulman of Acme.\n\nA power "
            "station in Badarpur, south-east Delhi, will stop. Crimea was calm; Schulman left Badarpur.")
    shipped = learned.model()
    assert shipped is not None
    runs = list(rules._runs(text))
    context = rules.RunContext(text, runs)
    compared = 0
    for run in runs:
        words = rules._trimmed(run)
        if not rules._at_sentence_start(text, words[0][1]):
            quick, full = context.classify(words), learned.classify(shipped, context.features(words))
            assert quick[0] == full[0] and quick[1] == pytest.approx(full[1]), " ".join(w for w, _, _ in words)
            compared += 1
    assert compared >= 8
