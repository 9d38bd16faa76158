"""The presentation's slides and their written summaries, from the bundled data."""

from __future__ import annotations

import pytest

from lib.reports.slides import build_slides


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_every_slide_in_order(bundled, lang):
    slides = build_slides(bundled, "2024Q1", lang)
    assert [s.key for s in slides] == ["title", "map", "industry", "tourism", "governance", "party", "closing"]
    assert all(s.title for s in slides)
    # The closing slide's figures speak for themselves, its foot says where they come from.
    assert all(s.summary for s in slides if s.key != "closing")
    assert slides[-1].headlines and slides[-1].footnote
    assert [s.key for s in slides if s.has_map] == ["title", "map", "tourism", "governance"]
    assert all(s.charts for s in slides if s.key in ("industry", "tourism", "governance", "party"))


def test_summaries_say_which_figures_are_reported(bundled):
    industry = {s.key: s for s in build_slides(bundled, "2024Q1", "zh")}["industry"]
    text = "".join(industry.summary)
    # The total adds illustrative figures to the reported one: not reported, the part named.
    assert "产值（万元）：3,747，" in text and "（含示例数据；其中三江口镇木材加工 1,500万元为报道数）" in text
    assert "（含示例数据；其中三江口镇木材加工 500余人为报道数）" in text
    english = " ".join({s.key: s for s in build_slides(bundled, "2024Q1", "en")}["industry"].summary)
    assert "of which reported: Sanjiangkou Wood processing 500+ people" in english
    assert "(reported figure)" not in english


def test_summary_figures_match_the_data(bundled):
    output = bundled.frame("output")
    total = output.loc[output.quarter == "2023Q4", "output_10k_yuan"].sum()
    industry = {s.key: s for s in build_slides(bundled, "2023Q4", "en")}["industry"]
    assert f"{total:,.0f}" in industry.summary[0]


def test_one_township(bundled):
    slides = {s.key: s for s in build_slides(bundled, "2024Q1", "en", township="mabeng")}
    assert "Sanjiangkou" not in " ".join(slides["industry"].summary)


def test_long_names_beside_bars_break_between_words_only():
    from lib.drawn.charts import wrapped_text

    assert wrapped_text("Wanfeng Lake north-shore day tour (illustrative)") == (
        "Wanfeng Lake north-shore<br>day tour (illustrative)"
    )
    assert wrapped_text("万峰湖北岸湖光山色一日游（示例）") == "万峰湖北岸湖光山色一日游（示例）"
    # Text from the data stays letter for letter: escaped, and spaced as it came.
    assert wrapped_text("<b>x</b> & a   long   name with many spaces in it") == (
        "&lt;b&gt;x&lt;/b&gt; &amp; a   long   name with many spaces in it"
    )
