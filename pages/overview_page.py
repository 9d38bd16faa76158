"""Overview: the quarter's headline figures beside the map of the whole area on the first
screen, then what the data covers and the charts."""

import streamlit as st

from lib.app import ui
from lib.contract.catalog import MEASURES
from lib.contract.i18n import tr
from lib.contract.quarters import quarter_label
from lib.drawn import charts

# The figures and the map fill a 1366x768 projector's first screen, under the page title.
FIRST_SCREEN_MAP_HEIGHT = 470

data, view = ui.load_data(), ui.current_view()
ui.page_title("page.overview", view, data)

figures, area = st.columns([1, 1], gap="medium")
with figures:
    if view.quarter:
        st.markdown(f"**{tr('overview.figures', view.lang, quarter=quarter_label(view.quarter, view.lang))}**")
    ui.headline_metrics(data, view, per_row=2, compact=True)
with area:
    st.markdown(f"**{tr('overview.map', view.lang)}**")
    ui.show_map(data, view, height=FIRST_SCREEN_MAP_HEIGHT)

ui.coverage(data, view)
ui.honesty_note(view.lang)
ui.report_facts(data, view)
st.subheader(tr("overview.charts", view.lang))
for column, measure in zip(st.columns(len(MEASURES)), MEASURES.values(), strict=True):
    with column:
        if (rows := ui.frame(data, measure.dataset, view)) is not None:
            ui.chart(charts.by_quarter, rows, measure.key, view.lang)
st.caption(tr("chart.illustrative_note", view.lang) + " · " + tr("chart.reported_marker", view.lang))
