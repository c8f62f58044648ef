"""Wrapping article text into line ranges: the invariants the reader's drawing relies on, and the
line-breaking conventions of Chinese text (UAX #14 via ICU, plus numbers kept with their unit)."""

from bisect import bisect_right

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from rich.cells import cell_len

from margin.tui.wrap import break_opportunities, wrap_ranges

from .conftest import SHARED_DATA

WORDS = st.lists(st.text(alphabet=st.sampled_from(list("abcxyz雷军é😀，。（")), min_size=1, max_size=30), max_size=30)
SPACES = st.sampled_from([" ", " ", "  ", "   "])
CLOSING, OPENING = "，。、；：？！）」』”", "（「『“"


@settings(max_examples=400)
@given(st.lists(st.tuples(WORDS, st.lists(SPACES, min_size=30, max_size=30)), min_size=1, max_size=3),
       st.integers(min_value=2, max_value=50))
def test_wrap_invariants(paragraphs, width):
    text = "\n".join("".join(w + s for w, s in zip(words, spaces)).rstrip(" ") for words, spaces in paragraphs)
    lines = wrap_ranges(text, width)
    cursor = 0
    for paragraph in text.split("\n"):
        end = cursor + len(paragraph)
        mine = [r for r in lines if cursor <= r[0] <= end and r[1] <= end]
        assert mine[0][0] == cursor and mine[-1][1] == end  # the paragraph is covered from start to end
        allowed = [cursor + b for b in break_opportunities(paragraph)] if paragraph and not paragraph.isascii() \
            else None
        for (_, b), (c, _) in zip(mine, mine[1:]):
            assert b == c  # contiguous: no character lost or repeated
            if allowed is not None and b not in allowed:  # cut inside a unit only when it cannot fit
                i = bisect_right(allowed, b)
                unit_start = allowed[i - 1] if i else cursor
                assert cell_len(text[unit_start : allowed[i]].rstrip(" ")) > width
        for a, b in mine:
            assert cell_len(text[a:b].rstrip(" ")) <= width or b - a == 1
        cursor = end + 1
    assert len(lines) >= text.count("\n") + 1


def lines_of(text: str, width: int) -> list[str]:
    return [text[a:b] for a, b in wrap_ranges(text, width)]


CHINESE = "比利时卫生部门24日说，8月5日该国新增病例，其中包括Lei Jun在布鲁塞尔（首都）的讲话。"


@pytest.mark.parametrize("width", range(6, 40))
def test_chinese_lines_follow_the_punctuation_rules(width):
    lines = lines_of(CHINESE, width)
    assert "".join(lines) == CHINESE
    assert not any(line[0] in CLOSING for line in lines[1:])  # no closing punctuation at a line start
    assert not any(line.rstrip()[-1] in OPENING for line in lines)  # no opening punctuation at a line end
    for number_and_unit in ("24日", "8月", "5日"):  # a number stays with its unit
        assert any(number_and_unit in line for line in lines)


def test_a_latin_name_inside_chinese_stays_on_the_line_when_it_fits():
    lines = lines_of(CHINESE, 30)
    assert any(line.endswith("Lei ") or "Lei Jun" in line for line in lines)
    assert not any(line.strip() in {"Lei", "Lei Jun"} for line in lines)  # not pushed onto a line of its own


def test_emoji_offsets_stay_python_offsets():
    text = "😀雷军说，" * 20
    lines = wrap_ranges(text, 9)
    assert lines[0][0] == 0 and lines[-1][1] == len(text)
    assert all(cell_len(text[a:b]) <= 9 for a, b in lines)


@pytest.mark.skipif(not (SHARED_DATA / "wmt21-news-zh-en").is_dir(), reason="../shared/data is absent")
def test_wmt21_news_wraps_without_stray_punctuation():
    text = (SHARED_DATA / "wmt21-news-zh-en" / "newstest2021.zh-en.src.zh").read_text(encoding="utf-8")[:20000]
    for width in (31, 58, 77):
        lines = lines_of(text, width)
        starts = [line[0] for line in lines[1:] if line and not line.startswith("\n")]
        assert not [s for s in starts if s in CLOSING]
        assert all(cell_len(line.rstrip(" ")) <= width for line in lines)


@pytest.mark.parametrize("text", [CHINESE, "Hello world-wide “quotes” (here) 3.5% 😀 end.", "東京都は24日、新たに123人の感染を発表した。"])
def test_the_pure_python_breaker_agrees_with_icu(text, monkeypatch):
    """macOS installs uniseg instead of pyicu-wheels: both must give the reader the same lines."""
    from margin.tui import wrap

    with_icu = wrap.break_opportunities(text)
    monkeypatch.setattr(wrap, "_line_breaker", lambda: None)
    assert wrap.break_opportunities(text) == with_icu
