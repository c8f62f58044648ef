"""Story-level entity recall on Reuters-21578, from the stories' own <PEOPLE>, <ORGS>, <PLACES> tags.

A tag counts only where the story names it in its text (a tag's forms below, case-sensitive, as
whole words; people by surname). It is found when the story's entity rows, as the sidebar lists
them, hold the tag under any of its forms (a person: any row whose last word is the surname).
The aliases (usa ↔ U.S., ec ↔ European Community...) are written down here, not in margin.

Precision: 100 sidebar rows judged by reading (entity_sample.py; bench/reuters_entity_sample.tsv).
"""

from __future__ import annotations

import re
from collections import Counter
from pathlib import Path

from bs4 import BeautifulSoup
from common import SHARED, timed
from entity_sample import judged_sample, sample_line
from reuters import _article

from margin.search.entities.gazetteer import Gazetteer
from margin.search.entities.mentions import Mention, extract_entities, summarize

SOURCE = SHARED / "reuters21578"
SAMPLE = Path(__file__).resolve().parent / "reuters_entity_sample.tsv"
TYPE_OF_TAG = {"people": "person", "orgs": "organization", "places": "place"}

PLACE_FORMS = {
    "usa": ["U.S.", "US", "United States", "USA", "U.S.A.", "America"],
    "uk": ["U.K.", "UK", "Britain", "United Kingdom", "Great Britain"],
    "ussr": ["Soviet Union", "USSR", "U.S.S.R."],
    "west-germany": ["West Germany", "Germany"],
    "uae": ["United Arab Emirates", "UAE", "U.A.E."],
    "netherlands": ["Netherlands", "Holland"],
    "kampuchea": ["Kampuchea", "Cambodia"],
    "ivory-coast": ["Ivory Coast"],
    "china": ["China", "People's Republic of China"],
}
ORG_FORMS = {
    "ec": ["European Community", "EC", "European Economic Community", "EEC", "Common Market"],
    "imf": ["International Monetary Fund", "IMF"],
    "worldbank": ["World Bank"],
    "opec": ["OPEC", "Opec", "Organization of Petroleum Exporting Countries"],
    "gatt": ["GATT", "Gatt", "General Agreement on Tariffs and Trade"],
    "oecd": ["OECD", "Organisation for Economic Cooperation and Development",
             "Organization for Economic Cooperation and Development"],
    "un": ["United Nations", "U.N.", "UN"],
    "who": ["World Health Organization", "World Health Organisation"],
    "fao": ["Food and Agriculture Organization", "FAO"],
    "iea": ["International Energy Agency", "IEA"],
    "adb-asia": ["Asian Development Bank", "ADB"],
    "adb-africa": ["African Development Bank", "AfDB"],
    "bis": ["Bank for International Settlements", "BIS"],
    "asean": ["ASEAN", "Asean", "Association of Southeast Asian Nations", "Association of South East Asian Nations"],
    "ico-coffee": ["International Coffee Organization", "International Coffee Organisation", "ICO"],
    "icco": ["International Cocoa Organization", "International Cocoa Organisation", "ICCO"],
    "comecon": ["Comecon", "COMECON", "CMEA"],
    "iaea": ["International Atomic Energy Agency", "IAEA"],
    "unctad": ["UNCTAD", "Unctad", "United Nations Conference on Trade and Development"],
    "efta": ["EFTA", "European Free Trade Association"],
    "gcc": ["Gulf Cooperation Council", "GCC"],
    "eib": ["European Investment Bank", "EIB"],
    "ida": ["International Development Association", "IDA"],
    "ilo": ["International Labour Organisation", "International Labor Organization", "ILO"],
    "itc": ["International Tin Council", "ITC"],
    "iwc-wheat": ["International Wheat Council", "IWC"],
    "iata": ["International Air Transport Association", "IATA"],
    "ecsc": ["European Coal and Steel Community", "ECSC"],
    "euratom": ["Euratom", "EURATOM"],
    "irsg": ["International Rubber Study Group"],
    "inro": ["International Natural Rubber Organisation", "International Natural Rubber Organization", "INRO"],
    "oapec": ["OAPEC", "Organisation of Arab Petroleum Exporting Countries"],
    "iisi": ["International Iron and Steel Institute", "IISI"],
    "ilzsg": ["International Lead and Zinc Study Group", "ILZSG"],
}


