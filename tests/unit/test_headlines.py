"""Headline figures, comparisons, selections, tables and charts, from the bundled data."""

from __future__ import annotations

import pandas as pd
import pytest

from lib.contract.catalog import DATASETS, mask
from lib.drawn import charts
from lib.drawn.frames import labelled, route_table, select
from lib.drawn.headlines import change, default_quarter, headline_figures, missing_for, quarters
from lib.files.geodesy import lengths_km
from lib.files.loading import load_all
from lib.reports.slides import build_slides


def test_quarters_cover_the_bundled_range(bundled):
    found = quarters(bundled)
    assert found[0] == "2022Q1" and found[-1] == "2024Q1" and len(found) == 9


def test_headline_figures_for_the_latest_quarter(bundled):
    figures = {h.key: h for h in headline_figures(bundled, "2024Q1", None)}
    assert set(figures) == {"output", "jobs", "bases", "routes", "grids", "party_organisations"}
    output = bundled.frame("output")
    assert figures["output"].value == pytest.approx(output.loc[output.quarter == "2024Q1", "output_10k_yuan"].sum())
    assert figures["output"].previous == pytest.approx(output.loc[output.quarter == "2023Q4", "output_10k_yuan"].sum())
    assert figures["bases"].value == 7 and figures["routes"].value == 6 and figures["party_organisations"].value == 6
    assert figures["output"].illustrative  # most output figures are illustrative
    assert len(figures["output"].trend) == 9 and figures["output"].trend[-1] == figures["output"].value


def test_no_comparison_before_the_data(bundled):
    figures = {h.key: h for h in headline_figures(bundled, "2022Q1", None)}
    assert figures["output"].previous is None and figures["output"].year_ago is None
    assert figures["bases"].previous is None


def test_headline_figures_of_one_township(bundled):
    whole = {h.key: h.value for h in headline_figures(bundled, "2024Q1", None)}
    parts = [
        {h.key: h.value for h in headline_figures(bundled, "2024Q1", t)} for t in ("sanjiangkou", "lubuge", "mabeng")
    ]
    assert sum(p["output"] for p in parts) == pytest.approx(whole["output"])
    assert sum(p["grids"] for p in parts) == whole["grids"]


def test_change():
    assert change(110, 100) == pytest.approx(0.1)
    assert change(1, 0) is None and change(None, 1) is None


def test_select_by_township_and_quarter(bundled):
    rows = select(bundled.frame("output"), "mabeng", "2023Q4")
    assert set(rows.township_id) == {"mabeng"} and rows.quarter.max() == "2023Q4"
    organisations = select(bundled.frame("party_organisations"), "mabeng")
    assert all("mabeng" in ids for ids in organisations.township_ids)
    school = select(bundled.frame("party_school"), None, "2023Q3")
    assert all(d.month <= 9 and d.year == 2023 for d in school.date)


def test_route_lengths_are_geodesic_km(bundled):
    lengths = lengths_km(bundled.frame("tourism_routes"))
    assert lengths.between(5, 80).all()
    table = route_table(bundled.frame("tourism_routes"), bundled.frame("tourism_figures"), "2024Q1", "en")
    assert "Length (km)" in table.columns and len(table) == 6


def test_labelled_table_uses_labels(bundled):
    table = labelled(DATASETS["industry_bases"], bundled.frame("industry_bases"), "zh", ["name", "industry", "jobs"])
    assert list(table.columns) == ["名称", "产业", "带动就业（人）"]
    assert "水果种植" in set(table["产业"])


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_charts_carry_the_data(bundled, lang):
    output = bundled.frame("output")
    figure = charts.by_quarter(output, "output", lang)
    assert sum(sum(v for v in trace.y if pd.notna(v)) for trace in figure.data) == pytest.approx(
        output["output_10k_yuan"].sum()
    )
    # Each wood bar adds three townships: none is the report's figure, so none is starred.
    assert not any("★" in (trace.text or ()) for trace in figure.data)
    alone = charts.by_quarter(select(output, "sanjiangkou"), "output", lang)
    wood = next(trace for trace in alone.data if trace.customdata[0][0] == "industry=wood")
    assert [q for q, mark in zip(wood.x, wood.text, strict=True) if mark] == ["2024Q1"]
    township = charts.by_township(output, "output", "2024Q1", lang)
    assert len(township.data) == 3
    assert charts.mediation(bundled.frame("mediation"), lang).data
    assert charts.school_attendance(bundled.frame("party_school"), lang).data
    assert charts.visitors_by_route(bundled.frame("tourism_figures"), bundled.frame("tourism_routes"), lang).data


def test_mask():
    assert mask("13800000001") == "138****0001"
    assert mask("138 0000 0001") == "138****0001"
    assert mask("王芳") == "王**"


def test_personal_columns_are_masked_unless_revealed(bundled):
    grids = bundled.frame("patrol_grids")
    columns = ["name", "worker_phone"]
    masked = labelled(DATASETS["patrol_grids"], grids, "en", columns)
    revealed = labelled(DATASETS["patrol_grids"], grids, "en", columns, reveal_personal=True)
    assert masked["Phone"].str.contains(r"\*\*\*\*").all()
    assert not revealed["Phone"].str.contains(r"\*").any()


def _half_filled(data_copy):
    """The bundled data with 2024Q2's jobs entered and its output not yet."""
    employment = data_copy / "tables/employment.csv"
    lines = employment.read_text(encoding="utf-8").splitlines()
    added = [line.replace("2024Q1,", "2024Q2,", 1) for line in lines if line.startswith("2024Q1,")]
    employment.write_text("\n".join([*lines, *added]) + "\n", encoding="utf-8")
    return load_all(data_copy)


def test_a_half_filled_quarter_is_offered_but_not_the_default(bundled, data_copy):
    assert default_quarter(bundled) == "2024Q1" and missing_for(bundled, "2024Q1") == []
    data = _half_filled(data_copy)
    assert quarters(data)[-1] == "2024Q2" and default_quarter(data) == "2024Q1"
    assert missing_for(data, "2024Q2") == ["output"]


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_a_half_filled_quarter_is_marked_on_every_slide(data_copy, lang):
    data = _half_filled(data_copy)
    mark = "数据不完整" if lang == "zh" else "incomplete"
    slides = build_slides(data, "2024Q2", lang)
    assert all(slide.title.endswith(mark) for slide in slides)
    assert not any(slide.title.endswith(mark) for slide in build_slides(data, "2024Q1", lang))
    # Nothing entered yet is no data, never a reported zero.
    told = " ".join(sentence for slide in slides for sentence in slide.summary)
    none, reported = (
        ("本季度暂无数据", "报道数据") if lang == "zh" else ("no data for this quarter yet", "reported figure")
    )
    assert told.count(none) >= 3 and reported not in told


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_a_chart_with_no_data_says_so(bundled, lang):
    output = bundled.frame("output")
    empty = charts.by_township(output, "output", "2024Q2", lang)
    assert charts.is_empty(empty)
    assert [a.text for a in empty.layout.annotations] == [
        "本季度暂无数据" if lang == "zh" else "No data for this quarter yet"
    ]
    assert empty.layout.xaxis.visible is False and empty.layout.yaxis.visible is False
    drawn = charts.by_township(output, "output", "2024Q1", lang)
    assert not charts.is_empty(drawn) and not drawn.layout.annotations
