"""Markup, script and formulas in the data stay text in every place that shows them: the map,
the legend, the tables, the charts, the slides, the exports and the problem messages.

Each test builds one place from a hostile copy of the bundled data (``tests.hostile``) and
checks that the payloads arrive escaped for that place's reader (HTML, Plotly, Markdown,
PowerPoint, Excel, matplotlib), so that they show as written and are never read as markup.
"""

from __future__ import annotations

import io
import json
import re
import string
from collections import Counter
from collections.abc import Iterator
from html import unescape
from html.parser import HTMLParser
from pathlib import Path
from xml.etree import ElementTree

import folium
import kaleido
import matplotlib.text
import numpy as np
import openpyxl
import pandas as pd
import plotly.graph_objects as go
import pytest
import streamlit as st
from pptx import Presentation
from streamlit.testing.v1 import AppTest

from lib.app.presentation import for_projector
from lib.contract.catalog import DATASETS, LAYERS, code_label
from lib.contract.literal import markdown_literal
from lib.contract.settings import ROOT
from lib.drawn import charts
from lib.drawn.frames import labelled, route_table
from lib.drawn.maps import build_map, display_collection, layer_spec
from lib.drawn.provenance import marked, source_text
from lib.files.loading import Data, load_all
from lib.reports import chart_pictures
from lib.reports.deck import pptx_report
from lib.reports.html_report import html_report
from lib.reports.map_picture import map_png
from lib.reports.slides import build_slides
from tests.hostile import FORMULA, IMG, PAYLOADS, hostile_copy, is_free_text

QUARTER = "2024Q1"
LANGS = ("zh", "en")
ARTIFACTS = ROOT / "tests" / "artifacts"
# What our own templates put into Plotly text: line breaks and the empty secondary box.
PLOTLY_TEMPLATE_TAGS = re.compile(r"<br>|<extra></extra>")
# plotly.js decodes these entities (and numeric ones) in every text it draws: svg_text_utils.
PLOTLY_ENTITIES = {"mu": "μ", "amp": "&", "lt": "<", "gt": ">", "nbsp": "\xa0", "times": "×", "plusmn": "±", "deg": "°"}
_PUNCTUATION = re.escape(string.punctuation)


@pytest.fixture(scope="module")
def hostile(tmp_path_factory) -> Data:
    return load_all(_hostile_folder(tmp_path_factory))


def _hostile_folder(tmp_path_factory) -> Path:
    return hostile_copy(tmp_path_factory.mktemp("hostile") / "data")


def _free_text(data: Data) -> Iterator[tuple[str, str, str]]:
    """(file key, field, value) of every free-text value in the data."""
    for key, dataset in DATASETS.items():
        frame = data.frame(key)
        for field in dataset.fields:
            if frame is not None and is_free_text(dataset, field.name):
                yield from ((key, field.name, v) for v in frame[field.name].dropna())


# ---------------------------------------------------------------------------------------------
# HTML


class _Elements(HTMLParser):
    """Every element of an HTML document, with its attributes and, for scripts, their text."""

    def __init__(self, document: str) -> None:
        super().__init__(convert_charrefs=True)
        self.tags: list[tuple[str, dict[str, str]]] = []
        self.scripts: list[str] = []
        self.text: list[str] = []
        self._in_script = False
        self.feed(document)
        self.close()

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append((tag, {name: value or "" for name, value in attrs}))
        self._in_script = tag == "script"

    def handle_endtag(self, tag: str) -> None:
        self._in_script = False

    def handle_data(self, data: str) -> None:
        (self.scripts if self._in_script else self.text).append(data)


def _assert_no_markup_from_data(elements: _Elements) -> None:
    """No element or attribute of the document came from a payload."""
    for tag, attributes in elements.tags:
        assert not any(name.startswith("on") for name in attributes), (tag, attributes)
        assert not any(v.strip().lower().startswith("javascript:") for v in attributes.values()), (tag, attributes)
        assert not (tag == "img" and attributes.get("src") == "x"), attributes
    assert not any(script.strip() == "window.__pwned=1" for script in elements.scripts)


def _shape(elements: _Elements) -> Counter:
    """How many elements of each tag and class: the shape of a document without its text."""
    # A file with problems marks its headline figures as incomplete: that card note is expected.
    return Counter((tag, a.get("class")) for tag, a in elements.tags if a.get("class") != "mark")