def forms(kind: str, tag: str) -> list[str]:
    if kind == "places":
        return PLACE_FORMS.get(tag, [tag.replace("-", " ").title()])
    if kind == "orgs":
        return ORG_FORMS.get(tag, [tag.upper()])
    return [tag.split("-")[-1].title()]  # people: the surname


def _named(text: str, form: str) -> bool:
    return re.search(rf"(?<![\w.]){re.escape(form)}(?![\w]|\.\w)", text) is not None


def stories() -> list[tuple[str, str, dict[str, list[str]]]]:
    """(title, body, tags by kind) of every story with at least one tag named in its text."""
    found = []
    for sgm in sorted(SOURCE.glob("reut2-*.sgm")):
        soup = BeautifulSoup(sgm.read_text(encoding="latin-1"), "html.parser")
        for node in soup.find_all("reuters"):
            title, body = _article(node)
            text = f"{title}\n{body}"
            tags = {}
            for kind in TYPE_OF_TAG:
                block = node.find(kind)
                values = [d.get_text() for d in block.find_all("d")] if block else []
                tags[kind] = [v for v in values if any(_named(text, f) for f in forms(kind, v))]
            if any(tags.values()):
                found.append((title, body, tags))
    return found


def _rows(title: str, body: str, empty: Gazetteer) -> list[tuple[str, str]]:
    """The story's sidebar rows (type, canonical name), as the indexer extracts them."""
    return list(summarize(_mentions(title, body, empty)))


def _mentions(title: str, body: str, empty: Gazetteer) -> list[Mention]:
    """Mentions with offsets in "title\nbody" (the body's shifted past the title)."""
    shift = len(title) + 1
    return extract_entities(title, empty) + [m._replace(start=m.start + shift, end=m.end + shift)
                                             for m in extract_entities(body, empty)]


def _found(kind: str, tag: str, rows: list[tuple[str, str]]) -> bool:
    wanted = TYPE_OF_TAG[kind]
    names = [name.casefold() for type_, name in rows if type_ == wanted]
    if kind == "people":
        surname = forms(kind, tag)[0].casefold()
        return any(n.split()[-1] == surname for n in names)
    return any(f.casefold() in names for f in forms(kind, tag))


def evaluate() -> dict:
    corpus = stories()
    empty = Gazetteer()
    seconds, all_rows = timed(lambda: [_rows(t, b, empty) for t, b, _ in corpus])
    named, found = Counter[str](), Counter[str]()
    for (_, _, tags), rows in zip(corpus, all_rows):
        for kind, values in tags.items():
            named[kind] += len(values)
            found[kind] += sum(_found(kind, v, rows) for v in values)
    recall = {kind: found[kind] / named[kind] if named[kind] else 0.0 for kind in TYPE_OF_TAG}
    empty = Gazetteer()
    texts = [f"{title}\n{body}" for title, body, _ in corpus]
    sample = judged_sample(texts, lambda i: _mentions(corpus[i][0], corpus[i][1], empty), SAMPLE)
    return {"stories": len(corpus), "seconds": seconds, "docs_per_s": len(corpus) / seconds,
            "named": dict(named), "recall": recall, "sample": sample}


def report(r: dict) -> str:
    recall = r["recall"]
    ok = all(v >= 0.75 for v in recall.values())
    return (f"Reuters-21578 story level: {r['stories']} stories with a tag named in their text; "
            f"extraction {r['docs_per_s']:.0f} stories/s\n"
            + "".join(f"  {kind:7} recall {recall[kind]:.3f} of {r['named'][kind]} tags\n" for kind in TYPE_OF_TAG)
            + f"  recall target >= 0.75 for each: {'ok' if ok else 'MISSED'}\n"
            + sample_line(r["sample"], 0.92))
