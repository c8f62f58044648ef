"""SVG snapshots of the main screens (pytest-textual-snapshot; update with --snapshot-update)."""

from __future__ import annotations

from pathlib import Path

import pytest

from .tui_helpers import make_app, search, settle, started


@pytest.fixture(autouse=True)
def colour(monkeypatch: pytest.MonkeyPatch) -> None:
    """Snapshots show the colours a user sees (the suite otherwise runs with NO_COLOR), and an
    article shown is marked read only by the keys pressed."""
    monkeypatch.delenv("NO_COLOR", raising=False)


def test_main_screen_with_a_query(snap_compare, tmp_path: Path):
    async def run_before(pilot) -> None:
        await started(pilot)
        await search(pilot, "huang OR huawei")
        await pilot.press("enter", "tab", "n")
        await settle(pilot)

    assert snap_compare(make_app(tmp_path), terminal_size=(130, 36), run_before=run_before)


def test_help_screen(snap_compare, tmp_path: Path):
    async def run_before(pilot) -> None:
        await started(pilot)
        await pilot.press("question_mark")
        await settle(pilot)

    assert snap_compare(make_app(tmp_path), terminal_size=(110, 44), run_before=run_before)


def test_narrow_terminal(snap_compare, tmp_path: Path):
    async def run_before(pilot) -> None:
        await started(pilot)
        await search(pilot, "雷军")
        await pilot.press("enter")
        await settle(pilot)

    assert snap_compare(make_app(tmp_path), terminal_size=(56, 24), run_before=run_before)


async def _tag_two_passages(pilot) -> None:
    """A sentence tagged with a note, and a selection of words: marks, note line and sidebar tags."""
    from textual.widgets import TextArea

    await started(pilot)
    await pilot.press("enter", "right_parenthesis", "t", *"marketing stance")
    pilot.app.screen.query_one(TextArea).text = "Compare with the 2019 interview"
    await pilot.press("ctrl+s")
    await settle(pilot)
    await pilot.press("right_curly_bracket", "v", "w", "w", "w", "t", *"pricing", "enter")
    await settle(pilot)
    await pilot.press("left_curly_bracket", "right_parenthesis")
    await settle(pilot)


def test_reader_with_tagged_passages(snap_compare, tmp_path: Path):
    assert snap_compare(make_app(tmp_path), terminal_size=(130, 36), run_before=_tag_two_passages)


def test_passages_screen(snap_compare, tmp_path: Path):
    async def run_before(pilot) -> None:
        await _tag_two_passages(pilot)
        await pilot.press("p")
        await settle(pilot)

    assert snap_compare(make_app(tmp_path), terminal_size=(110, 30), run_before=run_before)


def test_cursor_after_a_sentence_motion(snap_compare, tmp_path: Path):
    async def run_before(pilot) -> None:
        await started(pilot)
        await pilot.press("enter", "right_parenthesis", "right_parenthesis")
        await settle(pilot)

    assert snap_compare(make_app(tmp_path), terminal_size=(110, 30), run_before=run_before)


def test_a_selection_over_three_lines(snap_compare, tmp_path: Path):
    async def run_before(pilot) -> None:
        await started(pilot)
        await pilot.press("enter", "right_parenthesis", "v", *["w"] * 24)
        await settle(pilot)

    assert snap_compare(make_app(tmp_path), terminal_size=(110, 30), run_before=run_before)


CHINESE = ("比利时卫生部门24日说，8月5日该国新增新冠确诊病例，其中包括Lei Jun在布鲁塞尔（首都）的讲话。"
           "卫生部门表示，疫情仍在蔓延！专家建议民众减少外出？\n\n小米集团创始人雷军表示，公司将在2025年推出新款电动汽车。")


def test_a_chinese_article(snap_compare, tmp_path: Path):
    corpus = tmp_path / "zh"
    corpus.mkdir()
    (corpus / "zh.md").write_text(f"---\ntitle: 比利时疫情与小米新车\nlanguage: zh\n---\n{CHINESE}", encoding="utf-8")

    async def run_before(pilot) -> None:
        await started(pilot)
        await pilot.press("enter", "w", "w")
        await settle(pilot)

    assert snap_compare(make_app(tmp_path, corpus=corpus), terminal_size=(90, 26), run_before=run_before)


@pytest.mark.parametrize("theme", ["textual-light", "nord", "gruvbox"])
def test_theme_change(snap_compare, tmp_path: Path, theme: str):
    async def run_before(pilot) -> None:
        await started(pilot)
        await search(pilot, "xiaomi")
        await pilot.press("enter", "tab", "n", "n")
        await settle(pilot)
        pilot.app.theme = theme
        await settle(pilot)

    assert snap_compare(make_app(tmp_path), terminal_size=(120, 30), run_before=run_before)
