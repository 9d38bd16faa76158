"""Every page runs under Streamlit's AppTest in both languages, on sound and on bad data."""

from __future__ import annotations

import json
import re

import pytest
import streamlit as st
from streamlit.testing.v1 import AppTest

from lib.contract.i18n import tr
from lib.contract.settings import ROOT
from lib.drawn.offline import PUBLISHED_DIR
from lib.files.database import DatabaseStore
from lib.serving.postgres import throwaway_cluster

PAGES = [
    "pages/overview_page.py",
    "pages/map_page.py",
    "pages/industry_page.py",
    "pages/tourism_page.py",
    "pages/governance_page.py",
    "pages/party_page.py",
    "pages/data_page.py",
    "pages/present_page.py",
]


@pytest.fixture(autouse=True)
def _fresh_caches():
    st.cache_data.clear()
    st.cache_resource.clear()


def _run(page: str, lang: str = "zh", **params: str) -> AppTest:
    app = AppTest.from_file(str(ROOT / "dashboard.py"), default_timeout=60)
    app.query_params.update(lang=lang, **params)
    app.run()
    if page != PAGES[0]:
        app.switch_page(page)
        app.run()
    assert not app.exception, [e.message for e in app.exception]
    return app


def _text(app: AppTest) -> str:
    parts = [e.value for e in (*app.title, *app.subheader, *app.markdown, *app.caption)]
    return " ".join(str(p) for p in parts)


@pytest.mark.parametrize("lang", ["zh", "en"])
@pytest.mark.parametrize("page", PAGES)
def test_every_page_runs(page, lang):
    app = _run(page, lang)
    assert app.title, page
    if lang == "en":
        assert "Wanfeng Lake" in _text(app) and "万峰湖" not in app.title[0].value
    else:
        assert "万峰湖" in _text(app)


def test_overview_shows_headline_figures_of_the_latest_quarter():
    app = _run(PAGES[0], "zh")
    assert app.session_state["quarter"] == "2024Q1"
    labels = [m.label for m in app.metric]
    assert len(labels) == 6 and labels[0].startswith("产值")
    output = app.metric[0]
    assert output.value.replace(",", "").isdigit()
    assert output.delta.endswith("%") and output.delta[0] in "+-"


def test_view_comes_from_the_url_and_goes_back_into_it():
    app = _run(PAGES[0], "en", quarter="2023Q2", township="mabeng")
    assert (app.session_state["lang"], app.session_state["quarter"], app.session_state["township"]) == (
        "en",
        "2023Q2",
        "mabeng",
    )
    assert app.query_params["quarter"] == ["2023Q2"] or app.query_params["quarter"] == "2023Q2"


def test_language_switch_holds_across_pages():
    app = _run(PAGES[0], "zh")
    app.sidebar.radio[0].set_value("en").run()
    app.switch_page("pages/party_page.py").run()
    assert not app.exception
    assert app.title[0].value == "Party building"


def test_township_filter_changes_the_figures():
    all_three = _run(PAGES[0], "zh").metric[0].value
    one = _run(PAGES[0], "zh", township="lubuge").metric[0].value
    assert one != all_three


def test_bad_file_shows_its_problem_and_the_rest_works(monkeypatch, data_copy):
    (data_copy / "geo/townships.geojson").write_text("not json", encoding="utf-8")
    path = data_copy / "tables/output.csv"
    path.write_text(path.read_text(encoding="utf-8").replace(",1500,", ",abc,"), encoding="utf-8")
    monkeypatch.setenv("WANFENG_DATA_DIR", str(data_copy))
    for page in PAGES:
        app = _run(page, "en")
        problems = " ".join(t.value for t in app.text)
        assert "geo/townships.geojson" in problems and "not valid JSON" in problems
        assert "tables/output.csv" in problems and "abc" in problems and "output_10k_yuan" in problems


def test_html_in_the_data_is_shown_as_text(monkeypatch, data_copy):
    path = data_copy / "geo/industry_bases.geojson"
    document = json.loads(path.read_text(encoding="utf-8"))
    document["features"][0]["properties"]["name_zh"] = "<img src=x onerror=alert(1)>"
    path.write_text(json.dumps(document, ensure_ascii=False), encoding="utf-8")
    monkeypatch.setenv("WANFENG_DATA_DIR", str(data_copy))
    app = _run("pages/industry_page.py", "zh")
    script = "".join(json.loads(c.proto.json_args)["script"] for c in app.get("component_instance"))
    layers = "".join(
        (PUBLISHED_DIR / name).read_text(encoding="utf-8") for name in re.findall(r"geo/(\w+\.json)", script)
    )
    for sent in (script, layers):
        assert "<img src=x" not in sent
    assert "&lt;img src=x onerror=alert(1)&gt;" in layers


