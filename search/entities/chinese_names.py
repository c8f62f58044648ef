"""People, places and organisations in Chinese text that no entities.yaml names: jieba's
part-of-speech tags (nr person, ns place, nt organisation), filtered for precision.

jieba's dictionary tags many common words as names (田野 "fields" and 友谊 "friendship" as
people, 城市 "city" and 青春 "youth" as places), so a tag alone is no evidence:
- a person is a name jieba's model found outside its dictionary, or a rare dictionary name, that
  starts with a common surname (2 or 3 characters); or a full or foreign name jieba knows as such
  (nrfg 习近平, nrt 拜登);
- a place is a country or province by its Chinese name (pycountry's translations; a country takes
  its English name, so 美国 and "U.S." are one row), or a tagged name ending in 省 市 县 区 州 镇;
- an organisation is a tagged name of three characters or more that ends like one (公司, 银行,
  大学, 报, 社, 委员会...).
"""

from __future__ import annotations

import re
from functools import lru_cache
from typing import Any

from margin.search.entities.known import Known, known_forms
from margin.search.segments import segmenter
from margin.search.spans import SpanSet

_HAN = re.compile(r"[\u4e00-\u9fff]")
SURNAMES = frozenset("王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程苏魏吕"
                     "丁任沈姚卢姜崔钟谭陆汪范金石廖贾夏韦付方白邹孟熊秦邱江尹薛闫段雷侯龙史陶黎贺顾毛郝龚邵万钱严覃"
                     "武戴莫孔向汤温康施文牛樊葛邢安齐易乔伍庞颜倪庄聂章鲁岳翟殷詹申欧耿关兰焦俞左柳甘祝包宁尚符舒阮"
                     "柯纪梅童凌毕单季裴霍涂成苗谷盛曲翁冉骆蓝路游辛靳管柴蒙鲍华喻祁蒲房滕屈饶解牟艾尤阳时穆农司卓古"
                     "吉缪简车项连芦麦褚娄窦戚岑景党宫费卜冷晏席卫米柏宗瞿桂全佟应臧闵苟邬边卞姬师和仇栾隋商刁沙荣巫"
                     "寇桑郎甄丛仲虞敖巩明佘池查麻苑迟邝")
_PLACE_ENDINGS = tuple("省市县区州镇")
_ORG_ENDINGS = ("公司", "集团", "银行", "大学", "学院", "报", "社", "委员会", "协会", "研究院", "研究所", "医院", "法院",
                "检察院", "政府", "基金会", "交易所", "中心", "联合会", "台", "部", "局", "署", "厅")
_GENERIC = ("上市", "特区", "地方", "当地", "有关", "相关", "该", "本", "各", "全国", "中央", "省", "市", "县", "区")
_RARE = 50  # a dictionary name used fewer times than this in jieba's corpus is no common word
# The characters of Chinese transcriptions of foreign names (the most used of Xinhua's table): a
# name made only of them, glued to another of them, is a piece of a longer name that jieba cut
# (博尔[克斯], [布罗]佐维奇, 安赛乐[米塔尔]); one before "·" is a first name whose surname follows.
_TRANSCRIPTION = frozenset("阿埃艾安昂奥巴拜班邦贝本比彼毕波伯博布达戴丹道德迪蒂丁杜顿多厄恩尔法凡菲费芬丰弗伏福盖甘冈戈"
                           "格根古哈海汉豪赫亨胡霍基吉加贾杰捷金卡凯坎康考柯科克肯库夸奎拉莱赖兰朗劳勒雷里利莉丽列林琳卢"
                           "鲁伦罗洛玛马迈麦曼梅门蒙米密敏莫姆穆纳娜奈南内尼宁纽努诺欧帕潘佩彭皮珀普齐奇恰乔切琴丘瑞萨塞"
                           "桑森沙莎舍什斯松苏索塔泰坦特提图托瓦万旺威韦维温沃乌西希锡谢辛休雅亚耶伊因英尤约扎泽詹哲兹佐翰烈夫")
_NAME_DOTS = "·•・"
_AFTER_A_NAME = frozenset("说表认称指在的和与及等是对向为将也已曾被了于")  # where a full name is seen to end


def needs_tagger(text: str) -> bool:
    """Finding the names of `text` would load jieba's tagger first (about a second, once)."""
    return _tagger.cache_info().currsize == 0 and _HAN.search(text) is not None


def chinese_mentions(text: str, taken: SpanSet) -> list[tuple[str, str, int, int]]:
    """(type, name, start, end) of the names in the Chinese parts of `text`, outside `taken`."""
    if not _HAN.search(text):
        return []
    known = _known_in_chinese(text, taken)
    if known:
        taken = SpanSet(taken.spans + [(start, end) for _, _, start, end in known])
    found: list[tuple[str, str, int, int]] = []
    at = 0
    for word, flag in _tagger().cut(text):
        start, at = at, at + len(word)
        if flag[:2] in ("nr", "ns", "nt") and not taken.overlaps(start, at) and not (found and start < found[-1][3]):
            entity = _entity(word, flag)
            if entity is not None and entity[0] == "person":
                found.extend(_transcribed(text, start, at, entity[1]))
            elif entity is not None:
                found.append((entity[0], entity[1], start, at))
            elif flag[:2] == "nr":  # a foreign first name with no surname of China's (凯莉安·康威)
                found.extend(m for m in _transcribed(text, start, at, word) if m[3] > at)
    return sorted(known + found, key=lambda m: m[2])


