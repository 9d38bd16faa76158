"""The Folium map of the tri-border area, built from the loaded layers and the catalog.

The map is a frame: Leaflet, the layer control, the legend and the controls. Each layer's
features travel as compact GeoJSON (simplified for the screen, coordinates to about a metre,
short property names), published once as a file the browser fetches and keeps, or written
inline in an exported report; a dense layer travels as counts per hexagon and in tiles
(lib.drawn.density). lib/drawn/assets/wanfeng-map.js draws them, on a canvas where there are
many, and highlights the selection without rebuilding the map. The browser shows names and
details as HTML, so every text from the data is escaped here first.
"""

from __future__ import annotations

import functools
import json
from collections.abc import Callable, Iterable
from html import escape

import branca.element
import folium
import geopandas as gpd
import jinja2
import numpy as np
import pandas as pd
import shapely
from branca.element import Element, MacroElement
from folium.elements import JSCSSMixin
from jinja2 import Template

from lib.contract.catalog import (
    AREA,
    LAYERS,
    REPORT_CITATION,
    VOCABULARIES,
    Field,
    Lang,
    Layer,
    code_colour,
    code_label,
)
from lib.contract.i18n import tr
from lib.contract.theme import FOCUS_COLOUR
from lib.drawn import density
from lib.drawn.basemaps import Basemap
from lib.drawn.ground import borders_between, label_points
from lib.drawn.offline import localise
from lib.drawn.provenance import marked, reported_fields, source_text
from lib.drawn.search import Place
from lib.files.geodesy import lengths_km
from lib.files.loading import Data
from lib.files.parsed import code_digest

TRI_POINT = (24.734, 104.527)
# About a metre: finer than a screen shows at street level, a third of the bytes of full floats.
DECIMALS = 5
# Half a pixel at zoom 15 in these latitudes: simplifying below it changes nothing visible.
SIMPLIFY_DEGREES = 0.00002
# Layers with more features than this are drawn on a canvas, points as small dots. (Clusters
# were tried: Leaflet.markercluster took 2.5 s to group 50,000 sites here, dots 0.4 s.)
CANVAS_ABOVE = 1000
DIMMED = "#BBBBBB"
# Provincial borders stand out from county outlines as on printed maps: darker, thicker, dash-dot.
BORDER_COLOUR, BORDER_WEIGHT, BORDER_DASH = "#5A4A6A", 3.0, "10 4 2 4"

# Each render of a map wraps every script it produces in a new branca Element, which compiles
# the text as a Jinja template: the same texts on every rerun of every session, a quarter of
# the server's CPU with many users (scripts/measuring/load_test.py). A compiled template never changes,
# so one copy of each text serves them all; a long text (a layer written inline in an
# exported report) is not kept.
_compiled = functools.lru_cache(maxsize=1024)(jinja2.Template)


def _template(source: str) -> jinja2.Template:
    """``source`` compiled, the same object for the same short text."""
    return _compiled(source) if len(source) <= 65_536 else jinja2.Template(source)


branca.element.Template = _template  # type: ignore[misc,assignment]  # a function where branca calls the class

LEGEND_OPEN_FROM = 560  # px: a map this tall has room for its legend open


def legend_opens(height: int, text_scale: float = 1.0) -> bool:
    """Whether a map ``height`` px tall shows its legend open: a small one keeps it folded,
    clear of the names (a click opens it); in larger text, a legend takes more room."""
    return height >= LEGEND_OPEN_FROM * text_scale