def _popup(spec: dict, properties: dict) -> str:
    """A feature's details as wanfeng-map.js's ``details`` writes them into the popup."""
    rows = f"<tr><th colspan='2'>{properties['n']}</th></tr>"
    for label, value in zip(spec["labels"], properties["d"], strict=True):
        rows += f"<tr><td>{label}</td><td>{value}</td></tr>" if value not in (None, "") else ""
    return f"<table class='feature-details'>{rows}</table>"


def test_the_hostile_copy_spoils_every_free_text_field_and_one_checked_cell_per_file(hostile):
    for key in DATASETS:
        assert hostile.frame(key) is not None and not hostile.frame(key).empty, key  # the rest still draws
        assert len(hostile.files[key].problems) == 1, key
    spoiled = list(_free_text(hostile))
    assert {key for key, _, _ in spoiled} == {
        k for k, d in DATASETS.items() if any(is_free_text(d, f.name) for f in d.fields)
    }
    assert all(all(p in value for p in PAYLOADS) for _, _, value in spoiled)
    quoted = " ".join(p.message("en") for p in hostile.problems)
    assert all(payload in quoted for payload in PAYLOADS)


@pytest.mark.parametrize("lang", LANGS)
def test_map_features_carry_their_text_escaped_for_tooltips_and_popups(hostile, lang):
    for layer in LAYERS:
        frame = hostile.frame(layer.key)
        text = display_collection(layer, frame, lang, reveal_personal=True)
        assert "</" not in text  # nothing can close the script the features are written into
        spec = layer_spec(layer, frame, lang)
        shown = [
            f for f in layer.fields if f.name not in ("id", "name_zh", "name_en", "reported_fields", "reported_as")
        ]
        for feature, (_, row) in zip(json.loads(text)["features"], frame.iterrows(), strict=True):
            properties = feature["properties"]
            assert unescape(properties["n"]) == row[f"name_{lang}"]  # the tooltip
            for field, value in zip(shown, properties["d"], strict=False):
                if field.name == "source":
                    assert unescape(value) == source_text(layer, row, lang)
                else:
                    written = field.display(row[field.name], lang, reveal=True)
                    assert unescape(value) == marked(layer, row, field.name, written)
            popup = _Elements(_popup(spec, properties))
            assert {tag for tag, _ in popup.tags} <= {"table", "tr", "th", "td"}
            assert IMG in "".join(popup.text)


@pytest.mark.parametrize("lang", LANGS)
def test_map_page_labels_and_legend_hold_no_markup_from_the_data(hostile, bundled, lang):
    fmap, clean = build_map(hostile, lang), build_map(bundled, lang)
    document = _Elements(fmap.get_root().render())
    _assert_no_markup_from_data(document)
    assert _shape(document) == _shape(_Elements(clean.get_root().render()))

    def legend(m) -> str:
        return next(e for e in _walk(m) if getattr(e, "_name", "") == "Legend").html

    assert legend(fmap) == legend(clean)  # names the codes of the catalog, nothing of the data
    # The label's own markup: a span to centre it, and a county's province below its name.
    own = re.compile(r"^<span>|<small>[^<]*</small>|</span>$")
    labels = [own.sub("", e.options["html"]) for e in _walk(fmap) if isinstance(e, folium.DivIcon)]
    # Townships are written by their catalog names; counties by the data's.
    townships = [code_label("township", code, lang) for code in hostile.frame("townships")["id"]]
    names = [*hostile.frame("counties")[f"name_{lang}"], *townships]
    assert [unescape(label) for label in labels] == names and not any("<" in label for label in labels)


def _walk(element) -> Iterator:
    yield element
    for child in element._children.values():
        yield from _walk(child)


# ---------------------------------------------------------------------------------------------
# Plotly


