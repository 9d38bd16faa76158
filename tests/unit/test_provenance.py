"""The one rule behind every mark that claims the report as its source."""

from __future__ import annotations

import pandas as pd
import pytest

from lib.contract.catalog import DATASETS
from lib.drawn.provenance import REPORTED, is_reported, marked, of_sum, reported_fields, source_text

OUTPUT, JOBS, BASES = DATASETS["output"], DATASETS["employment"], DATASETS["industry_bases"]


def _rows(*rows: tuple) -> pd.DataFrame:
    columns = ["quarter", "township_id", "industry", "jobs", "source", "reported_as"]
    return pd.DataFrame(rows, columns=columns)


REPORTED_ROW = ("2024Q1", "sanjiangkou", "wood", 500, "report", "500余")
OTHER_ROW = ("2024Q1", "lubuge", "wood", 36, "illustrative", None)


@pytest.mark.parametrize(
    ("lang", "wording", "note"), [("zh", "500余", "报道数：500余"), ("en", "500+", "As reported: 500+")]
)
def test_a_single_reported_value_is_starred_and_worded_as_the_report(lang, wording, note):
    told = of_sum(JOBS, _rows(REPORTED_ROW), "jobs", lang)
    assert told.reported and told.mark == REPORTED and told.wording == wording and told.note == note


@pytest.mark.parametrize(
    ("lang", "note"),
    [
        ("zh", "其中三江口镇木材加工 500余人为报道数"),
        ("en", "of which reported: Sanjiangkou Wood processing 500+ people"),
    ],
)
def test_a_sum_with_an_illustrative_part_is_not_starred_and_names_the_reported_part(lang, note):
    told = of_sum(JOBS, _rows(REPORTED_ROW, OTHER_ROW), "jobs", lang)
    assert not told.reported and told.mark == "" and told.wording == "" and told.note == note


def test_a_reported_figure_without_its_wording_reads_as_its_value():
    told = of_sum(OUTPUT, pd.DataFrame([{**dict(zip(OUTPUT.unique, ("2024Q1", "sanjiangkou", "wood"), strict=True)),
                                          "output_10k_yuan": 1500.0, "source": "report", "reported_as": None},
                                         {"quarter": "2024Q1", "township_id": "mabeng", "industry": "wood",
                                          "output_10k_yuan": 80.5, "source": "illustrative", "reported_as": None}]),
                  "output_10k_yuan", "zh")  # fmt: skip
    assert told.note == "其中三江口镇木材加工 1,500万元为报道数"


def test_sums_of_nothing_reported_claim_nothing():
    assert of_sum(JOBS, _rows(OTHER_ROW), "jobs", "zh") == of_sum(JOBS, _rows(), "jobs", "zh")
    assert not of_sum(JOBS, _rows(), "jobs", "zh").reported


def test_several_reported_values_make_a_reported_sum():
    both = _rows(REPORTED_ROW, ("2024Q1", "mabeng", "wood", 40, "report", None))
    told = of_sum(JOBS, both, "jobs", "zh")
    assert told.reported and told.note == "" and told.wording == ""


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_a_mixed_record_marks_only_the_fields_the_report_gives(bundled, lang):
    bases = bundled.frame("industry_bases").set_index("id", drop=False)
    orange = bases.loc["base-1"].to_dict()
    assert orange["source"] == "illustrative"
    assert reported_fields(BASES, orange) == {"name_zh", "name_en", "industry", "area_mu"}
    assert is_reported(BASES, orange, "area_mu") and not is_reported(BASES, orange, "jobs")
    assert not is_reported(BASES, orange, "township_id")
    assert marked(BASES, orange, "area_mu", "10,000") == "10,000 ★" and marked(BASES, orange, "jobs", "120") == "120"
    expected = (
        "示例（名称、英文名称、产业、面积出自报道）"
        if lang == "zh"
        else "Illustrative (Name (Chinese), Name, Industry, Area from the report)"
    )
    assert source_text(BASES, orange, lang) == expected
    leisure = bases.loc["base-3"].to_dict()
    assert reported_fields(BASES, leisure) == set() and source_text(BASES, leisure, lang) in ("示例", "Illustrative")


def test_a_reported_record_gives_every_field_but_never_marks_its_provenance_fields(bundled):
    output = bundled.frame("output")
    row = output[output.source == "report"].iloc[0].to_dict()
    assert is_reported(OUTPUT, row, "output_10k_yuan") and not is_reported(OUTPUT, row, "source")
    assert marked(OUTPUT, row, "output_10k_yuan", "—") == "—"  # nothing shown, nothing marked
