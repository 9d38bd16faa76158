"""The theme's text holds 4.5:1 on its grounds (WCAG 2.1 AA), the faded text Streamlit draws
captions, labels and notes in included, so that it stays readable on a washed-out projector."""

from __future__ import annotations

import tomllib

import pytest

from lib.contract.settings import ROOT
from lib.contract.theme import FOCUS_COLOUR

THEME = tomllib.loads((ROOT / ".streamlit" / "config.toml").read_text(encoding="utf-8"))["theme"]
# Streamlit's page and sidebar grounds (its defaults; the theme sets neither), and the share of
# the text colour its captions, metric labels and notes are drawn in (fadedText60).
GROUNDS = {"page": "#FFFFFF", "sidebar": "#F0F2F6"}
FADED = 0.6


def _rgb(colour: str) -> tuple[float, ...]:
    return tuple(int(colour.lstrip("#")[i : i + 2], 16) / 255 for i in (0, 2, 4))


def _luminance(rgb: tuple[float, ...]) -> float:
    linear = [c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4 for c in rgb]
    return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]


def contrast(ink: tuple[float, ...], ground: tuple[float, ...]) -> float:
    """WCAG 2.1's contrast ratio of two colours."""
    lighter, darker = sorted((_luminance(ink), _luminance(ground)), reverse=True)
    return (lighter + 0.05) / (darker + 0.05)


def test_the_contrast_formula_gives_wcags_own_figures():
    assert contrast(_rgb("#000000"), _rgb("#FFFFFF")) == pytest.approx(21)
    assert contrast(_rgb("#767676"), _rgb("#FFFFFF")) == pytest.approx(4.54, abs=0.01)


@pytest.mark.parametrize("ground", GROUNDS)
@pytest.mark.parametrize("share", [1.0, FADED])
def test_text_and_faded_text_hold_4_5_to_1(ground, share):
    ink, paper = _rgb(THEME["textColor"]), _rgb(GROUNDS[ground])
    drawn = tuple(share * i + (1 - share) * p for i, p in zip(ink, paper, strict=True))
    assert contrast(drawn, paper) >= 4.5


@pytest.mark.parametrize("ground", GROUNDS)
def test_the_accent_holds_3_to_1_for_large_text_and_marks(ground):
    assert contrast(_rgb(THEME["primaryColor"]), _rgb(GROUNDS[ground])) >= 3


@pytest.mark.parametrize("ground", [*GROUNDS.values(), "#F2EFE6"])  # and the map's land
def test_the_focus_ring_holds_3_to_1_where_it_is_drawn(ground):
    assert contrast(_rgb(FOCUS_COLOUR), _rgb(ground)) >= 3