Publish = Callable[[str], str]
# (name, make) -> what make gives, made once for that name (lib.drawn.offline.published_once).
Remember = Callable[[str, Callable[[], dict]], dict]
# What decides what is published of a dense layer, besides its content and the language.
_DRAWING_CODE = (
    "lib/contract/catalog.py",
    "lib/contract/i18n.py",
    "lib/drawn/density.py",
    "lib/drawn/maps.py",
    "lib/drawn/provenance.py",
    "lib/files/geodesy.py",
)
OPEN_DATA_CREDIT = "Dam position: GRanD (CC BY 4.0)"
_HIDDEN_FIELDS = {"id", "name_zh", "name_en", "reported_fields", "reported_as"}
_MAP_CSS = """
<style>
/* --text-scale: the large-text mode's growth (build_map's text_scale), of every text on the map. */
:root { --text-scale: 1; }
.leaflet-container { background: #F2EFE6; font-family: "Noto Sans CJK SC", "Microsoft YaHei", sans-serif; }
.leaflet-container, .leaflet-control-layers, .leaflet-control-scale-line { font-size: calc(12px * var(--text-scale)); }
.leaflet-container .leaflet-popup-content { font-size: calc(13px * var(--text-scale)); }
.leaflet-container .leaflet-bar a { width: calc(30px * var(--text-scale)); height: calc(30px * var(--text-scale));
  line-height: calc(30px * var(--text-scale)); font-size: calc(22px * var(--text-scale)); }
.leaflet-container .leaflet-control-layers-toggle { width: calc(36px * var(--text-scale));
  height: calc(36px * var(--text-scale)); background-size: calc(26px * var(--text-scale)); }
.township-label, .county-label { width: 0 !important; height: 0 !important; overflow: visible; }
/* Leaflet places the marker with a transform of its own: the name is centred inside it. */
.township-label > span, .county-label > span { display: inline-block; white-space: nowrap; text-align: center;
  transform: translate(-50%, -50%); text-shadow: 0 0 3px #fff, 0 0 3px #fff, 0 0 3px #fff; }
.leaflet-control-attribution { font-size: calc(11px * var(--text-scale)); }
.township-label { font-size: calc(17px * var(--text-scale)); font-weight: 700; color: #222; }
.county-label { font-size: calc(14px * var(--text-scale)); font-weight: 600; color: #555; letter-spacing: .08em;
  line-height: 1.25; }
.county-label small { display: block; font-size: calc(12px * var(--text-scale)); font-weight: 400; letter-spacing: 0; }
.map-legend { background: rgba(255,255,255,.92); padding: 6px 10px; border-radius: 6px;
  font-size: calc(12px * var(--text-scale)); line-height: 1.4; box-shadow: 0 1px 4px rgba(0,0,0,.3); max-height: 45vh; overflow-y: auto; }
.map-legend summary { font-weight: 700; font-size: calc(13px * var(--text-scale)); cursor: pointer; }
.map-legend .note { color: #8A4B00; font-weight: 600; max-width: calc(220px * var(--text-scale)); }
.map-legend i { display: inline-block; width: 14px; height: 10px; margin-right: 6px; vertical-align: middle; }
.map-legend i.point { width: 10px; border-radius: 50%; }
.map-legend i.line { height: 3px; }
.map-legend i.border { height: 0; border-top: 3px dashed; }
.map-legend i.density { background-image: linear-gradient(90deg, rgba(255,255,255,.75), rgba(255,255,255,0)); }
.feature-details td { padding: 1px 6px 1px 0; vertical-align: top; }
.feature-details th { text-align: left; font-size: calc(14px * var(--text-scale)); padding-bottom: 4px; }
.map-button { display: flex !important; align-items: center; justify-content: center; color: #333 !important; }
@media (max-width: 600px) { .map-legend { font-size: calc(11px * var(--text-scale)); max-height: 30vh; }
  .township-label { font-size: calc(14px * var(--text-scale)); } .county-label { font-size: calc(12px * var(--text-scale)); } }
</style>
"""
# Where the keyboard is on the map: the map itself (arrows move it) or one of its controls.
_FOCUS_CSS = f"""<style>.leaflet-container:focus-visible, .leaflet-container :focus-visible {{
  outline: 3px solid {FOCUS_COLOUR}; outline-offset: -3px; }}</style>"""


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
    publish: Publish | None = None,
    place: str | None = None,
    legend_open: bool = True,
    remember: Remember | None = None,
    text_scale: float = 1.0,
) -> folium.Map:
    """The map in ``lang`` of the layers named in ``layers`` (all when None) that could be read,
    with ``township`` highlighted; personal details masked unless ``reveal_personal``.

    With ``publish`` (GeoJSON text -> URL) the features are fetched from files; without, they
    are written into the map. A map with a ``place`` remembers its view and the layers switched
    off in the browser, across reruns and pages. The legend starts folded unless ``legend_open``.
    What a large dense layer publishes is made once with ``remember``, named by its content.
    Every text on it is ``text_scale`` times its size (the large-text mode).
    """
    fmap = folium.Map(location=TRI_POINT, zoom_start=10, min_zoom=7, tiles=None, control_scale=True)
    fmap.get_root().header.add_child(Element(_MAP_CSS + _FOCUS_CSS))  # type: ignore[attr-defined]  # a Figure
    if text_scale != 1:
        fmap.get_root().header.add_child(Element(f"<style>:root {{ --text-scale: {text_scale:g}; }}</style>"))  # type: ignore[attr-defined]
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

    legend_rows, drawn, overlays, shown = [], [], {}, []
    first_view = focus_bounds(data, None)
    for layer, frame in drawn_layers(data, layers):
        group = folium.FeatureGroup(name=escape(layer.title(lang)))
        # Personal details shown to an editor go inside the editor's own map, never to a file
        # under static/ that anyone who has its address could fetch.
        private = reveal_personal and any(f.personal for f in layer.fields)
        spec, target = layer_spec(layer, frame, lang), None if private else publish
        # A dense layer is drawn by density zoomed out, and in tiles zoomed in, from files.
        dense = target is not None and density.is_dense(frame)
        if dense and target is not None:  # (target again, for the type checker)
            make = functools.partial(density_spec, layer, frame, lang, reveal_personal, target)
            named = data.digest(layer.key)
            spec["density"] = (
                remember(_publication(layer, named, lang, reveal_personal), make) if remember and named else make()
            )
            _DataLayer(spec, None, None).add_to(group)
        else:
            _DataLayer(spec, display_collection(layer, frame, lang, reveal_personal), target).add_to(group)
        if layer.style.label:
            _add_labels(group, layer, frame, lang, label_points(frame, *_free_of_townships(data, first_view)))
        if layer.style.borders_by:
            borders = borders_between(frame, layer.style.borders_by)
            _DataLayer(_borders_spec(layer), _borders_collection(layer, borders, lang), publish).add_to(group)
        group.add_to(fmap)
        overlays[layer.key] = group
        legend_rows.append(_legend_rows(layer, frame, lang, dense))
        if not layer.ground:
            drawn.append(frame)
        shown.append(layer)

    folium.LayerControl(collapsed=True).add_to(fmap)
    legend = (
        f"<details{' open' if legend_open else ''}><summary>{escape(tr('map.legend', lang))}</summary>"
        f"{''.join(legend_rows)}</details>"
    )
    if note := schematic_note(shown, lang):
        legend += f"<div class='note'>{escape(note)}</div>"
    _Legend(legend, credit_line(shown, lang)).add_to(fmap)
    bounds = focus_bounds(data, township) or _bounds(drawn) or _AROUND_TRI_POINT
    _Controls(overlays, bounds, lang, place).add_to(fmap)
    if township:
        selection(township).add_to(fmap)
    localise(fmap)
    return fmap


