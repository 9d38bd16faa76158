"""Entry point: the page frame, the shared controls and the navigation between pages."""

import streamlit as st

from lib.app import storage, ui
from lib.contract.i18n import tr
from lib.contract.settings import PAGES_DIR
from lib.drawn.offline import install_vendor_assets

# (URL path, title key, icon). Each page is pages/<path>_page.py: a file named exactly as
# its URL path would let Streamlit's older pages/ mechanism run the page on its own, without
# the shared controls, on the first run after the server starts (and on every AppTest run).
PAGE_LIST = (
    ("overview", "page.overview", ":material/dashboard:"),
    ("map", "page.map", ":material/map:"),
    ("industry", "page.industry", ":material/factory:"),
    ("tourism", "page.tourism", ":material/hiking:"),
    ("governance", "page.governance", ":material/shield:"),
    ("party", "page.party", ":material/groups:"),
    ("present", "page.present", ":material/slideshow:"),
    ("data", "page.data", ":material/database:"),
)

st.set_page_config(page_title="万峰湖三地看板 Wanfeng Lake", page_icon="🏞️", layout="wide")
install_vendor_assets()
storage.follow()  # once per interaction: the data folder brought up to the database's files
data = ui.load_data()
view = ui.shared_controls(data)
ui.frame_style(view)
pages = [
    st.Page(PAGES_DIR / f"{path}_page.py", title=tr(key, view.lang), icon=icon, url_path=path, default=index == 0)
    for index, (path, key, icon) in enumerate(PAGE_LIST)
]
page = st.navigation(pages, position="sidebar")
storage.outage_notice(view.lang)
ui.problems_notice(data, view.lang)
page.run()
