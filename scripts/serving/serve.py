"""Serve the dashboard: `streamlit run dashboard.py`, with any further Streamlit options.

Streamlit runs the first script of a server process in its old `pages/` folder mode, before
dashboard.py's `st.navigation` can take over; a first visitor who opens a link to a page
(`/present`) is then told "Page not found" (streamlit#9992). Saying so before the server starts
spares them that notice. The libraries the pages draw with are imported before the server
answers, so that the first visitor after a restart does not wait for them, and the server
opens its first pages itself as soon as it answers (lib.serving.warm): the data read and the
maps built before anyone comes.
"""

import importlib
import sys

import pyarrow
from streamlit.runtime.pages_manager import PagesManager
from streamlit.web import cli

from lib.contract.settings import ROOT
from lib.serving.warm import start_warming

DASHBOARD = ROOT / "dashboard.py"
# What the pages draw with, imported as the server starts rather than by its first visitor
# after a restart (a second and a half). Not streamlit-folium, nor lib.app which imports it: a
# component declared outside a script run is never registered, and its frame stays empty.
LIBRARIES = ("geopandas", "pyarrow.parquet", "plotly.graph_objects", "folium", "h3")

if __name__ == "__main__":
    PagesManager.uses_pages_directory = False
    for name in LIBRARIES:
        importlib.import_module(name)
    # Arrow's own allocator keeps what it freed for later (40 MiB once a county's layers are
    # kept as GeoParquet, lib.files.parsed): the system's gives it back to the machine.
    pyarrow.set_memory_pool(pyarrow.system_memory_pool())
    start_warming()
    cli.main(prog_name="streamlit", args=["run", str(DASHBOARD), *sys.argv[1:]])
