"""Rule-based names for corpora without a curated list: precision first.

A capitalised run of words becomes an entity only with evidence: a known name (known_entities:
countries, international bodies, parties, clubs, companies, cities, with their other names), an
organisation suffix ("Holdings", "Inc"), a title or role before it ("Treasury Secretary",
"CEO", "founder"), or a known first name. Bare capitalised words ("However", "The") are never
entities; a junk entry in the sidebar costs more than a missed one. Surnames of people found
this way are recognised again later in the article, and an abbreviation the article defines
("Asian Development Bank (ADB)") stands for its full name wherever it recurs.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable, Iterator
from functools import lru_cache
from typing import NamedTuple

from margin.search.entities import learned
from margin.search.entities.known import Known, city_names, clubs_or_places, data_lines, known_forms
from margin.search.entities.learned import Word
from margin.search.spans import SpanSet

_CAPWORD = r"(?:[A-Z]\.){2,}|[A-Z][\w’'\-&]*(?:\.(?=\w))?[\w’'\-&]*"  # U.S. keeps its last full stop
_CONNECTORS = frozenset("of de da du del der van von le la al bin & and for".split())
_CONNECT = rf"(?:[ \t]+(?:{'|'.join(map(re.escape, _CONNECTORS))})(?=[ \t]+[A-Z]))?[ \t]+"
# The run's first capital comes before what must not precede it, so that the pattern starts with a
# character set the regular expression engine scans for (a leading look-behind is tried at every
# character): the same runs in half the time.
_FIRST_CAPWORD = r"[A-Z](?<![\w’'\-.][A-Z])(?:\.(?:[A-Z]\.)+|[\w’'\-&]*(?:\.(?=\w))?[\w’'\-&]*)"
_RUN = re.compile(rf"{_FIRST_CAPWORD}(?:{_CONNECT}(?:{_CAPWORD}))*")
ORG_SUFFIXES = frozenset("""
Inc Inc. Corp Corp. Corporation Co Co. Company Ltd Ltd. Limited LLC PLC Plc plc AG SA NV GmbH
Group Holdings Holding Bank Bancorp Motors Motor Airlines Airways Technologies Technology Systems
Industries Communications Electronics Pharmaceuticals Partners Capital Ventures Labs Laboratories
University College Institute Agency Association Federation Council Ministry Commission
Committee Party Exchange Reserve Fund Foundation Trust Securities Insurance Petroleum Oil Energy
Telecom Media Network Networks Studios Records Entertainment Automotive Logistics Army Navy Police
Assembly Parliament Congress Senate Court Cabinet Office Department Bureau Authority Organisation
Organization Board Club United Rovers Wanderers Athletic FC Brothers Bros Mine Mines Mining
""".split())
_LEGAL_SUFFIXES = frozenset("Inc Inc. Corp Corp. Corporation Co Co. Company Ltd Ltd. Limited LLC PLC Plc plc AG SA NV "
                            "GmbH".split())
PERSON_TITLES = frozenset("""
Mr Mr. Mrs Mrs. Ms Ms. Miss Dr Dr. Prof Prof. Sir Dame Lady Lord President Premier Senator Sen.
Governor Gov. Judge Justice Chancellor King Queen Prince Princess Pope Cardinal Bishop General Gen.
Colonel Col. Captain Capt. Rev. Rabbi Sheikh Mayor Minister Secretary Ambassador Chairman Chairwoman
Prime Deputy Vice Chief Representative Exchequer Commissioner Director Spokesman Spokeswoman Leader
Speaker Envoy Adviser Advisor Treasurer Attorney Rep. Congressman Congresswoman Coach Manager
""".split())
_ADDRESS_FOR_WOMEN = frozenset("Mrs Mrs. Ms Ms. Miss Lady Dame".split())  # "Mrs Howard" is not Michael Howard
# "Foreign Secretary Jack Straw", but "Foreign Office" is an organisation: these lead a title only.
_OFFICE_WORDS = frozenset("""Foreign Finance Defence Defense Home Interior Trade Health Education Justice
Treasury Agriculture Energy Commerce Labor Labour Transport Environment Economy Economics State
Oil Industry Culture Sports Press Shadow Acting Former Assistant Under Senior Junior""".split())
_APOSTROPHES = ("'", "’")
_POSSESSIVES = ("'s", "’s")
_POSSESSIVE_ENDS = ("s", *_APOSTROPHES)


def _without_possessive(word: str) -> str:
    """"Japan's" -> "Japan", "Reuters'" -> "Reuters": by its end, not a pattern (the rules ask
    this of every run, some 70 times an article)."""
    if not word.endswith(_POSSESSIVE_ENDS):  # most words: one test
        return word
    if word.endswith(_POSSESSIVES):
        return word[:-2]
    return word[:-1] if word.endswith(_APOSTROPHES) else word


ROLE_WORDS = re.compile(
    r"(?:\b(?:founder|co-founder|CEO|chairman|chairwoman|chief executive|president|spokesman|"
    r"spokeswoman|spokesperson|director|minister|coach|striker|captain|analyst|economist|"
    r"executive|manager|head|vice president|leader|told|said|says)\s+)$"
)
# Words that start sentences and headlines, never names; stripped from the front of a run.
SENTENCE_WORDS = frozenset("""
The A An In On At For From By With Without As But And Or If When While After Before Since Then
This That These Those There Here It Its He She They We I You His Her Their Our My Your However
Meanwhile Also Yet So Although Though Because During Under Over Despite Among Between About
Yesterday Tomorrow Tonight Earlier Later Separately Instead Indeed Finally Initially Previously
Last Next Many Most Some Other Such Each Every All Both No Not Only Even Still Just Now Today
Monday Tuesday Wednesday Thursday Friday Saturday Sunday January February March April May June July
August September October November December Mon Tue Wed Thu Fri Sat Sun Jan Feb Mar Apr Jun Jul Aug
Sep Sept Oct Nov Dec Internet Image Read Click Key Recent Risk Data Will Would Could Should Can
Election League Sources Officials Former Analysts Shares Sales Profits Prices Net Revenues Reuters
""".split()) - frozenset(["Reuters"])
# A month after a capitalised name is its last word (Theresa May, Lei Jun, Brian May): a date has a number.
_MONTHS = frozenset("January February March April May June July August September October November December "
                    "Jan Feb Mar Apr Jun Jul Aug Sep Sept Oct Nov Dec".split())
_INNER_BREAKS = frozenset("The A An In On At From By With As But Or If When While After Before This That He She "
                          "They We It His Her Their".split())
# Adjectives of nations and regions: kept in "Asian Development Bank", never a name on their own.
_ADJECTIVES = frozenset("""Chinese American British European Asian Western Eastern North South East West
Northeast Northwest Southeast Southwest Central New Japanese German French Italian Russian Soviet
Canadian Australian Indian Brazilian Mexican Spanish Dutch Swiss Swedish Korean Arab Israeli
Palestinian Iraqi Iranian Saudi African Irish Scottish Welsh English International National Federal
Royal First Second Third United""".split())
_SPORTS = re.compile(r"\b(?:beat|beaten|win|won|wins|draw|drew|match|matches|goal|goals|striker|"
                     r"midfielder|defender|keeper|manager|coach|league|cup|fixture|premiership|"
                     r"champions|season|squad|signing|signed|transfer|fc|v|vs|title|points|derby|"
                     r"final|semi-final|kick-off|stadium|scored|score|soccer|football|rugby|played|half-time|"
                     r"halftime|\d{1,2}-\d{1,2})\b", re.IGNORECASE)


class RuleMention(NamedTuple):
    type: str
    name: str
    start: int
    end: int


@lru_cache(maxsize=1)
def first_names() -> frozenset[str]:
    """Common first names of many countries (data/first_names.txt: Faker's and the US Census's,
    written by scripts/first_names.py), less the words that start sentences."""
    return frozenset(data_lines("first_names.txt")) - SENTENCE_WORDS - _ADJECTIVES - _PLACE_PREFIXES


_PLACE_PREFIXES = frozenset("Santa San Sao St St. Saint Los Las El Le La Fort Port Mount Lake Cape".split())


@lru_cache(maxsize=1)
def _divisions() -> frozenset[str]:
    """The states and provinces of large federations (pycountry); other countries' divisions are
    left out: many are also surnames or common words."""
    import pycountry

    names: set[str] = set()
    for code in ("US", "CA", "AU", "CN", "IN", "BR", "DE", "MX"):
        divisions = pycountry.subdivisions.get(country_code=code) or ()  # type: ignore[no-untyped-call]
        names.update(_strip_division_suffix(d.name) for d in divisions if d.parent_code is None)
    return frozenset(names - SENTENCE_WORDS)


def _strip_division_suffix(name: str) -> str:
    for suffix in (" Sheng", " Shi", " Zizhiqu", " SAR", " Province", " State"):
        if name.endswith(suffix):
            return name[: -len(suffix)]
    return name


def known(words: list[Word], dateline: bool = False) -> Known | None:
    """The known entity these words name, as written or (a word of four letters or more in a
    headline's capitals) as a title-cased form: JAPAN is Japan, but IT is not Italy. A city in
    capitals is a place only in a dateline; in a sports table it is a team."""
    return _known_text(words[0][0] if len(words) == 1 else " ".join([w for w, _, _ in words]), dateline)


@lru_cache(maxsize=200_000)
def _known_text(text: str, dateline: bool) -> Known | None:
    """known() by the words' text: news repeats its names, and the lookups are most of the time."""
    found = known_forms().get(text) or known_forms().get(_without_possessive(text)) or clubs_or_places().get(text)
    if found is None and text.isupper() and len(text) >= 4 and "." not in text \
            and (dateline or text.title() not in city_names()):
        titled = " ".join(w.lower() if w.lower() in _CONNECTORS else w for w in text.title().split())
        found = known_forms().get(titled)  # BANK OF JAPAN is the Bank of Japan
    if found is None and " & " in text:  # "Securities & Exchange Commission" is the one known with "and"
        found = _known_text(text.replace(" & ", " and "), dateline)
    if found is None and text in _divisions():
        found = Known("place", text)
    return found


def _words(run: str, offset: int) -> list[Word]:
    return [(m.group(), offset + m.start(), offset + m.end()) for m in _NON_SPACE.finditer(run)]


_NON_SPACE = re.compile(r"\S+")


def _trimmed(words: list[Word]) -> list[Word]:
    """The last word without a possessive: "Japan's" is Japan."""
    last, start, _ = words[-1]
    bare = _without_possessive(last)
    return words[:-1] + [(bare, start, start + len(bare))] if bare and bare != last else words


_WRAPPED = re.compile(r"\n(?<=[^\s.!?:;\"”]\n)(?=[ \t]*\S)")  # the line break first: scanned for, not tried everywhere


def _unwrapped(text: str) -> str:
    """The text with the line breaks of hard-wrapped prose as spaces (same length, same offsets):
    "the U.S. Agriculture\nDepartment said" is one name. A break after a short line (a
    headline, a table row) or after a sentence's end stays."""
    def join(match: re.Match[str]) -> str:
        line_start = text.rfind("\n", 0, match.start()) + 1
        return " " if match.start() - line_start >= 40 else "\n"

    return _WRAPPED.sub(join, text) if "\n" in text else text


def _runs(text: str) -> Iterator[list[Word]]:
    """Capitalised runs, split at `and` (France and Germany are two) unless the whole is a name."""
    for match in _RUN.finditer(_unwrapped(text)):
        run = match.group()
        if " " not in run and "\t" not in run:  # one word, as two runs in three are: all the
            if run not in SENTENCE_WORDS:  # rules below leave it as it is, or drop it here
                yield [(run, match.start(), match.end())]
            continue
        words = _words(run, match.start())
        while words and (words[0][0] in SENTENCE_WORDS or words[0][0] in _CONNECTORS) and not known(words) \
                and not _legal_form_next(words):
            words = words[1:]
        while words and words[-1][0] in SENTENCE_WORDS and words[-1][0] not in _MONTHS:
            words = words[:-1]  # "Vadim Mitroshin The": a name ends before "The", not before "May" (Theresa May)
        if not words:
            continue
        if known(words):  # possessives included: known() tries the text without one too
            yield words
            continue
        if _at_sentence_start(text, words[0][1]) and words[0][0] not in ORG_SUFFIXES and words[0][0] not in PERSON_TITLES:
            # "Shares of Acme Holdings": a sentence's first word is no evidence of a name (but
            # "Bank of Japan" is one, and "Secretary of State George Shultz" a title and a name).
            cut = next((i for i, w in enumerate(words) if w[0] in _CONNECTORS and w[0] != "and"), None)
            words = words[cut + 1 :] if cut is not None else words
        if _one_company(words):
            yield words
            continue
        piece: list[Word] = []
        for at, word in enumerate(words):
            if word[0] == "and" or word[0] in _INNER_BREAKS:  # "Vadim Mitroshin The Moscow court"
                yield from ([piece] if piece else [])
                piece = []
            else:
                piece.append(word)
                if word[0].endswith(_POSSESSIVES) and at < len(words) - 1 \
                        and not (at == 0 and words[-1][0] in _LEGAL_SUFFIXES) \
                        and _without_possessive(word[0]) not in PERSON_TITLES:  # "Information Commissioner's Office",
                    # "Beeba's Creations Inc": one name; "Yamaha Group of Japan's Nippon-Gakki Co Ltd": two
                    yield piece  # "Clint Eastwood's Million Dollar Baby": the owner, then what is his
                    piece = []
        if piece:
            yield piece


def _legal_form_next(words: list[Word]) -> bool:
    """Whether the words after the first are a legal form, so the first is a company's own name
    however common a word ("Sun Co Inc", "Dillon, Read and Co Inc")."""
    rest = [w for w, _, _ in words[1:] if w != "and"]
    return bool(rest) and all(w in _LEGAL_SUFFIXES for w in rest)


_NAME_TITLES = frozenset("King Queen Prince Princess Lord Lady Dame Sir General Judge Justice Pope Cardinal Bishop "
                         "Sheikh Captain Chief".split())  # also parts of names: Burger King, Data General, John King


def _leads_a_title(word: str) -> bool:
    """Whether a word can stand before a title: an office, another title, an adjective of
    nation, a known name, or an organisation ("Bank of Japan Governor", "Board Chairman")."""
    return word not in first_names() and (word in PERSON_TITLES or word in _OFFICE_WORDS or word in _ADJECTIVES or word in ORG_SUFFIXES
            or _NATIONALITY.search(word) is not None or word.isupper()
            or _known_text(_without_possessive(word), False) is not None)


_NATIONALITY = re.compile(r"(?:an|ese|ish|ch|i|ic|[’']s)$")  # Mexican, Japanese, Turkish, Dutch, Iraqi, Slovak... Japan's


def _one_company(words: list[Word]) -> bool:
    """Whether an `and` joins one company's name ("Merck and Co Inc", "International Oil and Gas
    Corp") rather than two names ("France and Germany", "Sony and Toshiba Corp")."""
    texts = [w for w, _, _ in words]
    if "and" not in texts:  # most runs: no need to trim
        return False
    at = texts.index("and")  # trimming changes the last word only, where an `and` means two names
    words = _trimmed(words)  # "... Investment Corp's"
    if at == 0 or at == len(words) - 1 or words[-1][0] not in ORG_SUFFIXES:
        return False
    if all(w in _LEGAL_SUFFIXES for w, _, _ in words[at + 1:]):
        return True  # "Merck and Co Inc": the known Merck's own name, not "Co Inc" beside it
    head = words[:at]
    return words[at - 1][0] not in _LEGAL_SUFFIXES and known(head) is None


def _split_title(words: list[Word]) -> tuple[list[Word], list[Word], str | None]:
    """(what comes before a title, the person after it, the title) for "Bank of Japan Governor
    Satoshi Sumita"; no title: (words, [], None)."""
    at = max((i for i, (w, _, _) in enumerate(words) if _without_possessive(w) in PERSON_TITLES), default=None)
    if at is None or at > 0 and words[at][0] in _NAME_TITLES and not _leads_a_title(words[at - 1][0]):
        return words, [], None  # "Silver Queen Mine", "Burger King": the title word is part of a name
    if at < len(words) - 1 and _without_possessive(words[at][0]) != words[at][0]:
        return words, [], None  # what follows "Minister's" is what it owns: "Prime Minister's Questions"
    after = words[at + 1:]  # none after "Prime Minister": a title, not a person
    named = next((i for i, (w, _, _) in enumerate(after) if w in first_names() and not _is_place(w)), None)
    if after and after[0][0] in _CONNECTORS:  # "Secretary of State George Shultz", "... Condoleezza Rice"
        office = 1 + next((i for i, (w, _, _) in enumerate(after[1:]) if w not in _OFFICE_WORDS and not _is_place(w)),
                          len(after) - 1)  # past "State", "France": the person's name follows their office
        after = after[named:] if named is not None else after[office:] if 1 < office < len(after) else []
    if after and after[-1][0] in ORG_SUFFIXES:  # "General Accounting Office" is no person
        return words, [], None
    before = words[:at]
    while before and (before[-1][0] in PERSON_TITLES or before[-1][0] in _OFFICE_WORDS):
        before = before[:-1]
    return before, after, words[at][0]


def rule_mentions(text: str, taken: SpanSet, *, learned: bool = True) -> list[RuleMention]:
    """Typed names found by the rules, skipping spans already `taken` by the curated list; then
    the runs they found nothing in, as the learned model names them (before surnames are looked
    for again, so that "Eastwood" after "Clint Eastwood" is him)."""
    found: list[RuleMention] = []
    unnamed: list[list[Word]] = []
    runs = list(_runs(text))
    for run in runs:
        if taken.overlaps(run[0][1], run[-1][2]):
            continue
        mentions = _mentions(text, run)
        found.extend(mentions)
        if not mentions:
            unnamed.append(run)
    found = [m for m in found if not taken.overlaps(m.start, m.end)]
    found += _defined_abbreviations(text, found, taken)
    if learned:
        found += _learned(text, unnamed, runs, SpanSet(taken.spans + [(m.start, m.end) for m in found]))
    return _named_in_full(found + _surnames(text, found, taken))


def _learned(text: str, unnamed: list[list[Word]], runs: list[list[Word]], occupied: SpanSet) -> list[RuleMention]:
    """The unnamed runs the learned model is sure of (learned.py). Not a sentence's first words
    (a third of the runs, one in fifty a name the model would take, and the riskiest), nor a
    first name alone, nor the words of a headline in title case."""
    names = learned.model()
    if names is None or not unnamed:
        return []
    found = []
    context = RunContext(text, runs)
    for run in unnamed:
        words = _trimmed(run)
        if _at_sentence_start(text, words[0][1]) or occupied.overlaps(words[0][1], words[-1][2]) \
                or all(w in PERSON_TITLES or w in _OFFICE_WORDS for w, _, _ in words) \
                or len(words) == 1 and words[0][0] in first_names() or _title_case_line(text, words[0][1]):
            continue  # "the Prime Minister": an office; "Alexander": a first name, no one; a headline's capitals
        kind, probability = context.classify(words)
        if kind in learned.TYPES and probability >= names.threshold:
            found.append(_mention(text, learned.TYPES[kind], words))
    return found


class RunContext:
    """What the learned model reads of an article besides a run: how often each run recurs, and
    which words the article also writes in lower case. Shared by the names found and by the
    training script."""

    def __init__(self, text: str, runs: list[list[Word]]) -> None:
        self.text = text
        self.counts = Counter(_without_possessive(text[run[0][1] : run[-1][2]]) for run in runs)
        self._lowered: dict[tuple[str, int], bool] = {}

    def features(self, words: list[Word]) -> list[str]:
        """The features of one run, its possessive trimmed (for training)."""
        return learned.features(self.text, words, at_start=_at_sentence_start(self.text, words[0][1]),
                                first_name=words[0][0] in first_names(), lowered=self._lower_count(words),
                                again=self._again(words))

    def classify(self, words: list[Word]) -> tuple[str, float]:
        """learned.classify of a run's features (not at a sentence's start) with the shipped
        model, computed the cheaper way (learned.classify_run)."""
        texts = tuple(w for w, _, _ in words)
        return learned.classify_run(texts, words[0][0] in first_names(), self.text, words, self._again(words),
                                    self._lower_count(words))

    def _again(self, words: list[Word]) -> bool:
        return self.counts[self.text[words[0][1] : words[-1][2]]] > 1

    def _lower_count(self, words: list[Word]) -> int:
        count = 0
        for word, start, _ in words:
            key = (word, start // learned.NEAR)  # one answer a word in each stretch of text: its first run's
            if (seen := self._lowered.get(key)) is None:
                seen = self._lowered[key] = learned.written_lower(self.text, word, start)
            count += seen
        return count


def _named_in_full(found: list[RuleMention]) -> list[RuleMention]:
    """A surname alone ("Clarke", "Mr Clarke") as the one full name the same article gives it
    ("Ken Clarke"), before the corpus's most frequent owner of that surname is asked (Charles
    Clarke): an article names its people in full first. A surname two full names of the article
    share stays alone. A woman's form of address ("Ms Henderson") takes the one full name of
    the article with that surname and a woman's first name (Belinda Henderson), never a man's:
    "Mrs Howard said her husband Michael Howard" stays two people."""
    owners: dict[str, set[str]] = {}
    for m in found:
        parts = m.name.split()
        if m.type == "person" and len(parts) > 1 and parts[0] not in _ADDRESS_FOR_WOMEN:
            owners.setdefault(parts[-1], set()).add(m.name)
    if not owners:
        return found
    return [m._replace(name=full) if m.type == "person" and (full := _full_name(m.name, owners)) else m for m in found]


def _full_name(name: str, owners: dict[str, set[str]]) -> str | None:
    """The one full name of the article a lone surname, or a woman's form of address and a
    surname, stands for; None when there is none or more than one."""
    parts = name.split()
    if len(parts) == 1:
        named = owners.get(name, set())
    elif len(parts) == 2 and parts[0] in _ADDRESS_FOR_WOMEN:
        named = {n for n in owners.get(parts[1], ()) if n.split()[0] in women_names()}
    else:
        return None
    return next(iter(named)) if len(named) == 1 else None


@lru_cache(maxsize=1)
def women_names() -> frozenset[str]:
    """Women's first names among first_names() (data/women_names.txt, scripts/first_names.py --women)."""
    return frozenset(data_lines("women_names.txt"))


_DOTTED_TITLE_BEFORE = re.compile(r"\b((?:Mr|Mrs|Ms|Dr|Prof|Gov|Sen|Rep|Gen|Col|Capt|Rev)\.)[ \t]+$")
_DATELINE = re.compile(r"\s*(?:,|\(|\d{4}-\d\d-\d\d|[A-Z][a-z]+\.? \d)")


_NAME = r"[A-Z][\w.’'&\-]*(?:[ \t]+[A-Z][\w.’'&\-]*)*"
_NUMBERS = r"[ \t]+\d[\d ./:()\-]*"
_SCORE = r"[ \t]+\d{1,3}(?![\d.,])"
_RESULT_ROW = re.compile(rf"{_NAME}{_SCORE}[ \t]+{_NAME}{_SCORE}[ \t]*")  # "Hartford 4 BOSTON 2"
_STANDINGS_ROW = re.compile(rf"{_NAME}(?:[ \t]+\d+){{3,}}[\d ./:()\-]*")  # "Werder Bremen 17 6 4 7 29 28 22"
_NUMBER_NEXT = re.compile(r"[ \t]+\d")
_NOT_TEAMS = frozenset("Halftime Half-time Attendance Total Totals Extras Played Points Scorers".split())


def _team(text: str, run: list[Word]) -> bool:
    """Whether the run names a team in a results row, or in a standings row of a sports story:
    capitalised names and numbers only, a number right after the name."""
    start, end = run[0][1], run[-1][2]
    if run[0][0] in _NOT_TEAMS or _NUMBER_NEXT.match(text, end) is None:
        return False
    line_start, line_end = text.rfind("\n", 0, start) + 1, text.find("\n", end)
    line = text[line_start : line_end if line_end != -1 else len(text)].strip()
    return _RESULT_ROW.fullmatch(line) is not None or (
        _STANDINGS_ROW.fullmatch(line) is not None and _SPORTS.search(text) is not None)


def _mentions(text: str, run: list[Word]) -> list[RuleMention]:
    start, end = run[0][1], run[-1][2]
    dateline = (start == 0 or text[start - 1] == "\n") and _DATELINE.match(text, end) is not None
    trimmed = _trimmed(run)
    whole = known(trimmed, dateline)
    if whole is None and trimmed is not run and (whole := known(run, dateline)) is not None:
        trimmed = run  # "Standard & Poor's" is known with its possessive, not without it
    if not dateline and _team(text, run) and (whole is None or whole.type != "place" or whole.name in city_names()
                             or " ".join(w for w, _, _ in run).title() in city_names()):
        return [_mention(text, "organization", run)]
    if whole is not None:
        return [_known_mention(text, trimmed, whole)]
    if len(run) == 1:
        return _lone_word(text, run)
    of = next((i for i, w in enumerate(run) if w[0] == "of"), None)
    if of is not None and 2 <= of <= 3 and run[0][0] in first_names() and of < len(run) - 1:
        return _mentions(text, run[:of]) + _mentions(text, run[of + 1:])  # "Tim Cook of Apple": two names
    before, person, title = _split_title(run)
    if title is None and (dotted := _DOTTED_TITLE_BEFORE.search(text, max(0, start - 8), start)):
        before, person, title = [], run, dotted.group(1)  # "Mr. Tanaka": the full stop ends the run
    mentions = _mentions(text, before) if before and before != run else []
    if title is not None:
        if person and len(person) <= 3 and not any(w.isupper() and len(w) > 1 for w, _, _ in person):
            mentions.append(_person(text, _trimmed(person), title))
        return mentions
    return mentions + _untitled(text, trimmed)


def _lone_word(text: str, run: list[Word]) -> list[RuleMention]:
    """What _mentions finds in a one-word run that names nothing known (most runs): a person
    only after a dotted title ("Mr. Tanaka"); a title alone is no one, and the rest of the rules
    need two words or more."""
    word, start, _ = run[0]
    if word in PERSON_TITLES or (word.isupper() and len(word) > 1):
        return []
    dotted = _DOTTED_TITLE_BEFORE.search(text, max(0, start - 8), start)
    return [_person(text, _trimmed(run), dotted.group(1))] if dotted else []


def _untitled(text: str, words: list[Word]) -> list[RuleMention]:
    """A run with no title in it (its possessive trimmed): an organisation by its suffix, known
    names inside it, a person by a known first name or a role word before it."""
    texts = [w for w, _, _ in words]
    if all(t in _LEGAL_SUFFIXES for t in texts):  # "Co Inc" alone, cut from its name by a line break
        return []
    if len(texts) >= 3 and texts[0] in ORG_SUFFIXES and texts[1] in _CONNECTORS:
        return [_mention(text, "organization", words)]  # "Bank of Nova Scotia", "University of Chicago"
    if texts[-1] in ORG_SUFFIXES and len(texts) >= 2 and not all(t in _ADJECTIVES or _is_place(t) for t in texts[:-1]):
        return [_mention(text, "organization", words)]
    if "&" in texts:  # never a person; a firm where the text says so ("accountancy firm Ernst & Young")
        firm = _firm_of_partners(texts) and _FIRM_BEFORE.search(text, max(0, words[0][1] - 40), words[0][1])
        return [_mention(text, "organization", words)] if firm else []
    while words and words[0][0] in _ADJECTIVES and len(words) > 1 and not words[0][0].isupper():
        words = words[1:]
    texts = [w for w, _, _ in words]
    before = text[max(0, words[0][1] - 30) : words[0][1]]
    person = 2 <= len(texts) <= 3 and texts[-1] not in _NOT_SURNAMES \
        and (texts[0] in first_names() and not _title_case_line(text, words[0][1])
             or ROLE_WORDS.search(before) is not None)
    if person and not any(t.isupper() and len(t) > 1 for t in texts) and not any(known([w]) for w in words):
        if _at_sentence_start(text, words[0][1]) and texts[0] not in first_names():
            return []
        return [_mention(text, "person", words)]
    return _known_inside(text, words)


_SMALL_WORDS = "|".join(sorted((_CONNECTORS - {"&"}) | set("a an the to in on at by as or nor but vs v".split())))
_LOWER_WORD_START = re.compile(rf"(?<![\w’'\-])(?!(?:{_SMALL_WORDS})\b)[^\W\d_A-Z]")
_LINE_WORD = re.compile(r"[^\W\d_][\w’'\-]*")
_NOT_A_HEADLINE = re.compile(r"[\d(;:]")
_HEADLINE = 200  # characters: a headline of ten words is shorter


def _title_case_line(text: str, at: int) -> bool:
    """Whether the line at `at` is a headline in title case ("Alberta Completes Purchase", "Tandy
    Brands Sets Stock Split"): there a known first name is no evidence of a person, and the
    learned model reads nothing. A line of prose is told at its first word in lower case; a
    longer line of capitals, or one with figures, brackets or commas, is a list of names or a
    table ("Squad: Javier Pertile, Paolo Vaccari, ...", "Arsenal 2 (Adams 45, Vieira 90)")."""
    start, end = text.rfind("\n", max(0, at - _HEADLINE), at), text.find("\n", at, at + _HEADLINE)
    if start == -1 and at > _HEADLINE or end == -1 and len(text) > at + _HEADLINE:
        return False  # a line longer than any headline: looked for no further (a 1 MB line, 20,000 runs)
    start, end = start + 1, end if end != -1 else len(text)
    if _LOWER_WORD_START.search(text, start, end) is not None or _NOT_A_HEADLINE.search(text, start, end):
        return False
    return 3 <= len(_LINE_WORD.findall(text, start, end)) <= 10 and text.count(",", start, end) <= 1


_FIRM_BEFORE = re.compile(r"\b(?:firms?|compan(?:y|ies)|brokers?|lenders?|auditors?|insurers?|bank|group|retailers?|"
                          r"agency|consultancy|think-tank|maker|chain|brewers?|(?:analyst|economist|strategist)s?"
                          r"[ \t]+(?:at|with|of))[ \t,]+(?:the[ \t]+)?$")


def _firm_of_partners(texts: list[str]) -> bool:
    """Whether an ampersand joins a firm's names ("Ernst & Young", "Marsh & McLennan"), not a pair
    of first names ("Richard & Judy"), letters ("R & B") or a title ("Life & Death of ...")."""
    at = texts.index("&")
    if at == 0 or at == len(texts) - 1 or "of" in texts:
        return False
    left, right = texts[at - 1], texts[at + 1]
    return len(left) > 1 and len(right) > 1 and not (left in first_names() and right in first_names())


# Last words of events and places, never of a person's name: "Brit Awards", "Beverly Hills" begin
# with a first name; as a surname "Awards" would then mark every later "Grammy Awards" a person.
_NOT_SURNAMES = frozenset("""Awards Award Prize Prizes Festival Games Cup Championship Championships Olympics
Hills Square Avenue Road Street Airport Station Stadium Centre Center Hotel Island Islands Valley""".split())


def _is_place(word: str) -> bool:
    """A known place ("a U.S. Company" is no company's name; "Arsenal Holdings" is one)."""
    found = _known_text(word, False)
    return found is not None and found.type == "place"


def _known_inside(text: str, words: list[Word]) -> list[RuleMention]:
    """Known names within a longer run, longest first ("Paine Webber" in "Paine Webber
    International"; JAPAN in the headline "JAPAN CUTS RATES"). In ordinary case a lone place
    word is part of a longer name ("CSKA Moscow", "London Newsroom") and is not taken; nor a
    lone word after a first name ("Ford" in "Gerald Ford")."""
    if words[0][0] in first_names() and len(words) > 1:
        return []
    texts = [w for w, _, _ in words]
    headline = all(w.isupper() for w in texts)
    mentions, i = [], 0
    while i < len(words):
        if not _may_start_known(texts[i]):
            i += 1
            continue
        for j in range(min(len(words), i + 6), i, -1):
            entity = _known_text(" ".join(texts[i:j]), False)
            if entity is not None and (headline or j - i > 1 or entity.type != "place" or len(words) == 1):
                mentions.append(_known_mention(text, _trimmed(words[i:j]), entity))
                i = j
                break
        else:
            i += 1
    return mentions


def _may_start_known(word: str) -> bool:
    """Whether some known text (_known_text) can begin with this word: most words of a long run
    begin none, and trying each of their six lengths was half the time of the rules' last step.
    A word without a lower-case letter may begin a headline's capitals, which _known_text title-cases."""
    return word in _first_words() or _without_possessive(word) in _first_words() or word == word.upper()


@lru_cache(maxsize=1)
def _first_words() -> frozenset[str]:
    """The first word of every text _known_text finds as written: known forms, clubs, divisions."""
    return frozenset(text.split(" ")[0] for texts in (known_forms(), clubs_or_places(), _divisions()) for text in texts)


def _known_mention(text: str, words: list[Word], entity: Known) -> RuleMention:
    start, end, written = words[0][1], words[-1][2], " ".join(w for w, _, _ in words)
    club = clubs_or_places().get(written)
    if club is not None and entity.type == "place" or club is not None and entity == club:
        near = text[max(0, start - 300) : end + 300]
        sporting = _SPORTS.search(near) or _sporting_text(text)
        entity = club if sporting else Known("place", written)
    return RuleMention(entity.type, entity.name, start, end)


@lru_cache(maxsize=1)  # the text whose names are being found: more would keep large articles alive
def _sporting_text(text: str) -> bool:
    """Whether the article names three different sports words: found once a text, not once a
    club it names (a 24 MB article named clubs thousands of times, each a walk of the whole text)."""
    seen = set()
    for match in _SPORTS.finditer(text):
        seen.add(match.group().lower())
        if len(seen) >= 3:
            return True
    return False


def _person(text: str, words: list[Word], title: str) -> RuleMention:
    """A titled person; a woman addressed by surname alone keeps her form of address."""
    mention = _mention(text, "person", words)
    if title in _ADDRESS_FOR_WOMEN and len(words) == 1:
        return mention._replace(name=f"{title} {mention.name}")
    return mention


def _mention(text: str, kind: str, words: list[Word]) -> RuleMention:
    return RuleMention(kind, " ".join(w for w, _, _ in words), words[0][1], words[-1][2])


def _at_sentence_start(text: str, start: int) -> bool:
    before = text[max(0, start - 3) : start].rstrip(" \t\"“‘'(")
    return not before or before[-1] in ".!?:\n"


_ABBREVIATION = re.compile(r"\s*\(([A-Z][A-Za-z]{1,7})\)")


def _defined_abbreviations(text: str, found: list[RuleMention], taken: SpanSet) -> list[RuleMention]:
    """Later uses of an abbreviation the article defines: "Asian Development Bank (ADB)" makes
    each later "ADB" that bank."""
    defined = {}
    for mention in found:
        match = _ABBREVIATION.match(text, mention.end)
        if match and mention.type == "organization" and _initials_fit(match.group(1), mention.name):
            defined[match.group(1)] = mention
    if not defined:
        return []
    occupied = SpanSet(taken.spans + [(m.start, m.end) for m in found])
    return [RuleMention("organization", defined[word].name, start, end)
            for start, end, word in _whole_words(text, defined) if not occupied.overlaps(start, end)]


_BEFORE_WORD = re.compile(r"[\w’'\-]")
_AFTER_WORD = re.compile(r"[\w\-]")


def _whole_words(text: str, words: Iterable[str]) -> list[tuple[int, int, str]]:
    """(start, end, word) of each occurrence of any of `words` as a whole word, in text order and
    not overlapping, as a pattern of the words would find them: found with str.find, because each
    article has its own set of words and compiling a pattern for it was a quarter of finding its
    entities (0.6 ms an article). A long text with many names is walked once by its runs of word
    characters instead: a 24 MB article's 5,000 surnames, each looked for with str.find, had not
    finished after 11 minutes."""
    words = list(words)
    if len(text) * len(words) > _FIND_BUDGET:
        return _whole_words_by_runs(text, words)
    found = []
    for word in words:
        at = text.find(word)
        while at != -1:
            end = at + len(word)
            if not (at and _BEFORE_WORD.match(text, at - 1)) and not _AFTER_WORD.match(text, end):
                found.append((at, end, word))
            at = text.find(word, at + 1)
    return _not_overlapping(sorted(found))


def _not_overlapping(found: list[tuple[int, int, str]]) -> list[tuple[int, int, str]]:
    kept: list[tuple[int, int, str]] = []
    for match in found:  # at one start the shortest, as the pattern's sorted alternatives would
        if not kept or match[0] >= kept[-1][1]:
            kept.append(match)
    return kept


_FIND_BUDGET = 50_000_000  # characters scanned by str.find in all (some 10 ms)
_WORD_RUN = re.compile(r"[\w\-]+")


def _whole_words_by_runs(text: str, words: list[str]) -> list[tuple[int, int, str]]:
    """The same matches as the str.find walk, in one pass: a whole word made of word characters
    is a whole run of them with no apostrophe before it; words with an apostrophe ("O'Brien") are
    found by a pattern of their own."""
    plain = {w for w in words if _WORD_RUN.fullmatch(w)}
    found = [(m.start(), m.end(), m.group()) for m in _WORD_RUN.finditer(text)
             if m.group() in plain and not (m.start() and text[m.start() - 1] in "’'")]
    others = sorted((w for w in words if w not in plain), key=len)
    if others:
        pattern = re.compile(r"(?<![\w’'\-])(?:" + "|".join(map(re.escape, others)) + r")(?![\w\-])")
        found = sorted(found + [(m.start(), m.end(), m.group()) for m in pattern.finditer(text)])
    return _not_overlapping(found)


def _initials_fit(abbreviation: str, name: str) -> bool:
    """Whether the abbreviation's capitals are the name's initials in order (skipping small words)."""
    initials = "".join(w[0] for w in name.split() if w[0].isupper())
    letters = "".join(c for c in abbreviation if c.isupper())
    return len(letters) >= 2 and _in_order(letters, initials)


def _in_order(letters: str, initials: str) -> bool:
    rest = iter(initials)
    return all(letter in rest for letter in letters) and letters[0] == initials[:1]


def _surnames(text: str, people: list[RuleMention], taken: SpanSet) -> list[RuleMention]:
    """Later lone mentions of a found person's surname ("Clinton" after "Bill Clinton")."""
    full = {m.name.split()[-1]: m.name for m in people if m.type == "person" and " " in m.name
            and len(m.name.split()[-1]) >= 3 and not m.name.split()[-1].isupper()
            and m.name.split()[0] not in _ADDRESS_FOR_WOMEN}
    if not full:
        return []
    occupied = SpanSet(taken.spans + [(m.start, m.end) for m in people])
    extra = []
    for start, end, word in _whole_words(text, full):
        if not occupied.overlaps(start, end):
            extra.append(RuleMention("person", full[word], start, end))
    return extra
