"""The map as a still picture for the PowerPoint deck: drawn with geopandas and matplotlib,
no browser, no tiles, no network. Layers keep the catalog's styles and colours, as on the
dashboard's map, so that a presenter sees the same map on paper and on screen."""

from __future__ import annotations

import contextlib
import io
import math
import unicodedata
from functools import cache
from pathlib import Path
from typing import cast

import matplotlib

matplotlib.use("Agg")  # a server has no display; and nothing here ever opens a window

import geopandas as gpd
import shapely
from matplotlib import font_manager, patheffects
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.colors import to_rgba
from matplotlib.figure import Figure
from matplotlib.lines import Line2D
from matplotlib.patches import Patch
from matplotlib.text import Text

from lib.contract.catalog import LAYERS, VOCABULARIES, Lang, Layer, code_colour, code_label
from lib.contract.i18n import tr
from lib.drawn.ground import borders_between, label_points
from lib.drawn.maps import (
    BORDER_COLOUR,
    BORDER_DASH,
    BORDER_WEIGHT,
    credit_line,
    feature_colours,
    focus_bounds,
    label_text,
    schematic_note,
)
from lib.files.loading import Data

# Fonts with Chinese glyphs, in order of preference: Debian's fonts-noto-cjk first.
CJK_FONTS = (
    "Noto Sans CJK SC",
    "Source Han Sans SC",
    "Microsoft YaHei",
    "PingFang SC",
    "SimHei",
    "WenQuanYi Zen Hei",
    "Noto Sans CJK JP",
)
BACKGROUND = "#F2EFE6"  # the dashboard map's background (lib.drawn.maps)
NOTE_COLOUR = "#8A4B00"  # the dashboard legend's note colour
CREDIT_COLOUR = "#555555"
DPI = 100
MAP_SHARE = 0.68  # of the width; the legend takes the rest
PADDING = 0.06  # around the focus, as a share of its size
# Leaflet styles are in screen pixels for a map about 1000 px wide; this picture is wider
# and is seen shrunk on a slide, so lines and points are drawn a little heavier.
PX = 1.1
_OPENING, _CLOSING = "（《“‘「", "）》”’」，。、；：！？"


# Their files where Debian (fonts-noto-cjk, fonts-wqy-zenhei) and Windows keep them.
CJK_FONT_FILES = (
    "/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc",
    "/usr/share/fonts/truetype/wqy/wqy-zenhei.ttc",
    "C:/Windows/Fonts/msyh.ttc",
    "C:/Windows/Fonts/simhei.ttf",
)


class NoChineseFont(RuntimeError):
    """No font with Chinese glyphs can be had: a picture would show boxes, so none is drawn."""


@cache
def cjk_font() -> str:
    """A font with Chinese glyphs, registered with matplotlib from its file.

    matplotlib's font cache may predate the fonts (then it knows none and draws every Chinese
    label as a box, with only a warning) or name files since removed: a font it lists counts
    only where its file is there, and otherwise the first file found is registered explicitly.
    """
    for name in CJK_FONTS:
        if any(f.name == name and Path(f.fname).exists() for f in font_manager.fontManager.ttflist):
            return name
    for path in CJK_FONT_FILES:
        if Path(path).exists():
            font_manager.fontManager.addfont(path)
            return font_manager.FontProperties(fname=path).get_name()
    raise NoChineseFont(
        "no font with Chinese glyphs was found (looked for "
        + ", ".join(CJK_FONTS)
        + "): install Debian's fonts-noto-cjk, then export again"
    )


def fonts(lang: Lang) -> list[str]:
    """Font families for matplotlib, each glyph taken from the first that has it: a CJK font
    first for Chinese; for English a Latin font first (CJK fonts draw quotes full-width).
    Raises NoChineseFont where none can be had."""
    return [cjk_font(), "DejaVu Sans"] if lang == "zh" else ["DejaVu Sans", cjk_font()]


def rc_fonts(lang: Lang) -> contextlib.AbstractContextManager:
    """matplotlib settings for text in ``lang`` (see ``fonts``)."""
    return matplotlib.rc_context({"font.family": fonts(lang), "axes.unicode_minus": False})


def map_png(
    data: Data,
    lang: Lang,
    layers: tuple[str, ...] | None = None,
    township: str | None = None,
    size: tuple[int, int] = (1600, 1000),
) -> bytes:
    """A PNG of ``size`` pixels of the layers named in ``layers`` (all when None), focused on
    ``township`` (all three when None), with township names, a legend, the schematic note and
    the credits."""
    with rc_fonts(lang):  # the figure's texts are laid out, and drawn, in the language's fonts
        figure = map_figure(data, lang, layers, township, size)
        buffer = io.BytesIO()
        figure.savefig(buffer, format="png", dpi=DPI)
    return buffer.getvalue()


