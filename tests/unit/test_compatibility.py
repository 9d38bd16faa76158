"""Every internal of another library the dashboard relies on (docs/compatibility.md) still
works as relied on: an upgrade that changes one fails here, by name, not in a user's export."""

from __future__ import annotations

import inspect
import io
import zipfile

import branca.element
import folium
import plotly.graph_objects as go
from docx import Document
from pptx import Presentation
from pptx.util import Inches
from streamlit import file_util
from streamlit.runtime import pages_manager

from lib.drawn import maps
from lib.drawn.offline import localise
from lib.reports import brief, deck


def test_branca_compiles_each_text_once():
    assert branca.element.Template is maps._template, "branca no longer compiles through branca.element.Template"
    first, second = (
        branca.element.Element("<b>{{ this.get_name() }}</b>"),
        branca.element.Element("<b>{{ this.get_name() }}</b>"),
    )
    assert first._template is second._template, "branca's Element no longer keeps its compiled template in _template"


def test_folium_children_hold_every_asset_list():
    fmap = folium.Map(tiles=None)
    folium.Marker((24.8, 104.5)).add_to(fmap)
    assert fmap._children and all(child._parent is fmap for child in fmap._children.values())
    assert fmap.default_js and fmap.default_css, "folium.Map no longer lists its scripts and styles"
    localise(fmap)
    html = fmap.get_root().render()
    assert "cdn.jsdelivr" not in html and "unpkg.com" not in html, "an asset escaped localise()"


def test_streamlit_reads_the_pages_directory_switch():
    assert hasattr(pages_manager.PagesManager, "uses_pages_directory")
    assert "uses_pages_directory" in inspect.getsource(pages_manager), "Streamlit no longer reads the switch"


def test_streamlit_finds_the_static_folder_by_one_function():
    parameters = list(inspect.signature(file_util.get_app_static_dir).parameters)
    assert parameters == ["main_script_path"], parameters


def _deck_with(figure: go.Figure) -> zipfile.ZipFile:
    """A one-slide deck holding ``figure`` as the deck draws a chart, and a bulleted line, as a package."""
    presentation = Presentation()
    page = presentation.slides.add_slide(presentation.slide_layouts[6])
    deck._chart(page, figure, "zh", Inches(0.5), Inches(0.5), Inches(8), Inches(5))
    deck._paragraph(
        deck._textbox(page, 0, 0, Inches(4), Inches(1)).text_frame, "一句", "zh", 18, first=True, bullet=True
    )
    out = io.BytesIO()
    presentation.save(out)
    return zipfile.ZipFile(out)


def test_python_pptx_private_parts_the_deck_writes():
    with _deck_with(go.Figure(go.Bar(x=[3, 5], y=["甲", "乙"], orientation="h", name="产值"))) as package:
        chart = next(package.read(n).decode() for n in package.namelist() if n.startswith("ppt/charts/chart"))
        slide = package.read("ppt/slides/slide1.xml").decode()
    assert 'c:tickLblSkip val="1"' in chart, "every bar named"
    assert "<a:ea " in slide and 'lang="zh-CN"' in slide, "East Asian typeface and language"
    assert "<a:buChar " in slide and 'marL="' in slide, "hanging bullet"


def test_python_pptx_chart_workbook_keeps_text_as_text():
    figure = go.Figure(go.Bar(x=['=HYPERLINK("http://x")', "http://y"], y=[1, 2], name="=1+1"))
    with _deck_with(figure) as package:
        embedded = next(n for n in package.namelist() if n.endswith(".xlsx"))
        with zipfile.ZipFile(io.BytesIO(package.read(embedded))) as workbook:
            sheet = workbook.read("xl/worksheets/sheet1.xml").decode()
            strings = workbook.read("xl/sharedStrings.xml").decode()
    assert "<f>" not in sheet and "<hyperlinks>" not in sheet, "a name became a formula or a link"
    assert "=HYPERLINK" in strings and "http://y" in strings, "the names are kept, as text"


def test_python_docx_run_properties():
    document = Document()
    brief._paragraph(document, "一句", ("宋体", "Times New Roman"), 12)
    xml = document.element.xml
    assert 'w:eastAsia="宋体"' in xml and 'w:ascii="Times New Roman"' in xml, "East Asian and Latin typefaces"
    assert 'w:eastAsia="zh-CN"' in xml, "the run's East Asian language"
