"""Map: every layer at full width, a search for any place, the layer control and details on
click; a click on a township selects it."""

import streamlit as st

from lib.app import ui
from lib.contract.i18n import tr

data, view = ui.load_data(), ui.current_view()
ui.page_title("page.map", view, data)
ui.map_search(view)
st.caption(tr("map.click_hint", view.lang))
ui.show_map(data, view, height=720)
ui.honesty_note(view.lang)