def drawn_layers(data: Data, layers: tuple[str, ...] | None = None) -> list[tuple[Layer, pd.DataFrame]]:
    """The layers a map of ``layers`` (all when None) draws, the ground always, each with its
    features: those that could be read and hold any."""
    found = []
    for layer in LAYERS:
        if layers is not None and layer.key not in layers and not layer.ground:
            continue
        frame = data.frame(layer.key)
        if frame is not None and not frame.empty:
            found.append((layer, frame))
    return found


FEW = 12  # a layer of no more features than this is named feature by feature in words


def in_words(data: Data, lang: Lang, layers: tuple[str, ...] | None = None) -> list[str]:
    """What a map of ``layers`` shows, a line for each layer drawn: how many features, and
    their names where they are few; then that the shapes are schematic, where they are. The
    map's text alternative, for those who cannot see it."""
    lines, shown = [], []
    for layer, frame in drawn_layers(data, layers):
        line = tr("map.layer_count", lang, layer=layer.title(lang), n=f"{len(frame):,}")
        names = f"name_{lang}"
        if len(frame) <= FEW and names in frame:
            named = tr("words.name_separator", lang).join(str(n) for n in frame[names] if isinstance(n, str))
            line += tr("words.item_separator", lang) + named
        lines.append(line)
        shown.append(layer)
    if note := schematic_note(shown, lang):
        lines.append(note)
    return lines


def schematic_note(layers: Iterable[Layer], lang: Lang) -> str | None:
    """That the shapes are schematic, where any of ``layers`` (those drawn) is: the same under
    the dashboard's legend and on its picture."""
    return tr("map.schematic_note", lang) if any(layer.schematic for layer in layers) else None


def credit_line(layers: Iterable[Layer], lang: Lang) -> str:
    """The credits owed for a map of ``layers`` (those drawn), as one line: the same on the
    dashboard's map and on its picture in the deck and the brief."""
    return " · ".join([OPEN_DATA_CREDIT, *(layer.attribution(lang) for layer in layers if layer.attribution)])