def map_figure(
    data: Data,
    lang: Lang,
    layers: tuple[str, ...] | None = None,
    township: str | None = None,
    size: tuple[int, int] = (1600, 1000),
) -> Figure:
    """The figure that ``map_png`` renders (see there)."""
    width, height = size
    k = width / 1600  # text and lines scale with the picture
    with rc_fonts(lang):
        figure = Figure(figsize=(width / DPI, height / DPI), dpi=DPI, facecolor="white")
        FigureCanvasAgg(figure)
        ax = figure.add_axes((0, 0, MAP_SHARE, 1))
        ax.set_facecolor(BACKGROUND)
        ax.set_xticks([])
        ax.set_yticks([])
        for spine in ax.spines.values():
            spine.set_visible(False)

        handles: list[Patch | Line2D] = []
        shown: list[Layer] = []
        # Room for a legend label, in font sizes: the panel less the key and the margins.
        legend_em = ((1 - MAP_SHARE - 0.02) * width / (21 * k * DPI / 72)) - 3
        drawn = []
        for layer in LAYERS:
            frame = _frame(data, layer, layers, township)
            if frame is None:
                continue
            colours = feature_colours(layer, frame, township)
            _draw(ax, layer, frame.geometry, colours, k)
            handles += _legend_handles(layer, frame, lang, k, legend_em)
            if layer.style.borders_by:
                handles.append(_draw_borders(ax, layer, frame, lang, k))
            if not layer.ground:
                drawn.append(frame)
            shown.append(layer)

        _fit(ax, data, township, drawn, width * MAP_SHARE / height)
        (west, east), (south, north) = ax.get_xlim(), ax.get_ylim()
        townships = data.frame("townships")
        avoid = None if townships is None or townships.empty else shapely.union_all(townships.geometry.values)
        for layer in LAYERS:
            # Names of the whole layer, whichever township is chosen: the others stay, dimmed.
            frame = _frame(data, layer, layers, None)
            if layer.style.label and frame is not None:
                points = label_points(frame, shapely.box(west, south, east, north), avoid)
                _label(ax, layer, frame, points, lang, k)
        note_text = None
        if note := schematic_note(shown, lang):
            lines = _wrap(note, (1 - MAP_SHARE - 0.02) * width / (20 * k * DPI / 72))
            note_text = figure.text(
                MAP_SHARE + 0.01, 0.02, lines, va="bottom", fontsize=20 * k, color=NOTE_COLOUR, fontweight="bold"
            )
        if handles:
            _legend_above(figure, handles, tr("map.legend", lang), note_text, k)
        _credit(ax, credit_line(shown, lang), width * MAP_SHARE, k)
    return figure


def _legend_above(figure: Figure, handles: list, title: str, note: Text | None, k: float) -> None:
    """The legend at the top of the panel, its type made smaller until it ends above the
    schematic note, if any (long English names take more lines)."""
    renderer = cast(FigureCanvasAgg, figure.canvas).get_renderer()  # map_figure gave it this canvas
    note_top = note.get_window_extent(renderer).y1 if note else 0
    for scale in (1.0, 0.9, 0.8, 0.7, 0.6):
        legend = figure.legend(
            handles=handles,
            title=title,
            loc="upper left",
            bbox_to_anchor=(MAP_SHARE + 0.01, 0.98),
            frameon=False,
            fontsize=21 * k * scale,
            title_fontsize=24 * k * scale,
            labelspacing=0.45,
            alignment="left",
            handlelength=1.6,
            borderaxespad=0,
        )
        if legend.get_window_extent(renderer).y0 > note_top:
            return
        legend.remove()
    figure.legends.append(legend)  # the smallest, even where it still meets the note


def _credit(ax, text: str, width_px: float, k: float) -> None:
    """The credits in small type in the map's bottom right corner, where the dashboard's map
    has them: a picture in the deck or the brief leaves the dashboard and must carry its own."""
    size = 11 * k
    ax.text(
        0.995,
        0.005,
        _wrap(text, 0.95 * width_px / (size * DPI / 72)),
        parse_math=False,  # "$" would start a formula; a credit is text
        transform=ax.transAxes,
        ha="right",
        va="bottom",
        multialignment="right",
        fontsize=size,
        color=CREDIT_COLOUR,
        bbox={"facecolor": "white", "alpha": 0.7, "edgecolor": "none", "pad": 2 * k},
        zorder=6,
        gid="credit",
    )


