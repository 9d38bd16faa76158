"""The PowerPoint deck, read back with python-pptx: a slide per slide, native charts whose
numbers are the data's, the map, Chinese fonts; and the pictures of the map and the charts."""

from __future__ import annotations

import io
import os
import struct
import subprocess
import sys

import plotly.graph_objects as go
import pytest
from pptx import Presentation
from pptx.enum.chart import XL_CHART_TYPE
from pptx.enum.shapes import MSO_SHAPE_TYPE

from lib.contract.i18n import tr
from lib.contract.settings import ROOT
from lib.contract.theme import EAST_ASIAN_FONT
from lib.reports.chart_pictures import chart_pngs
from lib.reports.deck import chart_spec, pptx_report
from lib.reports.map_picture import map_png
from lib.reports.slides import build_slides

QUARTER = "2024Q1"
PNG = b"\x89PNG\r\n\x1a\n"
NS = {"a": "http://schemas.openxmlformats.org/drawingml/2006/main"}
EXPECTED_CHARTS = {
    "industry": [XL_CHART_TYPE.COLUMN_STACKED, XL_CHART_TYPE.BAR_STACKED],
    "tourism": [XL_CHART_TYPE.BAR_CLUSTERED],
    "governance": [XL_CHART_TYPE.COLUMN_CLUSTERED],
    "party": [XL_CHART_TYPE.COLUMN_CLUSTERED],  # the sessions' bars; the running total is left out
}


def png_size(blob: bytes) -> tuple[int, int]:
    """Width and height from a PNG's header."""
    assert blob[:8] == PNG
    return struct.unpack(">II", blob[16:24])


@pytest.fixture(scope="module")
def slides(bundled):
    return build_slides(bundled, QUARTER, "zh")


@pytest.fixture(scope="module")
def map_picture(bundled) -> bytes:
    return map_png(bundled, "zh", size=(800, 500))


@pytest.fixture(scope="module")
def deck(slides, map_picture):
    return Presentation(io.BytesIO(pptx_report(slides, {s.key: map_picture for s in slides if s.has_map}, "zh")))


def charts_of(page) -> list:
    return [shape.chart for shape in page.shapes if shape.has_chart]


def test_one_slide_for_each_slide_with_its_title(deck, slides):
    assert len(deck.slides) == len(slides)
    assert [page.shapes.title.text_frame.text for page in deck.slides] == [s.title for s in slides]
    assert deck.slide_width * 9 == deck.slide_height * 16


def test_charts_are_native_charts_of_the_figures_kinds(deck, slides):
    for slide, page in zip(slides, deck.slides, strict=True):
        assert [c.chart_type for c in charts_of(page)] == EXPECTED_CHARTS.get(slide.key, []), slide.key
        assert [c.chart_title.text_frame.text for c in charts_of(page)] == [f.layout.title.text for f in slide.charts]


def test_chart_numbers_are_the_data(bundled, deck, slides):
    pages = {slide.key: page for slide, page in zip(slides, deck.slides, strict=True)}
    output_chart, jobs_chart = charts_of(pages["industry"])

    output = bundled.frame("output")
    shown = output[output["quarter"] <= QUARTER]
    plot = output_chart.plots[0]
    assert list(plot.categories) == sorted(shown["quarter"].unique())
    totals = [sum(s.values[i] or 0 for s in plot.series) for i in range(len(plot.categories))]
    assert totals == pytest.approx(shown.groupby("quarter")["output_10k_yuan"].sum().sort_index().tolist())
    wood = next(s for s in plot.series if s.name == "木材加工")
    expected = shown[shown["industry"] == "wood"].groupby("quarter")["output_10k_yuan"].sum().sort_index()
    assert list(wood.values) == pytest.approx(expected.tolist())

    employment = bundled.frame("employment")
    current = employment[employment["quarter"] == QUARTER]
    plot = jobs_chart.plots[0]
    assert list(plot.categories) == ["三江口镇", "鲁布革乡", "马蚌镇"]
    assert sum(v or 0 for s in plot.series for v in s.values) == current["jobs"].sum()

    mediation = bundled.frame("mediation")
    received = mediation[mediation["quarter"] <= QUARTER].groupby("quarter")["cases_received"].sum().sort_index()
    plot = charts_of(pages["governance"])[0].plots[0]
    assert [s.name for s in plot.series] == ["受理", "化解"]
    assert list(plot.series[0].values) == received.tolist()

    school = bundled.frame("party_school")
    plot = charts_of(pages["party"])[0].plots[0]
    assert len(plot.categories) == len(school)  # one bar a session, in date order
    assert list(plot.categories) == sorted(d.isoformat() for d in school["date"])
    assert sum(v or 0 for s in plot.series for v in s.values) == school["attendance"].sum()


