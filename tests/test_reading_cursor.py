"""The reader's cursor model: visual mode and what `t` tags, without a terminal."""

from margin.search import segments
from margin.tui.widgets.reading_cursor import ReadingCursor, changed

BODY = "Lei Jun founded Xiaomi. It sells phones. Then cars came."


def test_visual_mode_extends_to_sentence_ends_and_t_tags_the_selection():
    model = ReadingCursor()
    model.reset(BODY, [])
    assert model.offset == 0 and model.cursor_word(0) == (0, 3)
    model.mark = model.anchor_word()
    model.offset = model.mark[1]
    target = model.target(segments.sentences(BODY), +1)
    assert target is not None
    model.offset = target
    assert BODY[slice(*model.tag_range("sentence"))] == "Lei Jun founded Xiaomi."
    assert model.cursor_word(model.offset) is None  # the selection shows, not the cursor word
    assert model.note().startswith("selecting 4 words")


def test_without_a_selection_t_tags_the_sentence_under_the_cursor():
    model = ReadingCursor()
    model.reset(BODY, [])
    model.offset = BODY.index("phones")
    assert BODY[slice(*model.tag_range("sentence"))] == "It sells phones."
    assert model.note() == ""


def test_a_growing_selection_repaints_only_where_its_ends_moved():
    assert changed((0, 10), (0, 14)) == [(0, 0), (10, 14)]
    assert changed(None, (3, 5)) == [(3, 5)]