def selection(
    township: str | None = None,
    industry: str | None = None,
    quarter: str | None = None,
    found: Place | None = None,
) -> folium.FeatureGroup:
    """What to highlight (features of other townships and industries, and those not there yet
    in ``quarter``, fade) and the place ``found`` to fly to and show the details of, as the one
    part of the map that changes between reruns: streamlit-folium applies it to the drawn map
    without reloading it."""
    group = folium.FeatureGroup(name="selection", control=False)
    # The id as the map's features carry it (escaped, as every text of theirs).
    focus = (
        None
        if found is None
        else {"bounds": [list(c) for c in found.bounds], "layer": found.layer, "id": escape(found.id)}
    )
    _Selection({"township": township, "industry": industry, "quarter": quarter}, focus).add_to(group)
    return group


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


def display_collection(layer: Layer, frame: pd.DataFrame, lang: Lang, reveal_personal: bool = False) -> str:
    """A layer as compact GeoJSON text: each feature's shape for the screen and, escaped, its
    name ``n``, colour ``c``, township ``t``, industry ``i``, first quarter ``s``, detail values
    ``d`` (in the order of ``layer_spec``'s labels) and ``r`` when the report gives it."""
    shapes = shapely.to_geojson(_screen_shapes(frame.geometry.values))
    lengths = lengths_km(frame) if layer.key == "tourism_routes" else None
    shown = _detail_fields(layer)
    colours = feature_colours(layer, frame)
    features = []
    rows = frame.drop(columns=frame.geometry.name).to_dict("records")
    for position, row in enumerate(rows):
        values = [escape(_detail(layer, row, field, lang, reveal_personal)) for field in shown]
        if lengths is not None:
            values.append(f"{lengths.iloc[position]:.1f}")
        properties = {
            "id": escape(str(row["id"])),
            "n": escape(str(row[f"name_{lang}"])),
            "c": colours[position],
            "t": row["id"] if layer.key == "townships" else density.code_of(row.get("township_id")),
            "i": density.code_of(row.get("industry")),
            "s": density.code_of(row.get("since_quarter")),
            "d": values,
            "r": bool(reported_fields(layer, row)),
        }
        features.append(
            f'{{"type":"Feature","geometry":{shapes[position]},"properties":{json.dumps(properties, ensure_ascii=False)}}}'
        )
    # "</" cannot end the script the text is written into.
    return f'{{"type":"FeatureCollection","features":[{",".join(features)}]}}'.replace("</", "<\\/")


def density_spec(layer: Layer, frame: pd.DataFrame, lang: Lang, reveal_personal: bool, publish: Publish) -> dict:
    """How the browser draws a dense layer: the URLs of its hexagons for each zoom below the
    detail and of its tiles (each with the corners of its features), its colour, and the text
    of a hexagon's count (``{n}`` stands for the number)."""
    area = layer.geometry_types != {"Point"}
    return {
        "detailFrom": density.DETAIL_FROM,
        "levels": [
            {"from": zoom, "url": publish(density.density_collection(frame, resolution, area))}
            for zoom, resolution in density.LEVELS
        ],
        "tiles": [
            {"bounds": bounds, "url": publish(display_collection(layer, part, lang, reveal_personal))}
            for bounds, part in density.tiles(frame)
        ],
        "colour": _density_colour(layer, frame),
        "area": area,
        "count": escape(tr("map.density_count", lang, layer=layer.title(lang), n="{n}")),
        "hint": escape(tr("map.density_hint", lang)),
    }


def _publication(layer: Layer, named: str, lang: Lang, reveal_personal: bool) -> str:
    """The name of what is published of a dense layer whose content ``named`` names."""
    drawing = code_digest(_DRAWING_CODE, ("h3", "shapely", "numpy"))[:16]
    return f"{layer.key}-{named}-{lang}-{'editor' if reveal_personal else 'viewer'}-{drawing}"


def _density_colour(layer: Layer, frame: pd.DataFrame) -> str:
    """A dense layer's one colour zoomed out: that of its most frequent coded value, or its own."""
    if not layer.style.colour_by:
        return layer.style.colour
    return code_colour(_vocabulary(layer), str(frame[layer.style.colour_by].mode().iloc[0]))


def feature_colours(layer: Layer, frame: pd.DataFrame, township: str | None = None) -> list[str]:
    """Each feature's colour: its coded value's, or the layer's; with ``township``, the other
    townships in grey (as a still picture shows the selection)."""
    if layer.style.colour_by:
        colours = [code_colour(_vocabulary(layer), code) for code in frame[layer.style.colour_by]]
    else:
        colours = [layer.style.colour] * len(frame)
    if layer.key == "townships" and township:
        colours = [c if code == township else DIMMED for c, code in zip(colours, frame["id"], strict=True)]
    return colours