def test_series_keep_the_catalogs_colours(deck, slides):
    industry = next(p for s, p in zip(slides, deck.slides, strict=True) if s.key == "industry")
    series = charts_of(industry)[0].plots[0].series
    assert [str(s.format.fill.fore_color.rgb) for s in series] == ["D55E00", "009E73", "CC79A7"]


def test_map_slides_show_the_map(deck, slides, map_picture):
    for slide, page in zip(slides, deck.slides, strict=True):
        pictures = [shape for shape in page.shapes if shape.shape_type == MSO_SHAPE_TYPE.PICTURE]
        assert [p.image.blob for p in pictures] == ([map_picture] if slide.has_map else []), slide.key


def test_chinese_text_with_an_east_asian_font(deck):
    texts = []
    for page in deck.slides:
        element = page.shapes._spTree
        runs = element.xpath(".//a:r")
        assert runs
        for run in runs:
            assert run.xpath("string(a:rPr/a:ea/@typeface)") == EAST_ASIAN_FONT
            assert run.xpath("string(a:rPr/@lang)") == "zh-CN"
            texts.append(run.xpath("string(a:t)"))
        for chart in charts_of(page):
            assert chart._chartSpace.xpath(".//a:ea/@typeface") == [EAST_ASIAN_FONT] * len(
                chart._chartSpace.xpath(".//a:ea")
            )
            assert chart._chartSpace.xpath(".//a:ea")
    assert "三地一览" in texts
    assert any("含示例数据" in text for text in texts)


# A 13.33 in slide shown 1920 px wide: 1 pt is 2 px, so the 28 px is 14 pt. The
# sentences are larger still; 14 pt is for a figure's source and the slide's foot.
ROOM_PT = 14


def test_body_type_reads_from_the_back_of_the_room(deck):
    for page in deck.slides:
        for shape in page.shapes:
            if not shape.has_text_frame:
                continue
            for paragraph in shape.text_frame.paragraphs:
                for run in paragraph.runs:
                    assert run.font.size.pt >= (32 if shape == page.shapes.title else ROOM_PT), run.text


def test_closing_slide_lists_every_headline(deck, slides):
    closing = slides[-1]
    text = " ".join(shape.text_frame.text for shape in deck.slides[-1].shapes if shape.has_text_frame)
    for headline in closing.headlines:
        assert tr(f"metric.{headline.key}", "zh") in text
        assert f"{headline.value:,.0f}" in text


def test_english_deck_without_a_map(bundled):
    slides = build_slides(bundled, QUARTER, "en", township="mabeng")
    deck = Presentation(io.BytesIO(pptx_report(slides, {}, "en")))
    assert [page.shapes.title.text_frame.text for page in deck.slides] == [s.title for s in slides]
    assert not any(shape.shape_type == MSO_SHAPE_TYPE.PICTURE for page in deck.slides for shape in page.shapes)
    run = deck.slides[2].shapes._spTree.xpath(".//a:r")[0]
    assert run.xpath("string(a:rPr/@lang)") == "en-US"
    assert run.xpath("string(a:rPr/a:ea/@typeface)") == EAST_ASIAN_FONT


