"""The charts' text alternative and their large-text form: pure functions of the figures."""

from __future__ import annotations

import plotly.graph_objects as go
import pytest

from lib.contract.i18n import tr
from lib.drawn import charts


@pytest.fixture
def output(bundled):
    return bundled.frame("output")


def test_the_table_of_a_stacked_chart_holds_each_bar_and_its_star(output):
    figure = charts.by_township(output, "output", "2024Q1", "zh")
    table = charts.as_table(figure)
    assert list(table.columns) == [trace.name for trace in figure.data]
    # Top to bottom as the bars are drawn (Plotly draws the first category at the bottom).
    assert list(table.index) == list(figure.data[0].y)[::-1]
    reported = output[
        (output.quarter == "2024Q1") & (output.township_id == "sanjiangkou") & (output.industry == "wood")
    ]
    assert table.loc["三江口镇", "木材加工"] == f"{reported.output_10k_yuan.sum():,.0f} ★"
    assert "★" not in "".join(table.drop(index="三江口镇").to_numpy().ravel())


def test_the_table_of_a_chart_by_quarter_reads_left_to_right_and_marks_gaps(bundled):
    figure = charts.school_attendance(bundled.frame("party_school"), "en")
    table = charts.as_table(figure)
    assert list(table.index) == sorted(table.index)
    assert tr("chart.cumulative", "en") in table.columns
    assert (table == "—").any().any()  # a session of one kind is no session of another


def test_the_chart_in_words_is_one_sentence_in_the_language(output):
    figure = charts.by_township(output, "output", "2024Q1", "zh")
    words = charts.in_words(figure, "zh")
    assert words.startswith(charts.title_of(figure) + "：") and words.endswith("。")
    assert "三江口镇，木材加工 1,500 ★，" in words
    english = charts.in_words(charts.by_township(output, "output", "2024Q1", "en"), "en")
    assert english.endswith(".") and "; Sanjiangkou, Wood processing 1,500 ★, " in english


def test_wrapped_names_read_in_one_line():
    name = charts.wrapped_text("Lakeside & fishing-village day route", 12)
    figure = go.Figure().add_bar(x=[3], y=[name], orientation="h", name="a")
    assert list(charts.as_table(figure).index) == ["Lakeside & fishing-village day route"]


def test_large_text_grows_every_text_and_leaves_the_shared_figure_alone(output):
    figure = charts.by_quarter(output, "output", "zh")
    assert charts.enlarged(figure, 1) is figure
    grown = charts.enlarged(figure, 1.5)
    assert grown.layout.font.size == figure.layout.font.size * 1.5
    assert grown.layout.title.font.size == figure.layout.title.font.size * 1.5
    assert grown.layout.xaxis.tickfont.size == grown.layout.yaxis.title.font.size == figure.layout.font.size * 1.5
    assert grown.layout.legend.font.size == figure.layout.font.size * 1.5
    assert grown.layout.height > figure.layout.height and figure.layout.xaxis.tickfont.size is None
    empty = charts.by_quarter(output.iloc[0:0], "output", "zh")
    assert charts.enlarged(empty, 1.5).layout.annotations[0].font.size == empty.layout.annotations[0].font.size * 1.5
