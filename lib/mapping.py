"""The Folium map of the tri-border area, built from the loaded layers and the catalog.

Folium inserts tooltip and popup values into the page as HTML, so every text from the data
is escaped here before it reaches the map.
"""

from __future__ import annotations

from html import escape

import folium
import pandas as pd
from branca.element import Element, MacroElement
from jinja2 import Template

from lib.basemaps import Basemap
from lib.catalog import LAYERS, REPORT_CITATION, VOCABULARIES, Lang, Layer, code_colour, code_label
from lib.geodesy import lengths_km
from lib.i18n import tr
from lib.loading import Data
from lib.offline import localise

TRI_POINT = (24.734, 104.527)
OPEN_DATA_CREDIT = "Dam position: GRanD (CC BY 4.0)"
_HIDDEN_FIELDS = {"id", "name_zh", "name_en"}
_MAP_CSS = """
<style>
.leaflet-container { background: #F2EFE6; font-family: "Noto Sans CJK SC", "Microsoft YaHei", sans-serif; }
.township-label { font-size: 17px; font-weight: 700; color: #222; white-space: nowrap;
  text-shadow: 0 0 3px #fff, 0 0 3px #fff, 0 0 3px #fff; transform: translate(-50%, -50%); width: auto !important; }
.map-legend { background: rgba(255,255,255,.92); padding: 6px 10px; border-radius: 6px; font-size: 12px;
  line-height: 1.4; box-shadow: 0 1px 4px rgba(0,0,0,.3); max-height: 45vh; overflow-y: auto; }
.map-legend summary { font-weight: 700; font-size: 13px; cursor: pointer; }
.map-legend .note { color: #8A4B00; font-weight: 600; max-width: 220px; }
.map-legend i { display: inline-block; width: 14px; height: 10px; margin-right: 6px; vertical-align: middle; }
.map-legend i.point { width: 10px; border-radius: 50%; }
.map-legend i.line { height: 3px; }
.feature-details td { padding: 1px 6px 1px 0; vertical-align: top; }
.feature-details th { text-align: left; font-size: 14px; padding-bottom: 4px; }
@media (max-width: 600px) { .map-legend { font-size: 11px; max-height: 30vh; } .township-label { font-size: 14px; } }
</style>
"""


class _Legend(MacroElement):
    """A Leaflet control in a map corner holding ready-made (already escaped) HTML."""

    _template = Template(
        """
        {% macro script(this, kwargs) %}
        var {{ this.get_name() }} = L.control({position: "{{ this.position }}"});
        {{ this.get_name() }}.onAdd = function () {
            var div = L.DomUtil.create("div", "map-legend");
            div.innerHTML = {{ this.html|tojson }};
            L.DomEvent.disableClickPropagation(div);
            return div;
        };
        {{ this.get_name() }}.addTo({{ this._parent.get_name() }});
        {{ this._parent.get_name() }}.attributionControl.addAttribution({{ this.credit|tojson }});
        {% endmacro %}
        """
    )

    def __init__(self, html: str, credit: str, position: str = "bottomleft") -> None:
        super().__init__()
        self._name = "Legend"
        self.html, self.credit, self.position = html, credit, position


def build_map(
    data: Data,
    lang: Lang,
    township: str | None = None,
    basemaps: list[Basemap] | None = None,
    layers: tuple[str, ...] | None = None,
    reveal_personal: bool = False,
) -> folium.Map:
    """The map in ``lang``, focused on ``township``, of the layers named in ``layers`` (all
    when None) that could be read; personal details masked unless ``reveal_personal``."""
    fmap = folium.Map(location=TRI_POINT, zoom_start=10, tiles=None, control_scale=True, prefer_canvas=False)
    fmap.get_root().header.add_child(Element(_MAP_CSS))
    folium.FeatureGroup(name=tr("map.no_basemap", lang), overlay=False).add_to(fmap)
    for basemap in basemaps or []:
        folium.TileLayer(
            basemap.url,
            name=basemap.name(lang),
            attr=basemap.attribution,
            max_zoom=basemap.max_zoom,
            subdomains=basemap.subdomains,
            overlay=False,
            show=False,
        ).add_to(fmap)

    legend_rows, drawn = [], []
    for layer in LAYERS:
        if layers is not None and layer.key not in layers:
            continue
        frame = data.frame(layer.key)
        if frame is None or frame.empty:
            continue
        if township and "township_id" in frame and layer.key != "townships":
            frame = frame[frame["township_id"] == township]
        group = folium.FeatureGroup(name=escape(layer.title(lang)))
        _add_layer(group, layer, feature_collection(layer, frame, lang, township, reveal_personal), frame, lang)
        group.add_to(fmap)
        legend_rows.append(_legend_rows(layer, frame, lang))
        drawn.append(frame)

    folium.LayerControl(collapsed=True).add_to(fmap)
    legend = (
        f"<details open><summary>{escape(tr('map.legend', lang))}</summary>{''.join(legend_rows)}</details>"
        f"<div class='note'>{escape(tr('map.schematic_note', lang))}</div>"
    )
    _Legend(legend, OPEN_DATA_CREDIT).add_to(fmap)
    bounds = focus_bounds(data, township) or _bounds(drawn)
    if bounds:
        fmap.fit_bounds(bounds)
    localise(fmap)
    return fmap