def _figures(data: Data, lang: str) -> list[go.Figure]:
    """Every figure the pages and the slides draw, as on screen and as on the projector."""
    output, jobs = data.frame("output"), data.frame("employment")
    drawn = [
        charts.by_quarter(output, "output", lang),
        charts.by_quarter(jobs, "jobs", lang),
        charts.by_township(output, "output", QUARTER, lang),
        charts.by_township(jobs, "jobs", QUARTER, lang),
        charts.mediation(data.frame("mediation"), lang),
        charts.school_attendance(data.frame("party_school"), lang),
        charts.visitors_by_route(data.frame("tourism_figures"), data.frame("tourism_routes"), lang),
    ]
    drawn += [figure for slide in build_slides(data, QUARTER, lang) for figure in slide.charts]
    return drawn + [for_projector(figure) for figure in drawn]


def _strings(value: object) -> Iterator[str]:
    """Every text in a figure's JSON: names, hover text, customdata, titles, ticks, annotations."""
    if isinstance(value, str):
        yield value
    elif isinstance(value, dict):
        for item in value.values():
            yield from _strings(item)
    elif isinstance(value, list | tuple | np.ndarray):
        for item in value:
            yield from _strings(item)


def plotly_shows(text: str) -> str:
    """What plotly.js draws for ``text`` that holds no tag: its entities decoded."""

    def entity(match: re.Match) -> str:
        name = match[1]
        if name.startswith("#"):
            return chr(int(name[2:], 16) if name[1] == "x" else int(name[1:]))
        return PLOTLY_ENTITIES.get(name, match[0])

    return re.sub(r"&(#\d+|#x[\da-fA-F]+|[a-z]+);", entity, text)


@pytest.mark.parametrize("lang", LANGS)
def test_no_raw_angle_bracket_from_the_data_reaches_plotly(hostile, lang):
    figures = _figures(hostile, lang)
    for figure in figures:
        for text in _strings(figure.to_plotly_json()):
            assert "<" not in PLOTLY_TEMPLATE_TAGS.sub("", text), text
    shown = {plotly_shows(t) for figure in figures for t in _strings(figure.to_plotly_json())}
    assert set(hostile.frame("tourism_routes")[f"name_{lang}"]) <= shown  # the data did reach them


@pytest.mark.parametrize("lang", LANGS)
def test_chart_names_and_hover_text_read_as_written(hostile, lang):
    routes = hostile.frame("tourism_routes")
    visitors = charts.visitors_by_route(hostile.frame("tourism_figures"), routes, lang)
    assert sorted(plotly_shows(t.name) for t in visitors.data) == sorted(routes[f"name_{lang}"])
    school = charts.school_attendance(hostile.frame("party_school"), lang)
    titles = {plotly_shows(str(c)) for t in school.data if t.customdata is not None for c in t.customdata}
    assert titles == set(hostile.frame("party_school")[f"title_{lang}"])


def test_kaleido_draws_the_names_as_text_in_the_chart_pictures(hostile):
    """The chart pictures of the export, drawn as chart_pngs draws them and also as SVG, the
    same drawing read back as XML: the names are text, no link or picture came from them."""
    figure = next(s for s in build_slides(hostile, QUARTER, "en") if s.key == "tourism").charts[0]
    with chart_pictures._SERVER:  # one browser for both pictures: starting it takes seconds
        kaleido.start_sync_server(mathjax=False, silence_warnings=True)
        try:
            svg = kaleido.calc_fig_sync(figure.to_dict(), opts={"format": "svg", "width": 1200, "height": 600})
            png = chart_pictures._png(figure, scale=1)
        finally:
            kaleido.stop_sync_server(silence_warnings=True)
    root = ElementTree.fromstring(svg)
    names = {element.tag.split("}")[-1] for element in root.iter()}
    assert not names & {"a", "image", "img", "script", "foreignObject"}
    # The routes are named on the axis of the quarter's bars.
    routes = len(figure.data[0].y)
    labels = ["".join(e.itertext()) for e in root.iter() if "ytick" in (e.get("class") or "").split()]
    # Long names are drawn in lines: each line a text of its own, the spaces between them gone.
    squeezed = ["".join(label.split()) for label in labels]
    assert len(labels) == routes and all(all("".join(p.split()) in text for p in PAYLOADS) for text in squeezed)
    assert png[:4] == b"\x89PNG"
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    (ARTIFACTS / "hostile-chart-tourism.png").write_bytes(png)


# ---------------------------------------------------------------------------------------------
# Tables, slides and the presentation page


