"""Entities in Chinese news without an entities.yaml (jieba's tags, filtered: chinese_names.py).

The corpus: WMT21's Chinese news sources (../shared/data/wmt21-news-zh-en, newstest2021.zh-en.src.zh),
cut into articles at each headline line ending in a site name (-新华网, -人民网...) or every 25
lines. No tags exist for it, so precision is judged by reading 100 rows drawn at random
(bench/chinese_entity_sample.tsv); the speed is the extraction's, in characters per second.
"""

from __future__ import annotations

import re
from pathlib import Path

from common import SHARED, timed
from entity_sample import judged_sample, sample_line

from margin.search.entities.gazetteer import Gazetteer
from margin.search.entities.mentions import extract_entities

SOURCE = SHARED / "wmt21-news-zh-en" / "newstest2021.zh-en.src.zh"
SAMPLE = Path(__file__).resolve().parent / "chinese_entity_sample.tsv"
_HEADLINE = re.compile(r"[-—_|]\s*\S{2,6}(网|新闻|日报|报)$")


def articles() -> list[str]:
    found: list[list[str]] = [[]]
    for line in SOURCE.read_text(encoding="utf-8").splitlines():
        if found[-1] and (_HEADLINE.search(line) or len(found[-1]) >= 25):
            found.append([])
        found[-1].append(line)
    return ["\n".join(lines) for lines in found if lines]


def evaluate() -> dict:
    texts = articles()
    empty = Gazetteer()
    seconds, mentions = timed(lambda: [extract_entities(t, empty) for t in texts])
    chars = sum(map(len, texts))
    sample = judged_sample(texts, lambda i: mentions[i], SAMPLE)
    return {"articles": len(texts), "chars_per_s": chars / seconds, "rows": sum(len({(m.type, m.name) for m in ms})
                                                                                for ms in mentions), "sample": sample}


def report(r: dict) -> str:
    return (f"WMT21 Chinese news: {r['articles']} articles, {r['rows']} sidebar rows, extraction "
            f"{r['chars_per_s'] / 1000:.0f}k characters/s\n" + sample_line(r["sample"], None))
