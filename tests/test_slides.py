"""The presentation's slides and their written summaries, from the bundled data."""

from __future__ import annotations

import pytest

from lib.slides import build_slides


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_every_slide_in_order(bundled, lang):
    slides = build_slides(bundled, "2024Q1", lang)
    assert [s.key for s in slides] == ["title", "map", "industry", "tourism", "governance", "party", "closing"]
    assert all(s.title and s.summary for s in slides)
    assert [s.key for s in slides if s.has_map] == ["map", "tourism", "governance"]
    assert all(s.charts for s in slides if s.key in ("industry", "tourism", "governance", "party"))


def test_summaries_say_which_figures_are_reported(bundled):
    industry = {s.key: s for s in build_slides(bundled, "2024Q1", "zh")}["industry"]
    text = "".join(industry.summary)
    assert "三江口镇木材加工产值 1,500 万元（报道数据）" in text
    assert "产值（万元）：3,747" not in text or "含示例数据" in text
    english = {s.key: s for s in build_slides(bundled, "2024Q1", "en")}["industry"]
    assert "(reported figure)" in " ".join(english.summary)


def test_summary_figures_match_the_data(bundled):
    output = bundled.frame("output")
    total = output.loc[output.quarter == "2023Q4", "output_10k_yuan"].sum()
    industry = {s.key: s for s in build_slides(bundled, "2023Q4", "en")}["industry"]
    assert f"{total:,.0f}" in industry.summary[0]


def test_one_township(bundled):
    slides = {s.key: s for s in build_slides(bundled, "2024Q1", "en", township="mabeng")}
    assert "Sanjiangkou" not in " ".join(slides["industry"].summary)