@pytest.mark.parametrize("lang", LANGS)
def test_tables_hold_the_text_as_written(hostile, lang):
    """st.dataframe draws cells on a canvas as text: escaping them would show &lt; to people."""
    for key, dataset in DATASETS.items():
        frame = hostile.frame(key)
        columns = [f.name for f in dataset.fields if is_free_text(dataset, f.name)]
        if columns:
            shown = labelled(dataset, frame, lang, columns, reveal_personal=True)
            for column in columns:
                heading = dataset.field(column).heading(lang)
                assert shown[heading].tolist() == ["—" if pd.isna(v) else v for v in frame[column]]
    routes = route_table(hostile.frame("tourism_routes"), hostile.frame("tourism_figures"), QUARTER, lang)
    assert routes.iloc[:, 0].tolist() == hostile.frame("tourism_routes")[f"name_{lang}"].tolist()


def _is_markdown_literal(markdown: str, text: str) -> bool:
    """Whether ``markdown`` shows ``text`` letter for letter: every ASCII punctuation escaped."""
    all_escaped = re.fullmatch(rf"(?:\\[{_PUNCTUATION}]|[^{_PUNCTUATION}])*", markdown, re.S)
    return all_escaped is not None and re.sub(rf"\\([{_PUNCTUATION}])", r"\1", markdown) == text


@pytest.mark.parametrize("text", [*PAYLOADS, ":material/warning: :smile: :red[x] &lt;b&gt; \\*"])
def test_markdown_literal_escapes_every_construct(text):
    assert _is_markdown_literal(markdown_literal(text), text)


@pytest.mark.parametrize("lang", LANGS)
def test_slides_keep_the_text_as_written(hostile, lang):
    party = {s.key: s for s in build_slides(hostile, QUARTER, lang)}["party"]
    meetings = hostile.frame("joint_meetings")
    topic = meetings.loc[meetings["quarter"] == QUARTER, f"topic_{lang}"].iloc[0]
    assert any(topic in sentence for sentence in party.summary)


@pytest.fixture
def app_on(monkeypatch, tmp_path_factory):
    """Run a page of the dashboard under AppTest on the hostile data."""
    monkeypatch.setenv("WANFENG_DATA_DIR", str(_hostile_folder(tmp_path_factory)))

    def run(page: str, lang: str = "en", **state: object) -> AppTest:
        st.cache_data.clear()
        st.cache_resource.clear()
        app = AppTest.from_file(str(ROOT / "dashboard.py"), default_timeout=60)
        app.query_params.update(lang=lang, quarter=QUARTER)
        for key, value in state.items():
            app.session_state[key] = value
        app.run()
        app.switch_page(page).run()
        assert not app.exception, [e.message for e in app.exception]
        return app

    yield run
    st.cache_data.clear()
    st.cache_resource.clear()


def _shown_literally(bodies: list[str], text: str) -> bool:
    """Whether Markdown ``bodies`` quote ``text`` escaped and never as it is."""
    joined = "\n".join(bodies)
    return markdown_literal(text) in joined and text not in joined


@pytest.mark.parametrize("lang", LANGS)
def test_present_page_writes_the_summary_as_literal_markdown(app_on, hostile, lang):
    app = app_on("pages/present_page.py", lang, slide=5)  # the Party building slide
    meetings = hostile.frame("joint_meetings")
    topic = meetings.loc[meetings["quarter"] == QUARTER, f"topic_{lang}"].iloc[0]
    assert _shown_literally([m.value for m in app.markdown], topic)


def test_problems_notice_on_every_page_is_plain_text(app_on, hostile):
    """ui.problems_notice writes each problem with st.text, which reads no Markdown."""
    app = app_on("pages/overview_page.py")
    texts = [t.value for t in app.text]
    assert texts == [p.message("en") for p in hostile.problems]
    assert all(payload in "\n".join(texts) for payload in PAYLOADS)


@pytest.mark.parametrize("lang", LANGS)
def test_problem_markdown_quotes_the_value_as_written(hostile, lang):
    for problem in hostile.problems:
        assert _is_markdown_literal(problem.markdown(lang), problem.message(lang))


def test_data_page_problem_list_shows_values_as_written(app_on):
    app = app_on("pages/data_page.py")
    bodies = [e.value for e in (*app.error, *app.warning)]
    assert all(_shown_literally(bodies, payload) for payload in PAYLOADS)