def test_chart_spec_of_any_figure():
    figure = go.Figure()
    figure.add_bar(name="A &amp; B", x=["q2", "q1"], y=[2, 1], marker_color="rgb(0, 114, 178)", text=["★", ""])
    figure.add_bar(name="C", x=["q1", "q3"], y=[3, None])
    figure.add_scatter(name="total", x=["q1", "q2"], y=[4, 2], yaxis="y2")
    figure.update_layout(barmode="group", title_text="Title<br>two lines", yaxis_title_text="Cases")
    spec = chart_spec(figure)
    assert spec.kind == XL_CHART_TYPE.COLUMN_CLUSTERED
    assert (spec.title, spec.value_title) == ("Title two lines", "Cases")
    assert spec.categories == ["q2", "q1", "q3"]  # text categories keep the traces' order
    assert [(s.name, s.values, s.colour) for s in spec.series] == [
        ("A & B", [2, 1, None], "0072B2"),
        ("C", [None, 3, None], None),
    ]
    assert spec.series[0].labels == ["★", "", ""]

    figure.update_layout(barmode="stack").update_xaxes(categoryorder="category ascending")
    assert chart_spec(figure).kind == XL_CHART_TYPE.COLUMN_STACKED
    assert chart_spec(figure).categories == ["q1", "q2", "q3"]
    lines = go.Figure(go.Scatter(x=[1, 2], y=[5, 6], mode="lines", line_color="#abc"))
    assert chart_spec(lines).kind == XL_CHART_TYPE.LINE
    assert chart_spec(lines).series[0].colour == "AABBCC"
    assert chart_spec(go.Figure()) is None


@pytest.mark.parametrize(("lang", "township"), [("zh", None), ("en", "mabeng")])
def test_map_png_is_a_png_of_the_size_asked(bundled, lang, township):
    assert png_size(map_png(bundled, lang, ("lake", "townships", "sites"), township, size=(960, 600))) == (960, 600)


def test_map_png_default_size(map_picture, bundled):
    assert png_size(map_picture) == (800, 500)
    assert png_size(map_png(bundled, "en")) == (1600, 1000)


def test_chart_pngs(slides):
    industry = [slide for slide in slides if slide.key in ("industry", "closing")]
    pictures = chart_pngs(industry, scale=1)
    assert list(pictures) == ["industry-1.png", "industry-2.png"]
    assert all(png_size(blob) == (1200, 600) for blob in pictures.values())


def test_a_stale_font_cache_still_draws_chinese(monkeypatch):
    """A matplotlib cache made before the CJK fonts were installed knows none: the font file is
    registered from where Debian keeps it."""
    from matplotlib import font_manager

    from lib.reports import map_picture

    stale = [f for f in font_manager.fontManager.ttflist if "CJK" not in f.name]
    monkeypatch.setattr(font_manager.fontManager, "ttflist", stale)
    map_picture.cjk_font.cache_clear()
    try:
        name = map_picture.cjk_font()
        assert "CJK" in name and any(f.name == name for f in font_manager.fontManager.ttflist)
    finally:
        map_picture.cjk_font.cache_clear()


def test_no_chinese_font_fails_loudly(monkeypatch, tmp_path, bundled):
    from matplotlib import font_manager

    from lib.reports import map_picture

    monkeypatch.setattr(
        font_manager.fontManager, "ttflist", [f for f in font_manager.fontManager.ttflist if "CJK" not in f.name]
    )
    monkeypatch.setattr(map_picture, "CJK_FONT_FILES", (str(tmp_path / "gone.ttc"),))
    map_picture.cjk_font.cache_clear()
    try:
        with pytest.raises(map_picture.NoChineseFont, match="fonts-noto-cjk"):
            map_picture.map_png(bundled, "zh", size=(400, 250))
    finally:
        map_picture.cjk_font.cache_clear()


def test_the_export_command_fails_loudly_without_a_chinese_font(tmp_path):
    """With an empty font cache and no font file to be had, the export says so and exits 1."""
    script = (
        "import sys; from lib.reports import map_picture; map_picture.CJK_FONT_FILES = ();"
        "map_picture.CJK_FONTS = ('No Such Font',); sys.argv = ['export_report.py', '--out', sys.argv[1]];"
        "import runpy; runpy.run_path('scripts/data/export_report.py', run_name='__main__')"
    )
    env = {**os.environ, "MPLCONFIGDIR": str(tmp_path / "empty-cache")}
    result = subprocess.run(
        [sys.executable, "-c", script, str(tmp_path / "out")],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert result.returncode == 1 and "fonts-noto-cjk" in result.stderr and "Traceback" not in result.stderr