def focus_bounds(data: Data, township: str | None) -> list[list[float]] | None:
    """South-west and north-east corners of the townships (or of one), as Leaflet wants them."""
    townships = data.frame("townships")
    if townships is None or townships.empty:
        return None
    if township and township in set(townships["id"]):
        townships = townships[townships["id"] == township]
    west, south, east, north = townships.total_bounds
    return [[south, west], [north, east]]


def _bounds(frames: list[pd.DataFrame]) -> list[list[float]] | None:
    boxes = [frame.total_bounds for frame in frames if not frame.empty]
    if not boxes:
        return None
    return [[min(b[1] for b in boxes), min(b[0] for b in boxes)], [max(b[3] for b in boxes), max(b[2] for b in boxes)]]


def feature_collection(
    layer: Layer, frame: pd.DataFrame, lang: Lang, township: str | None, reveal_personal: bool = False
) -> dict:
    """GeoJSON of a layer with only what the map shows: colour, escaped name and details."""
    lengths = lengths_km(frame) if layer.key == "tourism_routes" else None
    features = []
    for index, row in frame.iterrows():
        colour = (
            code_colour(_vocabulary(layer), row[layer.style.colour_by]) if layer.style.colour_by else layer.style.colour
        )
        dimmed = layer.key == "townships" and township is not None and row["id"] != township
        extra = {tr("map.length_km", lang): f"{lengths[index]:.1f}"} if lengths is not None else {}
        features.append(
            {
                "type": "Feature",
                "geometry": row.geometry.__geo_interface__,
                "properties": {
                    "name": escape(str(row[f"name_{lang}"])),
                    "colour": "#BBBBBB" if dimmed else colour,
                    "details": _details_html(layer, row, lang, extra, reveal_personal),
                },
            }
        )
    return {"type": "FeatureCollection", "features": features}


def _add_layer(group: folium.FeatureGroup, layer: Layer, features: dict, frame: pd.DataFrame, lang: Lang) -> None:
    style = layer.style

    def style_function(feature: dict) -> dict:
        colour = feature["properties"]["colour"]
        return {
            "color": colour,
            "fillColor": colour,
            "weight": style.weight,
            "fillOpacity": style.fill_opacity,
            "opacity": 0.9,
            "dashArray": style.dash,
        }

    points = layer.geometry_types & {"Point"}
    folium.GeoJson(
        features,
        style_function=style_function,
        highlight_function=lambda _: {"weight": style.weight + 2, "fillOpacity": min(style.fill_opacity + 0.2, 1)},
        tooltip=folium.GeoJsonTooltip(fields=["name"], labels=False),
        popup=folium.GeoJsonPopup(fields=["details"], labels=False),
        marker=folium.CircleMarker(radius=style.radius, weight=1.5, fill=True) if points else None,
    ).add_to(group)
    if layer.key == "townships":
        for _, row in frame.iterrows():
            point = row.geometry.representative_point()
            folium.Marker(
                (point.y, point.x),
                icon=folium.DivIcon(html=escape(str(row[f"name_{lang}"])), class_name="township-label"),
                interactive=False,
            ).add_to(group)


def _details_html(layer: Layer, row: pd.Series, lang: Lang, extra: dict[str, str], reveal_personal: bool) -> str:
    cells = [f"<tr><th colspan='2'>{escape(str(row[f'name_{lang}']))}</th></tr>"]
    for field in layer.fields:
        if field.name in _HIDDEN_FIELDS or row[field.name] is None or pd.isna(row[field.name]):
            continue
        cells.append(
            f"<tr><td>{escape(field.heading(lang))}</td><td>{escape(field.display(row[field.name], lang, reveal_personal))}</td></tr>"
        )
    cells += [f"<tr><td>{escape(k)}</td><td>{escape(v)}</td></tr>" for k, v in extra.items()]
    if row.get("source") == "report":
        cells.append(f"<tr><td colspan='2'><small>{escape(REPORT_CITATION(lang))}</small></td></tr>")
    return f"<table class='feature-details'>{''.join(cells)}</table>"


def _vocabulary(layer: Layer) -> str:
    return layer.field(layer.style.colour_by or "").vocabulary or ""


def _legend_rows(layer: Layer, frame: pd.DataFrame, lang: Lang) -> str:
    shape = "point" if layer.geometry_types == {"Point"} else "line" if "LineString" in layer.geometry_types else "area"
    if layer.style.colour_by:
        vocabulary = _vocabulary(layer)
        present = set(frame[layer.style.colour_by])
        entries = [
            (code_label(vocabulary, c, lang), code_colour(vocabulary, c))
            for c in VOCABULARIES[vocabulary]
            if c in present
        ]
    else:
        entries = [(layer.title(lang), layer.style.colour)]
    return "".join(
        f"<div><i class='{shape}' style='background:{colour}'></i>{escape(label)}</div>" for label, colour in entries
    )
