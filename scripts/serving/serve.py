"""Serve the dashboard: `streamlit run dashboard.py`, with any further Streamlit options.

Streamlit runs the first script of a server process in its old `pages/` folder mode, before
dashboard.py's `st.navigation` can take over; a first visitor who opens a link to a page
(`/present`) is then told "Page not found" (streamlit#9992). Saying so before the server starts
spares them that notice.
"""

import sys

from streamlit.runtime.pages_manager import PagesManager
from streamlit.web import cli

from lib.contract.settings import ROOT

DASHBOARD = ROOT / "dashboard.py"

if __name__ == "__main__":
    PagesManager.uses_pages_directory = False
    cli.main(prog_name="streamlit", args=["run", str(DASHBOARD), *sys.argv[1:]])
