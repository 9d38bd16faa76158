"""Tourism: the one-day eco-tour routes on the map, their geodesic lengths and visitors."""

import streamlit as st

from lib.app import ui
from lib.contract.i18n import tr
from lib.drawn import charts
from lib.drawn.frames import route_table

data, view = ui.load_data(), ui.current_view()
ui.page_title("page.tourism", view, data)
ui.honesty_note(view.lang)

map_column, table_column = st.columns([3, 2])
with map_column:
    ui.show_map(data, view, height=560, layers=("lake", "rivers", "townships", "tourism_routes"))
with table_column:
    st.subheader(tr("tourism.routes", view.lang))
    st.caption(tr("tourism.routes_note", view.lang))
    routes = ui.frame(data, "tourism_routes", view)
    figures = ui.frame(data, "tourism_figures", view)
    if routes is not None:
        st.dataframe(route_table(routes, figures, view.quarter, view.lang), hide_index=True, width="stretch")

if routes is not None and figures is not None:
    ui.chart(charts.visitors_by_route, figures, routes, view.lang)