def _known_in_chinese(text: str, taken: SpanSet) -> list[tuple[str, str, int, int]]:
    """The known entities the text writes by their Chinese names (known_entities.yaml: 小米集团 is
    Xiaomi, 北京 is Beijing): one row with the name written in English, whichever an article uses."""
    pattern, forms = _known_han()
    if pattern is None:
        return []
    return [(forms[m.group()].type, forms[m.group()].name, m.start(), m.end()) for m in pattern.finditer(text)
            if not taken.overlaps(m.start(), m.end())]


@lru_cache(maxsize=1)
def _known_han() -> tuple[re.Pattern[str] | None, dict[str, Known]]:
    forms = {form: entity for form, entity in known_forms().items() if _HAN.search(form)}
    if not forms:
        return None, forms
    first = "".join(sorted({f[0] for f in forms}))  # a character set first: the engine scans for it
    alternatives = "|".join(re.escape(f) for f in sorted(forms, key=len, reverse=True))
    return re.compile(f"(?=[{re.escape(first)}])(?:{alternatives})"), forms


def _transcribed(text: str, start: int, end: int, name: str) -> list[tuple[str, str, int, int]]:
    """A person as found, unless a transcribed foreign name (made only of the characters of
    transcriptions) is part of a longer one: glued to another such character, it is a piece jieba
    cut (博尔[克斯], [布罗]佐维奇) and is dropped; before a "·" it is a first name and the person
    runs on to the end of the surname (米奇·麦康奈尔), or is no person before an organisation's
    ending (约翰斯·霍普金斯大学) or where the surname's end is unclear."""
    if not all(c in _TRANSCRIPTION for c in name):
        return [("person", name, start, end)]
    before = text[start - 1] if start else ""
    after = text[end] if end < len(text) else ""
    if before in _TRANSCRIPTION or after in _TRANSCRIPTION:
        return []
    if after and after in _NAME_DOTS:
        last = end + 1
        while last < len(text) and (text[last] in _TRANSCRIPTION or text[last] in _NAME_DOTS and last + 1 < len(text)
                                    and text[last + 1] in _TRANSCRIPTION):
            last += 1
        if last == end + 1:  # no transcription after the dot (亨利·“格兰特”·刘易斯): the name as found
            return [("person", name, start, end)]
        stop = text[last] if last < len(text) else ""
        if text.startswith(_ORG_ENDINGS, last) or _HAN.match(stop) and stop not in _AFTER_A_NAME:
            return []  # an organisation's name, or a surname that runs on past the table (布兰[农])
        return [("person", text[start:last], start, last)]
    return [("person", name, start, end)]


def _entity(word: str, flag: str) -> tuple[str, str] | None:
    if flag in ("nrfg", "nrt") and len(word) >= 2:
        return "person", word
    if flag == "nr":
        rare = segmenter().FREQ.get(word, 0) < _RARE
        return ("person", word) if 2 <= len(word) <= 3 and word[0] in SURNAMES and rare else None
    if flag == "ns":
        place = _places().get(word)
        if place is None and len(word) >= 3 and word.endswith(_PLACE_ENDINGS):
            place = word
        return ("place", place) if place else None
    if flag == "nt" and len(word) >= 3 and word.endswith(_ORG_ENDINGS) and not word.startswith(_GENERIC):
        return "organization", word
    return None


@lru_cache(maxsize=1)
def _places() -> dict[str, str]:
    """Countries and China's provinces by their Chinese names (pycountry's translations)."""
    import gettext

    import pycountry

    places: dict[str, str] = {}
    countries = gettext.translation("iso3166-1", pycountry.LOCALES_DIR, languages=["zh_CN"], fallback=True)
    for country in pycountry.countries:
        chinese = countries.gettext(country.name)
        known = known_forms().get(country.name) or known_forms().get(getattr(country, "common_name", ""))
        if _HAN.search(chinese):
            places[chinese] = known.name if known else chinese
    divisions = gettext.translation("iso3166-2", pycountry.LOCALES_DIR, languages=["zh_CN"], fallback=True)
    for division in pycountry.subdivisions.get(country_code="CN") or ():  # type: ignore[no-untyped-call]
        chinese = divisions.gettext(division.name)
        short = re.sub(r"(省|市|特别行政区|壮族自治区|回族自治区|维吾尔自治区|自治区)$", "", chinese)
        if _HAN.search(short):
            places[chinese] = places[short] = short
    return places


@lru_cache(maxsize=1)
def _tagger() -> Any:
    """jieba's part-of-speech tagger over margin's segmenter (its dictionary loaded once, cached)."""
    import jieba.posseg

    # The module's own tagger already read the dictionary's tags (0.4 s): a copy takes them
    # instead of reading them again, over margin's segmenter, whose dictionary is the same file.
    kind = jieba.posseg.POSTokenizer
    tagger = kind.__new__(kind)  # its __init__ would read them; tokenizer set first (its __getattr__ reads it)
    tagger.tokenizer = segmenter()
    tagger.word_tag_tab = dict(jieba.posseg.dt.word_tag_tab)
    return tagger