def _frame(data: Data, layer: Layer, layers: tuple[str, ...] | None, township: str | None) -> gpd.GeoDataFrame | None:
    """A layer's features to draw, or None: not asked for, unreadable or empty."""
    if layers is not None and layer.key not in layers and not layer.ground:
        return None
    frame = data.frame(layer.key)
    if frame is None or frame.empty:
        return None
    # As on the dashboard's map: the other townships stay (dimmed), their features go.
    if township and "township_id" in frame and layer.key != "townships":
        frame = frame[frame["township_id"] == township]
    return None if frame.empty else frame


def _draw(ax, layer: Layer, geometry: gpd.GeoSeries, colours: list[str], k: float) -> None:
    """One layer in its catalog style: areas filled at its opacity, lines at its weight,
    points as circles of its radius."""
    style = layer.style
    width = style.weight * PX * k * 72 / DPI  # Leaflet pixels to points
    dash = (0, tuple(float(n) / style.weight for n in style.dash.split())) if style.dash else "solid"
    kinds = geometry.geom_type
    areas = kinds.isin(["Polygon", "MultiPolygon"]).to_numpy()
    lines = kinds.isin(["LineString", "MultiLineString"]).to_numpy()
    points = kinds.isin(["Point", "MultiPoint"]).to_numpy()
    picked = lambda mask: [c for c, keep in zip(colours, mask, strict=True) if keep]  # noqa: E731
    if areas.any():
        geometry[areas].plot(
            ax=ax,
            aspect=None,
            facecolor=[to_rgba(c, style.fill_opacity) for c in picked(areas)],
            edgecolor=[to_rgba(c, 0.9) for c in picked(areas)],
            linewidth=width,
            linestyle=dash,
        )
    if lines.any():
        geometry[lines].plot(
            ax=ax,
            aspect=None,
            color=[to_rgba(c, 0.9) for c in picked(lines)],
            linewidth=width,
            linestyle=dash,
            capstyle="round",
        )
    if points.any():
        diameter = 2 * style.radius * PX * k * 72 / DPI
        geometry[points].plot(
            ax=ax,
            aspect=None,
            color=[to_rgba(c, style.fill_opacity) for c in picked(points)],
            edgecolor=[to_rgba(c, 0.9) for c in picked(points)],
            markersize=diameter**2,
            linewidth=1.5 * PX * k * 72 / DPI,
            zorder=3,
        )


def _draw_borders(ax, layer: Layer, frame: gpd.GeoDataFrame, lang: Lang, k: float) -> Line2D:
    """The borders where the layer's areas meet, stronger than its outlines (provinces between
    counties), as on the dashboard; their legend entry."""
    width = BORDER_WEIGHT * PX * k * 72 / DPI
    dash = (0, tuple(float(n) / BORDER_WEIGHT for n in BORDER_DASH.split()))
    borders = borders_between(frame, layer.style.borders_by or "")
    if not borders.empty:
        borders.plot(ax=ax, aspect=None, color=BORDER_COLOUR, linewidth=width, linestyle=dash)
    label = tr(f"map.borders_{layer.style.borders_by}", lang)
    return Line2D([], [], color=BORDER_COLOUR, linewidth=width, linestyle=dash, label=label)


# How names are written, by the class the dashboard's map gives them: size in points at
# 1600 px, weight, colour.
_LABEL_FONTS = {"township-label": (30, "bold", "#222222"), "county-label": (19, "normal", "#555555")}


def _label(ax, layer: Layer, frame: gpd.GeoDataFrame, points: list, lang: Lang, k: float) -> None:
    """Each feature's name at its point, haloed so that it reads over any layer (a county's
    with its province below), moved in from the edge where a long name would be cut off;
    names whose point is out of view go unwritten."""
    size, weight, colour = _LABEL_FONTS[layer.style.label or "township-label"]
    halo = [patheffects.withStroke(linewidth=5 * k, foreground="white")]
    renderer = ax.figure.canvas.get_renderer()
    frame_box = ax.get_window_extent(renderer)
    margin = 8 * k
    by = layer.style.borders_by
    for (_, row), point in zip(frame.iterrows(), points, strict=True):
        if not frame_box.contains(*ax.transData.transform((point.x, point.y))):
            continue
        text = _wrap(label_text(layer, row, lang), 12)
        if by:
            text += "\n" + code_label(layer.field(by).vocabulary or "", str(row[by]), lang)
        label = ax.text(
            point.x,
            point.y,
            text,
            parse_math=False,  # a name is text: "$" in it is a dollar sign, not a formula
            ha="center",
            va="center",
            multialignment="center",
            fontsize=size * k,
            fontweight=weight,
            color=colour,
            path_effects=halo,
            zorder=5,
        )
        box = label.get_window_extent(renderer)
        dx = max(frame_box.x0 + margin - box.x0, 0) - max(box.x1 - frame_box.x1 + margin, 0)
        dy = max(frame_box.y0 + margin - box.y0, 0) - max(box.y1 - frame_box.y1 + margin, 0)
        if dx or dy:
            x, y = ax.transData.transform((point.x, point.y))
            label.set_position(ax.transData.inverted().transform((x + dx, y + dy)))