def layer_spec(layer: Layer, frame: pd.DataFrame, lang: Lang) -> dict:
    """How the browser draws a layer: its style, the labels of its details, whether it fades
    when something else is selected, and whether it is dense enough for a canvas."""
    style = layer.style
    labels = [escape(field.heading(lang)) for field in _detail_fields(layer)]
    if layer.key == "tourism_routes":
        labels.append(escape(tr("map.length_km", lang)))
    return {
        "key": layer.key,
        "weight": style.weight,
        "fillOpacity": style.fill_opacity,
        "dash": style.dash,
        "radius": style.radius if len(frame) <= CANVAS_ABOVE else 2.5,
        "labels": labels,
        "citation": escape(tr("provenance.citation", lang, citation=REPORT_CITATION(lang))),
        "dimmable": layer.key not in ("lake", "rivers") and not layer.ground,
        "interactive": not layer.ground,
        "canvas": len(frame) > CANVAS_ABOVE,
        "dense": layer.geometry_types == {"Point"} and len(frame) > CANVAS_ABOVE,
    }


def _screen_shapes(shapes: np.ndarray) -> np.ndarray:
    """Shapes simplified below what a screen shows, with coordinates rounded to ``DECIMALS``."""
    simpler = shapely.simplify(shapes, SIMPLIFY_DEGREES, preserve_topology=True)
    return shapely.transform(simpler, lambda xy: np.round(xy, DECIMALS))


def _detail(layer: Layer, row: dict, field: Field, lang: Lang, reveal_personal: bool) -> str:
    """One detail of a feature as its popup shows it, ★ where the report gives it."""
    if field.name == "source":
        return source_text(layer, row, lang)
    return marked(layer, row, field.name, field.display(row[field.name], lang, reveal_personal))


def _detail_fields(layer: Layer) -> list:
    return [field for field in layer.fields if field.name not in _HIDDEN_FIELDS]


def _add_labels(
    group: folium.FeatureGroup, layer: Layer, frame: pd.DataFrame, lang: Lang, points: list[shapely.Point]
) -> None:
    """The features' names on the map at ``points``, with the area they belong to where the
    layer's borders are drawn by it (兴义市 above 贵州省)."""
    for (_, row), point in zip(frame.iterrows(), points, strict=True):
        html = escape(label_text(layer, row, lang))
        if by := layer.style.borders_by:
            html += f"<small>{escape(code_label(layer.field(by).vocabulary or '', str(row[by]), lang))}</small>"
        folium.Marker(
            (point.y, point.x),
            icon=folium.DivIcon(html=f"<span>{html}</span>", class_name=layer.style.label or ""),
            interactive=False,
            keyboard=False,  # a name on the map, no stop for the keyboard's Tab
        ).add_to(group)


def label_text(layer: Layer, row: dict, lang: Lang) -> str:
    """The name written on the map: a coded feature's short name from the catalog (鲁布革乡, not
    the full 鲁布革布依族苗族乡, which its popup gives), else its name in the data."""
    vocabulary = layer.field("id").vocabulary
    return code_label(vocabulary, str(row["id"]), lang) if vocabulary else str(row[f"name_{lang}"])


def _free_of_townships(data: Data, view: list[list[float]] | None) -> tuple[shapely.Geometry | None, ...]:
    """The first view of the map and the townships in it, where other names should not stand."""
    townships = data.frame("townships")
    if view is None or townships is None or townships.empty:
        return None, None
    (south, west), (north, east) = view
    margin_x, margin_y = (east - west) / 2, (north - south) / 2
    box = shapely.box(west - margin_x, south - margin_y, east + margin_x, north + margin_y)
    return box, shapely.union_all(townships.geometry.values)


def _borders_spec(layer: Layer) -> dict:
    return {
        "key": f"{layer.key}-borders",
        "weight": BORDER_WEIGHT,
        "fillOpacity": 0,
        "dash": BORDER_DASH,
        "radius": 0,
        "labels": [],
        "citation": "",
        "dimmable": False,
        "interactive": False,
        "canvas": False,
        "dense": False,
    }