def test_data_and_map_are_built_once_per_data_change(monkeypatch, data_copy):
    import lib.app.ui

    calls = {"load": 0, "map": 0}

    def counting(name, real):
        def wrapper(*args, **kwargs):
            calls[name] += 1
            return real(*args, **kwargs)

        return wrapper

    monkeypatch.setattr(lib.app.ui, "load_all", counting("load", lib.app.ui.load_all))
    monkeypatch.setattr(lib.app.ui, "build_map", counting("map", lib.app.ui.build_map))
    monkeypatch.setenv("WANFENG_DATA_DIR", str(data_copy))
    app = _run(PAGES[0], "zh")
    app.sidebar.selectbox[0].set_value("2023Q4").run()  # a rerun that does not change the map
    app.run()
    assert calls == {"load": 1, "map": 1}
    path = data_copy / "tables/output.csv"
    path.write_text(path.read_text(encoding="utf-8") + "\n", encoding="utf-8")
    app.run()
    assert calls == {"load": 2, "map": 2}


def test_charts_are_built_once_for_every_session_and_again_after_an_edit(monkeypatch, data_copy):
    import lib.drawn.charts

    built = []
    real = lib.drawn.charts.by_quarter

    def counting(frame, measure, lang):
        built.append(measure)
        return real(frame, measure, lang)

    def specs(app: AppTest) -> list[str]:
        return [chart.proto.spec for chart in app.get("plotly_chart")]

    monkeypatch.setattr(lib.drawn.charts, "by_quarter", counting)
    monkeypatch.setenv("WANFENG_DATA_DIR", str(data_copy))
    first, second = _run(PAGES[0], "zh"), _run(PAGES[0], "zh")
    assert sorted(built) == ["jobs", "output"]
    assert specs(first) == specs(second) and len(specs(first)) == 2
    path = data_copy / "tables/output.csv"
    path.write_text(path.read_text(encoding="utf-8").replace(",1500,", ",1501,"), encoding="utf-8")
    edited = _run(PAGES[0], "zh")
    assert sorted(built) == ["jobs", "output", "output"]
    assert specs(edited)[0] != specs(first)[0] and specs(edited)[1] == specs(first)[1]


def test_rows_digest_follows_content_not_identity(bundled):
    from lib.app.ui import _rows_digest

    for key in ("output", "tourism_routes"):
        rows = bundled.frame(key)
        assert _rows_digest(rows.copy()) == _rows_digest(rows)
        changed = rows.copy()
        changed.iloc[0, 0] = "changed"
        assert _rows_digest(changed) != _rows_digest(rows) != _rows_digest(rows.iloc[1:])


def test_viewers_see_no_editing_and_editors_do():
    viewer = _run("pages/data_page.py", "zh")
    assert not viewer.tabs and not viewer.get("file_uploader")
    assert [b.label for b in viewer.button if b.label == tr("admin.sign_in_button", "zh")] == ["登录"]
    editor = AppTest.from_file(str(ROOT / "dashboard.py"), default_timeout=60)
    editor.session_state["editor"] = "王芳"
    editor.run()
    editor.switch_page("pages/data_page.py").run()
    assert not editor.exception
    assert len(editor.tabs) == 4 and editor.get("file_uploader")


def test_presentation_turns_slides():
    app = _run("pages/present_page.py", "en")
    assert "Slide 1 of 7" in _text(app)
    forward = next(b for b in app.button if b.key == "slide-forward")
    forward.click().run()
    assert "Slide 2 of 7" in _text(app) and app.title[0].value == "The area at a glance"
    for _ in range(5):
        next(b for b in app.button if b.key == "slide-forward").click().run()
    assert "Slide 7 of 7" in _text(app) and "in summary" in app.title[0].value
    assert next(b for b in app.button if b.key == "slide-forward").disabled


@pytest.mark.parametrize("spoil", ["empty", "missing", "broken"])
def test_every_page_works_with_no_output_or_employment(monkeypatch, data_copy, spoil):
    for table in ("tables/output.csv", "tables/employment.csv"):
        path = data_copy / table
        if spoil == "missing":
            path.unlink()
        elif spoil == "empty":
            path.write_text(path.read_text(encoding="utf-8").splitlines()[0] + "\n", encoding="utf-8")
        else:
            path.write_bytes(bytes(range(256)) * 8)
    monkeypatch.setenv("WANFENG_DATA_DIR", str(data_copy))
    for page in PAGES:
        app = _run(page, "zh")
        assert not app.exception, (spoil, page, app.exception)
    assert "数据中没有季度记录" in " ".join(info.value for info in _run("pages/present_page.py").info)


def test_on_a_database_every_page_shows_its_files_and_says_so_while_it_is_away(monkeypatch, data_copy, tmp_path):
    """A host with an empty data folder of its own: the database's files at the first click; the
    last ones it had, with a notice and no saving, while the database is away; all of it back after."""
    with throwaway_cluster() as database:
        DatabaseStore(database.url, tmp_path / "importer").import_files(data_copy, user="import")
        monkeypatch.setenv("WANFENG_DATABASE_URL", database.url)
        monkeypatch.setenv("WANFENG_DATA_DIR", str(tmp_path / "host"))
        notice = tr("storage.unavailable", "zh").split("：")[0]

        def notices(app: AppTest) -> list[str]:
            return [w.value for w in app.warning if notice in w.value]

        app = _run(PAGES[0])
        assert (tmp_path / "host" / "tables" / "output.csv").read_bytes() == (
            data_copy / "tables/output.csv"
        ).read_bytes()
        assert notices(app) == [] and app.metric
        database.stop()
        for page in PAGES:
            app = _run(page)
            assert notices(app) and app.title, page
        database.start()
        assert notices(_run(PAGES[0])) == []
