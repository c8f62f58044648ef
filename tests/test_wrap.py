"""Wrapping article text into line ranges: the invariants the reader's drawing relies on."""

from hypothesis import given, settings
from hypothesis import strategies as st
from rich.cells import cell_len

from margin.tui.wrap import wrap_ranges

WORDS = st.lists(st.text(alphabet=st.sampled_from(list("abcxyz雷军é😀")), min_size=1, max_size=30), max_size=30)
SPACES = st.sampled_from([" ", " ", "  ", "   "])


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
        for (a, b), (c, _) in zip(mine, mine[1:]):
            assert b == c  # contiguous: no character lost or repeated
            split_word = text[b - 1] != " " and text[b] != " "
            if split_word:  # a word is cut only when it cannot fit on a line of its own
                left = text.rfind(" ", cursor, b) + 1
                right = text.find(" ", b, end)
                assert cell_len(text[left : right if right != -1 else end]) > width
        for a, b in mine:
            assert cell_len(text[a:b].rstrip(" ")) <= width or b - a == 1
        cursor = end + 1
    assert len(lines) >= text.count("\n") + 1
