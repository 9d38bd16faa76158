"""The naive map of the same data: the yardstick scripts/measuring/benchmark.py measures the dashboard against.

This is how a Folium map usually goes into Streamlit: one plain ``folium.GeoJson`` per layer
with the raw geometry and every property, a tooltip of the name, the whole map rebuilt on every
run and written into the page over the websocket, and a default ``st_folium`` call (every object
returned). A quarter select box in the sidebar changes nothing on the map: it is there so that
a filter change can be timed. The data itself is read once and cached, as any Streamlit app
would, so that what is compared is the map, not the reading of the files.

Leaflet comes from the app itself (``lib.drawn.offline.localise``): Folium lists CDN addresses, and
with them the map could never draw offline, nor in the benchmark, whose browser reaches no
outside host. Streamlit serves ``static/`` only from beside the main script, which for this
file would be ``scripts/static/``; started as below, the script serves the repository's
``static/`` folder, the dashboard's own copy of Leaflet::

    .venv/bin/python scripts/measuring/baseline_map.py --server.port 8502 --server.address 127.0.0.1

with ``WANFENG_DATA_DIR`` choosing the data folder (default: the bundled ``data/``). Under a
plain ``streamlit run scripts/measuring/baseline_map.py`` the page says that Leaflet cannot load.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

import folium
import streamlit as st
from streamlit import file_util, runtime
from streamlit.runtime.scriptrunner import get_script_run_ctx

from lib.contract.catalog import LAYERS
from lib.contract.quarters import quarter_label
from lib.contract.settings import (
    DEFAULT_DATA_DIR,
    STATIC_DIR,
)
from lib.drawn.maps import TRI_POINT
from lib.drawn.offline import install_vendor_assets, localise
from lib.files.loading import Data, load_all

MAP_WIDTH = 1200


@st.cache_resource(show_spinner=False, max_entries=2)
def load(folder: str) -> Data:
    """Every file of the data folder, read once per server."""
    return load_all(Path(folder))


def build(data: Data) -> folium.Map:
    """A Folium map with one plain GeoJSON layer per data layer: raw geometry, all properties."""
    fmap = folium.Map(location=TRI_POINT, zoom_start=10, tiles=None)
    for layer in LAYERS:
        frame = data.frame(layer.key)
        if frame is None or frame.empty:
            continue
        folium.GeoJson(frame, name=layer.key, tooltip=folium.GeoJsonTooltip(fields=["name_zh"])).add_to(fmap)
    folium.LayerControl().add_to(fmap)
    localise(fmap)
    return fmap


def static_served() -> bool:
    """Whether this server serves the repository's static/ folder (where Leaflet is); under
    AppTest, with no server, nothing is served and nothing is missing."""
    main_script = getattr(runtime.get_instance(), "_main_script_path", None) if runtime.exists() else None
    if not isinstance(main_script, str):
        return True
    return Path(file_util.get_app_static_dir(main_script)).resolve() == STATIC_DIR.resolve()


def page() -> None:
    """The page: a quarter select box that changes nothing, and the map."""
    # Imported here, not at the top: a component declared before the server starts (when this
    # file is the command line) is unknown to it, and its frame would be a 404.
    from streamlit_folium import st_folium

    st.set_page_config(page_title="Baseline map", layout="wide")
    install_vendor_assets()
    data = load(os.environ.get("WANFENG_DATA_DIR") or str(DEFAULT_DATA_DIR))
    if not static_served():
        st.error("Leaflet is not served here: start with `.venv/bin/python scripts/measuring/baseline_map.py` instead.")
    output = data.frame("output")
    quarters = sorted(output["quarter"].unique(), reverse=True) if output is not None else []
    st.sidebar.selectbox("季度", quarters, key="quarter", format_func=lambda q: quarter_label(q, "zh"))
    st.title("万峰湖 baseline map")
    st_folium(build(data), width=MAP_WIDTH)


def serve(options: list[str]) -> None:
    """Start Streamlit on this file, serving the repository's static/ folder as /app/static/."""
    from streamlit.web import cli

    install_vendor_assets()

    def static_dir(main_script_path: str) -> str:
        return str(STATIC_DIR)

    file_util.get_app_static_dir = static_dir
    cli.main(prog_name="streamlit", args=["run", str(Path(__file__).resolve()), *options])


if __name__ == "__main__":
    # Streamlit runs this file as __main__ too: then it is the page, else the command line.
    if get_script_run_ctx(suppress_warning=True) is not None:
        page()
    else:
        serve(sys.argv[1:])