def _borders_collection(layer: Layer, borders: gpd.GeoDataFrame, lang: Lang) -> str:
    """The borders where the layer's areas meet as compact GeoJSON, each named by the two sides."""
    vocabulary = layer.field(layer.style.borders_by or "").vocabulary or ""
    shapes = shapely.to_geojson(_screen_shapes(borders.geometry.values))
    features = []
    for position, row in enumerate(borders.itertuples()):
        name = " / ".join(code_label(vocabulary, code, lang) for code in (row.a, row.b))
        properties = {"id": f"{row.a}-{row.b}", "n": escape(name), "c": BORDER_COLOUR, "d": [], "r": False}
        features.append(
            f'{{"type":"Feature","geometry":{shapes[position]},"properties":{json.dumps(properties, ensure_ascii=False)}}}'
        )
    return f'{{"type":"FeatureCollection","features":[{",".join(features)}]}}'


def _vocabulary(layer: Layer) -> str:
    return layer.field(layer.style.colour_by or "").vocabulary or ""


def _legend_rows(layer: Layer, frame: pd.DataFrame, lang: Lang, dense: bool = False) -> str:
    outline_only = layer.geometry_types == AREA and not layer.style.fill_opacity
    shape = (
        "point"
        if layer.geometry_types == {"Point"}
        else "line"
        if "LineString" in layer.geometry_types or outline_only
        else "area"
    )
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
    rows = "".join(
        f"<div><i class='{shape}' style='background:{colour}'></i>{escape(label)}</div>" for label, colour in entries
    )
    if layer.style.borders_by:
        border = tr(f"map.borders_{layer.style.borders_by}", lang)
        rows += f"<div><i class='border' style='border-color:{BORDER_COLOUR}'></i>{escape(border)}</div>"
    if dense:
        colour = _density_colour(layer, frame)
        rows += f"<div><i class='area density' style='background:{colour}'></i>{escape(tr('map.density_legend', lang))}</div>"
    return rows


_AROUND_TRI_POINT = [[TRI_POINT[0] - 0.1, TRI_POINT[1] - 0.1], [TRI_POINT[0] + 0.1, TRI_POINT[1] + 0.1]]
_SCRIPT = [("wanfeng_map", "lib/drawn/assets/wanfeng-map.js")]


class _DataLayer(JSCSSMixin, MacroElement):
    """A layer's features drawn by wanfeng-map.js into the feature group holding it."""

    _template = Template(
        """
        {% macro script(this, kwargs) %}
        WanfengMap.addLayer({{ this._parent._parent.get_name() }}, {{ this._parent.get_name() }},
            Object.assign({{ this.spec|tojson }}, {% if this.url %}{url: {{ this.url|tojson }}}{% elif this.features %}{data: {{ this.features }}}{% endif %}));
        {% endmacro %}
        """
    )
    default_js = _SCRIPT

    def __init__(self, spec: dict, features: str | None, publish: Publish | None) -> None:
        super().__init__()
        self._name = "DataLayer"
        self.spec = spec
        self.url = publish(features) if publish and features else None
        self.features = None if publish else features


class _Controls(JSCSSMixin, MacroElement):
    """Full screen and back-to-the-tri-point buttons; the first view; the memory of a place."""

    _template = Template(
        """
        {% macro script(this, kwargs) %}
        WanfengMap.init({{ this._parent.get_name() }}, {
            overlays: { {% for key, group in this.overlays.items() %}{{ key|tojson }}: {{ group.get_name() }},{% endfor %} },
            bounds: {{ this.bounds|tojson }},
            triPoint: {{ this.tri_point|tojson }},
            place: {{ this.place|tojson }},
            labels: {{ this.labels|tojson }}
        });
        {% endmacro %}
        """
    )
    default_js = _SCRIPT

    def __init__(self, overlays: dict, bounds: list[list[float]], lang: Lang, place: str | None) -> None:
        super().__init__()
        self._name = "Controls"
        self.overlays, self.bounds, self.place = overlays, bounds, place
        self.tri_point = list(TRI_POINT)
        self.labels = {"fullscreen": tr("map.fullscreen", lang), "triPoint": tr("map.tri_point", lang)}


class _Selection(MacroElement):
    _template = Template(
        """
        {% macro script(this, kwargs) %}
        WanfengMap.select({{ this.chosen|tojson }});
        {% if this.focus %}WanfengMap.focus({{ this.focus|tojson }});{% endif %}
        {% endmacro %}
        """
    )

    def __init__(self, chosen: dict, focus: dict | None) -> None:
        super().__init__()
        self._name = "Selection"
        self.chosen, self.focus = chosen, focus