def _legend_handles(
    layer: Layer, frame: gpd.GeoDataFrame, lang: Lang, k: float, width_em: float
) -> list[Patch | Line2D]:
    """Legend entries of a layer, as on the dashboard: one per code present, else the layer."""
    style = layer.style
    if style.colour_by:
        vocabulary = layer.field(style.colour_by).vocabulary or ""
        present = set(frame[style.colour_by])
        entries = [
            (code_label(vocabulary, c, lang), code_colour(vocabulary, c))
            for c in VOCABULARIES[vocabulary]
            if c in present
        ]
    else:
        entries = [(layer.title(lang), style.colour)]
    entries = [(_wrap(label, width_em), colour) for label, colour in entries]
    width = max(style.weight * PX * k * 72 / DPI, 1.5)
    if layer.geometry_types == {"Point"}:
        return [
            Line2D(
                [],
                [],
                linestyle="none",
                marker="o",
                markersize=14 * k,
                markerfacecolor=to_rgba(colour, style.fill_opacity),
                markeredgecolor=colour,
                label=label,
            )
            for label, colour in entries
        ]
    if "LineString" in layer.geometry_types or not style.fill_opacity:
        return [Line2D([], [], color=colour, linewidth=width, label=label) for label, colour in entries]
    return [
        Patch(
            facecolor=to_rgba(colour, max(style.fill_opacity, 0.15)),
            edgecolor=colour,
            linewidth=width,
            linestyle="--" if style.dash else "-",
            label=label,
        )
        for label, colour in entries
    ]


def _fit(ax, data: Data, township: str | None, drawn: list[gpd.GeoDataFrame], ratio: float) -> None:
    """Frame the townships (or the one chosen) with a margin, at the true shape of the ground:
    a degree of longitude is cos(latitude) of a degree of latitude."""
    bounds = focus_bounds(data, township)
    if bounds:
        (south, west), (north, east) = bounds
    elif drawn:
        boxes = [frame.total_bounds for frame in drawn]
        west, south = min(b[0] for b in boxes), min(b[1] for b in boxes)
        east, north = max(b[2] for b in boxes), max(b[3] for b in boxes)
    else:
        return
    shrink = math.cos(math.radians((south + north) / 2))
    x, y = (west + east) / 2, (south + north) / 2
    half_w = max((east - west) * shrink, 1e-3) * (1 + 2 * PADDING) / 2
    half_h = max(north - south, 1e-3) * (1 + 2 * PADDING) / 2
    half_w, half_h = max(half_w, half_h * ratio), max(half_h, half_w / ratio)
    ax.set_xlim(x - half_w / shrink, x + half_w / shrink)
    ax.set_ylim(y - half_h, y + half_h)
    ax.set_aspect("auto")


def _wrap(text: str, width_em: float) -> str:
    """``text`` broken into lines of at most ``width_em`` font sizes: Chinese characters are
    one wide, other characters about half; English breaks between words only."""

    def em(part: str) -> float:
        return sum(1.0 if unicodedata.east_asian_width(c) in "WF" else 0.55 for c in part)

    lines, line = [], ""
    for token in _tokens(text):
        if line and em(line + token) > width_em:
            lines.append(line.rstrip())
            line = token.lstrip()
        else:
            line += token
    return "\n".join([*lines, line.rstrip()])


def _tokens(text: str) -> list[str]:
    """Pieces a line may break between: each Chinese character, each word with its space; as
    Chinese typesetting wants, an opening bracket stays with what follows it and closing
    punctuation with what precedes it."""
    tokens, word = [], ""
    for char in text:
        if unicodedata.east_asian_width(char) in "WF":
            tokens += [word, char] if word else [char]
            word = ""
        elif char == " ":
            tokens.append(word + char)
            word = ""
        else:
            word += char
    tokens = [*tokens, word] if word else tokens
    joined: list[str] = []
    for token in tokens:
        if joined and (token in _CLOSING or joined[-1][-1] in _OPENING):
            joined[-1] += token
        else:
            joined.append(token)
    return joined
