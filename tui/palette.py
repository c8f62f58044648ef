"""The colours of the reader's spans and the list's marks, made from the theme in use.

Fixed colours suited one background only: under textual-light and solarized-light the dark green
of tagged passages (#1e4d3a) sat under dark text, a contrast of 1.7:1, and cyan names on white
were as faint. Each colour here starts from a hue and is moved toward white (on a dark theme) or
black (on a light one) until its text stands at 4.5:1 or more (WCAG AA) against every background
it is drawn on.
"""

from __future__ import annotations

from dataclasses import dataclass

from rich.style import Style
from textual.color import Color
from textual.theme import Theme

from margin.tui.term_colours import TERM_BACKGROUNDS

AA = 4.5
_DARK, _LIGHT = Color.parse("#121212"), Color.parse("#efefef")  # where a theme's colour cannot be parsed (ANSI)
_ENTITY_HUES = {"person": "#00afd7", "organization": "#5faf00", "place": "#d75fd7", "product": "#5f87ff"}


@dataclass(frozen=True)
class Palette:
    hit: Style
    terms: tuple[Style, ...]  # one per query term, in turn (Hit.term); terms[0] is `hit`
    current: Style
    selection: Style
    cursor: Style
    passage: Style  # a background under the theme's text
    passage_mark: Style
    approximate_mark: Style  # a passage placed where the text now differs from its quote
    entity: dict[str, Style]
    star: Style
    dot: Style
    tag: Style  # an article's own tags in the list
    text: Color  # the theme's text and background, for the checks
    background: Color

    def term(self, number: int) -> Style:
        """The colour of a query's term `number` (they repeat past the sixth)."""
        return self.terms[number % len(self.terms)]


def contrast(a: Color, b: Color) -> float:
    """WCAG's contrast ratio of two colours (1 to 21)."""
    light, dark = sorted((_luminance(a), _luminance(b)), reverse=True)
    return (light + 0.05) / (dark + 0.05)


def _luminance(color: Color) -> float:
    def channel(value: int) -> float:
        c = value / 255
        return c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4

    return 0.2126 * channel(color.r) + 0.7152 * channel(color.g) + 0.0722 * channel(color.b)


def readable(color: Color, backgrounds: list[Color], ratio: float = AA) -> Color:
    """`color`, moved toward white or black (whichever is farther from the backgrounds) until it
    reaches `ratio` against each of them."""
    towards = Color(255, 255, 255) if max(_luminance(b) for b in backgrounds) < 0.18 else Color(0, 0, 0)
    for step in range(11):
        moved = color.blend(towards, step / 10)
        if all(contrast(moved, b) >= ratio for b in backgrounds):
            return moved
    return towards


def palette_for(theme: Theme) -> Palette:
    """The palette of a theme, made once per theme name (themes are not hashable)."""
    if theme.name not in _MADE:
        _MADE[theme.name] = _palette(theme)
    return _MADE[theme.name]


_MADE: dict[str, Palette] = {}


def _palette(theme: Theme) -> Palette:
    variables = theme.to_color_system().generate()
    background = _parsed(variables.get("background"), _DARK if theme.dark else _LIGHT)
    text = _parsed(variables.get("foreground"), _LIGHT if theme.dark else _DARK)
    green = Color.parse("#3fb950")
    tints = [background.blend(green, amount) for amount in (0.3, 0.25, 0.2, 0.15, 0.1, 0.07, 0.05)]
    # As green as the theme's text allows on it (solarized-dark's own text stands at 4.75:1).
    passage_bg = next((tint for tint in tints if contrast(text, tint) >= AA), tints[-1])
    grounds = [background, passage_bg]
    return Palette(
        hit=Style(color="#000000", bgcolor=TERM_BACKGROUNDS[0]),
        terms=tuple(Style(color="#000000", bgcolor=hue) for hue in TERM_BACKGROUNDS),
        current=Style(color="#ffffff", bgcolor="#d7005f", bold=True),
        selection=Style(color="#ffffff", bgcolor="#3465a4"),
        cursor=Style(reverse=True),
        passage=Style(bgcolor=passage_bg.hex),
        passage_mark=Style(color=readable(Color.parse("#5fd787"), [background], 3.0).hex, bold=True),
        approximate_mark=Style(color=readable(Color.parse("#ffaf00"), [background], 3.0).hex, bold=True),
        entity={kind: Style(color=readable(Color.parse(hue), grounds).hex, underline=True)
                for kind, hue in _ENTITY_HUES.items()},
        star=Style(color=readable(Color.parse("#d7af00"), [background]).hex, bold=True),
        dot=Style(color=readable(Color.parse("#00afd7"), [background]).hex),
        tag=Style(color=readable(Color.parse("#af87ff"), [background]).hex),
        text=text,
        background=background,
    )


def _parsed(value: str | None, fallback: Color) -> Color:
    """A theme colour, or `fallback` for one with no RGB to reason about ("ansi_default")."""
    try:
        color = Color.parse(value) if value else fallback
    except Exception:  # Textual raises its own ColorParseError
        return fallback
    return fallback if color.ansi is not None else color
