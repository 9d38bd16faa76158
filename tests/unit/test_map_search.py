"""Finding places: the township under a click, features by name in either language, and the
codes a chart selection picks."""

from __future__ import annotations

from lib.drawn.charts import chosen
from lib.drawn.search import places, search, township_at


def test_a_click_inside_a_township_selects_it(bundled):
    townships = bundled.frame("townships")
    for _, row in townships.iterrows():
        inside = row.geometry.representative_point()
        assert township_at(bundled, inside.x, inside.y) == row["id"]
    assert township_at(bundled, 100.0, 30.0) is None


def test_every_named_feature_can_be_found(bundled):
    found = places(bundled)
    assert {p.layer for p in found} >= {"townships", "industry_bases", "tourism_routes", "patrol_grids", "sites"}
    (south, west), (north, east) = found[0].bounds
    assert south <= north and west <= east


def test_search_in_chinese_and_english(bundled):
    candidates = places(bundled)
    assert search(candidates, "鲁布革")[0].id == "lubuge"
    assert search(candidates, "lubuge")[0].id == "lubuge"  # whole id or English name first
    assert search(candidates, "  SANJIANGKOU ")[0].id == "sanjiangkou"
    assert search(candidates, "") == [] and search(candidates, "no such place") == []
    assert len(search(candidates, "a", limit=3)) == 3


def test_chart_selection_keeps_what_every_point_shares():
    points = [
        {"customdata": ["township_id=lubuge", "industry=wood"]},
        {"customdata": ["township_id=lubuge", "industry=fruit"]},
    ]
    assert chosen(points) == {"township_id": "lubuge"}
    assert chosen(points[:1]) == {"township_id": "lubuge", "industry": "wood"}
    assert chosen([]) == {} and chosen([{"x": 1}]) == {}
