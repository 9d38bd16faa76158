"""Overview: what the data covers, the quarter's headline figures, the map and the charts."""

import streamlit as st

from lib import charts, ui
from lib.figures import SUMS
from lib.i18n import tr
from lib.quarters import quarter_label

data, view = ui.load_data(), ui.current_view()
ui.page_title("page.overview", view, data)
ui.coverage(data, view)
ui.honesty_note(view.lang)
ui.report_facts(data, view)

if view.quarter:
    st.subheader(tr("overview.figures", view.lang, quarter=quarter_label(view.quarter, view.lang)))
    ui.headline_metrics(data, view)

left, right = st.columns([3, 2])
with left:
    st.subheader(tr("overview.map", view.lang))
    ui.show_map(data, view, height=600)
with right:
    st.subheader(tr("overview.charts", view.lang))
    for measure, (file, _) in SUMS.items():
        if (rows := ui.frame(data, file, view)) is not None:
            ui.chart(charts.by_quarter, rows, measure, view.lang)
st.caption(tr("chart.illustrative_note", view.lang) + " · " + tr("chart.reported_marker", view.lang))