def test_map_search_buttons_show_names_as_written(app_on, hostile):
    app = app_on("pages/map_page.py")
    app.text_input(key="map-search").input("click").run()
    labels = {b.label for b in app.button if str(b.key).startswith("found:")}
    names = {markdown_literal(value) for _, field, value in _free_text(hostile) if field == "name_en"}
    assert labels and labels <= names


# ---------------------------------------------------------------------------------------------
# Exports


@pytest.mark.parametrize("lang", LANGS)
def test_html_report_has_no_element_or_attribute_from_the_data(hostile, bundled, lang):
    document, clean = _Elements(html_report(hostile, QUARTER, lang)), _Elements(html_report(bundled, QUARTER, lang))
    _assert_no_markup_from_data(document)
    assert _shape(document) == _shape(clean)  # the report's own elements, no more
    frames = [a["srcdoc"] for tag, a in document.tags if tag == "iframe"]
    clean_frames = [a["srcdoc"] for tag, a in clean.tags if tag == "iframe"]
    assert len(frames) == len(clean_frames) > 0
    for srcdoc, clean_srcdoc in zip(frames, clean_frames, strict=True):
        inner = _Elements(srcdoc)
        _assert_no_markup_from_data(inner)
        assert _shape(inner) == _shape(_Elements(clean_srcdoc))
        assert "&lt;img src=x" in srcdoc and IMG not in srcdoc  # names travel escaped, for innerHTML
    meetings = hostile.frame("joint_meetings")
    topic = meetings.loc[meetings["quarter"] == QUARTER, f"topic_{lang}"].iloc[0]
    assert any(topic in text for text in document.text)  # the sentence reads as written


@pytest.fixture(scope="module")
def deck(hostile) -> Presentation:
    return Presentation(io.BytesIO(pptx_report(build_slides(hostile, QUARTER, "en"), {}, "en")))


def test_pptx_text_frames_hold_the_literal_text(deck, hostile):
    texts = [shape.text_frame.text for page in deck.slides for shape in page.shapes if shape.has_text_frame]
    notes = [page.notes_slide.notes_text_frame.text for page in deck.slides]
    meetings = hostile.frame("joint_meetings")
    topic = meetings.loc[meetings["quarter"] == QUARTER, "topic_en"].iloc[0]
    assert any(topic in text for text in texts) and any(topic in text for text in notes)
    assert not any("&lt;" in text or "&amp;" in text for text in texts + notes)


def test_pptx_chart_names_are_literal_and_its_workbook_holds_no_formula(deck, hostile):
    names = set(hostile.frame("tourism_routes")["name_en"])
    found = set()
    for page in deck.slides:
        for shape in page.shapes:
            if not shape.has_chart:
                continue
            chart = shape.chart
            found |= {series.name for plot in chart.plots for series in plot.series} & names
            found |= set(chart.plots[0].categories) & names  # routes named on a bar chart's axis
            assert not any("&lt;" in c for c in chart.plots[0].categories)
            sheet = openpyxl.load_workbook(io.BytesIO(chart.part.chart_workbook.xlsx_part.blob)).active
            cells = [cell for row in sheet.iter_rows() for cell in row if cell.value is not None]
            assert not [c.coordinate for c in cells if c.data_type == "f" or c.hyperlink], "formula or link"
            assert {c.value for c in cells} >= {s.name for s in chart.plots[0].series}
    assert found == names and all(name.startswith(FORMULA) for name in found)


def test_map_picture_draws_names_as_text_not_formulas(hostile, monkeypatch):
    """matplotlib reads text between two $ as a formula; the county names hold $x$."""
    drawn: list[matplotlib.text.Text] = []
    real = matplotlib.text.Text.draw

    def spy(self, renderer):
        drawn.append(self)
        return real(self, renderer)

    monkeypatch.setattr(matplotlib.text.Text, "draw", spy)
    map_png(hostile, "en", layers=("counties", "townships"), size=(800, 500))
    names = [t for t in drawn if "$x$" in t.get_text()]  # the counties' (townships go by the catalog's names)
    assert len({t.get_text() for t in names}) >= 3
    assert not any(t.get_parse_math() for t in names)
